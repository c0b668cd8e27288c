"""``rcm-graph build`` with ``pyshacl_turbo.validate`` in place of pyshacl's (benchmarks only).

WHY: the build's per-document validation spends almost all its time in pyshacl's SPARQL-based
constraints, evaluated by rdflib (docs/performance.md); pyshacl-turbo gives the same results
(tests/test_shacl_engine_equivalence.py) tens of times faster. The benchmark measures both
builds; this entry point is the turbo one. Usage: ``python -m benchmarks.turbo_build build ...``.
"""

import sys

import pyshacl_turbo

import rcm_graph.cli.main as cli
from rcm_graph.stages import validation

validation.pyshacl_validate = pyshacl_turbo.validate
sys.exit(cli.main(sys.argv[1:]))
