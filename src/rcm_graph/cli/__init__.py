"""The ``rcm-graph`` command: ``main`` parses arguments and runs one handler per verb; ``query``
is the query command. Each handler imports what it runs when it runs (plain imports)."""
