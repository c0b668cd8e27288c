"""Plain data and names every layer shares: facts, vocabulary, IRIs, slugs, formats, SPARQL lexer.

The lowest package: it imports nothing from the rest of rcm_graph but ``errors``, so the build,
the store, the query side and the web can all depend on it (docs/architecture.md).
"""
