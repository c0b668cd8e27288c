"""Reference data as graphs: the TSV tables, the SKOS concept schemes, the reference graph and
the ontology with its shapes.

Built from package data only, so every build gets the same reference graph for the same base
IRI; only ``model`` lies below it.
"""
