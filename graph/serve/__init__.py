"""``claimgraph serve``: a read-only SPARQL 1.1 endpoint over a store, with library and views."""
