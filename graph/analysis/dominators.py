"""Single points of failure: the nodes every chain from a claim to any of its roots passes through.

These are the claim's *post-dominators* towards its roots. Add a super-sink joined from every
root, reverse the edges, and the dominators of the claim seen from the super-sink are exactly the
nodes that all of its chains share (``networkx.immediate_dominators`` on the reversed graph).
A claim with a single root has that root among its dominators; a claim with two independent
roots may still share an upstream hop. A claim with no root has no dominators.

:func:`dominators_by_claim` runs the dominator computation once for the whole graph (one
super-sink joins every root), then reads each claim's dominators off the tree, so a corpus of
many claims costs one pass, not one per claim.
"""

from __future__ import annotations

from collections.abc import Hashable

import networkx as nx

from graph.analysis.chains import _require

__all__ = ["dominators", "dominators_by_claim"]

_SINK = ("claimgraph", "super-sink")


def _postdominator_tree(G: nx.DiGraph) -> dict[Hashable, Hashable]:
    """Immediate post-dominator of every node that reaches a root (the super-sink for roots),
    by ``networkx.immediate_dominators`` on a reversed copy: the direct way, for one claim."""
    H = nx.DiGraph()
    H.add_node(_SINK)
    H.add_edges_from((v, u) for u, v in G.edges)
    H.add_edges_from((_SINK, n) for n in G if G.out_degree(n) == 0)
    idom: dict[Hashable, Hashable] = nx.immediate_dominators(H, _SINK)
    idom.pop(_SINK, None)
    return idom


def _postdominators(G: nx.DiGraph) -> dict[Hashable, Hashable]:
    """What :func:`_postdominator_tree` returns, read off ``G`` itself: the same iterative
    algorithm (Cooper, Harvey and Kennedy) over the reversed edges, without building the
    reversed graph, whose copy of every edge cost more than the algorithm on a large corpus.
    A node's immediate dominator is unique, so the walk's order changes nothing."""
    succ, pred = G.succ, G.pred
    order: list[Hashable] = []  # post-order of a depth-first walk from the super-sink
    seen: set[Hashable] = set()
    for root in [n for n in G if not succ[n]]:
        if root in seen:
            continue
        seen.add(root)
        stack = [(root, iter(pred[root]))]
        while stack:
            node, upstream = stack[-1]
            for p in upstream:
                if p not in seen:
                    seen.add(p)
                    stack.append((p, iter(pred[p])))
                    break
            else:
                stack.pop()
                order.append(node)
    rank: dict[Hashable, int] = {n: i for i, n in enumerate(order)}
    rank[_SINK] = len(order)
    idom: dict[Hashable, Hashable] = {_SINK: _SINK}

    def meet(u: Hashable, v: Hashable) -> Hashable:
        while u != v:
            while rank[u] < rank[v]:
                u = idom[u]
            while rank[u] > rank[v]:
                v = idom[v]
        return u

    order.reverse()
    changed = True
    while changed:
        changed = False
        for u in order:
            new: Hashable | None = None
            for v in succ[u] or (_SINK,):  # a root's one successor, reversed, is the sink
                if v in idom:
                    new = v if new is None else meet(v, new)
            if idom.get(u) != new:
                idom[u] = new
                changed = True
    del idom[_SINK]
    return idom


def _chain(idom: dict[Hashable, Hashable], node: Hashable) -> list[str]:
    out: list[str] = []
    at = idom.get(node)
    while at is not None and at != _SINK:
        out.append(str(at))
        at = idom.get(at)
    return out


def dominators(G: nx.DiGraph, claim: str) -> list[str]:
    """The nodes every chain from ``claim`` to its roots passes through, nearest first.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph([("d1", "c1"), ("d1", "a1"), ("c1", "a1"), ("a1", "P"), ("b1", "a1")])
    >>> nx.set_node_attributes(G, "claim", "type")
    >>> dominators(G, "d1")
    ['a1', 'P']
    """
    _require(G, claim)
    reach = nx.descendants(G, claim) | {claim}
    sub = G.subgraph(reach)
    if sub.out_degree(claim) == 0:
        return []
    return _chain(_postdominator_tree(sub), claim)


def dominators_by_claim(G: nx.DiGraph) -> dict[str, list[str]]:
    """:func:`dominators` of every claim node, from one dominator computation.

    >>> import networkx as nx
    >>> G = nx.DiGraph([("b1", "a1"), ("a1", "P"), ("b1", "e1"), ("e1", "Q")])
    >>> nx.set_node_attributes(G, "claim", "type")
    >>> dominators_by_claim(G)["b1"], dominators_by_claim(G)["e1"]
    ([], ['Q'])
    """
    idom = _postdominators(G)
    memo: dict[Hashable, list[str]] = {}

    def chain(node: Hashable) -> list[str]:
        # iterative memoised walk up the tree: dom(v) = [idom(v)] + dom(idom(v))
        stack: list[Hashable] = []
        at: Hashable | None = node
        while at is not None and at != _SINK and at not in memo:
            stack.append(at)
            at = idom.get(at)
        for v in reversed(stack):
            parent = idom.get(v)
            memo[v] = [] if parent is None or parent == _SINK else [str(parent), *memo[parent]]
        return memo.get(node, [])

    return {
        n: (chain(n) if G.out_degree(n) > 0 else [])
        for n, d in G.nodes(data=True)
        if d.get("type") == "claim"
    }
