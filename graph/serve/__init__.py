"""``claimgraph serve``: a read-only SPARQL 1.1 endpoint over a store, with library and views.

How it is built and why (worker processes, budgets, the slow lane, memory): docs/endpoint.md.
"""
