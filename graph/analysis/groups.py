"""Independence groups: sources joined by affiliations count once.

A mayor and the office that speaks for her, two outlets of one owner, a think tank and the lobby
that funds it are not independent confirmations of each other. The affiliations of a dependency
graph (``G.graph["affiliations"]``, see :mod:`graph.rdf.affiliations`) join entities into groups
by union-find — whoever asserts them, and each group names the affiliations that joined it and
who asserts them, so a reader can weigh them. :func:`independent_groups` then contracts each
group into one node before counting vertex-disjoint chains (Menger), and :func:`independence`
reports both numbers for a claim: its roots, its independent roots, and how many stay
independent once affiliations are taken into account.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import Any, TypedDict

import networkx as nx

from graph.analysis.chains import Root, _require, roots
from graph.analysis.corroboration import independent_count, independent_paths
from graph.analysis.reach import descendants

__all__ = [
    "Group",
    "Independence",
    "affiliation_groups",
    "group_of",
    "independence",
    "independent_groups",
    "member_index",
]


class Group(TypedDict):
    """Entities joined by affiliations: ``members`` (IRIs), their ``labels``, and the
    ``affiliations`` (records of :func:`graph.rdf.affiliations.read_affiliations`) joining them."""

    id: str
    members: list[str]
    labels: list[str]
    affiliations: list[dict[str, Any]]


class Independence(TypedDict):
    """A claim's roots counted three ways, and the groups that merged some of them."""

    roots: int
    independent_roots: int
    independent_groups: int
    joined: list[Group]


def _find(parent: dict[str, str], x: str) -> str:
    while parent.setdefault(x, x) != x:
        parent[x] = parent[parent[x]]  # path halving keeps the trees flat
        x = parent[x]
    return x


def affiliation_groups(affiliations: Iterable[Mapping[str, Any]]) -> list[Group]:
    """The groups (two members or more) that affiliations join, by union-find over their
    edges; each group's id is its smallest member IRI.

    >>> groups = affiliation_groups([
    ...     {"subject": "office", "object": "mayor", "subject_label": "office",
    ...      "object_label": "mayor", "relation": "spokesperson-for"},
    ...     {"subject": "aide", "object": "office", "subject_label": "aide",
    ...      "object_label": "office", "relation": "employee-of"}])
    >>> [(g["members"], len(g["affiliations"])) for g in groups]
    [(['aide', 'mayor', 'office'], 2)]
    """
    records = list(affiliations)
    parent: dict[str, str] = {}
    labels: dict[str, str] = {}
    for a in records:
        s, o = str(a["subject"]), str(a["object"])
        labels[s], labels[o] = str(a.get("subject_label", s)), str(a.get("object_label", o))
        rs, ro = _find(parent, s), _find(parent, o)
        if rs != ro:
            parent[max(rs, ro)] = min(rs, ro)
    members: dict[str, list[str]] = {}
    for x in sorted(parent):
        members.setdefault(_find(parent, x), []).append(x)
    groups: list[Group] = []
    for root, found in sorted(members.items()):
        if len(found) < 2:
            continue
        groups.append({
            "id": root,
            "members": found,
            "labels": [labels[m] for m in found],
            "affiliations": [dict(a) for a in records if _find(parent, str(a["subject"])) == root],
        })
    return groups


def member_index(groups: Iterable[Group]) -> dict[str, list[str]]:
    """Each member of ``groups`` → the id of its group (of each group listing it)."""
    index: dict[str, list[str]] = {}
    for g in groups:
        for m in g["members"]:
            index.setdefault(m, []).append(g["id"])
    return index


def group_of(G: nx.DiGraph) -> dict[str, str]:
    """Each entity an affiliation of ``G`` names → its group's id."""
    return {m: g["id"] for g in affiliation_groups(G.graph.get("affiliations", ()))
            for m in g["members"]}


def independent_groups(G: nx.DiGraph, claim: str, *, groups: Mapping[str, str] | None = None
                       ) -> int:
    """Vertex-disjoint chains from ``claim`` to distinct roots once each independence group is
    contracted into one node: the claim's independent roots, affiliations taken into account.
    Without affiliations, :func:`graph.analysis.corroboration` exactly.

    ``groups`` (from :func:`group_of`) saves recomputing them claim by claim.

    >>> import networkx as nx
    >>> G = nx.DiGraph([("c1", "mayor"), ("c1", "c2"), ("c2", "office"), ("c1", "c3"),
    ...                 ("c3", "engineer")])
    >>> nx.set_node_attributes(G, "claim", "type")
    >>> G.graph["affiliations"] = [{"subject": "office", "object": "mayor"}]
    >>> independent_groups(G, "c1")
    2
    """
    return len(independent_paths(G, claim, groups=group_of(G) if groups is None else groups))


def independence(
    G: nx.DiGraph,
    claim: str,
    *,
    groups: Sequence[Group] | None = None,
    claim_roots: Iterable[Root] | None = None,
    reach: Collection[str] | None = None,
    member_of: Mapping[str, Sequence[str]] | None = None,
) -> Independence:
    """A claim's roots, independent roots, independent groups, and the groups that joined two
    or more of its roots (with the affiliations that did, and who asserts them).

    ``groups`` (from :func:`affiliation_groups`), ``claim_roots`` (from
    :func:`graph.analysis.roots`), ``reach`` (the claim's descendants,
    :func:`graph.analysis.reach.descendants`) and ``member_of`` (from :func:`member_index` of
    the same ``groups``) save recomputing them when every claim is asked about.
    """
    _require(G, claim)
    found = affiliation_groups(G.graph.get("affiliations", ())) if groups is None else groups
    at = {r["iri"] for r in (roots(G, claim) if claim_roots is None else claim_roots)}
    index = member_index(found) if member_of is None else member_of
    hits = Counter(gid for m in at for gid in index.get(m, ())) if index else Counter()
    joined = [g for g in found if hits[g["id"]] >= 2] if any(n >= 2 for n in hits.values()) else []
    below = descendants(G, claim) if reach is None else reach
    independent = independent_count(G, claim, below)
    if joined:  # only a group holding two of its roots can lower the count
        mapping = {m: g["id"] for g in joined for m in g["members"]}
        grouped = independent_count(G, claim, below, groups=mapping)
    else:
        grouped = independent
    return {"roots": len(at), "independent_roots": independent,
            "independent_groups": grouped, "joined": joined}
