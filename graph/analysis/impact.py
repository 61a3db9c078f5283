"""Impact: which claims lose every root if one source is discredited or removed.

A claim loses all its roots when a source ``s`` is removed exactly when ``s`` lies on every chain
from the claim to its roots: ``s`` is one of the claim's dominators (a claim whose only root is
``s`` has ``s`` among its dominators too). Sources are ranked by how many claims they would take
with them, then by how many claims rest on them at all.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from typing import TypedDict

import networkx as nx

from graph.analysis.dominators import dominators_by_claim
from graph.errors import NotFoundError

__all__ = ["SourceImpact", "claims_lost_if_removed", "impact"]


class SourceImpact(TypedDict):
    """One source and the claims that depend on it."""

    iri: str
    label: str
    type: str
    claims_supported: int
    claims_lost_if_removed: int
    claims_lost: list[str]


def _claims(G: nx.DiGraph) -> list[str]:
    return [n for n, d in G.nodes(data=True) if d.get("type") == "claim"]


def claims_lost_if_removed(G: nx.DiGraph, source: str) -> list[str]:
    """Claims (other than ``source``) that reach a root now and none once ``source`` is gone.

    The direct definition, by removing the node; :func:`impact` gets the same answer for every
    source at once from the dominators.

    >>> import networkx as nx
    >>> G = nx.DiGraph([("b1", "a1"), ("c1", "a1"), ("a1", "P"), ("c1", "Q")])
    >>> nx.set_node_attributes(G, "claim", "type")
    >>> claims_lost_if_removed(G, "a1"), claims_lost_if_removed(G, "P")
    (['b1'], ['a1', 'b1'])
    """
    if source not in G:
        raise NotFoundError(f"no source {source!r} in the graph")
    # Removing a node does not make new roots: a claim whose only support was removed is left
    # with nothing, not resting on the claim in front of the gap.
    original_roots = {n for n in G if G.out_degree(n) == 0}
    without = G.copy()
    without.remove_node(source)
    lost = []
    for claim in _claims(G):
        if claim == source:
            continue
        before = bool(nx.descendants(G, claim) & original_roots)
        after = bool(nx.descendants(without, claim) & original_roots)
        if before and not after:
            lost.append(claim)
    return sorted(lost)


def impact(
    G: nx.DiGraph,
    *,
    dominators: Mapping[str, list[str]] | None = None,
    include_claims: bool = False,
    claims_supported: Mapping[str, int] | None = None,
) -> list[SourceImpact]:
    """Every source with the number of claims resting on it and of claims lost without it.

    Sources are the agents and documents of the graph (with ``include_claims``, claims too: an
    upstream claim that many outlets relay is a source for them). Ranked by claims lost, then
    claims supported, then label. ``dominators`` may pass a precomputed
    :func:`dominators_by_claim`, and ``claims_supported`` the number of claims that reach each
    node (counted from every claim's descendants; a node no claim reaches may be left out).

    >>> import networkx as nx
    >>> G = nx.DiGraph([("b1", "a1"), ("c1", "a1"), ("a1", "P"), ("c1", "Q")])
    >>> nx.set_node_attributes(G, "claim", "type")
    >>> for n in ("P", "Q"): G.nodes[n].update(type="agent", label=n)
    >>> [(s["iri"], s["claims_supported"], s["claims_lost_if_removed"]) for s in impact(G)]
    [('P', 3, 2), ('Q', 1, 0)]
    """
    doms = dominators if dominators is not None else dominators_by_claim(G)
    lost: dict[str, list[str]] = defaultdict(list)
    for claim, nodes in doms.items():
        for node in nodes:
            lost[node].append(claim)
    claims = set(_claims(G))
    out: list[SourceImpact] = []
    for node, data in G.nodes(data=True):
        kind = data.get("type")
        if kind == "claim" and not include_claims:
            continue
        supported = (claims_supported.get(node, 0) if claims_supported is not None
                     else sum(1 for a in nx.ancestors(G, node) if a in claims))
        out.append(
            {
                "iri": node,
                "label": str(data.get("label", node)),
                "type": str(kind or ""),
                "claims_supported": supported,
                "claims_lost_if_removed": len(lost[node]),
                "claims_lost": sorted(lost[node]),
            }
        )
    out.sort(
        key=lambda s: (-s["claims_lost_if_removed"], -s["claims_supported"], s["label"], s["iri"])
    )
    return out
