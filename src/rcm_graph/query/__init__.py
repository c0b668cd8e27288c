"""Answering SPARQL queries: the contract, the policy, the catalogue and the backends."""
