"""The build's stages, each a function from data to data: read, extract, curate, map, reason,
validate.
"""
