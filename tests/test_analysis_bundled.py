"""The analyses on the bundled article, checked against its annotation records."""

from __future__ import annotations

import io
import json
import time
from datetime import UTC, datetime

import networkx as nx
import pytest
from rdflib import Dataset

import graph
from graph.analysis import (
    analyze,
    corroboration,
    dominators,
    roots,
    to_gexf,
    to_graphml,
    to_node_link_json,
)
from graph.corpus import BUNDLED_DOCUMENT_ID
from graph.model.records import resolve_claim_ref
from graph.rdf.analysis_results import (
    ANALYSIS_GRAPH,
    INDEPENDENT_ROOT_COUNT,
    analysis_dataset,
    source_graphs,
)
from graph.rdf.projection import dependency_graph, entity_graph
from graph.rdf.vocab import PROV, claim_iri, document_iri, entity_iri
from graph.report.findings import render_findings

DAILY_MAIL = "dailymail-strong-interview"


@pytest.fixture(scope="module")
def corpus() -> graph.Corpus:
    return graph.load_corpus([graph.bundled_corpus_dir()])


@pytest.fixture(scope="module")
def ds(corpus: graph.Corpus) -> Dataset:
    return graph.build_dataset(corpus)


@pytest.fixture(scope="module")
def G(ds: Dataset) -> nx.DiGraph:
    return dependency_graph(ds)


def test_projection_keeps_every_claim(corpus: graph.Corpus, G: nx.DiGraph) -> None:
    expected = {str(claim_iri(c.document, c.id)) for c in corpus.claims.values()}
    assert {n for n, d in G.nodes(data=True) if d["type"] == "claim"} == expected


def test_first_sentence_rests_on_strong_through_the_daily_mail_report(
    corpus: graph.Corpus, G: nx.DiGraph
) -> None:
    claims = corpus.files[0].claims
    first_relayed = next(c for c in claims if c.relayed_from)
    text = corpus.files[0].document.text or ""
    assert first_relayed.end <= text.index(".")  # it is in the first sentence
    node = str(claim_iri(first_relayed.document, first_relayed.id))
    daily_mail = str(document_iri(DAILY_MAIL))
    assert first_relayed.relayed_from == (DAILY_MAIL,)
    assert daily_mail in dominators(G, node)
    assert corroboration(G, node) == 1
    strong = str(entity_iri("russell-strong"))
    assert [(r["iri"], r["kind"], r["role"]) for r in roots(G, node)] == [
        (strong, "named-person", "speaker")]
    assert dominators(G, node) == [daily_mail, strong]
    assert G.nodes[daily_mail]["has_text"] is False
    assert G.nodes[daily_mail]["publisher_label"] == "Daily Mail Australia"


def test_c01_is_the_outlets_own_voice(corpus: graph.Corpus, G: nx.DiGraph) -> None:
    c01 = corpus.claims[f"{BUNDLED_DOCUMENT_ID}#c01"]
    node = str(claim_iri(c01.document, c01.id))
    expected = [str(entity_iri(e)) for e in c01.claimants]
    if c01.relayed_from:
        pytest.fail("c01 is now relayed; update this test to the relayed case")
    assert [r["iri"] for r in roots(G, node)] == expected
    assert {r["kind"] for r in roots(G, node)} == {c01.source_kind}
    assert dominators(G, node) == expected


def test_counts_agree_with_the_annotation_records(corpus: graph.Corpus, G: nx.DiGraph) -> None:
    summary = analyze(G)
    only_daily_mail = [
        c for c in summary["claims"]
        if [r["iri"] for r in c["roots"]] == [str(entity_iri("russell-strong"))]
        and str(document_iri(DAILY_MAIL)) in c["dominators"]
    ]
    records = [c for c in corpus.claims.values() if c.relayed_from == (DAILY_MAIL,)]
    assert len(only_daily_mail) == len(records) > 0
    supported = {resolve_claim_ref(c, ref) for c in corpus.claims.values() for ref in c.supports}
    not_relayed = [c for c in corpus.claims.values()
                   if not c.relayed_from and not c.inferred_from and c.key not in supported]
    for record in not_relayed:
        iri = str(claim_iri(record.document, record.id))
        found = next(c for c in summary["claims"] if c["iri"] == iri)
        assert [r["iri"] for r in found["roots"]] == sorted(
            (str(entity_iri(e)) for e in record.claimants),
            key=lambda iri: (G.nodes[iri]["label"], iri))
        assert found["independent_roots"] == len(record.claimants)
    text = render_findings(G, summary)
    assert f"{len(records)} claims rest only on" in text


def test_analyze_is_fast_and_json_ready(G: nx.DiGraph) -> None:
    start = time.perf_counter()
    summary = analyze(G)
    elapsed = time.perf_counter() - start
    assert elapsed < 5
    again = json.loads(json.dumps(summary))
    assert again["totals"]["claims"] == len(summary["claims"])


def test_entity_graph_edges_are_asserted_by_claims(corpus: graph.Corpus, ds: Dataset) -> None:
    E = entity_graph(ds)
    asserted = {
        (str(entity_iri(r.subject)), str(entity_iri(r.object)))
        for c in corpus.claims.values() for r in c.relations
    }
    assert set(E.edges) == asserted
    for _u, _v, data in E.edges(data=True):
        claims = {c["iri"] for rel in data["relations"] for c in rel["claims"]}
        assert data["weight"] == len(claims) > 0


@pytest.mark.parametrize("name", ["graphml", "gexf", "json"])
def test_exports_read_back(G: nx.DiGraph, ds: Dataset, name: str) -> None:
    for network in (G, entity_graph(ds)):
        if name == "graphml":
            back = nx.read_graphml(io.BytesIO(to_graphml(network).encode()))
        elif name == "gexf":
            back = nx.read_gexf(io.BytesIO(to_gexf(network).encode()))
        else:
            back = nx.node_link_graph(json.loads(to_node_link_json(network)), edges="edges")
        assert set(back.nodes) == set(network.nodes)
        assert set(back.edges) == set(network.edges)


def test_rdf_results(ds: Dataset, G: nx.DiGraph) -> None:
    summary = analyze(G)
    t0 = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
    t1 = datetime(2024, 5, 1, 12, 1, tzinfo=UTC)
    used = source_graphs(ds)
    assert used == [f"https://w3id.org/claimgraph/id/graph/{BUNDLED_DOCUMENT_ID}"]
    out = analysis_dataset(summary, used=used, started=t0, ended=t1)
    g = out.graph(ANALYSIS_GRAPH)
    counts = {str(s): int(o) for s, o in g.subject_objects(INDEPENDENT_ROOT_COUNT)}
    assert counts == {c["iri"]: c["independent_roots"] for c in summary["claims"]}
    influenced = {(str(s), str(o)) for s, o in g.subject_objects(PROV.wasInfluencedBy)}
    assert influenced == {(c["iri"], r["iri"]) for c in summary["claims"] for r in c["roots"]}
    activity = g.value(ANALYSIS_GRAPH, PROV.wasGeneratedBy)
    assert activity is not None
    assert g.value(activity, PROV.startedAtTime).toPython() == t0
    assert {str(o) for o in g.objects(activity, PROV.used)} == set(used)
    assert len(out.graph(graph.rdf.vocab.ONTOLOGY_GRAPH)) == 0  # nothing outside its own graph


def test_build_report_carries_the_findings() -> None:
    from graph.pipeline.outputs import extra_outputs

    findings, _writers = extra_outputs(views=False)
    text = findings(graph.build())
    assert text is not None and text.startswith("## Key findings")
    assert "## What the claims rest on" in text
