"""Writes through the endpoint: SPARQL Update and the Graph Store Protocol, each a new published
build.
"""
