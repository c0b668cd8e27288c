"""Writes through the endpoint (SPARQL Update, the Graph Store Protocol): each accepted write is
checked by the query policy, applied in a child process, journalled and published as a new build.

The HTTP side (the write token, the routes) stays in ``web``; this package is the part a rebuild
also needs (the journal replay).
"""
