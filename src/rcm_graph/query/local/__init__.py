"""The local query backend: SPARQL over the served dataset in a pool of killable processes.

WHY processes: pyoxigraph has no query timeout and its native threads cannot be cancelled, so
the only way to really stop a runaway query is to kill the process running it. Workers
serialise the result (in Rust) and send back bytes, so no Python object is built per row.

The modules, from the query worker outwards: :mod:`~rcm_graph.query.local.execute` answers one
job against a store (serialised bytes, row caps); :mod:`~rcm_graph.query.local.worker` is what
runs in the zygote and the workers it forks; :mod:`~rcm_graph.query.local.processes` holds the
server's handles on them; :mod:`~rcm_graph.query.local.pool` checks workers out and in and keeps
the lane for long queries; :mod:`~rcm_graph.query.local.builds` follows the published build and
brings its workers up; :mod:`~rcm_graph.query.local.answers` keeps answers per build; and
:mod:`~rcm_graph.query.local.backend` is the :class:`LocalBackend` that ties them together.
"""
