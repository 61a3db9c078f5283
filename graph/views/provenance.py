"""The provenance view: claims, claimants, documents and root sources of a dependency graph."""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from collections.abc import Mapping
from typing import Any

import networkx as nx

from graph.views._common import (
    _CLAIMANT_EDGE,
    _CLAIMANT_STYLE,
    MAX_NODES,
    View,
    _edge,
    _finish,
    _label_of_document,
    _link_index,
    _most_connected,
    _plural,
    _provenance_node,
    _source_kind_filter,
    _source_kind_legend,
    _support,
    _supports,
    _words,
)
from graph.views.render import FilterGroup, Page
from graph.views.style import (
    AGENT,
    CONTRADICTION_STYLE,
    DOCUMENT,
    RELATION_STYLES,
    ROOT_BORDER,
    LegendItem,
    LegendSection,
    source_kind_swatch,
)

__all__ = ["provenance_view"]


# ---------------------------------------------------------------- provenance view


def provenance_view(
    G: nx.DiGraph,
    summary: Mapping[str, Any] | None = None,
    *,
    max_nodes: int = MAX_NODES,
    title: str | None = None,
) -> View:
    """Claims, claimants, documents and root sources of a dependency graph.

    Colour = source kind, shape = node type, edges labelled by relation; a claim's hover shows
    its exact text, claimants, mode and corroboration (independent root sources). ``summary``
    is the output of :func:`graph.analysis.analyze` for ``G``, to reuse an analysis already
    run; without it the view computes what it needs.
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
    omitted = None
    if len(nodes) > max_nodes:
        nodes, edges, omitted = _aggregate_claims(G, nodes, edges, max_nodes)

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
            f"{_plural(contradictions, 'denial or contradiction', 'denials or contradictions')} · "
            f"drawn: {len(nodes):,} nodes, {len(edges):,} edges"
            + ("" if omitted is None else f" (of {total_nodes:,} and {total_edges:,})"))
    legend = (
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
    )
    page = Page(
        title=title, summary=line, nodes=list(nodes.values()), edges=edges, legend=legend,
        filters=(FilterGroup("Node type", "kind", (("claim", "claims"), ("agent", "claimants"),
                                                  ("document", "documents"),
                                                  ("group", "claim groups"))),
                 _source_kind_filter(kinds_present)),
        notice=omitted,
    )
    return _finish(page, started)


def _aggregate_claims(
    G: nx.DiGraph,
    nodes: dict[str, dict[str, Any]],
    edges: list[dict[str, Any]],
    max_nodes: int,
) -> tuple[dict[str, dict[str, Any]], list[dict[str, Any]], str]:
    """Claims grouped per (document, source kind); then the most connected part if still big."""
    group_of: dict[str, str] = {}
    members: dict[str, list[str]] = defaultdict(list)
    for node, item in nodes.items():
        if item["kind"] == "claim":
            data = G.nodes[node]
            key = f"group:{data.get('document', '')}|{data.get('source_kind', '')}"
            group_of[node] = key
            members[key].append(node)
    out: dict[str, dict[str, Any]] = {n: i for n, i in nodes.items() if n not in group_of}
    for key, claims in members.items():
        first = G.nodes[claims[0]]
        kind = str(first.get("source_kind") or "")
        doc = _label_of_document(G, first)
        swatch = source_kind_swatch(kind)
        out[key] = {
            "id": key, "label": f"{len(claims):,} claims · {_words(kind)}", "shape": "dot",
            "size": min(10 + len(claims) ** 0.5 * 2, 60),
            "color": {"background": swatch.color, "border": "#333333"}, "borderWidth": 1.5,
            "tip": [("Claim group", f"{len(claims):,} claims"), ("Document", doc),
                    ("Source kind", _words(kind))],
            "kind": "group", "source_kind": kind, "search": f"{doc} {_words(kind)}",
        }
    weights: Counter[tuple[str, str, str]] = Counter()
    styles: dict[tuple[str, str, str], dict[str, Any]] = {}
    for edge in edges:
        s, t = group_of.get(edge["from"], edge["from"]), group_of.get(edge["to"], edge["to"])
        if s == t:
            continue
        pair = (s, t, edge["relation"])
        weights[pair] += 1
        styles.setdefault(pair, edge)
    grouped = []
    for pair, count in weights.items():
        edge = dict(styles[pair])
        edge.update({"from": pair[0], "to": pair[1], "width": min(1 + count ** 0.5, 12),
                     "label": f"{edge['label']} (x{count:,})" if count > 1 else edge["label"]})
        grouped.append(edge)
    notice = (f"This graph has {len(nodes):,} nodes, more than the {max_nodes:,} a view draws "
              f"legibly: its {len(group_of):,} claims are grouped into {len(members):,} nodes, "
              "one per document and source kind (hover a group for its document).")
    if len(out) > max_nodes:
        small = nx.Graph()
        small.add_nodes_from(out)
        small.add_edges_from((e["from"], e["to"]) for e in grouped)
        keep = _most_connected(small, max_nodes)
        left = len(out) - len(keep)
        out = {n: i for n, i in out.items() if n in keep}
        grouped = [e for e in grouped if e["from"] in keep and e["to"] in keep]
        notice += (f" Still too many: the {left:,} least connected nodes (and their edges) "
                   "are not shown.")
    return out, grouped, notice
