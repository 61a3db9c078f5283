"""Contradictions and denials between claims, each side with the roots it rests on.

A denial or contradiction is not support: it never adds an edge to the dependency graph. The
projection keeps the pairs in ``G.graph["contradictions"]`` as ``(claim, other, relation)`` with
relation ``"denies"`` or ``"contradicts"``; here each side gets its text and roots, so an analyst
can compare what each rests on. Nothing here says which side is right.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TypedDict

import networkx as nx

from graph.analysis.chains import Root, roots

__all__ = ["Contradiction", "contradictions"]


class Contradiction(TypedDict):
    """``claim`` denies or contradicts ``other``; each with its text and roots."""

    claim: str
    other: str
    relation: str
    claim_text: str
    other_text: str
    claim_roots: list[Root]
    other_roots: list[Root]


def contradictions(
    G: nx.DiGraph, *, roots_by_claim: Mapping[str, Sequence[Root]] | None = None
) -> list[Contradiction]:
    """Every denial and contradiction recorded in ``G.graph["contradictions"]``, with roots.

    >>> import networkx as nx
    >>> G = nx.DiGraph()
    >>> G.add_edges_from([("c1", "P"), ("c2", "Gov")], relation="attributed_to")
    >>> G.add_node("c1", type="claim", text="x", source_kind="named-person")
    >>> G.add_node("c2", type="claim", text="not x", source_kind="official-statement")
    >>> G.graph["contradictions"] = [("c2", "c1", "denies")]
    >>> [(c["relation"], [r["kind"] for r in c["claim_roots"]]) for c in contradictions(G)]
    [('denies', ['official-statement'])]
    """
    out: list[Contradiction] = []

    def roots_of(claim: str) -> list[Root]:
        if roots_by_claim is not None and claim in roots_by_claim:
            return list(roots_by_claim[claim])
        return roots(G, claim)

    for claim, other, relation in G.graph.get("contradictions", []):
        if claim not in G or other not in G:
            continue
        out.append({
            "claim": claim,
            "other": other,
            "relation": relation,
            "claim_text": str(G.nodes[claim].get("text", "")),
            "other_text": str(G.nodes[other].get("text", "")),
            "claim_roots": roots_of(claim),
            "other_roots": roots_of(other),
        })
    return out
