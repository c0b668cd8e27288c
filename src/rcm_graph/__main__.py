"""``python -m rcm_graph`` runs the CLI."""

import sys

from rcm_graph.cli import main

sys.exit(main())
