"""Limits on running code: no network unless a SERVICE endpoint is allow-listed, death with the
parent process, a wall-clock limit on a thread.

WHY one package: the build, the query workers and the write child all use them, and none of those
owns them. Standard library only.
"""
