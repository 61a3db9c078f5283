"""The entity view: people, institutions, groups and places; each edge a relation claims assert."""

from __future__ import annotations

import time
from typing import Any

import networkx as nx

from graph.views._common import (
    View,
    _edge,
    _finish,
    _label,
    _plural,
    _words,
)
from graph.views.entity_overview import entity_overview
from graph.views.escape import plain_text, shorten
from graph.views.expand import Part
from graph.views.overview import OVERVIEW_ABOVE, Overview
from graph.views.render import FilterGroup, Page
from graph.views.style import ENTITY_TYPES as ENTITY_SWATCHES
from graph.views.style import (
    MIXED_SOURCING,
    SOURCE_KINDS,
    LegendItem,
    LegendSection,
    entity_swatch,
    source_kind_swatch,
)

__all__ = ["entity_view"]


# ---------------------------------------------------------------- entity view


def entity_view(
    EG: nx.DiGraph,
    dependency: nx.DiGraph | None = None,
    *,
    overview: bool | None = None,
    overview_above: int = OVERVIEW_ABOVE,
    title: str = "Entities and what the claims say about them",
) -> View:
    """People, institutions, groups, places and works; each edge a relation some claim asserts.

    An edge's hover lists the claims asserting it and how each is sourced; its width is the
    number of claims. ``dependency`` (the dependency graph) supplies claimant names and each
    claim's corroboration; without it claimants are shown by their IRI's last segment.

    With more than ``overview_above`` entities (or ``overview=True``) the page opens as an
    overview (:mod:`graph.views.entity_overview`): groups of entities by type and document,
    with their counts; a click on a group shows its entities. ``overview=False`` draws all.
    """
    started = time.perf_counter()
    names = dependency if dependency is not None else nx.DiGraph()
    from graph.analysis import corroboration as independent_roots

    corroboration: dict[str, int] = {}

    def corroborated(claim: str) -> str:
        if claim not in names or names.nodes[claim].get("type") != "claim":
            return ""
        if claim not in corroboration:
            # only the count: roots and single points of failure are not shown here
            corroboration[claim] = int(independent_roots(names, claim))
        return f"; {_plural(corroboration[claim], 'independent root')}"

    nodes = []
    degree = dict(EG.degree(weight="weight"))
    for node, data in EG.nodes(data=True):
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
    legend: tuple[LegendSection, ...] = (
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
    folded = overview if overview is not None else EG.number_of_nodes() > overview_above
    notice = None
    parts: tuple[Part, ...] = ()
    if folded:
        folding = entity_overview(EG, nodes, edges, dependency)
        nodes, edges, parts = folding.nodes, folding.edges, folding.parts
        notice = (f"This graph has {EG.number_of_nodes():,} entities and "
                  f"{EG.number_of_edges():,} related pairs, more than a drawing keeps legible: "
                  f"it opens as an overview of {_plural(len(parts), 'group')} of entities, by "
                  "type and by the outlet that published most claims about them, each with its "
                  "number of entities; an edge says how many claims relate the two groups. "
                  "Click a group to show its entities and what the claims say about them, and "
                  "again to fold them; search (Enter) also opens the groups whose entities "
                  "match.")
        legend = (LegendSection("Overview", (
            LegendItem("group of entities (click to open; thick border)", "#ffffff", "dot",
                       "#111111", 3.0),
            LegendItem("N claims relate entities of the two groups", MIXED_SOURCING.color,
                       "line"),
        )), *legend)
    line = (f"{_plural(EG.number_of_nodes(), 'entity', 'entities')} · "
            f"{_plural(EG.number_of_edges(), 'related pair')} · "
            f"asserted by {_plural(len(claims), 'claim')} · "
            f"drawn: {len(nodes):,} nodes, {len(edges):,} edges"
            + (" (overview; every entity one click away)" if folded else ""))
    page = Page(
        title=title, summary=line, nodes=nodes, edges=edges, legend=legend,
        filters=(FilterGroup("Entity type", "entity_type", tuple(
            (k, ENTITY_SWATCHES[k].label if k in ENTITY_SWATCHES else _words(k))
            for k in types_present)),),
        notice=notice, parts=parts, part_word=("group", "groups"),
        options=Overview.OPTIONS if folded else {},
    )
    return _finish(page, started)
