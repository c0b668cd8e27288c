"""The dataset directory: the embedded store, its dumps, its VoID description, publishing a
build, and the SPARQL that defines what a stored dataset holds.

Every build and every write ends here; the query side reads from here. Imports only ``model``.
"""
