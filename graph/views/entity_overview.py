"""The entity overview: what a large entity graph opens as, with every entity one click away.

Entities are grouped by type and by the outlet whose documents carry most of the claims about
them (an entity no claim of a known document is about is grouped by type alone).
A group's node says how many entities it holds and how many claims relate them; an edge between
two groups says how many claims relate an entity of one to an entity of the other ("N claims":
that some claim says so, never that the relation holds). Clicking a group unfolds its entities
and their edges, exactly as the full view draws them (see :mod:`graph.views.expand`).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from typing import Any, Final

import networkx as nx

from graph.views._common import _plural, _words
from graph.views.escape import plain_text, shorten
from graph.views.expand import Part
from graph.views.overview import Overview, place
from graph.views.style import ENTITY_TYPES, MIXED_SOURCING, entity_swatch

__all__ = ["entity_overview"]

_PLURALS: Final = {"person": "people", "creative-work": "creative works", "": "entities"}


def entity_overview(
    EG: nx.DiGraph,
    items: Sequence[dict[str, Any]],
    edges: Sequence[dict[str, Any]],
    dependency: nx.DiGraph | None,
) -> Overview:
    """Fold the full entity view's ``items`` and ``edges`` into groups of entities.

    ``dependency`` (the dependency graph) tells which document (and so which outlet) each
    claim appears in; without it entities are grouped by type only. ``counts`` of the result
    is the number of entities of each group.
    """
    names = dependency if dependency is not None else nx.DiGraph()
    documents: Mapping[str, Mapping[str, Any]] = names.graph.get("documents") or {}
    where: dict[str, Counter[str]] = defaultdict(Counter)
    claims_of: dict[str, set[str]] = defaultdict(set)
    for s, t, data in EG.edges(data=True):
        for rel in data.get("relations") or ():
            for claim in rel.get("claims") or ():
                iri = str(claim.get("iri"))
                doc = str(names.nodes[iri].get("document") or "") if iri in names else ""
                outlet = str((documents.get(doc) or {}).get("publisher_label") or doc)
                for entity in (s, t):
                    claims_of[entity].add(iri)
                    if outlet:
                        where[entity][outlet] += 1
    group_of: dict[str, str] = {}
    for entity, data in EG.nodes(data=True):
        home = min(where[entity].items(), key=lambda kv: (-kv[1], kv[0]))[0] if where[
            entity] else ""
        group_of[entity] = f"entities:{data.get('entity_type') or ''}|{home}"

    members: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for item in items:
        members[group_of[item["id"]]].append(item)
    part_edges: dict[str, list[dict[str, Any]]] = defaultdict(list)
    between: dict[tuple[str, str], set[str]] = defaultdict(set)
    predicates: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for e in edges:
        s, t = group_of[e["from"]], group_of[e["to"]]
        part_edges[s].append({**e, "via": t})
        if s == t:
            continue
        for rel in EG.edges[e["from"], e["to"]].get("relations") or ():
            label = plain_text(rel.get("predicate_label") or rel.get("predicate") or "", 80)
            found = {str(c.get("iri")) for c in rel.get("claims") or ()}
            between[(s, t)] |= found
            predicates[(s, t)][label] += len(found)

    nodes: list[dict[str, Any]] = []
    counts: dict[str, int] = {}
    for group in sorted(members):
        etype, home = group.removeprefix("entities:").split("|", 1)
        held = members[group]
        counts[group] = len(held)
        claims = set().union(*(claims_of[i["id"]] for i in held))
        nodes.append(_group_node(group, etype, home, held, len(claims)))
    out_edges: list[dict[str, Any]] = []
    for (s, t), claims in sorted(between.items()):
        tip = [("Asserted by", _plural(len(claims), "claim")),
               ("", "claims relating an entity of one group to an entity of the other; "
                    "an edge says only that some claim says so")]
        tip += [(label, _plural(k, "claim")) for label, k in sorted(predicates[(s, t)].items())]
        out_edges.append({
            "id": f"o{len(out_edges)}", "from": s, "to": t,
            "label": _plural(len(claims), "claim"), "relation": "claims", "counted": True,
            "claims": len(claims), "color": {"color": MIXED_SOURCING.color, "highlight": "#000"},
            "dashes": False, "width": min(1.0 + len(claims) ** 0.5, 10.0), "tip": tip,
        })
    place({n["id"]: n for n in nodes}, sorted(members), out_edges)
    parts = tuple(Part(group, members[group], part_edges[group]) for group in sorted(members))
    return Overview(nodes, out_edges, parts, counts)


def _group_node(group: str, etype: str, home: str, held: Sequence[Mapping[str, Any]],
                claims: int) -> dict[str, Any]:
    swatch = entity_swatch(etype)
    kind = ENTITY_TYPES[etype].label if etype in ENTITY_TYPES else _words(etype)
    word = _PLURALS.get(etype, _words(etype) + "s") if len(held) != 1 else _words(etype or
                                                                                  "entity")
    place = plain_text(home, 300)
    names = [str(i["search"]) for i in held]
    tip = [("Group", f"{len(held):,} {word}"), ("Type", kind),
           ("Most claims about them published by", place or "no outlet recorded"),
           ("Claims relating them", f"{claims:,}"),
           ("Entities", ", ".join(names[:30]) + (f" and {len(names) - 30:,} more"
                                                 if len(names) > 30 else "")),
           ("", "click to show these entities and their relations; click again to fold them")]
    return {
        "id": group, "label": f"{len(held):,} {word}\n{shorten(place, 36)}".strip(),
        "shape": swatch.shape, "size": min(12 + 3 * len(held) ** 0.5, 40),
        "color": {"background": swatch.color, "border": "#111111"}, "borderWidth": 3.0,
        "tip": tip, "entity_type": etype, "entities": len(held), "claims": claims,
        "search": " ".join([place, *names]),
    }
