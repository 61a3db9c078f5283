"""The sourcing profile of a document: how its claims are sourced, in counts and shares.

For one document: its claims by source kind and by attribution mode; how many rest on unnamed
sources (the claim's own source is a vague collective or anonymous, or every root it rests on is
an unnamed agent); how many rest on no source at all (no root); and how many are in the outlet's
own voice (source kind ``author-voice``). Shares are fractions of the document's claims.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Final, TypedDict

import networkx as nx

from graph.analysis.chains import Root, roots
from graph.errors import NotFoundError

__all__ = ["UNNAMED_KINDS", "DocumentProfile", "profile", "rests_on_unnamed"]

UNNAMED_KINDS: Final = frozenset({"vague-collective", "anonymous"})


class DocumentProfile(TypedDict):
    """Counts and shares of a document's claims by how they are sourced."""

    document: str
    label: str
    claims: int
    by_source_kind: dict[str, int]
    by_mode: dict[str, int]
    unnamed: int
    no_source: int
    own_voice: int
    unnamed_share: float
    no_source_share: float
    own_voice_share: float


def rests_on_unnamed(G: nx.DiGraph, claim: str, claim_roots: Sequence[Root]) -> bool:
    """True when a claim's own source is unnamed, or every root it rests on is unnamed.

    >>> import networkx as nx
    >>> G = nx.DiGraph([("c1", "some")])
    >>> G.add_node("c1", type="claim", source_kind="vague-collective")
    >>> G.add_node("some", type="agent", vague=True)
    >>> rests_on_unnamed(G, "c1", [{"iri": "some", "label": "", "kind": "vague-collective",
    ...                             "type": "agent"}])
    True
    """
    if G.nodes[claim].get("source_kind") in UNNAMED_KINDS:
        return True
    if not claim_roots:
        return False
    return all(
        r["type"] == "agent"
        and (r["kind"] in UNNAMED_KINDS or bool(G.nodes[r["iri"]].get("vague")))
        for r in claim_roots
    )


def _share(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def profile(
    G: nx.DiGraph,
    document: str,
    *,
    roots_by_claim: Mapping[str, Sequence[Root]] | None = None,
    claims_in: Sequence[str] | None = None,
) -> DocumentProfile:
    """The sourcing profile of the claims that appear in ``document`` (a document IRI).

    ``claims_in`` (the document's claim nodes, when the caller already grouped them) spares a
    scan of the whole graph per document. Raises ``NotFoundError`` when no claim appears in it.

    >>> import networkx as nx
    >>> G = nx.DiGraph([("c1", "outlet"), ("c2", "some")])
    >>> G.add_node("c1", type="claim", document="D", source_kind="author-voice",
    ...            mode="author-assertion")
    >>> G.add_node("c2", type="claim", document="D", source_kind="vague-collective",
    ...            mode="reported-speech")
    >>> G.add_node("outlet", type="agent"); G.add_node("some", type="agent", vague=True)
    >>> p = profile(G, "D")
    >>> p["claims"], p["own_voice_share"], p["unnamed_share"], p["by_source_kind"]["author-voice"]
    (2, 0.5, 0.5, 1)
    """
    claims = sorted(
        claims_in
        if claims_in is not None
        else (
            n
            for n, d in G.nodes(data=True)
            if d.get("type") == "claim" and d.get("document") == document
        )
    )
    if not claims:
        raise NotFoundError(f"no claim appears in document {document!r}")

    def roots_of(claim: str) -> Sequence[Root]:
        if roots_by_claim is not None and claim in roots_by_claim:
            return roots_by_claim[claim]
        return roots(G, claim)

    found = {c: roots_of(c) for c in claims}
    kinds = Counter(str(G.nodes[c].get("source_kind", "")) for c in claims)
    modes = Counter(str(G.nodes[c].get("mode", "")) for c in claims)
    unnamed = sum(1 for c in claims if rests_on_unnamed(G, c, found[c]))
    no_source = sum(1 for c in claims if not found[c])
    own = kinds.get("author-voice", 0)
    n = len(claims)
    label = G.graph.get("documents", {}).get(document, {}).get("label", document)
    return {
        "document": document,
        "label": str(label),
        "claims": n,
        "by_source_kind": dict(sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0]))),
        "by_mode": dict(sorted(modes.items(), key=lambda kv: (-kv[1], kv[0]))),
        "unnamed": unnamed,
        "no_source": no_source,
        "own_voice": own,
        "unnamed_share": _share(unnamed, n),
        "no_source_share": _share(no_source, n),
        "own_voice_share": _share(own, n),
    }
