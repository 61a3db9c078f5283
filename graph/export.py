"""Serialising a dataset: pure ``to_*`` functions returning text, one per format.

Every format is deterministic for the same dataset: N-Triples lines are sorted, the others come
from rdflib's sorted serialisers. ``graph.ttl`` and ``graph.nt`` hold the union of all named graphs
(for tools that know no datasets); ``graph.trig`` and ``graph.jsonld`` keep the named graphs.
"""

from __future__ import annotations

import json
from typing import Final

from rdflib import Dataset, Graph, URIRef

from .validate import union_of
from .vocab import PREFIXES

__all__ = [
    "EXPORT_FILES",
    "SERIALISERS",
    "to_jsonld",
    "to_ntriples",
    "to_trig",
    "to_turtle",
    "union_graph",
]

EXPORT_FILES: Final = ("graph.trig", "graph.ttl", "graph.nt", "graph.jsonld")


def union_graph(ds: Dataset) -> Graph:
    """All named graphs merged into one graph, with claimgraph's prefixes."""
    union = union_of(ds)
    for prefix, ns in PREFIXES.items():
        union.bind(prefix, ns, override=True, replace=True)
    return union


def to_trig(ds: Dataset) -> str:
    """TriG with the named graphs in IRI order and each graph's triples in Turtle's sorted order.

    rdflib's own TriG writer orders graphs by hash, which changes between runs.
    """
    parts = []
    prefix_lines: set[str] = set()
    for name, g in _named_graphs(ds):
        body = []
        for line in g.serialize(format="turtle").splitlines():
            if line.startswith("@prefix"):
                prefix_lines.add(line)
            else:
                body.append(line)  # never re-indent: a multi-line literal would change
        parts.append(f"<{name}> {{\n" + "\n".join(body).strip("\n") + "\n}\n")
    return "\n".join(sorted(prefix_lines)) + "\n\n" + "\n".join(parts)


def to_turtle(ds: Dataset) -> str:
    return union_graph(ds).serialize(format="turtle")


def to_ntriples(ds: Dataset) -> str:
    lines = union_graph(ds).serialize(format="nt").splitlines()
    return "\n".join(sorted(line for line in lines if line.strip())) + "\n"


def _named_graphs(ds: Dataset) -> list[tuple[str, Graph]]:
    """Non-empty named graphs in IRI order, each as a plain Graph with our prefixes."""
    out = []
    for name in sorted({str(g.identifier) for g in ds.graphs() if len(g)}):
        g = Graph()
        for prefix, ns in PREFIXES.items():
            g.bind(prefix, ns, override=True, replace=True)
        for triple in ds.graph(URIRef(name)):
            g.add(triple)
        out.append((name, g))
    return out


def _sorted_values(value: object) -> object:
    """Sort every JSON array (RDF values are sets; rdflib emits them in hash order)."""
    if isinstance(value, dict):
        return {k: _sorted_values(v) for k, v in value.items()}
    if isinstance(value, list):
        items = [_sorted_values(v) for v in value]
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    return value


def to_jsonld(ds: Dataset) -> str:
    """JSON-LD with one entry per named graph, in IRI order; nodes sorted by ``@id``.

    The context is inline prefixes only: nothing here makes a reader fetch a remote context.
    """
    context = dict(PREFIXES)
    entries = []
    for name, g in _named_graphs(ds):
        expanded = json.loads(g.serialize(format="json-ld", context=context, sort_keys=True))
        nodes = expanded.get("@graph", [expanded]) if isinstance(expanded, dict) else expanded
        nodes = [
            _sorted_values({k: v for k, v in node.items() if k != "@context"}) for node in nodes
        ]
        entries.append({"@id": name, "@graph": sorted(nodes, key=lambda n: str(n.get("@id", "")))})
    return json.dumps(
        {"@context": context, "@graph": entries}, indent=1, sort_keys=True, ensure_ascii=False
    )


SERIALISERS: Final = {
    "graph.trig": to_trig,
    "graph.ttl": to_turtle,
    "graph.nt": to_ntriples,
    "graph.jsonld": to_jsonld,
}
