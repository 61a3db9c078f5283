"""Interactive HTML views of a claim graph: provenance, entities, and one claim's chains.

Each view is a single offline HTML file (vis-network inlined, no request leaves the page) with a
title, a one-line summary, a legend, search and filters, and a layout that settles and stops.
Text from articles and annotation files is data: it is escaped for every context it reaches
(see :mod:`graph.views.escape`) and never runs as HTML or script.

Inputs are the networkx projections of :mod:`graph.analysis.project`:

* :func:`provenance_view` — the dependency graph: claims, claimants, documents, root sources;
* :func:`entity_view` — the entity graph: each edge a relation some claim asserts;
* :func:`claim_view` — one claim's chains to its roots, hop by hop, single points of failure marked.

Past :data:`MAX_NODES` nodes a view aggregates or keeps the most connected part, and says on the
page what it left out. A :class:`View` displays inline in Jupyter (an ``<iframe srcdoc>``, no
file written) and ``save()`` writes it atomically as UTF-8.

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

import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import networkx as nx

from graph.support.atomic import atomic_write_text
from graph.views.escape import plain_text, shorten, srcdoc
from graph.views.render import FilterGroup, Page, render_page
from graph.views.style import (
    AGENT,
    CONTRADICTION_STYLE,
    DOCUMENT,
    DOMINATOR_BORDER,
    MIXED_SOURCING,
    RELATION_STYLES,
    ROOT_BORDER,
    SOURCE_KINDS,
    LegendItem,
    LegendSection,
    entity_swatch,
    source_kind_swatch,
)
from graph.views.style import ENTITY_TYPES as ENTITY_SWATCHES

__all__ = [
    "IFRAME_HEIGHT",
    "MAX_NODES",
    "LinkIndex",
    "View",
    "claim_view",
    "default_claim",
    "entity_view",
    "provenance_view",
    "write_views",
]

MAX_NODES: Final = 1500
"""Above this many nodes a view aggregates or keeps the most connected part (and says so)."""

IFRAME_HEIGHT: Final = 680

_CLAIMANT_EDGE: Final = "claimant"
_CLAIMANT_STYLE: Final = ("claimed by", "#9a9a9a")


@dataclass(frozen=True)
class View:
    """One rendered view: the page, and what it draws.

    ``node_count`` and ``edge_count`` are what the page draws (after any aggregation);
    ``omitted`` says in words what was left out, or is ``None``.
    """

    html: str
    title: str
    node_count: int
    edge_count: int
    omitted: str | None = None
    render_seconds: float = 0.0

    def save(self, path: str | Path) -> Path:
        """Write the page to ``path`` (UTF-8, atomically: the old file or the new, never half)."""
        path = Path(path)
        atomic_write_text(path, self.html)
        return path

    def _repr_html_(self) -> str:
        """Inline display in Jupyter: the page in a sandboxed ``<iframe srcdoc>``; no file."""
        return (f'<iframe srcdoc="{srcdoc(self.html)}" sandbox="allow-scripts" '
                f'style="width:100%;height:{IFRAME_HEIGHT}px;border:1px solid #ddd" '
                f'title="{srcdoc(self.title)}"></iframe>')

    def __repr__(self) -> str:
        return f"<View {self.title!r}: {self.node_count} nodes, {self.edge_count} edges>"


# ---------------------------------------------------------------- support analysis


@dataclass(frozen=True)
class _Support:
    roots: list[str]
    corroboration: int
    dominators: list[str]


def _support(G: nx.DiGraph, claim: str) -> _Support:
    """Roots, independent corroboration and single points of failure, from graph.analysis."""
    from graph.analysis import corroboration, dominators, roots

    return _Support([str(r["iri"]) for r in roots(G, claim)], int(corroboration(G, claim)),
                    [str(d) for d in dominators(G, claim)])


def _supports(G: nx.DiGraph, summary: Mapping[str, Any] | None) -> dict[str, _Support]:
    """Support of every claim: from ``analyze(G)`` output when given, else computed."""
    from graph.analysis import corroboration_by_claim, dominators_by_claim, roots

    if summary is not None and summary.get("claims"):
        return {str(c["iri"]): _Support([str(r["iri"]) for r in c.get("roots") or ()],
                                        int(c.get("independent_roots") or 0),
                                        [str(d) for d in c.get("dominators") or ()])
                for c in summary["claims"]}
    counts = corroboration_by_claim(G)
    doms = dominators_by_claim(G)
    return {c: _Support([str(r["iri"]) for r in roots(G, c)], int(counts.get(c, 0)),
                        [str(d) for d in doms.get(c, [])]) for c in counts}


# ---------------------------------------------------------------- shared helpers


def _label(G: nx.DiGraph, node: str) -> str:
    if node in G:
        return str(G.nodes[node].get("label") or node)
    return node.rsplit("/", 1)[-1].replace("-", " ")


def _words(key: str) -> str:
    return key.replace("-", " ").replace("_", " ") if key else "unknown"


def _claimants(G: nx.DiGraph, data: Mapping[str, Any]) -> str:
    names = data.get("claimant_labels") or [_label(G, a) for a in data.get("claimants") or ()]
    return ", ".join(str(n) for n in names) or "unknown"


def _source_kind_filter(present: Iterable[str]) -> FilterGroup:
    kinds = set(present)
    options = [(k, s.label) for k, s in SOURCE_KINDS.items() if k in kinds]
    if kinds - set(SOURCE_KINDS):
        options.append(("", "unknown"))
    return FilterGroup("Source kind", "source_kind", tuple(options))


def _source_kind_legend(present: Iterable[str]) -> LegendSection:
    kinds = set(present)
    return LegendSection("Claim colour = source kind", tuple(
        LegendItem(s.label, s.color) for k, s in SOURCE_KINDS.items() if k in kinds or not kinds
    ))


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n:,} {word if n == 1 else (plural or word + 's')}"


def _most_connected(G: nx.Graph, limit: int, *, weight: str | None = None) -> set[Any]:
    degree = dict(G.degree(weight=weight))
    ranked = sorted(G.nodes, key=lambda n: (-degree[n], str(n)))
    return set(ranked[:limit])


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


def _provenance_node(
    G: nx.DiGraph,
    node: str,
    data: Mapping[str, Any],
    support: Mapping[str, _Support],
    corroboration: Mapping[str, int],
    roots: set[str],
    links: LinkIndex,
) -> dict[str, Any]:
    kind = str(data.get("type") or "")
    label = plain_text(data.get("label") or node, 300)
    is_root = node in roots
    border_width = 4.0 if is_root else 1.5
    root_note = [("Root source", "yes: nothing beyond it can be seen")] if is_root else []
    if kind == "claim":
        swatch = source_kind_swatch(str(data.get("source_kind") or ""))
        short = plain_text(data.get("claim_id") or "", 40)
        text = plain_text(data.get("text") or "", 4000)
        rest = support[node]
        tip = [
            ("Claim", f"{short} ({_label_of_document(G, data)})"),
            ("Text", f"“{text}”"),
            ("Claimant", _claimants(G, data)),
            ("Mode", _words(str(data.get("mode") or ""))),
            ("Source kind", _words(str(data.get("source_kind") or ""))),
            ("Corroboration", _plural(corroboration[node], "independent root source")),
            ("Rests on", ", ".join(plain_text(_label(G, r), 200) for r in rest.roots
                                   if r != node) or "nothing recorded"),
            *_chain_rows(G, node),
            *_link_rows(G, node, links),
        ]
        return {
            "id": node, "label": f"{short} {shorten(text, 28)}".strip(), "shape": "dot",
            "size": 9, "color": {"background": swatch.color, "border": "#333333",
                                 "highlight": {"background": swatch.color, "border": "#000000"}},
            "borderWidth": border_width, "tip": tip, "kind": "claim",
            "source_kind": str(data.get("source_kind") or ""),
            "search": f"{short} {label} {text}",
        }
    swatch = DOCUMENT if kind == "document" else AGENT
    if kind == "document":
        tip = [("Document", label), ("Text held", "yes" if data.get("has_text") else "no")]
        tip += [(heading, plain_text(str(value), 300)) for heading, value in (
            ("Published by (outlet)", data.get("publisher_label")),
            ("Date", data.get("date_published")), ("URL", data.get("url")),
            ("Speakers in it", ", ".join(data.get("speaker_labels") or ()))) if value]
    else:
        tip = [("Claimant", label), ("Type", _words(str(data.get("entity_type") or ""))),
               ("Vague collective", "yes" if data.get("vague") else "no")]
    tip += [*root_note, ("Claims resting on it", str(G.in_degree(node)))]
    drawn = shorten(label, 42)
    outlet = plain_text(data.get("publisher_label") or "", 80)
    if kind == "document" and outlet:
        drawn += f"\n({shorten(outlet, 40)})"  # which outlet published the relaying document
    item: dict[str, Any] = {
        "id": node, "label": drawn, "shape": swatch.shape,
        "size": 16 if kind == "document" else 14,
        "color": {"background": swatch.color, "border": ROOT_BORDER if is_root else swatch.border},
        "borderWidth": border_width, "tip": tip, "kind": kind or "agent", "search": label,
        "font": {"size": 15, "face": "sans-serif", "bold": {"mod": "bold"}},
    }
    if data.get("vague"):
        item["shapeProperties"] = {"borderDashes": [4, 3]}
    return item


def _chain_rows(G: nx.DiGraph, claim: str, limit: int = 4) -> list[tuple[str, str]]:
    """A claim's chains as lines, outlet to root (the first few)."""
    from graph.analysis import chain_text, chains

    return [("Chain", plain_text(chain_text(G, c), 400))
            for c in chains(G, claim, max_paths=limit)]


LinkIndex = dict[str, list[tuple[str, str]]]


def _link_index(G: nx.DiGraph) -> LinkIndex:
    """Claim → (other claim, relation) for each claim that supports, denies or contradicts it."""
    index: LinkIndex = defaultdict(list)
    for s, t in G.graph.get("supports", ()):
        index[t].append((s, "supports"))
    for c, t, relation in G.graph.get("contradictions", ()):
        index[t].append((c, relation))
    return index


def _link_rows(G: nx.DiGraph, claim: str, index: LinkIndex) -> list[tuple[str, str]]:
    """The claims that support a claim (supporters), and those that deny or contradict it."""
    def name(c: str) -> str:
        return plain_text(f"{G.nodes[c].get('claim_id') or c} “"
                          f"{shorten(str(G.nodes[c].get('text') or ''), 60)}”", 200)

    linked = [(c, r) for c, r in index.get(claim, ()) if c in G]
    supporters = [name(c) for c, r in linked if r == "supports"]
    challengers = [f"{name(c)} ({r})" for c, r in linked if r != "supports"]
    rows = [("Supported by", "; ".join(supporters))] if supporters else []
    return rows + ([("Challenged by", "; ".join(challengers))] if challengers else [])


def _label_of_document(G: nx.DiGraph, data: Mapping[str, Any]) -> str:
    doc = str(data.get("document") or "")
    described = (G.graph.get("documents") or {}).get(doc) or {}
    return plain_text(described.get("label") or _label(G, doc) or "unknown document", 300)


def _edge(s: Any, t: Any, label: str, color: str, *, dashes: bool, width: float,
          relation: str, tip: list[tuple[str, str]] | None = None) -> dict[str, Any]:
    item: dict[str, Any] = {
        "from": s, "to": t, "label": plain_text(label, 80),
        "color": {"color": color, "highlight": "#000000"}, "dashes": dashes, "width": width,
        "relation": relation,
    }
    if tip is not None:
        item["tip"] = tip
    return item


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


# ---------------------------------------------------------------- entity view


def entity_view(
    EG: nx.DiGraph,
    dependency: nx.DiGraph | None = None,
    *,
    max_nodes: int = MAX_NODES,
    title: str = "Entities and what the claims say about them",
) -> View:
    """People, institutions, groups, places and works; each edge a relation some claim asserts.

    An edge's hover lists the claims asserting it and how each is sourced; its width is the
    number of claims. ``dependency`` (the dependency graph) supplies claimant names and each
    claim's corroboration; without it claimants are shown by their IRI's last segment.
    """
    started = time.perf_counter()
    names = dependency if dependency is not None else nx.DiGraph()
    keep = set(EG.nodes)
    omitted = None
    if EG.number_of_nodes() > max_nodes:
        keep = _most_connected(EG, max_nodes, weight="weight")
        left = EG.number_of_nodes() - len(keep)
        omitted = (f"This graph has {EG.number_of_nodes():,} entities, more than the "
                   f"{max_nodes:,} a view draws legibly: the {left:,} least connected entities "
                   "(by number of claims) and their edges are not shown.")
    corroboration: dict[str, int] = {}

    def corroborated(claim: str) -> str:
        if claim not in names or names.nodes[claim].get("type") != "claim":
            return ""
        if claim not in corroboration:
            corroboration[claim] = _support(names, claim).corroboration
        return f"; {_plural(corroboration[claim], 'independent root')}"

    nodes = []
    degree = dict(EG.degree(weight="weight"))
    for node, data in EG.nodes(data=True):
        if node not in keep:
            continue
        etype = str(data.get("entity_type") or "")
        swatch = entity_swatch(etype)
        label = plain_text(data.get("label") or node, 300)
        item: dict[str, Any] = {
            "id": node, "label": shorten(label, 40), "shape": swatch.shape,
            "size": min(10 + 2.5 * degree[node] ** 0.5, 34),
            "color": {"background": swatch.color, "border": swatch.border}, "borderWidth": 1.5,
            "tip": [("Entity", label), ("Type", _words(etype)),
                    ("Vague collective", "yes" if data.get("vague") else "no"),
                    ("Claims involving it", str(degree[node]))],
            "entity_type": etype, "search": label,
        }
        if data.get("vague"):
            item["shapeProperties"] = {"borderDashes": [4, 3]}
        nodes.append(item)
    edges = []
    kinds_seen: set[str] = set()
    for s, t, data in EG.edges(data=True):
        if s not in keep or t not in keep:
            continue
        relations = data.get("relations") or []
        tip: list[tuple[str, str]] = []
        kinds: set[str] = set()
        for rel in relations:
            predicate = plain_text(rel.get("predicate_label") or rel.get("predicate") or "", 80)
            tip.append(("Relation", f"{_label(EG, s)} — {predicate} — {_label(EG, t)}"))
            for claim in rel.get("claims") or []:
                kind = str(claim.get("source_kind") or "")
                kinds.add(kind)
                who = ", ".join(_label(names, a) for a in claim.get("claimants") or ()) or "?"
                extra = (f"; {_plural(int(claim['corroboration']), 'independent root')}"
                         if "corroboration" in claim else corroborated(str(claim.get("iri"))))
                tip.append(("", f"• “{plain_text(claim.get('text') or '', 1500)}” — "
                                f"{plain_text(who, 300)} ({_words(kind)}, "
                                f"{_words(str(claim.get('mode') or ''))}{extra})"))
        kinds_seen |= kinds
        swatch = source_kind_swatch(next(iter(kinds))) if len(kinds) == 1 else MIXED_SOURCING
        weight = int(data.get("weight") or 1)
        label = ", ".join(plain_text(r.get("predicate_label") or "", 60) for r in relations)
        tip.insert(0, ("Asserted by", _plural(weight, "claim")))
        edges.append(_edge(s, t, shorten(label, 40), swatch.color, dashes=False,
                           width=min(1.0 + 1.5 * weight, 14.0), relation="asserts", tip=tip))
    types_present = sorted({str(d.get("entity_type") or "") for _n, d in EG.nodes(data=True)})
    legend = (
        LegendSection("Entity type (colour and shape)", (
            *(LegendItem(s.label, s.color, s.shape) for k, s in ENTITY_SWATCHES.items()
              if k in types_present),
            LegendItem("dashed border: vague collective", "#ffffff", "dot", dashed_border=True),
        )),
        LegendSection("Edge colour = how its claims are sourced", (
            *(LegendItem(s.label, s.color, "line") for k, s in SOURCE_KINDS.items()
              if k in kinds_seen),
            LegendItem(MIXED_SOURCING.label + " (several kinds)", MIXED_SOURCING.color, "line"),
        )),
        LegendSection("Edge width", (
            LegendItem("number of claims asserting the relation; an edge says only that "
                       "some claim says so", "#555555", "line"),)),
    )
    claims = {c.get("iri") for _s, _t, d in EG.edges(data=True)
              for r in d.get("relations") or [] for c in r.get("claims") or []}
    line = (f"{_plural(EG.number_of_nodes(), 'entity', 'entities')} · "
            f"{_plural(EG.number_of_edges(), 'related pair')} · "
            f"asserted by {_plural(len(claims), 'claim')} · "
            f"drawn: {len(nodes):,} nodes, {len(edges):,} edges")
    page = Page(
        title=title, summary=line, nodes=nodes, edges=edges, legend=legend,
        filters=(FilterGroup("Entity type", "entity_type", tuple(
            (k, ENTITY_SWATCHES[k].label if k in ENTITY_SWATCHES else _words(k))
            for k in types_present)),),
        notice=omitted,
    )
    return _finish(page, started)


# ---------------------------------------------------------------- claim view


def claim_view(G: nx.DiGraph, claim: str, *, max_nodes: int = MAX_NODES) -> View:
    """One claim's chains to its roots, hop by hop, with its single points of failure marked.

    ``claim`` is a claim IRI, ``doc-id#c01`` or a short id such as ``c01`` (unique in ``G``).
    Raises :class:`graph.errors.NotFoundError` for an unknown or ambiguous claim.
    """
    from graph.analysis.chains import resolve_claim

    started = time.perf_counter()
    node = resolve_claim(G, claim)
    data = G.nodes[node]
    rest = _support(G, node)
    hops = nx.single_source_shortest_path_length(G, node)
    ordered = sorted(hops, key=lambda n: (hops[n], str(n)))
    omitted = None
    if len(ordered) > max_nodes:
        keep = set(ordered[: max_nodes - len(rest.roots)]) | set(rest.roots) | set(rest.dominators)
        omitted = (f"This claim rests on {len(ordered) - 1:,} nodes, more than the {max_nodes:,} "
                   f"a view draws legibly: {len(ordered) - len(keep):,} intermediate nodes "
                   "farthest from the claim are not shown; its roots and single points of "
                   "failure always are.")
        ordered = [n for n in ordered if n in keep]
    links = _link_index(G)
    # Challengers (claims that deny or contradict it) are drawn beside the claim.
    challengers = [c for c, r in links.get(node, ()) if r != "supports" and c not in hops]
    for c in challengers:
        hops[c] = 1
    ordered += challengers
    chosen = set(ordered)
    columns = _columns(G.subgraph(chosen - set(challengers)), node)
    columns.update((c, 1) for c in challengers)
    dominators = set(rest.dominators)
    roots = {r for r in rest.roots if r != node}
    nodes = []
    for n in ordered:
        d = G.nodes[n]
        here = rest if n == node else (
            _support(G, n) if d.get("type") == "claim" else _Support([], 0, []))
        item = _provenance_node(G, n, d, {n: here},
                                {n: 0 if n != node else rest.corroboration}, roots, links)
        if d.get("type") == "claim" and n != node:
            item["tip"] = [row for row in item["tip"] if row[0] != "Corroboration"]
        item["level"] = columns[n]
        item["widthConstraint"] = {"maximum": 200}  # labels wrap within their column
        item["tip"] = [("Hop", str(hops[n])), *list(item["tip"])]
        if n in dominators:
            item["color"] = dict(item["color"], border=DOMINATOR_BORDER)
            item["borderWidth"] = 5
            item["tip"].append(("Single point of failure",
                                "every chain from the claim passes through it"))
        if n == node:
            item["size"] = 18
            item["label"] = shorten(plain_text(data.get("text") or "", 200), 60)
            item["font"] = {"size": 15}
        nodes.append(item)
    edges = []
    for s, t, d in G.edges(data=True):
        if s in chosen and t in chosen:
            relation = str(d.get("relation", ""))
            style = RELATION_STYLES.get(relation, RELATION_STYLES["attributed_to"])
            label = str(d.get("label") or style.label)
            # An edge that skips a column would print its label over that column's nodes:
            # its relation is in its colour, the legend and its hover panel instead.
            skips = abs(columns[t] - columns[s]) != 1
            edges.append(_edge(s, t, "" if skips else label, style.color, dashes=style.dashes,
                               width=style.width, relation=relation, tip=[("Relation", label)]))
    for c, relation in links.get(node, ()):
        if relation != "supports" and c in chosen:
            style = CONTRADICTION_STYLE.get(relation, CONTRADICTION_STYLE["contradicts"])
            edges.append(_edge(c, node, style.label, style.color, dashes=True, width=style.width,
                               relation=relation))
    short = plain_text(data.get("claim_id") or node, 80)
    depth = max(v for k, v in hops.items() if k not in challengers)
    supporters = sum(1 for _c, r in links.get(node, ()) if r == "supports")
    line = (f"Claim {short} ({_words(str(data.get('source_kind') or ''))}, "
            f"{_words(str(data.get('mode') or ''))}) · {_plural(depth, 'hop')} to "
            f"{_plural(len(roots), 'root source')} · independent corroboration: "
            f"{rest.corroboration} · single points of failure: "
            + (", ".join(plain_text(_label(G, x), 120) for x in rest.dominators) or "none")
            + f" · {_plural(supporters, 'supporter')} · {_plural(len(challengers), 'challenger')}")
    legend = (
        _source_kind_legend(sorted({str(G.nodes[n].get("source_kind") or "")
                                    for n in chosen if G.nodes[n].get("type") == "claim"})),
        LegendSection("Shape = node type", (
            LegendItem("claim", "#ffffff", "dot"),
            LegendItem("document", DOCUMENT.color, DOCUMENT.shape, DOCUMENT.border),
            LegendItem("claimant / source", AGENT.color, AGENT.shape, AGENT.border),
            LegendItem("root source (thick black border)", "#ffffff", "square", ROOT_BORDER, 3.5),
            LegendItem("single point of failure (thick red border)", "#ffffff", "square",
                       DOMINATOR_BORDER, 3.5),
        )),
        LegendSection("Edges (left → right: what each hop rests on)", (
            *(LegendItem(s.label, s.color, "dashed" if s.dashes else "line")
              for s in RELATION_STYLES.values()),
            LegendItem("denies / contradicts (a challenger, not support)",
                       CONTRADICTION_STYLE["denies"].color, "dashed"),
        )),
    )
    page = Page(
        title=f"Chains of claim {short}: “{shorten(plain_text(data.get('text') or ''), 90)}”",
        summary=line, nodes=nodes, edges=edges, legend=legend, notice=omitted,
        filters=(FilterGroup("Node type", "kind", (("claim", "claims"), ("agent", "claimants"),
                                                  ("document", "documents"))),),
        hierarchical=True,
    )
    return _finish(page, started)


def _columns(H: nx.DiGraph, claim: str) -> dict[str, int]:
    """The column of each node of a claim's chains: its longest distance from the claim, so
    every edge runs left to right between columns; hop counts where chains form a cycle."""
    if not nx.is_directed_acyclic_graph(H):
        return dict(nx.single_source_shortest_path_length(H, claim))
    column = {claim: 0}
    for u in nx.topological_sort(H):
        if u in column:
            for v in H.successors(u):
                column[v] = max(column.get(v, 0), column[u] + 1)
    return column


def _finish(page: Page, started: float) -> View:
    html = render_page(page)
    return View(html=html, title=page.title, node_count=len(page.nodes),
                edge_count=len(page.edges), omitted=page.notice,
                render_seconds=time.perf_counter() - started)


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
    from graph.analysis.project import dependency_graph, entity_graph

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
