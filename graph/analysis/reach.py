"""What a claim can reach, and what its roots are made of, computed once and shared.

:func:`graph.analysis.analyze` asks the same questions of every claim: which nodes does it reach
(its roots, chains, corroboration and relaying documents all start there), and, for each root,
which claims rest on it and by which relation. A popular root (an outlet's own voice, an
interviewee every outlet relays) is asked about by every claim resting on it, so
:class:`RootIndex` reads its predecessors once and answers each claim by looking only at the
claim's own (usually small) reach.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from typing import Final

import networkx as nx

from graph.model.words import SOURCE_KINDS

__all__ = ["ATTRIBUTED_TO", "RELAYED_FROM", "SAID_BY", "RootIndex", "descendants"]

ATTRIBUTED_TO: Final = "attributed_to"
SAID_BY: Final = "said_by"
RELAYED_FROM: Final = "relayed_from"
_KIND_ORDER: Final = {kind: i for i, kind in enumerate(SOURCE_KINDS)}


def descendants(G: nx.DiGraph, source: str) -> set[str]:
    """Every node reachable from ``source``, without ``source`` itself even on a cycle: the set
    ``networkx.descendants`` returns, from one walk over the adjacency.

    >>> import networkx as nx
    >>> sorted(descendants(nx.DiGraph([("a", "b"), ("b", "a"), ("b", "c")]), "a"))
    ['b', 'c']
    """
    succ = G.succ
    seen = {source}
    stack = [source]
    while stack:
        for child in succ[stack.pop()]:
            if child not in seen:
                seen.add(child)
                stack.append(child)
    seen.discard(source)
    return seen


class RootIndex:
    """The claims resting on each root, read once per root for one graph.

    :meth:`kind` is :func:`graph.analysis.root_kind` and :meth:`role` the role a claim reaches a
    root by; both only look at the claims in ``among`` (what one claim reaches), so a root many
    claims rest on costs its predecessors once, not once per claim.
    """

    def __init__(self, G: nx.DiGraph) -> None:
        self._G = G
        self._rested: dict[str, Counter[str]] = {}

    def rested(self, root: str) -> Counter[str]:
        """The claims attributed to ``root``, or relayed through a document it speaks in and
        claimed by it, each with how many ways it rests on ``root`` (a root's kind counts them
        that many times)."""
        found = self._rested.get(root)
        if found is not None:
            return found
        G = self._G
        pred = G.pred
        found = Counter()
        for p, edge in pred[root].items():
            relation = edge.get("relation")
            if relation == ATTRIBUTED_TO:
                found[p] += 1
            elif relation == SAID_BY:  # the claims relayed through the document, said by root
                for c, into in pred[p].items():
                    if (into.get("relation") == RELAYED_FROM
                            and root in G.nodes[c].get("claimants", ())):
                        found[c] += 1
        self._rested[root] = found
        return found

    def kind(self, root: str, among: Collection[str] | None = None) -> str:
        """``document``, ``unsupported``, or the most common source kind of the claims resting
        on ``root`` (those in ``among`` when given), ties broken in the order of
        :data:`graph.model.words.SOURCE_KINDS`; ``agent`` when none has one."""
        nodes = self._G.nodes
        node = nodes[root]
        if node.get("type") == "document":
            return "document"
        if node.get("type") == "claim":
            return "unsupported"
        rested = self.rested(root)
        chosen: list[tuple[str, int]]
        if among is None:
            chosen = list(rested.items())
        elif len(among) < len(rested):
            chosen = [(c, rested[c]) for c in among if c in rested]
        else:
            chosen = [(c, n) for c, n in rested.items() if c in among]
        if len(chosen) == 1:  # the usual case: the one claim of ``among`` resting on the root
            only = nodes[chosen[0][0]].get("source_kind", "")
            return "agent" if only == "" else str(only)
        counts: Counter[str] = Counter()
        for c, n in chosen:
            counts[nodes[c].get("source_kind", "")] += n
        counts.pop("", None)
        if not counts:
            return "agent"
        return str(min(counts, key=lambda k: (-counts[k], _KIND_ORDER.get(k, len(_KIND_ORDER)), k)))

    def role(self, node: str, among: Collection[str]) -> str:
        """``claimant``, ``speaker``, ``document`` or ``claim``: how ``among`` reaches a root."""
        kind = self._G.nodes[node].get("type")
        if kind != "agent":
            return str(kind or "")
        into = self._G.pred[node]
        if len(among) < len(into):
            said = any(into[p].get("relation") == SAID_BY for p in among if p in into)
        else:
            said = any(e.get("relation") == SAID_BY for p, e in into.items() if p in among)
        return "speaker" if said else "claimant"
