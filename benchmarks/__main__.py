"""``python -m benchmarks [--quick|--full] [--only build,http,engines]`` — see runner.py."""

import sys

from benchmarks.runner import main

sys.exit(main())
