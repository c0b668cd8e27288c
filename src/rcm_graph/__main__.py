"""``python -m rcm_graph`` runs the CLI."""

import sys

from rcm_graph.cli.main import main

sys.exit(main())
