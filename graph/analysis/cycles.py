"""Circular reporting: relay cycles, and documents that echo each other back to one root.

Two kinds of finding:

* **cycles** — claims relayed from each other (F relays G, G relays F): simple cycles of the
  dependency graph without its ``supported_by`` edges (two claims that support each other are
  not a relay), enumerated up to a bound because their number can grow exponentially;
* **echo groups** — claims in two or more documents that look like mutual corroboration but
  all rest on one and the same single root (every chain of each claim ends at that root), at
  least one of them being relayed. Forty reprints of one interview form one echo group.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from itertools import islice
from typing import TypedDict

import networkx as nx

from graph.analysis.chains import Root, roots

__all__ = ["EchoGroup", "cycles", "echo_groups"]


class EchoGroup(TypedDict):
    """Documents whose claims all trace back to one root."""

    root: str
    root_label: str
    root_kind: str
    documents: list[str]
    claims: list[str]


def cycles(
    G: nx.DiGraph, *, max_cycles: int = 100, length_bound: int | None = None
) -> list[list[str]]:
    """Simple cycles (at most ``max_cycles``, each of at most ``length_bound`` nodes), sorted.

    Each cycle starts at its smallest node.

    >>> import networkx as nx
    >>> G = nx.DiGraph([("f1", "g1"), ("g1", "f1"), ("f1", "X")])
    >>> cycles(G)
    [['f1', 'g1']]
    """
    if max_cycles < 1:
        return []
    # Integer nodes in sorted order: which cycles come first past ``max_cycles`` then depends on
    # the graph only, not on the process's string hashing (the report must be reproducible).
    # Nodes and edges go in in the graph's own order, as networkx's relabelled copy of the relay
    # view would put them, without copying any attribute.
    name = sorted(G)
    number = {n: i for i, n in enumerate(name)}
    numbered = nx.DiGraph()
    numbered.add_nodes_from(number[n] for n in G)
    numbered.add_edges_from(
        (number[u], number[v]) for u, v, relation in G.edges(data="relation")
        if relation != "supported_by"
    )
    found = islice(nx.simple_cycles(numbered, length_bound=length_bound), max_cycles)
    out = []
    for cycle in found:
        nodes = [str(name[n]) for n in cycle]
        i = nodes.index(min(nodes))
        out.append(nodes[i:] + nodes[:i])
    return sorted(out)


def echo_groups(
    G: nx.DiGraph, *, roots_by_claim: Mapping[str, Sequence[Root]] | None = None
) -> list[EchoGroup]:
    """Groups of two or more documents whose claims rest on one single root.

    ``roots_by_claim`` may pass precomputed :func:`graph.analysis.roots` of every claim.

    >>> import networkx as nx
    >>> G = nx.DiGraph()
    >>> G.add_edges_from([("b1", "a1"), ("c1", "a1")], relation="relayed_from")
    >>> G.add_edge("a1", "P", relation="attributed_to")
    >>> for n, doc in (("a1", "A"), ("b1", "B"), ("c1", "C")):
    ...     G.add_node(n, type="claim", document=doc, source_kind="named-person")
    >>> G.add_node("P", type="agent", label="P")
    >>> g = echo_groups(G)[0]
    >>> g["root"], g["documents"], g["claims"]
    ('P', ['A', 'B', 'C'], ['a1', 'b1', 'c1'])
    """
    claims = [n for n, d in G.nodes(data=True) if d.get("type") == "claim"]
    table = roots_by_claim if roots_by_claim is not None else {c: roots(G, c) for c in claims}
    by_root: dict[str, list[str]] = defaultdict(list)
    root_info: dict[str, Root] = {}
    for claim in claims:
        found = table.get(claim, ())
        if len(found) == 1:
            by_root[found[0]["iri"]].append(claim)
            root_info.setdefault(found[0]["iri"], found[0])
    out: list[EchoGroup] = []
    for root, members in by_root.items():
        documents = sorted({str(G.nodes[c].get("document", "")) for c in members})
        relayed = any(
            G.edges[c, t].get("relation") == "relayed_from" for c in members for t in G[c]
        )
        if len(documents) >= 2 and relayed:
            info = root_info[root]
            out.append({
                "root": root,
                "root_label": info["label"],
                "root_kind": info["kind"],
                "documents": documents,
                "claims": sorted(members),
            })
    return sorted(out, key=lambda g: (-len(g["documents"]), g["root"]))
