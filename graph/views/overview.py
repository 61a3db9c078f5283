"""The provenance overview: what a large dependency graph opens as, with every claim one click away.

Past :data:`OVERVIEW_ABOVE` nodes a drawing of every claim is a hairball. The overview draws one
node per document the claims appear in (its *part*: the claims and the chains they start),
the outlets that published them, and every other node of the dependency graph that no part
holds: root sources (speakers, cited documents, vague collectives, anonymous sources, the
outlet's own voice) and cited documents. A document's node says how many claims it holds; an
edge from it says how many of its claims rest on (or name as claimant) what it points to, and a
red one how many deny or contradict claims there. Clicking a document unfolds its claims with
their own edges, exactly as the full view draws them (see :mod:`graph.views.expand`); nothing is
dropped, merged into a claim or upgraded: a count edge says "N claims", never what they claim.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Final

import networkx as nx

from graph.views._common import _CLAIMANT_EDGE, _plural, _Support
from graph.views.escape import plain_text, shorten
from graph.views.expand import Part
from graph.views.layout import grid_layout
from graph.views.style import AGENT, CONTRADICTION_STYLE, DOCUMENT, ROOT_BORDER

__all__ = ["OVERVIEW_ABOVE", "Overview", "place", "provenance_overview"]

OVERVIEW_ABOVE: Final = 500
"""A provenance or entity view with more nodes than this opens as an overview."""

_NO_DOCUMENT: Final = "urn:claimgraph:view:no-document"
_CHALLENGES: Final = frozenset(CONTRADICTION_STYLE)
_REST_COLOUR: Final = "#666666"
_OUTLET_COLOUR: Final = "#b8a06a"


@dataclass(frozen=True)
class Overview:
    """The overview's own nodes and edges, the parts its document nodes unfold into, and
    the claim count of each document node."""

    nodes: list[dict[str, Any]]
    edges: list[dict[str, Any]]
    parts: tuple[Part, ...]
    counts: dict[str, int]

    # The layout is computed here (graph.views.layout): no physics runs in the page; straight
    # edges, because each redraw of curved ones recomputes tens of thousands of curves.
    OPTIONS: ClassVar[Mapping[str, Any]] = {"physics": {"enabled": False},
                                            "layout": {"improvedLayout": False},
                                            "edges": {"smooth": False}}


def place(nodes: Mapping[str, dict[str, Any]], hubs: Sequence[str],
          edges: Sequence[Mapping[str, Any]]) -> None:
    """Give every node its ``x`` and ``y`` (:func:`graph.views.layout.grid_layout`)."""
    parts = set(hubs)
    others = [n for n in nodes if n not in parts]
    for node, (x, y) in grid_layout(hubs, others, edges).items():
        nodes[node]["x"], nodes[node]["y"] = x, y


def provenance_overview(
    G: nx.DiGraph,
    items: Mapping[str, dict[str, Any]],
    edges: list[dict[str, Any]],
    support: Mapping[str, _Support],
) -> Overview:
    """Fold the full view's ``items`` (node id → vis node) and ``edges`` into documents.

    ``items`` and ``edges`` are what the full provenance view would draw; ``support`` gives
    each claim's roots (a root's count is the number of claims resting on it).
    """
    documents: Mapping[str, Mapping[str, Any]] = G.graph.get("documents") or {}
    claims = {n for n in items if items[n].get("kind") == "claim"}
    hub_of: dict[str, str] = {}
    for c in claims:
        hub_of[c] = str(G.nodes[c].get("document") or _NO_DOCUMENT)
    hubs = sorted(set(hub_of.values()))
    documents_held = set(hubs)
    for n in items:
        data = G.nodes[n]
        if n not in hub_of and data.get("type") == "document" and n not in documents_held:
            # a document of the corpus, split per speaker where other claims relay it
            # (``{iri}#said-by-…``): a member of that document's part
            iri = str(data.get("iri") or "")
            if iri in documents_held:
                hub_of[n] = iri

    members: dict[str, list[str]] = defaultdict(list)
    for n in items:
        if n in hub_of:
            members[hub_of[n]].append(n)
    part_edges: dict[str, list[dict[str, Any]]] = defaultdict(list)
    counted: dict[tuple[str, str, bool], Counter[str]] = defaultdict(Counter)
    claims_on: dict[tuple[str, str, bool], set[str]] = defaultdict(set)
    kept: list[dict[str, Any]] = []
    feeding: dict[str, set[str]] = defaultdict(set)  # member node → the claims resting on it
    for e in edges:
        if e["from"] in hub_of and G.nodes[e["from"]].get("type") == "claim":
            feeding[e["to"]].add(e["from"])
    for e in edges:
        s, t = e["from"], e["to"]
        if s not in hub_of:
            kept.append(e)  # between overview nodes: drawn as it is
            continue
        hub = hub_of[s]
        member = dict(e)
        if t in hub_of:
            member["via"] = hub_of[t]
        part_edges[hub].append(member)
        target = hub_of.get(t, t)
        if target == hub:
            continue
        key = (hub, target, e["relation"] in _CHALLENGES)
        counted[key][e["relation"]] += 1
        claims_on[key] |= {s} if s in claims else feeding.get(s, set())

    nodes: dict[str, dict[str, Any]] = {}
    counts = {hub: sum(1 for m in members[hub] if m in claims) for hub in hubs}
    for hub in hubs:
        nodes[hub] = _document_node(hub, documents.get(hub) or {}, counts[hub],
                                    items.get(hub))
    resting: Counter[str] = Counter(r for c in claims for r in set(support[c].roots) if r != c)
    for n, item in items.items():
        if n not in hub_of and n not in nodes:
            nodes[n] = _source_node(item, resting[n])
    published: dict[str, list[str]] = defaultdict(list)
    for hub in hubs:
        outlet = str((documents.get(hub) or {}).get("publisher") or "")
        if outlet:
            published[outlet].append(hub)
    for outlet, docs in published.items():
        if outlet not in nodes:
            label = plain_text((documents.get(docs[0]) or {}).get("publisher_label") or outlet,
                               300)
            nodes[outlet] = _outlet_node(outlet, label)
        nodes[outlet]["tip"].append(("Outlet of", _plural(len(docs), "document")))

    out_edges = list(kept)
    for (hub, target, challenge), by_relation in sorted(counted.items()):
        count = len(claims_on[(hub, target, challenge)])
        out_edges.append(_count_edge(hub, target, count, by_relation, challenge))
    for outlet, docs in sorted(published.items()):
        for hub in docs:
            out_edges.append({
                "from": hub, "to": outlet, "label": "published by", "relation": "published_by",
                "color": {"color": _OUTLET_COLOUR, "highlight": "#000000"}, "dashes": [2, 4],
                "width": 1.0, "tip": [("Published by", nodes[outlet]["search"])],
            })
    for i, e in enumerate(out_edges):
        e["id"] = f"o{i}"
    place(nodes, hubs, out_edges)
    parts = tuple(Part(hub, [items[m] for m in members[hub]], part_edges[hub])
                  for hub in hubs)
    return Overview(list(nodes.values()), out_edges, parts, counts)


def _document_node(hub: str, described: Mapping[str, Any], count: int,
                   item: Mapping[str, Any] | None) -> dict[str, Any]:
    """A document the claims appear in: its title, outlet and number of claims."""
    if hub == _NO_DOCUMENT:
        label = "claims with no document recorded"
    else:
        label = plain_text(described.get("label") or hub.rsplit("/", 1)[-1], 300)
    outlet = plain_text(described.get("publisher_label") or "", 120)
    tip = [("Document", label), ("Claims in it", f"{count:,}")]
    tip += [(heading, plain_text(str(value), 300)) for heading, value in (
        ("Published by (outlet)", outlet), ("Date", described.get("date_published")),
        ("URL", described.get("url"))) if value]
    if item is not None:  # the document is also cited: what its own node says
        tip += [row for row in item["tip"] if row[0] not in {"Document", "Published by (outlet)",
                                                               "Date", "URL"}]
    tip.append(("", "click to show its claims and their chains; click again to fold them"))
    return {
        "id": hub, "label": f"{shorten(label, 40)}\n{_plural(count, 'claim')}",
        "shape": DOCUMENT.shape, "size": min(12 + count ** 0.5 * 1.5, 40),
        "color": {"background": DOCUMENT.color, "border": DOCUMENT.border},
        "borderWidth": 2.0, "tip": tip, "kind": "document", "claims": count,
        "search": f"{label} {outlet}".strip(),
        "font": {"size": 15, "face": "sans-serif"},
    }


def _source_node(item: Mapping[str, Any], resting: int) -> dict[str, Any]:
    """A node the full view draws too (a root source, a claimant, a cited document): the
    same, with the number of claims resting on it on its label."""
    node = dict(item)
    node["tip"] = [*item["tip"], ("Claims with it among their roots", f"{resting:,}")]
    if resting:
        name = shorten(str(item["search"]), 40)
        node["label"] = f"{name}\n{_plural(resting, 'claim')} rest on it"
    node["claims_resting"] = resting
    return node


def _outlet_node(outlet: str, label: str) -> dict[str, Any]:
    return {
        "id": outlet, "label": shorten(label, 40), "shape": AGENT.shape, "size": 14,
        "color": {"background": AGENT.color, "border": ROOT_BORDER}, "borderWidth": 1.5,
        "tip": [("Outlet", label)], "kind": "agent", "search": label,
        "font": {"size": 15, "face": "sans-serif"},
    }


_RELATION_WORDS: Final = {
    "attributed_to": "attributed to it",
    "relayed_from": "relayed from it",
    "inferred_from": "inferred from it",
    "said_by": "said by it in a relaying document",
    "supported_by": "supported by it",
    _CLAIMANT_EDGE: "claimed by it (relayed claims)",
    "denies": "denying claims there",
    "contradicts": "contradicting claims there",
}


def _count_edge(hub: str, target: str, claims: int, by_relation: Counter[str],
                challenge: bool) -> dict[str, Any]:
    """``claims`` claims of one document rest on (or challenge) one node: one edge saying so.

    Its hover is one short row (an overview has tens of thousands of these edges): how many
    claims of the document, and by which relation.
    """
    style = CONTRADICTION_STYLE["denies"] if challenge else None
    verb = "deny or contradict claims there" if challenge else "rest on it"
    tip = [(f"{_plural(claims, 'claim')} of the document {verb}", ", ".join(
        f"{_RELATION_WORDS.get(r, r.replace('_', ' '))}: {k:,}"
        for r, k in sorted(by_relation.items())))]
    return {
        "from": hub, "to": target, "label": _plural(claims, "claim"),
        "relation": "denies" if challenge else "claims", "counted": True, "claims": claims,
        "color": {"color": style.color if style else _REST_COLOUR, "highlight": "#000000"},
        "dashes": challenge, "width": min(1.0 + claims ** 0.5, 10.0), "tip": tip,
    }
