"""The HTTP layer: the SPARQL 1.1 protocol, named queries, health, and the hooks for the UI.

It translates HTTP into calls on a :class:`rcm_graph.query.contract.QueryBackend` and the query
catalogue; it never imports the extraction, reading or curation stages, nor the pipeline.
Build the application with :func:`rcm_graph.web.app.create_app`.
"""
