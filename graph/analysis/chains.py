"""Reporting chains: every simple path from a claim to the sources it rests on, and its roots.

A *root* of a claim is a node with no outgoing edge reachable from it in the dependency graph
(:func:`graph.analysis.dependency_graph`): the claimant of a claim that is not relayed, or the
speaker who said, in a relaying document, what a relayed claim says. Each root has a *kind*: the
source kind of the claims that rest on it (``named-person``, ``vague-collective``,
``author-voice``, …), ``document`` for a document we cannot see beyond, and a *role*:
``claimant``, ``speaker``, ``document`` or ``claim``. A claim whose support ends in a claim with
no source at all has that claim as a root of kind ``unsupported``. A claim is never its own root:
a claim with no outgoing edge has no roots.

:func:`describe` names each node of a chain by its role (claim, relayed claim, supporting claim,
relaying document, speaker, claimant) with the outlet that published it, and :func:`chain_text`
writes a chain as one line: ``The BL ← “Interview …” (Daily Mail Australia) ← Russell Strong``.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping
from itertools import islice, pairwise
from typing import Final, TypedDict

import networkx as nx

from graph.analysis.reach import ATTRIBUTED_TO, RELAYED_FROM, SAID_BY, RootIndex, descendants
from graph.errors import NotFoundError

__all__ = [
    "ATTRIBUTED_TO",
    "INFERRED_FROM",
    "RELAYED_FROM",
    "SAID_BY",
    "SUPPORTED_BY",
    "Hop",
    "Root",
    "Step",
    "chain_text",
    "chains",
    "chains_within",
    "describe",
    "hops",
    "outlet_of",
    "resolve_claim",
    "root_kind",
    "roots",
    "roots_within",
]

SUPPORTED_BY: Final = "supported_by"
INFERRED_FROM: Final = "inferred_from"

# The role of a node, by the relation of the edge that reached it.
_ROLES: Final = {
    ATTRIBUTED_TO: "claimant",
    SAID_BY: "speaker",
    RELAYED_FROM: "relayed claim",
    SUPPORTED_BY: "supporting claim",
    INFERRED_FROM: "premise",
}


class Root(TypedDict):
    """A source a claim rests on: its IRI, label, root kind, node type and role."""

    iri: str
    label: str
    kind: str
    type: str
    role: str


class Step(TypedDict):
    """One node of a chain: what it is (``role``) and the outlet that published it, if any."""

    iri: str
    label: str
    type: str
    role: str
    outlet: str
    relation: str


class Hop(TypedDict):
    """One edge of a chain: from a node to what it rests on, with the edge's label."""

    source: str
    target: str
    relation: str
    label: str


def _require(G: nx.DiGraph, claim: str) -> None:
    if claim not in G or G.nodes[claim].get("type") != "claim":
        raise NotFoundError(f"no claim {claim!r} in the graph")


def resolve_claim(G: nx.DiGraph, ref: str) -> str:
    """The claim node for a claim IRI, ``doc-id/c01``, or a short id ``c01`` that is unique.

    ``doc-id#c01`` is read as ``doc-id/c01``. Raises ``NotFoundError`` for an unknown claim or a
    short id several documents use.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph()
    >>> G.add_node("https://w3id.org/claimgraph/id/claim/doc-a/a1", type="claim", claim_id="a1")
    >>> resolve_claim(G, "a1") == resolve_claim(G, "doc-a/a1") == resolve_claim(G, "doc-a#a1")
    True
    """
    if ref in G and G.nodes[ref].get("type") == "claim":
        return ref
    doc, sep, cid = ref.replace("#", "/", 1).rpartition("/")
    if sep and doc and "/" not in doc and ":" not in doc:
        # A claim's IRI ends with claim/{document id}/{claim id} (graph.rdf.vocab.claim_iri).
        suffix = f"/claim/{doc}/{cid}"
        found = sorted(
            n for n, d in G.nodes(data=True)
            if d.get("type") == "claim" and d.get("claim_id") == cid and str(n).endswith(suffix)
        )
        if not found:
            raise NotFoundError(f"no claim {doc}/{cid} in the graph")
        return str(found[0])
    matches = sorted(
        n for n, d in G.nodes(data=True) if d.get("type") == "claim" and d.get("claim_id") == ref
    )
    if not matches:
        raise NotFoundError(f"no claim {ref!r} in the graph")
    if len(matches) > 1:
        raise NotFoundError(
            f"claim id {ref!r} is used by {len(matches)} documents; give it as document-id/{ref}"
        )
    return str(matches[0])


def root_kind(G: nx.DiGraph, root: str, among: Collection[str] | None = None) -> str:
    """The kind of a root: ``document``, ``unsupported``, or the source kind of its claims.

    For an agent, the source kind of the claims attributed to it (only those in ``among`` when
    given); when they differ, the most common one, ties broken in the order of
    :data:`graph.rdf.vocab.SOURCE_KINDS`.
    """
    return RootIndex(G).kind(root, among)


def roots(G: nx.DiGraph, claim: str) -> list[Root]:
    """The roots a claim rests on, each with its kind, sorted by label then IRI.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph()
    >>> G.add_node("b1", type="claim", source_kind="named-person", label="b1")
    >>> G.add_node("a1", type="claim", source_kind="named-person", label="a1")
    >>> G.add_node("P", type="agent", label="P")
    >>> G.add_edge("b1", "a1", relation="relayed_from")
    >>> G.add_edge("a1", "P", relation="attributed_to")
    >>> roots(G, "b1")
    [{'iri': 'P', 'label': 'P', 'kind': 'named-person', 'type': 'agent', 'role': 'claimant'}]
    """
    _require(G, claim)
    return roots_within(G, claim, descendants(G, claim), RootIndex(G))


def roots_within(G: nx.DiGraph, claim: str, reach: Collection[str], index: RootIndex
                 ) -> list[Root]:
    """:func:`roots` of a claim whose descendants ``reach`` are known, with one
    :class:`graph.analysis.reach.RootIndex` shared by every claim of ``G``."""
    nodes, out = G.nodes, G.out_degree
    among = {*reach, claim}
    found: list[Root] = [
        {
            "iri": r,
            "label": str(nodes[r].get("label", r)),
            "kind": index.kind(r, among),
            "type": str(nodes[r].get("type", "")),
            "role": index.role(r, among),
        }
        for r in reach
        if r != claim and out(r) == 0
    ]
    return sorted(found, key=lambda r: (r["label"], r["iri"]))


def chains(G: nx.DiGraph, claim: str, *, max_paths: int = 100) -> list[list[str]]:
    """Every simple path from ``claim`` to one of its roots (at most ``max_paths`` of them).

    Each chain is the list of nodes from the claim to the root. The order follows the graph's
    adjacency order, so it is stable for a graph built the same way.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph([("d1", "c1"), ("c1", "a1"), ("d1", "a1"), ("a1", "P")])
    >>> nx.set_node_attributes(G, "claim", "type")
    >>> G.nodes["P"]["type"] = "agent"
    >>> chains(G, "d1")
    [['d1', 'c1', 'a1', 'P'], ['d1', 'a1', 'P']]
    """
    _require(G, claim)
    return chains_within(G, claim, descendants(G, claim), max_paths=max_paths)


def chains_within(G: nx.DiGraph, claim: str, reach: Iterable[str], *, max_paths: int = 100
                  ) -> list[list[str]]:
    """:func:`chains` of a claim whose descendants ``reach`` are known."""
    if max_paths < 1:
        return []
    out = G.out_degree
    targets = {n for n in reach if out(n) == 0}
    if not targets:
        return []
    return list(islice(_paths_to_sinks(G, claim, targets), max_paths))


# Steps of the plain walk before each step also checks that a sink is still in reach: most
# claims finish well within it, and past it the check keeps a dense relay cycle with few ways
# out from costing every simple path inside it (BENCHMARKS.md, "Analysis of every claim").
_PLAIN_STEPS: Final = 2000


def _paths_to_sinks(G: nx.DiGraph, source: str, sinks: Collection[str], *,
                    plain_steps: int = _PLAIN_STEPS) -> Iterator[list[str]]:
    """Simple paths from ``source`` to any of ``sinks`` (nodes with no successor), depth first
    in adjacency order: the paths ``nx.all_simple_paths`` yields, in its order, without the
    difference with every target it takes at each step (quadratic where copies and relays form
    long cycles).

    After ``plain_steps`` steps, a node is entered only if a sink can be reached from it
    without going back through the path: a node from which none can leads to no path, so
    skipping it changes neither the paths nor their order, and each node entered then lies on
    a path that is yielded.
    """
    succ = G.succ
    path, on = [source], {source}
    stack = [iter(succ[source])]
    budget = plain_steps
    while stack:
        budget -= 1
        for child in stack[-1]:
            if child not in on and (budget > 0 or _way_out(succ, child, on, sinks)):
                break
        else:
            stack.pop()
            on.discard(path.pop())
            continue
        if child in sinks:
            yield [*path, child]  # nothing lies past a sink
            continue
        path.append(child)
        on.add(child)
        stack.append(iter(succ[child]))


def _way_out(succ: Mapping[str, Iterable[str]], start: str, on: Collection[str],
             sinks: Collection[str]) -> bool:
    """Whether a sink can be reached from ``start`` through no node of ``on``."""
    if start in sinks:
        return True
    seen, todo = {start}, [start]
    while todo:
        for child in succ[todo.pop()]:
            if child in sinks:
                return True
            if child not in seen and child not in on:
                seen.add(child)
                todo.append(child)
    return False


def hops(G: nx.DiGraph, chain: list[str]) -> list[Hop]:
    """The edges of a chain, each with its relation and human label.

    >>> import networkx as nx
    >>> G = nx.DiGraph()
    >>> G.add_edge("b1", "a1", relation="relayed_from", label="relayed from")
    >>> hops(G, ["b1", "a1"])
    [{'source': 'b1', 'target': 'a1', 'relation': 'relayed_from', 'label': 'relayed from'}]
    """
    out: list[Hop] = []
    for u, v in pairwise(chain):
        data = G.edges[u, v]
        relation = str(data.get("relation", ""))
        out.append({"source": u, "target": v, "relation": relation,
                    "label": str(data.get("label", relation.replace("_", " ")))})
    return out


def outlet_of(G: nx.DiGraph, node: str) -> str:
    """The label of the outlet that published a document node, or a claim's document; or ``""``.

    >>> import networkx as nx
    >>> G = nx.DiGraph()
    >>> G.graph["documents"] = {"D": {"label": "Story", "publisher_label": "The Courier"}}
    >>> G.add_node("c1", type="claim", document="D")
    >>> outlet_of(G, "c1")
    'The Courier'
    """
    data = G.nodes[node]
    if data.get("type") == "document":
        return str(data.get("publisher_label") or "")
    if data.get("type") == "claim":
        doc = (G.graph.get("documents") or {}).get(str(data.get("document", ""))) or {}
        return str(doc.get("publisher_label") or "")
    return ""


# What describe() reads of a node, whichever chain it is on: label, type, outlet, and whether
# anything lies past it.
_Facts = tuple[str, str, str, bool]


def _facts(G: nx.DiGraph, node: str, memo: dict[str, _Facts] | None) -> _Facts:
    found = memo.get(node) if memo is not None else None
    if found is None:
        data = G.nodes[node]
        found = (str(data.get("label", node)), str(data.get("type", "")), outlet_of(G, node),
                 bool(G.succ[node]))
        if memo is not None:
            memo[node] = found
    return found


def _outlet(G: nx.DiGraph, node: str, memo: dict[str, _Facts] | None) -> str:
    return _facts(G, node, memo)[2]


def describe(G: nx.DiGraph, chain: list[str], *, memo: dict[str, _Facts] | None = None
             ) -> list[Step]:
    """Each node of a chain with its role and outlet, and the relation that reached it.

    ``memo``, a dict kept between calls on one graph, remembers what each node is (its label,
    type and outlet): many chains pass through the same documents and speakers.

    Roles: ``claim`` (the first node), ``relayed claim``, ``supporting claim``, ``premise``,
    ``relaying document``, ``source document`` (a document the claim comes from, the root),
    ``speaker`` (said it in the relaying document) and ``claimant``.

    >>> import networkx as nx
    >>> G = nx.DiGraph()
    >>> G.graph["documents"] = {"A": {"label": "Article", "publisher_label": "The BL"}}
    >>> G.add_node("c1", type="claim", document="A", label="c1")
    >>> G.add_node("D", type="document", label="Interview", publisher_label="Daily Mail")
    >>> G.add_node("S", type="agent", label="Russell Strong")
    >>> G.add_edge("c1", "D", relation="relayed_from"); G.add_edge("D", "S", relation="said_by")
    >>> [(s["role"], s["outlet"]) for s in describe(G, ["c1", "D", "S"])]
    [('claim', 'The BL'), ('relaying document', 'Daily Mail'), ('speaker', '')]
    """
    steps: list[Step] = []
    edge = G.get_edge_data
    for i, node in enumerate(chain):
        label, kind, outlet, onward = _facts(G, node, memo)
        # G.edges raises the KeyError a missing edge always did; get_edge_data is the fast way.
        relation = str((edge(chain[i - 1], node) or G.edges[chain[i - 1], node])
                       .get("relation", "")) if i else ""
        if i == 0:
            role = "claim"
        elif kind == "document":
            # A document nobody is said to speak in is the claim's source, not a relay.
            role = "relaying document" if onward else "source document"
        else:
            role = _ROLES.get(relation, kind)
        steps.append({"iri": node, "label": label, "type": kind,
                      "role": role, "outlet": outlet, "relation": relation})
    return steps


def chain_text(G: nx.DiGraph, chain: list[str], *, memo: dict[str, _Facts] | None = None
               ) -> str:
    """A chain as one line, from the outlet that printed the claim to the root it rests on.

    ``memo`` is as for :func:`describe`.

    >>> import networkx as nx
    >>> G = nx.DiGraph()
    >>> G.graph["documents"] = {"A": {"label": "Article", "publisher_label": "The BL"}}
    >>> G.add_node("c1", type="claim", document="A", claim_id="c1")
    >>> G.add_node("D", type="document", label="Interview", publisher_label="Daily Mail")
    >>> G.add_node("S", type="agent", label="Russell Strong")
    >>> G.add_edge("c1", "D", relation="relayed_from"); G.add_edge("D", "S", relation="said_by")
    >>> chain_text(G, ["c1", "D", "S"])
    'The BL ← “Interview” (Daily Mail) ← Russell Strong (speaker)'
    """
    parts: list[str] = []
    nodes = G.nodes
    for step in describe(G, chain, memo=memo):
        if step["role"] == "claim":
            node = nodes[step["iri"]]
            doc = (G.graph.get("documents") or {}).get(str(node.get("document", ""))) or {}
            parts.append(step["outlet"] or str(doc.get("label") or node.get("claim_id") or ""))
        elif step["type"] == "claim":
            # The outlet is named where it changes (a claim relayed from another outlet).
            where = f"{step['outlet']}, " if step["outlet"] not in ("", parts[0]) else ""
            claim_id = nodes[step["iri"]].get("claim_id")
            parts.append(f"{where}{step['role']} {claim_id or step['iri']}")
        elif step["type"] == "document":
            outlet = f" ({step['outlet']})" if step["outlet"] else ""
            parts.append(f"“{step['label']}”{outlet}")
        elif len(chain) == 2 and step["label"] == parts[0]:
            parts[0] += " (own voice)"
        else:
            parts.append(f"{step['label']} ({step['role']})")
    return " ← ".join(parts)
