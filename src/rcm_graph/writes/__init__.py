"""Writes through the endpoint (SPARQL Update, the Graph Store Protocol): each accepted write is
checked by the query policy, applied in a child process, journalled and published as a new build.

``edit`` is one edit (parse a body, check an update, apply it keeping the default graph the union);
``journal`` records accepted writes and replays them on a rebuild; ``writer`` runs a write in a
child process and publishes the new build. The HTTP side (the write token, the routes) is ``web``'s.
"""
