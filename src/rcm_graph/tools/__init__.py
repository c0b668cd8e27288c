"""Developer tools behind scripts/: the CLI and query-catalogue doc generators and the
extraction scorer. Nothing that builds or serves imports them."""
