"""Reference data as graphs: the TSV tables, the SKOS concept schemes, the reference graph and
the ontology.
"""
