"""Hand-computed answers on the relay corpus (tests/data/relay-corpus).

The scenario: Mira Tolland (P) is interviewed by doc-a (a1). doc-b, doc-c and doc-d relay a1 at
claim level; d1 also relays c1; b1 is also relayed from e1, where councillor Oren Pike (Q) says
the same thing independently. c2 (an official statement) denies c1. f1 and g1 are relayed from
each other. b2 and e2 are in their outlets' own voice; d2 rests on unnamed residents.
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest

import graph
from graph.analysis import (
    analyze,
    chains,
    claims_lost_if_removed,
    contradictions,
    corroboration,
    cycles,
    dominators,
    dominators_by_claim,
    echo_groups,
    impact,
    independent_paths,
    profile,
    resolve_claim,
    roots,
)
from graph.errors import NotFoundError
from graph.rdf.projection import dependency_graph, entity_graph
from graph.rdf.vocab import claim_iri, document_iri, entity_iri
from graph.report.findings import render_findings

CORPUS = Path(__file__).parent / "data" / "relay-corpus"


def C(ref: str) -> str:
    doc, _, cid = ref.partition("#")
    return str(claim_iri(doc, cid))


P, Q = str(entity_iri("mira-tolland")), str(entity_iri("oren-pike"))
VTA = str(entity_iri("vell-transit-authority"))


@pytest.fixture(scope="module")
def built() -> graph.Build:
    return graph.build([CORPUS])


@pytest.fixture(scope="module")
def G(built: graph.Build) -> nx.DiGraph:
    return dependency_graph(built.dataset)


def test_edges_follow_claim_level_relays_without_parallel_document_hops(G: nx.DiGraph) -> None:
    assert set(G.successors(C("doc-b#b1"))) == {C("doc-a#a1"), C("doc-e#e1")}
    assert set(G.successors(C("doc-d#d1"))) == {C("doc-a#a1"), C("doc-c#c1")}
    assert list(G.successors(C("doc-a#a1"))) == [P]
    assert G.edges[C("doc-a#a1"), P]["relation"] == "attributed_to"
    assert G.edges[C("doc-c#c1"), C("doc-a#a1")]["relation"] == "relayed_from"
    assert str(document_iri("doc-a")) not in G  # relayed at claim level only
    # a relayed claim's claimant gets no attributed_to edge
    assert all(G.edges[C("doc-b#b1"), t]["relation"] == "relayed_from" for t in G[C("doc-b#b1")])


def test_node_attributes(G: nx.DiGraph) -> None:
    a1 = G.nodes[C("doc-a#a1")]
    assert (a1["type"], a1["claim_id"], a1["mode"], a1["source_kind"]) == (
        "claim", "a1", "direct-quote", "named-person")
    assert a1["document"] == str(document_iri("doc-a"))
    assert a1["claimants"] == [P]
    assert a1["text"] == "The Vell bridge was closed for repairs in March"
    p = G.nodes[P]
    assert (p["type"], p["entity_type"], p["vague"]) == ("agent", "person", False)
    assert G.nodes[str(entity_iri("some-residents"))]["vague"] is True
    assert G.nodes[str(entity_iri("some-residents"))]["entity_type"] == "group"


def test_corroboration_counts_one_source_once(G: nx.DiGraph) -> None:
    assert corroboration(G, C("doc-a#a1")) == 1
    assert corroboration(G, C("doc-c#c1")) == 1
    assert corroboration(G, C("doc-d#d1")) == 1  # two chains, both through a1
    assert corroboration(G, C("doc-b#b1")) == 2  # P through a1, Q through e1
    assert sorted(p[-1] for p in independent_paths(G, C("doc-b#b1"))) == sorted([P, Q])
    assert corroboration(G, C("doc-f#f1")) == 0  # relay cycle, no way out


def test_roots_and_kinds(G: nx.DiGraph) -> None:
    assert [(r["iri"], r["kind"]) for r in roots(G, C("doc-b#b1"))] == [
        (P, "named-person"), (Q, "named-person")]
    assert [(r["iri"], r["kind"]) for r in roots(G, C("doc-c#c2"))] == [(VTA, "official-statement")]
    assert [r["kind"] for r in roots(G, C("doc-b#b2"))] == ["author-voice"]
    assert [r["kind"] for r in roots(G, C("doc-d#d2"))] == ["vague-collective"]
    assert roots(G, C("doc-g#g1")) == []


def test_chains(G: nx.DiGraph) -> None:
    d1, c1, a1 = C("doc-d#d1"), C("doc-c#c1"), C("doc-a#a1")
    assert sorted(chains(G, d1)) == sorted([[d1, a1, P], [d1, c1, a1, P]])
    assert len(chains(G, d1, max_paths=1)) == 1
    assert chains(G, C("doc-f#f1")) == []


def test_dominators(G: nx.DiGraph) -> None:
    a1 = C("doc-a#a1")
    assert dominators(G, C("doc-d#d1")) == [a1, P]
    assert dominators(G, C("doc-c#c1")) == [a1, P]
    assert dominators(G, a1) == [P]
    assert dominators(G, C("doc-b#b1")) == []
    assert dominators(G, C("doc-f#f1")) == []
    everything = dominators_by_claim(G)
    assert all(everything[c] == dominators(G, c) for c in everything)


def test_impact_ranking(G: nx.DiGraph) -> None:
    ranked = impact(G)
    top = [(s["iri"], s["claims_supported"], s["claims_lost_if_removed"]) for s in ranked[:2]]
    assert top == [(P, 4, 3), (Q, 2, 1)]
    assert ranked[0]["claims_lost"] == sorted([C("doc-a#a1"), C("doc-c#c1"), C("doc-d#d1")])
    assert [s["label"] for s in ranked[2:]] == [
        "Northfield Courier", "Some residents (unnamed)", "Valley Gazette",
        "Vell Transit Authority"]
    with_claims = {s["iri"]: s for s in impact(G, include_claims=True)}
    assert with_claims[C("doc-a#a1")]["claims_lost"] == sorted([C("doc-c#c1"), C("doc-d#d1")])
    for s in ranked:
        assert s["claims_lost"] == claims_lost_if_removed(G, s["iri"])


def test_cycle_and_echo_group(G: nx.DiGraph) -> None:
    assert cycles(G) == [[C("doc-f#f1"), C("doc-g#g1")]]
    groups = echo_groups(G)
    assert len(groups) == 1
    assert groups[0]["root"] == P
    assert groups[0]["documents"] == [str(document_iri(d)) for d in ("doc-a", "doc-c", "doc-d")]


def test_denial_with_each_sides_roots(G: nx.DiGraph) -> None:
    assert G.graph["contradictions"] == [(C("doc-c#c2"), C("doc-c#c1"), "denies")]
    (pair,) = contradictions(G)
    assert [r["iri"] for r in pair["claim_roots"]] == [VTA]
    assert [r["iri"] for r in pair["other_roots"]] == [P]


def test_profiles(G: nx.DiGraph) -> None:
    b = profile(G, str(document_iri("doc-b")))
    assert (b["claims"], b["own_voice"], b["own_voice_share"], b["unnamed"]) == (2, 1, 0.5, 0)
    d = profile(G, str(document_iri("doc-d")))
    assert (d["unnamed"], d["unnamed_share"], d["by_source_kind"]) == (
        1, 0.5, {"named-person": 1, "vague-collective": 1})
    f = profile(G, str(document_iri("doc-f")))
    assert (f["no_source"], f["no_source_share"]) == (1, 1.0)
    with pytest.raises(NotFoundError):
        profile(G, "https://example.org/no-such-document")


def test_resolve_claim(G: nx.DiGraph) -> None:
    assert resolve_claim(G, "a1") == C("doc-a#a1")
    assert resolve_claim(G, "doc-c#c1") == C("doc-c#c1")
    assert resolve_claim(G, C("doc-c#c1")) == C("doc-c#c1")
    for bad in ("zz9", "doc-c#c9", str(P)):
        with pytest.raises(NotFoundError):
            resolve_claim(G, bad)


def test_analyze_and_findings(G: nx.DiGraph) -> None:
    summary = analyze(G)
    by_id = {c["claim_id"]: c for c in summary["claims"]}
    assert by_id["b1"]["independent_roots"] == 2
    assert by_id["d1"]["dominators"] == [C("doc-a#a1"), P]
    assert summary["totals"]["independent_roots"] == {"0": 2, "1": 8, "2": 1}
    text = render_findings(G, summary)
    assert text.startswith("## Key findings")
    assert "Relay cycle: f1 → g1 → f1" in text
    assert "2 claims are statements in the outlet's own voice" in text
    assert "| Mira Tolland | agent | 4 | 3 |" in text
    findings = "\n".join(line for line in text.splitlines() if line.startswith(("-", "|"))).lower()
    for word in (" is true", " is false", "false claim", "true claim", "debunk", "proven"):
        assert word not in findings


def test_entity_graph(built: graph.Build, G: nx.DiGraph) -> None:
    from graph.analysis import corroboration_by_claim

    E = entity_graph(built.dataset, corroboration=corroboration_by_claim(G))
    pike, committee = str(entity_iri("oren-pike")), str(entity_iri("roads-committee"))
    assert list(E.edges) == [(pike, committee)]
    edge = E.edges[pike, committee]
    assert edge["weight"] == 1
    (rel,) = edge["relations"]
    assert rel["predicate"] == "https://schema.org/memberOf"
    assert rel["predicate_label"] == "member of"
    assert rel["claims"][0]["iri"] == C("doc-e#e2")
    assert rel["claims"][0]["corroboration"] == 1
    assert E.nodes[pike]["entity_type"] == "person"
    assert list(entity_graph(built.dataset, types={"place"}).edges) == []
