"""Independent corroboration: how many chains reach distinct roots without sharing any node.

By Menger's theorem this is the largest number of vertex-disjoint paths from the claim to a
super-sink joined from every root. Forty outlets repeating one interview all pass through the
interview's claim (or its document), so they count once; a second, separately sourced report of
the same claim raises the count to two.

The count is a unit-capacity maximum flow on the split-node graph (each node ``v`` becomes
``v_in → v_out`` with capacity 1) restricted to what the claim can reach, so the cost of one
claim is proportional to the size of its own support, not of the whole corpus.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Collection, Hashable, Mapping

import networkx as nx

from graph.analysis.chains import _require
from graph.analysis.reach import descendants

__all__ = ["corroboration", "corroboration_by_claim", "independent_count", "independent_paths"]

_SINK = ("claimgraph", "super-sink")  # a tuple can never collide with an IRI string
_GROUP = ("claimgraph", "group")  # (_GROUP, name): the one node a contracted group becomes

_Port = tuple[Hashable, int]


def independent_paths(
    G: nx.DiGraph, claim: str, *, groups: Mapping[str, str] | None = None
) -> list[list[str]]:
    """A largest set of vertex-disjoint chains from ``claim`` to distinct roots.

    ``groups`` maps a root to its independence group (:func:`graph.analysis.groups.group_of`):
    roots of one group are contracted into one node before the flow, so they count once.

    Examples
    --------
    Two outlets relaying one interview give one independent chain; a second source adds one:

    >>> import networkx as nx
    >>> G = nx.DiGraph([("b1", "a1"), ("b1", "c1"), ("c1", "a1"), ("a1", "P")])
    >>> nx.set_node_attributes(G, "claim", "type")
    >>> len(independent_paths(G, "b1"))
    1
    >>> G.add_edge("b1", "e1"); G.add_edge("e1", "Q")
    >>> G.nodes["e1"]["type"] = "claim"
    >>> sorted(p[-1] for p in independent_paths(G, "b1"))
    ['P', 'Q']
    """
    _require(G, claim)
    return _disjoint_paths(G, claim, descendants(G, claim), groups)


def independent_count(G: nx.DiGraph, claim: str, reach: Collection[str], *,
                      groups: Mapping[str, str] | None = None) -> int:
    """``len(independent_paths(G, claim, groups=groups))`` for a claim whose descendants
    ``reach`` are known (:func:`graph.analysis.reach.descendants`).

    The count is at most the claim's number of successors and at most its number of roots (a
    group counting once); when either is one and a root is in reach, it is one, with no flow to
    run. Most claims rest on one hop, so most counts come from here.
    """
    out = G.out_degree
    roots = [n for n in reach if out(n) == 0 and n != claim]
    if not roots:
        return 0
    # A group's roots share one way out; a tuple keeps a group's id apart from a root's IRI.
    sinks = len({(1, groups[r]) if r in groups else (0, r) for r in roots} if groups else roots)
    bound = min(sinks, sum(1 for w in G.succ[claim] if w != claim))
    if bound == 1:
        return 1
    # Augmenting stops at the bound: the last search, the one that finds no more room and
    # so visits everything, is then never run.
    return _augment(_network(G, claim, reach, roots, groups), (claim, 1), bound)[0]


def _network(G: nx.DiGraph, claim: str, reach: Collection[str], roots: list[str],
             groups: Mapping[str, str] | None) -> dict[Hashable, dict[Hashable, int]]:
    """The split-node residual network of what ``claim`` reaches, joined to the super-sink."""
    residual: dict[Hashable, dict[Hashable, int]] = {}

    def add(u: Hashable, v: Hashable) -> None:
        row = residual.setdefault(u, {})
        row[v] = row.get(v, 0) + 1
        residual.setdefault(v, {}).setdefault(u, 0)

    inner = [n for n in reach if n != claim]
    for n in inner:
        add((n, 0), (n, 1))
    succ = G.succ
    for tail in [claim, *inner]:
        for head in succ[tail]:
            if head in reach and head != claim:
                add((tail, 1), (head, 0))
    for r in roots:
        group = groups.get(r) if groups else None
        if group is None:
            add((r, 1), _SINK)
        else:  # every root of a group passes through the group's one unit of capacity
            add((r, 1), ((_GROUP, group), 0))
            if ((_GROUP, group), 1) not in residual:
                add(((_GROUP, group), 0), ((_GROUP, group), 1))
                add(((_GROUP, group), 1), _SINK)
    return residual


def _augment(residual: dict[Hashable, dict[Hashable, int]], source: _Port, limit: int | None
             ) -> tuple[int, set[tuple[Hashable, Hashable]]]:
    """Shortest augmenting paths of one unit until none is left (or ``limit`` are found): the
    flow's value and the edges it uses."""
    used: set[tuple[Hashable, Hashable]] = set()
    found = 0
    while limit is None or found < limit:
        parent: dict[Hashable, Hashable] = {source: source}
        queue: deque[Hashable] = deque([source])
        while queue and _SINK not in parent:
            u = queue.popleft()
            for v, cap in residual[u].items():
                if cap > 0 and v not in parent:
                    parent[v] = u
                    queue.append(v)
        if _SINK not in parent:
            break
        found += 1
        v = _SINK
        while v != source:
            u = parent[v]
            residual[u][v] -= 1
            residual[v][u] += 1
            if (v, u) in used:
                used.discard((v, u))
            else:
                used.add((u, v))
            v = u
    return found, used


def _disjoint_paths(G: nx.DiGraph, claim: str, reach: Collection[str],
                    groups: Mapping[str, str] | None) -> list[list[str]]:
    out = G.out_degree
    roots = [n for n in reach if n != claim and out(n) == 0]
    if not roots:
        return []
    source: _Port = (claim, 1)
    used = _augment(_network(G, claim, reach, roots, groups), source, None)[1]
    following: dict[Hashable, list[Hashable]] = {}
    for u, v in sorted(used, key=repr):
        following.setdefault(u, []).append(v)
    paths: list[list[str]] = []
    for first in list(following.get(source, [])):
        path: list[str] = [claim]
        at: Hashable = first
        while at != _SINK:
            assert isinstance(at, tuple)
            node, port = at
            if port == 0 and not (isinstance(node, tuple) and node[0] == _GROUP):
                path.append(node)
            at = following[at].pop()
        paths.append(path)
    return sorted(paths, key=lambda p: (p[-1], len(p), p))


def corroboration(G: nx.DiGraph, claim: str) -> int:
    """The number of independent roots of a claim: vertex-disjoint chains to distinct roots.

    0 for a claim that rests on nothing (for example one caught in a relay cycle with no way out).

    >>> import networkx as nx
    >>> G = nx.DiGraph([("b1", "a1"), ("c1", "a1"), ("d1", "c1"), ("d1", "a1"), ("a1", "P")])
    >>> nx.set_node_attributes(G, "claim", "type")
    >>> [corroboration(G, c) for c in ("a1", "b1", "c1", "d1")]
    [1, 1, 1, 1]
    """
    return len(independent_paths(G, claim))


def corroboration_by_claim(G: nx.DiGraph) -> dict[str, int]:
    """:func:`corroboration` of every claim node, by IRI (for :func:`entity_graph`, views)."""
    return {
        n: independent_count(G, n, descendants(G, n))
        for n, d in G.nodes(data=True) if d.get("type") == "claim"
    }
