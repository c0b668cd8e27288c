"""Developer tools run from scripts/: documentation generators and the extraction scorer."""
