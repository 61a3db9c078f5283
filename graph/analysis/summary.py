"""Every analysis for every claim in one pass.

:func:`analyze` computes the roots, independent corroboration, dominators and (bounded) chains of
every claim, the sources ranked by impact, relay cycles, echo groups, contradictions with each
side's roots, and the sourcing profile of each document. The dominator tree is computed once for
the whole graph and each claim's roots once, then shared by every analysis that needs them.
The result is plain JSON-ready data; :func:`graph.report.findings.render_findings` turns it into
markdown for an analyst.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any, Final

import networkx as nx

from graph.analysis.chains import Root, _outlet, chain_text, chains_within, roots_within
from graph.analysis.contradictions import contradictions
from graph.analysis.cycles import cycles, echo_groups
from graph.analysis.dominators import dominators_by_claim
from graph.analysis.groups import affiliation_groups, independence, member_index
from graph.analysis.impact import impact
from graph.analysis.profile import profile, rests_on_unnamed
from graph.analysis.reach import RootIndex, descendants
from graph.support.gc_pause import without_gc

__all__ = [
    "LISTED_CLAIMS",
    "TOP_SOURCES",
    "analyze",
]

TOP_SOURCES: Final = 10
LISTED_CLAIMS: Final = 12


@without_gc
def analyze(G: nx.DiGraph, *, max_chains: int = 20, max_cycles: int = 100) -> dict[str, Any]:
    """All analyses of a dependency graph, as one JSON-ready object.

    Keys: ``claims`` (each with ``iri``, ``claim_id``, ``document``, ``outlet``, ``text``,
    ``label``, ``source_kind``, ``mode``, ``claimants``, ``relayed``, ``roots`` — a list of
    ``{iri, label, kind, type, role}``, role ``speaker`` for who said it in a relaying document
    —, ``independent_roots``, ``independent_groups`` (independent roots once sources joined by
    affiliations count as one), ``affiliation_groups`` (the groups that joined two or more of
    its roots, each with the affiliations that did and who asserts them), ``dominators``,
    ``chains`` — at most ``max_chains`` node lists —,
    ``chain_texts`` (each chain as one line, outlet to root), ``chains_truncated``,
    ``relayed_outlets`` (the other outlets its chains pass through),
    ``relayed_through`` (the relaying documents on its chains: ``iri``, ``label``, ``outlet``,
    ``date_published``, ``url``, ``speakers``), ``supporters`` and ``challengers`` (claims that
    support it, and that deny or contradict it: ``iri``, ``claim_id``, ``text``, ``relation``)),
    ``affiliations`` and ``groups`` (every affiliation and the groups they form:
    :mod:`graph.analysis.groups`), ``sources`` (each ``iri``, ``label``, ``type``,
    ``claims_supported``,
    ``claims_lost_if_removed``, ``claims_lost``; ranked by impact), ``relayed_documents`` (each
    relaying document with its ``outlet``, ``speakers``, ``claims_supported`` and
    ``claims_lost_if_removed``), ``cycles``, ``echo_groups``, ``contradictions`` (each
    ``claim``, ``other``, ``relation`` and both sides' texts and roots), ``documents`` (sourcing
    profiles) and ``totals``.

    >>> import networkx as nx
    >>> G = nx.DiGraph([("b1", "a1"), ("a1", "P")])
    >>> nx.set_node_attributes(G, "claim", "type")
    >>> G.nodes["P"].update(type="agent", label="P")
    >>> result = analyze(G)
    >>> [(c["iri"], c["independent_roots"], c["dominators"]) for c in result["claims"]]
    [('a1', 1, ['P']), ('b1', 1, ['a1', 'P'])]
    """
    claim_nodes = sorted(n for n, d in G.nodes(data=True) if d.get("type") == "claim")
    doms = dominators_by_claim(G)
    index = RootIndex(G)
    roots_by_claim: dict[str, list[Root]] = {}
    resting: Counter[str] = Counter()  # claims that reach each node
    supporters: dict[str, list[dict[str, str]]] = {c: [] for c in claim_nodes}
    challengers: dict[str, list[dict[str, str]]] = {c: [] for c in claim_nodes}
    for supporter, supported in G.graph.get("supports", ()):
        if supported in supporters and supporter in G:
            supporters[supported].append(_link(G, supporter, "supports"))
    for claim, other, relation in G.graph.get("contradictions", ()):
        if other in challengers and claim in G:
            challengers[other].append(_link(G, claim, relation))
    groups = affiliation_groups(G.graph.get("affiliations", ()))
    member_of = member_index(groups)
    nodes, succ = G.nodes, G.succ
    memo: dict[str, Any] = {}  # what each node is, looked up once for every chain through it
    claims_out: list[dict[str, Any]] = []
    for c in claim_nodes:
        data = nodes[c]
        # One walk per claim, read by its roots, chains, corroboration and relaying documents,
        # then let go: where copies form long cycles, every claim reaches much of the graph.
        below = descendants(G, c)
        roots_by_claim[c] = roots_within(G, c, below, index)
        resting.update(below)
        found = chains_within(G, c, below, max_paths=max_chains + 1)
        independent = independence(G, c, groups=groups, claim_roots=roots_by_claim[c],
                                   reach=below, member_of=member_of)
        claims_out.append({
            "iri": c,
            "claim_id": data.get("claim_id", ""),
            "document": data.get("document", ""),
            "outlet": _outlet(G, c, memo),
            "text": data.get("text", ""),
            "label": data.get("label", c),
            "source_kind": data.get("source_kind", ""),
            "mode": data.get("mode", ""),
            "claimants": list(data.get("claimants", [])),
            "relayed": any(e.get("relation") == "relayed_from" for e in succ[c].values()),
            "roots": roots_by_claim[c],
            "independent_roots": independent["independent_roots"],
            "independent_groups": independent["independent_groups"],
            "affiliation_groups": independent["joined"],
            "dominators": doms.get(c, []),
            "chains": found[:max_chains],
            "chain_texts": [chain_text(G, chain, memo=memo) for chain in found[:max_chains]],
            "chains_truncated": len(found) > max_chains,
            "relayed_through": [
                _relaying(G, d) for d in sorted(below) if nodes[d].get("type") == "document"
            ],
            "relayed_outlets": _relayed_outlets(G, c, found[:max_chains], memo),
            "supporters": supporters[c],
            "challengers": challengers[c],
        })
    sources = impact(G, dominators=doms, claims_supported=resting)
    relayed_documents = [
        {**_relaying(G, str(s["iri"])), "claims_supported": s["claims_supported"],
         "claims_lost_if_removed": s["claims_lost_if_removed"]}
        for s in sources if s["type"] == "document"
    ]
    by_document: dict[str, list[str]] = {}
    for c in claim_nodes:
        doc = str(G.nodes[c].get("document", ""))
        if doc:
            by_document.setdefault(doc, []).append(c)
    distribution = Counter(c["independent_roots"] for c in claims_out)
    root_kinds = Counter(r["kind"] for rs in roots_by_claim.values() for r in rs)
    return {
        "claims": claims_out,
        "affiliations": list(G.graph.get("affiliations", ())),
        "groups": groups,
        "sources": sources,
        "relayed_documents": relayed_documents,
        "cycles": cycles(G, max_cycles=max_cycles),
        "echo_groups": echo_groups(G, roots_by_claim=roots_by_claim),
        "contradictions": contradictions(G, roots_by_claim=roots_by_claim),
        "documents": [
            profile(G, d, roots_by_claim=roots_by_claim, claims_in=by_document[d])
            for d in sorted(by_document)
        ],
        "totals": {
            "claims": len(claims_out),
            "independent_roots": {str(k): distribution[k] for k in sorted(distribution)},
            "root_kinds": dict(sorted(root_kinds.items(), key=lambda kv: (-kv[1], kv[0]))),
            "unnamed": sum(
                1 for c in claim_nodes if rests_on_unnamed(G, c, roots_by_claim[c])
            ),
            "no_source": sum(1 for c in claim_nodes if not roots_by_claim[c]),
            "fewer_once_affiliated": sum(
                1 for c in claims_out if c["independent_groups"] < c["independent_roots"]),
        },
    }


def _link(G: nx.DiGraph, claim: str, relation: str) -> dict[str, str]:
    data = G.nodes[claim]
    return {"iri": claim, "claim_id": str(data.get("claim_id", "")),
            "text": str(data.get("text", "")), "relation": relation}


def _relayed_outlets(G: nx.DiGraph, claim: str, found: Sequence[list[str]],
                     memo: dict[str, Any]) -> list[str]:
    """The outlets, other than the claim's own, whose documents its chains pass through."""
    own = _outlet(G, claim, memo)
    seen = {_outlet(G, n, memo) for chain in found for n in chain[1:]}
    return sorted(seen - {own, ""})


def _relaying(G: nx.DiGraph, node: str) -> dict[str, Any]:
    """A relaying document node: what it is, who published it, and who speaks in it."""
    data = G.nodes[node]
    return {"iri": str(data.get("iri") or node), "label": str(data.get("label", node)),
            "outlet": str(data.get("publisher_label") or ""),
            "date_published": str(data.get("date_published") or ""),
            "url": str(data.get("url") or ""),
            "speakers": [str(s) for s in data.get("speaker_labels") or ()]}
