"""The provenance view: claims, claimants, documents and root sources of a dependency graph."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Mapping
from typing import Any

import networkx as nx

from graph.views._common import (
    _CLAIMANT_EDGE,
    _CLAIMANT_STYLE,
    View,
    _edge,
    _finish,
    _link_index,
    _plural,
    _provenance_node,
    _source_kind_filter,
    _source_kind_legend,
    _support,
    _supports,
)
from graph.views.expand import Part
from graph.views.overview import OVERVIEW_ABOVE, Overview, provenance_overview
from graph.views.render import FilterGroup, Page
from graph.views.style import (
    AGENT,
    CONTRADICTION_STYLE,
    DOCUMENT,
    RELATION_STYLES,
    ROOT_BORDER,
    LegendItem,
    LegendSection,
)

__all__ = ["provenance_view"]


# ---------------------------------------------------------------- provenance view


def provenance_view(
    G: nx.DiGraph,
    summary: Mapping[str, Any] | None = None,
    *,
    overview: bool | None = None,
    overview_above: int = OVERVIEW_ABOVE,
    title: str | None = None,
) -> View:
    """Claims, claimants, documents and root sources of a dependency graph.

    Colour = source kind, shape = node type, edges labelled by relation; a claim's hover shows
    its exact text, claimants, mode and corroboration (independent root sources). ``summary``
    is the output of :func:`graph.analysis.analyze` for ``G``, to reuse an analysis already
    run; without it the view computes what it needs.

    With more than ``overview_above`` nodes (or ``overview=True``) the page opens as an
    overview (:mod:`graph.views.overview`): documents with their claim counts, outlets and
    root sources; a click on a document shows its claims. ``overview=False`` draws every node.
    """
    started = time.perf_counter()
    claims = [n for n, d in G.nodes(data=True) if d.get("type") == "claim"]
    support = _supports(G, summary)
    for c in claims:
        if c not in support:
            support[c] = _support(G, c)
    corroboration = {c: support[c].corroboration for c in claims}
    roots = {r for c in claims for r in support[c].roots if r != c}

    nodes: dict[str, dict[str, Any]] = {}
    edges: list[dict[str, Any]] = []
    links = _link_index(G)
    for node, data in G.nodes(data=True):
        nodes[node] = _provenance_node(G, node, data, support, corroboration, roots, links)
    for s, t, data in G.edges(data=True):
        relation = str(data.get("relation", ""))
        style = RELATION_STYLES.get(relation, RELATION_STYLES["attributed_to"])
        edges.append(_edge(s, t, str(data.get("label") or style.label), style.color,
                           dashes=style.dashes, width=style.width, relation=relation))
    supported = {s for s, _t, d in G.edges(data=True) if d.get("relation") == "attributed_to"}
    for claim in claims:
        if claim in supported:
            continue
        for agent in G.nodes[claim].get("claimants") or ():
            if agent in G:
                edges.append(_edge(claim, agent, _CLAIMANT_STYLE[0], _CLAIMANT_STYLE[1],
                                   dashes=True, width=1.0, relation=_CLAIMANT_EDGE))
    for s, t, kind in G.graph.get("contradictions", ()):
        if s in G and t in G:
            style = CONTRADICTION_STYLE.get(kind, CONTRADICTION_STYLE["contradicts"])
            edges.append(_edge(s, t, style.label, style.color, dashes=True, width=style.width,
                               relation=kind))

    total_nodes, total_edges = len(nodes), len(edges)
    folded = overview if overview is not None else total_nodes > overview_above
    kinds_present = sorted({str(G.nodes[c].get("source_kind") or "") for c in claims})
    documents = G.graph.get("documents") or {}
    texts = [str(d.get("label")) for d in documents.values() if d.get("has_text")]
    appearing = {str(G.nodes[c].get("document") or "") for c in claims} - {""}
    if title is None:
        title = ("Provenance: " + texts[0]) if len(texts) == 1 else (
            f"Provenance of claims in {_plural(max(len(texts), len(appearing)), 'document')}")
    types = Counter(str(d.get("type")) for _n, d in G.nodes(data=True))
    contradictions = len(G.graph.get("contradictions", ()))
    line = (f"{_plural(types['claim'], 'claim')} · {_plural(types['agent'], 'claimant')} · "
            f"{_plural(types['document'], 'cited document')} · "
            f"{_plural(len(roots), 'root source')} · "
            f"{_plural(contradictions, 'denial or contradiction', 'denials or contradictions')}")
    legend = [
        _source_kind_legend(kinds_present),
        LegendSection("Shape = node type", (
            LegendItem("claim (colour: source kind)", "#ffffff", "dot"),
            LegendItem("document (cited, text not held)", DOCUMENT.color, DOCUMENT.shape,
                       DOCUMENT.border),
            LegendItem("claimant / source", AGENT.color, AGENT.shape, AGENT.border),
            LegendItem("vague collective claimant", AGENT.color, AGENT.shape, AGENT.border,
                       dashed_border=True),
            LegendItem("root source (thick black border)", "#ffffff", "square", ROOT_BORDER, 3.5),
        )),
        LegendSection("Edges (claim → what it rests on)", (
            *(LegendItem(s.label, s.color, "dashed" if s.dashes else "line")
              for s in RELATION_STYLES.values()),
            LegendItem("claimed by (claimant of a relayed claim)", _CLAIMANT_STYLE[1], "dashed"),
            LegendItem("denies / contradicts (not support)", CONTRADICTION_STYLE["denies"].color,
                       "dashed"),
        )),
    ]
    notice = None
    parts: tuple[Part, ...] = ()
    if folded:
        folding = provenance_overview(G, nodes, edges, support)
        nodes = {n["id"]: n for n in folding.nodes}
        edges, parts = folding.edges, folding.parts
        notice = (f"This graph has {total_nodes:,} nodes and {total_edges:,} edges, more than "
                  f"a drawing keeps legible: it opens as an overview of the "
                  f"{_plural(len(parts), 'document')} the claims appear in (each with its "
                  "number of claims), their outlets and the sources the claims rest on; an "
                  "edge says how many claims rest on what it points to. Click a document to "
                  "show its claims and their chains, and again to fold them; search (Enter) "
                  "also opens the documents whose claims match.")
        legend.insert(1, LegendSection("Overview", (
            LegendItem("document: its claims, folded (click)", DOCUMENT.color, DOCUMENT.shape,
                       DOCUMENT.border),
            LegendItem("N claims rest on / name what it points to", "#666666", "line"),
            LegendItem("N claims deny or contradict claims there", "#c1121f", "dashed"),
            LegendItem("published by (the document's outlet)", "#b8a06a", "dashed"),
        )))
    line += (f" · drawn: {len(nodes):,} nodes, {len(edges):,} edges"
             + (" (overview; every claim one click away)" if folded else ""))
    page = Page(
        title=title, summary=line, nodes=list(nodes.values()), edges=edges,
        legend=tuple(legend),
        filters=(FilterGroup("Node type", "kind", (("claim", "claims"), ("agent", "claimants"),
                                                  ("document", "documents"))),
                 _source_kind_filter(kinds_present)),
        notice=notice, parts=parts, part_word=("document", "documents"),
        options=Overview.OPTIONS if folded else {},
    )
    return _finish(page, started)
