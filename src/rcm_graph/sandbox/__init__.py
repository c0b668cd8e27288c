"""Limits on running code: no network unless allowed, death with the parent, a wall-clock limit."""
