"""Plain data and names shared by every layer: facts, vocabulary, IRIs, slugs, formats, the
SPARQL lexer.
"""
