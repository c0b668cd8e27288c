"""The build's stages, each a function from data to data: read, extract, curate, map, reason,
validate.

``reading`` and ``extraction`` produce plain data (no RDF library: a test walks their imports);
``mapping`` turns facts into RDF, ``reasoning`` (with the compiled rules of ``owl_rl``) adds the
OWL 2 RL closure, ``validation`` checks the shapes. The pipeline runs them; nothing here knows
about the store or the web.
"""
