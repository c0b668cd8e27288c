"""The ``rcm-graph`` command: argument parsing and one module per command that needs one."""
