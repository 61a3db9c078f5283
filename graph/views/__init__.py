"""Interactive HTML views of a claim graph: provenance, entities, and one claim's chains.

Each view is a single offline HTML file (vis-network inlined, no request leaves the page) with a
title, a one-line summary, a legend, search and filters, and a layout that settles and stops.
Text from articles and annotation files is data: it is escaped for every context it reaches
(see :mod:`graph.views.escape`) and never runs as HTML or script.

Inputs are the networkx projections of :mod:`graph.rdf.projection`:

* :func:`provenance_view` — the dependency graph: claims, claimants, documents, root sources;
* :func:`entity_view` — the entity graph: each edge a relation some claim asserts;
* :func:`claim_view` — one claim's chains to its roots, hop by hop, single points of failure marked.

Past :data:`OVERVIEW_ABOVE` nodes the provenance and entity views open as an overview that
unfolds in the page: documents (or groups of entities) with their counts, a click away from
every claim (:mod:`graph.views.overview`, :mod:`graph.views.entity_overview`); a claim view
past :data:`MAX_NODES` nodes says on the page what it left out. A :class:`View` displays
inline in Jupyter (an ``<iframe srcdoc>``, no file written) and ``save()`` writes it
atomically as UTF-8.

>>> import networkx as nx
>>> G = nx.DiGraph()
>>> G.add_node("c1", type="claim", label="c1", text="<b>bold</b>", claim_id="c1",
...            document="d", mode="direct-quote", source_kind="named-person", claimants=["a"])
>>> G.add_node("a", type="agent", label="Ana", entity_type="person", vague=False)
>>> G.add_edge("c1", "a", relation="attributed_to", label="attributed to")
>>> view = provenance_view(G)
>>> (view.node_count, view.edge_count, "<b>bold</b>" in view.html)
(2, 1, False)
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import networkx as nx

from graph.views._common import IFRAME_HEIGHT, MAX_NODES, LinkIndex, View, _link_index
from graph.views.claim import claim_view
from graph.views.entities import entity_view
from graph.views.overview import OVERVIEW_ABOVE
from graph.views.provenance import provenance_view

__all__ = [
    "IFRAME_HEIGHT",
    "MAX_NODES",
    "OVERVIEW_ABOVE",
    "LinkIndex",
    "View",
    "claim_view",
    "default_claim",
    "entity_view",
    "provenance_view",
    "write_views",
]


# ---------------------------------------------------------------- build output


def write_views(
    ds: Any,
    folder: str | Path,
    *,
    claim: str | None = None,
    G: nx.DiGraph | None = None,
    summary: Mapping[str, Any] | None = None,
) -> list[Path]:
    """Write ``provenance.html``, ``entities.html`` and ``claim-<id>.html`` into ``folder``.

    ``ds`` is a claimgraph dataset; the claim view shows ``claim`` or, by default, the claim
    :func:`default_claim` picks. ``G`` and ``summary`` (its dependency graph and
    :func:`graph.analysis.analyze` result) are reused when the caller already has them.
    Returns the files written.
    """
    from graph.rdf.projection import dependency_graph, entity_graph

    folder = Path(folder)
    if G is None:
        G = dependency_graph(ds)
    written = [provenance_view(G, summary).save(folder / "provenance.html"),
               entity_view(entity_graph(ds), G).save(folder / "entities.html")]
    if claim is None:
        claim = default_claim(G, summary)
    if claim is not None:
        node = _resolve(G, claim)
        short = str(G.nodes[node].get("claim_id") or "claim")
        written.append(claim_view(G, node).save(folder / f"claim-{_safe_name(short)}.html"))
    return written


def default_claim(G: nx.DiGraph, summary: Mapping[str, Any] | None = None) -> str | None:
    """The claim a claim view shows when none is named: the one with the longest chain, then
    the most links (supporters, challengers, chains), then the first by IRI; ``None`` without
    claims. ``summary`` (:func:`graph.analysis.analyze` of ``G``) spares finding chains again.

    >>> import networkx as nx
    >>> G = nx.DiGraph([("a1", "P"), ("b1", "a1")])
    >>> nx.set_node_attributes(G, "claim", "type"); G.nodes["P"]["type"] = "agent"
    >>> default_claim(G)
    'b1'
    """
    from graph.analysis import chains

    claims = sorted(n for n, d in G.nodes(data=True) if d.get("type") == "claim")
    if not claims:
        return None
    found: dict[str, list[list[str]]] = {}
    if summary is not None:
        found = {str(c["iri"]): list(c.get("chains") or []) for c in summary.get("claims", ())}
    links = _link_index(G)

    def score(claim: str) -> tuple[int, int]:
        paths = found[claim] if claim in found else chains(G, claim, max_paths=20)
        longest = max((len(p) for p in paths), default=0)
        return longest, len(links.get(claim, ())) + len(paths)

    return str(min(claims, key=lambda c: (tuple(-x for x in score(c)), c)))


def _resolve(G: nx.DiGraph, claim: str) -> str:
    from graph.analysis.chains import resolve_claim

    return str(resolve_claim(G, claim))


def _safe_name(text: str) -> str:
    name = "".join(ch if ch.isascii() and (ch.isalnum() or ch in "-_.") else "-" for ch in text)
    return name.strip(".-")[:80] or "claim"
