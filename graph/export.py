"""Serialising a dataset: pure ``to_*`` functions returning text, one per format.

Every format is deterministic for the same dataset: N-Triples lines are sorted, the others come
from rdflib's sorted serialisers. ``graph.ttl`` and ``graph.nt`` hold the union of all named graphs
(for tools that know no datasets); ``graph.trig`` and ``graph.jsonld`` keep the named graphs.
"""

from __future__ import annotations

from typing import Final

from rdflib import Dataset, Graph

from .validate import union_of
from .vocab import PREFIXES

__all__ = ["EXPORT_FILES", "to_jsonld", "to_ntriples", "to_trig", "to_turtle", "union_graph"]

EXPORT_FILES: Final = ("graph.trig", "graph.ttl", "graph.nt", "graph.jsonld")


def union_graph(ds: Dataset) -> Graph:
    """All named graphs merged into one graph, with claimgraph's prefixes."""
    union = union_of(ds)
    for prefix, ns in PREFIXES.items():
        union.bind(prefix, ns, override=True, replace=True)
    return union


def to_trig(ds: Dataset) -> str:
    return ds.serialize(format="trig")


def to_turtle(ds: Dataset) -> str:
    return union_graph(ds).serialize(format="turtle")


def to_ntriples(ds: Dataset) -> str:
    lines = union_graph(ds).serialize(format="nt").splitlines()
    return "\n".join(sorted(line for line in lines if line.strip())) + "\n"


def to_jsonld(ds: Dataset) -> str:
    # The context is inline prefixes only: nothing here makes a reader fetch a remote context.
    return ds.serialize(format="json-ld", context=dict(PREFIXES), indent=1, sort_keys=True)


SERIALISERS: Final = {
    "graph.trig": to_trig,
    "graph.ttl": to_turtle,
    "graph.nt": to_ntriples,
    "graph.jsonld": to_jsonld,
}
