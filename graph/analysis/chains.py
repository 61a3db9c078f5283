"""Reporting chains: every simple path from a claim to the sources it rests on, and its roots.

A *root* of a claim is a node with no outgoing edge reachable from it in the dependency graph
(:func:`graph.analysis.dependency_graph`): the claimant of a claim that is not relayed, or a
document we cannot see beyond. Each root has a *kind*: the source kind of the claim that is
attributed to it (``named-person``, ``vague-collective``, ``author-voice``, …), or ``document``
for a document root. A claim whose support ends in a claim with no source at all has that claim
as a root of kind ``unsupported``. A claim is never its own root: a claim with no outgoing edge
has no roots.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable
from itertools import islice, pairwise
from typing import Final, TypedDict

import networkx as nx

from ..errors import NotFoundError
from ..vocab import SOURCE_KINDS, claim_iri

__all__ = ["Hop", "Root", "chains", "hops", "resolve_claim", "root_kind", "roots"]

_KIND_ORDER: Final = {kind: i for i, kind in enumerate(SOURCE_KINDS)}
ATTRIBUTED_TO: Final = "attributed_to"


class Root(TypedDict):
    """A source a claim rests on: its IRI, label, root kind and node type."""

    iri: str
    label: str
    kind: str
    type: str


class Hop(TypedDict):
    """One edge of a chain: from a node to what it rests on, with the edge's label."""

    source: str
    target: str
    relation: str
    label: str


def _require(G: nx.DiGraph, claim: str) -> None:
    if claim not in G or G.nodes[claim].get("type") != "claim":
        raise NotFoundError(f"no claim {claim!r} in the graph")


def resolve_claim(G: nx.DiGraph, ref: str) -> str:
    """The claim node for a claim IRI, ``doc-id#c01``, or a short id ``c01`` that is unique.

    Raises ``NotFoundError`` for an unknown claim or a short id several documents use.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph()
    >>> G.add_node("https://w3id.org/claimgraph/id/claim/doc-a/a1", type="claim", claim_id="a1")
    >>> resolve_claim(G, "a1") == resolve_claim(G, "doc-a#a1")
    True
    """
    if ref in G and G.nodes[ref].get("type") == "claim":
        return ref
    if "#" in ref:
        doc, _, cid = ref.partition("#")
        candidate = str(claim_iri(doc, cid))
        _require(G, candidate)
        return candidate
    matches = sorted(
        n for n, d in G.nodes(data=True) if d.get("type") == "claim" and d.get("claim_id") == ref
    )
    if not matches:
        raise NotFoundError(f"no claim {ref!r} in the graph")
    if len(matches) > 1:
        raise NotFoundError(
            f"claim id {ref!r} is used by {len(matches)} documents; give it as document-id#{ref}"
        )
    return str(matches[0])


def root_kind(G: nx.DiGraph, root: str, among: Collection[str] | None = None) -> str:
    """The kind of a root: ``document``, ``unsupported``, or the source kind of its claims.

    For an agent, the source kind of the claims attributed to it (only those in ``among`` when
    given); when they differ, the most common one, ties broken in the order of
    :data:`graph.vocab.SOURCE_KINDS`.
    """
    node = G.nodes[root]
    if node.get("type") == "document":
        return "document"
    if node.get("type") == "claim":
        return "unsupported"
    counts = Counter(
        G.nodes[p].get("source_kind", "")
        for p in G.predecessors(root)
        if G.edges[p, root].get("relation") == ATTRIBUTED_TO and (among is None or p in among)
    )
    counts.pop("", None)
    if not counts:
        return "agent"
    return str(min(counts, key=lambda k: (-counts[k], _KIND_ORDER.get(k, len(_KIND_ORDER)), k)))


def _root_nodes(G: nx.DiGraph, reach: Iterable[str]) -> list[str]:
    return [n for n in reach if G.out_degree(n) == 0]


def roots(G: nx.DiGraph, claim: str) -> list[Root]:
    """The roots a claim rests on, each with its kind, sorted by label then IRI.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph()
    >>> G.add_node("b1", type="claim", source_kind="named-person", label="b1")
    >>> G.add_node("a1", type="claim", source_kind="named-person", label="a1")
    >>> G.add_node("P", type="agent", label="P")
    >>> G.add_edge("b1", "a1", relation="relayed_from")
    >>> G.add_edge("a1", "P", relation="attributed_to")
    >>> roots(G, "b1")
    [{'iri': 'P', 'label': 'P', 'kind': 'named-person', 'type': 'agent'}]
    """
    _require(G, claim)
    reach = nx.descendants(G, claim)
    among = reach | {claim}
    found: list[Root] = [
        {
            "iri": r,
            "label": str(G.nodes[r].get("label", r)),
            "kind": root_kind(G, r, among),
            "type": str(G.nodes[r].get("type", "")),
        }
        for r in _root_nodes(G, reach)
        if r != claim
    ]
    return sorted(found, key=lambda r: (r["label"], r["iri"]))


def chains(G: nx.DiGraph, claim: str, *, max_paths: int = 100) -> list[list[str]]:
    """Every simple path from ``claim`` to one of its roots (at most ``max_paths`` of them).

    Each chain is the list of nodes from the claim to the root. The order follows the graph's
    adjacency order, so it is stable for a graph built the same way.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph([("d1", "c1"), ("c1", "a1"), ("d1", "a1"), ("a1", "P")])
    >>> nx.set_node_attributes(G, "claim", "type")
    >>> G.nodes["P"]["type"] = "agent"
    >>> chains(G, "d1")
    [['d1', 'c1', 'a1', 'P'], ['d1', 'a1', 'P']]
    """
    _require(G, claim)
    if max_paths < 1:
        return []
    reach = nx.descendants(G, claim)
    targets = set(_root_nodes(G, reach))
    if not targets:
        return []
    paths = nx.all_simple_paths(G, claim, targets)
    return [list(p) for p in islice(paths, max_paths)]


def hops(G: nx.DiGraph, chain: list[str]) -> list[Hop]:
    """The edges of a chain, each with its relation and human label.

    >>> import networkx as nx
    >>> G = nx.DiGraph()
    >>> G.add_edge("b1", "a1", relation="relayed_from", label="relayed from")
    >>> hops(G, ["b1", "a1"])
    [{'source': 'b1', 'target': 'a1', 'relation': 'relayed_from', 'label': 'relayed from'}]
    """
    out: list[Hop] = []
    for u, v in pairwise(chain):
        data = G.edges[u, v]
        relation = str(data.get("relation", ""))
        out.append({"source": u, "target": v, "relation": relation,
                    "label": str(data.get("label", relation.replace("_", " ")))})
    return out
