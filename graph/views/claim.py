"""The claim view: one claim's chains to its roots, hop by hop, single points of failure marked."""

from __future__ import annotations

import time
from typing import Any

import networkx as nx

from graph.views._common import (
    MAX_NODES,
    View,
    _edge,
    _finish,
    _label,
    _link_index,
    _plural,
    _provenance_node,
    _source_kind_legend,
    _Support,
    _support,
    _words,
)
from graph.views.escape import plain_text, shorten
from graph.views.render import FilterGroup, Page
from graph.views.style import (
    AGENT,
    CONTRADICTION_STYLE,
    DOCUMENT,
    DOMINATOR_BORDER,
    RELATION_STYLES,
    ROOT_BORDER,
    LegendItem,
    LegendSection,
)

__all__ = ["claim_view"]

_AFFILIATION_COLOR = "#7b3fa0"  # apart from every relation and source-kind colour


# ---------------------------------------------------------------- claim view


def claim_view(G: nx.DiGraph, claim: str, *, max_nodes: int = MAX_NODES) -> View:
    """One claim's chains to its roots, hop by hop, with its single points of failure marked.

    ``claim`` is a claim IRI, ``doc-id/c01`` or a short id such as ``c01`` (unique in ``G``).
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
    grouped = _grouped_roots(G, node)
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
        if n in grouped:
            item["tip"].append(("Independence group", grouped[n]))
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
    joins = _affiliation_edges(G, node, chosen, columns)
    edges += joins
    short = plain_text(data.get("claim_id") or node, 80)
    depth = max(v for k, v in hops.items() if k not in challengers)
    supporters = sum(1 for _c, r in links.get(node, ()) if r == "supports")
    line = (f"Claim {short} ({_words(str(data.get('source_kind') or ''))}, "
            f"{_words(str(data.get('mode') or ''))}) · {_plural(depth, 'hop')} to "
            f"{_plural(len(roots), 'root source')} · independent corroboration: "
            f"{rest.corroboration} · single points of failure: "
            + (", ".join(plain_text(_label(G, x), 120) for x in rest.dominators) or "none")
            + f" · {_plural(supporters, 'supporter')} · {_plural(len(challengers), 'challenger')}"
            + _independence_text(G, node))
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
            *([LegendItem("affiliation joining two roots into one group (who says so: hover)",
                          _AFFILIATION_COLOR, "dashed")] if joins else []),
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


def _independence_text(G: nx.DiGraph, claim: str) -> str:
    """Both counts and the groups that joined roots, when the graph holds affiliations."""
    if not G.graph.get("affiliations"):
        return ""
    from graph.analysis.groups import independence
    from graph.report.affiliations import independence_line

    return " · " + plain_text(independence_line(independence(G, claim)), 2000)


def _affiliation_edges(G: nx.DiGraph, claim: str, chosen: set[str],
                       columns: dict[str, int]) -> list[dict[str, Any]]:
    """An edge for each affiliation that joins two of the claim's roots, labelled with who
    says so: it is a claimant's word or the analyst's judgement, not a link of the chain."""
    if not G.graph.get("affiliations"):
        return []
    from graph.analysis.groups import independence
    from graph.report.affiliations import affiliation_text

    edges = []
    for group in independence(G, claim)["joined"]:
        for a in group["affiliations"]:
            s, t = str(a["subject"]), str(a["object"])
            if s not in chosen or t not in chosen:
                continue
            who = ("stated by " + ", ".join(a["asserted_by"] or ["an unnamed claimant"])
                   if a["origin"] == "text" else "the analyst's addition")
            label = f"{a['relation_label']} — {who}" + (" (draft)" if a.get("draft") else "")
            skips = abs(columns[t] - columns[s]) != 1
            edges.append(_edge(s, t, "" if skips else label, _AFFILIATION_COLOR, dashes=True,
                               width=1.5, relation="affiliation",
                               tip=[("Affiliation", affiliation_text(a)),
                                    ("For independence", "its two ends count as one group")]))
    return edges


def _grouped_roots(G: nx.DiGraph, claim: str) -> dict[str, str]:
    """Each root of the claim that an affiliation joins to another of its roots → the group."""
    if not G.graph.get("affiliations"):
        return {}
    from graph.analysis.groups import independence
    from graph.report.affiliations import group_text

    return {m: plain_text(group_text(g), 2000) for g in independence(G, claim)["joined"]
            for m in g["members"]}


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
