"""The build: SHACL and the contract pass on the bundled article and bite on broken graphs;
every export round-trips; a second parser reads them; IRIs are deterministic; outputs are atomic."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, Literal
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

import graph
from graph.rdf.export import SERIALISERS, flat_graph
from graph.rdf.rdfio import read_rdf
from graph.rdf.vocab import CG, OA, PROV, SCHEMA, claim_iri, position_selector_iri
from graph.validate.checks import validate_dataset
from graph.validate.contract import check_contract
from graph.validate.problems import union_of
from graph.validate.shacl import check_shacl, shacl_chunks

DOC = "thebl-organ-harvesting"


@pytest.fixture(scope="module")
def bundled() -> graph.Build:
    return graph.build()


@pytest.fixture(scope="module")
def written(bundled: graph.Build, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("build") / "out"
    graph.write_build(bundled, out)
    return out


def assert_isomorphic(expected: Graph, actual: Graph) -> None:
    if isomorphic(expected, actual):
        return
    _, only_expected, only_actual = graph_diff(to_isomorphic(expected), to_isomorphic(actual))
    lines = sorted(only_expected.serialize(format="nt").splitlines())[:10]
    lines += ["--- only in the re-parsed file:"]
    lines += sorted(only_actual.serialize(format="nt").splitlines())[:10]
    pytest.fail("graphs differ:\n" + "\n".join(lines))


def named_graphs(ds: Dataset) -> dict[str, Graph]:
    out: dict[str, Graph] = {}
    for s, p, o, ctx in ds.quads((None, None, None, None)):
        name = str(getattr(ctx, "identifier", ctx))
        out.setdefault(name, Graph()).add((s, p, o))
    return out


def test_bundled_graph_passes_shacl_and_contract(bundled: graph.Build) -> None:
    assert validate_dataset(bundled.dataset) == []


def test_claims_anchor_their_exact_text(bundled: graph.Build) -> None:
    g = union_of(bundled.dataset)
    claims = list(g.subjects(graph.rdf.vocab.RDF.type, SCHEMA.Claim))
    assert len(claims) == len(bundled.corpus.files[0].claims)
    for claim in claims:
        (anchor,) = g.subjects(OA.hasBody, claim)
        target = g.value(anchor, OA.hasTarget)
        doc_text = str(g.value(g.value(target, OA.hasSource), SCHEMA.text))
        for sel in g.objects(target, OA.hasSelector):
            if (sel, graph.rdf.vocab.RDF.type, OA.TextPositionSelector) in g:
                start = g.value(sel, OA.start).toPython()  # type: ignore[union-attr]
                end = g.value(sel, OA.end).toPython()  # type: ignore[union-attr]
                assert doc_text[start:end] == str(g.value(claim, SCHEMA.text))


def test_relayed_claims_reach_the_daily_mail_report(bundled: graph.Build) -> None:
    g = union_of(bundled.dataset)
    dm = graph.rdf.vocab.document_iri("dailymail-strong-interview")
    relayed = [
        c for c in bundled.corpus.files[0].claims if "dailymail-strong-interview" in c.relayed_from
    ]
    assert relayed
    for claim in relayed:
        assert dm in set(g.transitive_objects(claim_iri(DOC, claim.id), PROV.wasDerivedFrom))


def test_claim_content_lives_only_in_claim_graphs(bundled: graph.Build) -> None:
    graphs = named_graphs(bundled.dataset)
    doc_graph = graphs[str(graph.rdf.vocab.document_graph_iri(DOC))]
    assert not any(p in graph.rdf.vocab.RELATIONS.values() for _, p, _ in doc_graph)
    claim_graphs = [name for name in graphs if "/claim/" in name]
    assert claim_graphs, "the bundled article asserts relations in some claims"


def test_analyst_additions_are_kept_apart(bundled: graph.Build) -> None:
    graphs = named_graphs(bundled.dataset)
    analyst = graphs[str(graph.rdf.vocab.analyst_graph_iri(DOC))]
    doc = graph.rdf.vocab.document_iri(DOC)
    assert analyst.value(doc, SCHEMA.publisher) == graph.rdf.vocab.entity_iri("the-bl")
    assert graphs[str(graph.rdf.vocab.document_graph_iri(DOC))].value(doc, SCHEMA.publisher) is None


def test_vague_sources_stay_vague(bundled: graph.Build) -> None:
    g = union_of(bundled.dataset)
    vague = {e for e in bundled.corpus.entities.values() if e.vague}
    assert len(vague) >= 5
    for entity in vague:
        assert g.value(graph.rdf.vocab.entity_iri(entity.id), CG.isVague) == Literal(True)


def break_graph(bundled: graph.Build, change: str) -> Dataset:
    ds = Dataset()
    for quad in bundled.dataset.quads((None, None, None, None)):
        ds.add(quad)  # type: ignore[arg-type]
    g = ds.graph(graph.rdf.vocab.document_graph_iri(DOC))
    claim = claim_iri(DOC, "c02")
    if change == "no-text":
        g.remove((claim, SCHEMA.text, None))
    elif change == "bad-offsets":
        sel = position_selector_iri(DOC, "c02")
        g.set((sel, OA.start, Literal(1)))
    elif change == "two-kinds":
        g.add((claim, CG.sourceKind, CG.Anonymous))
    elif change == "no-claimant":
        g.remove((claim, PROV.wasAttributedTo, None))
    return ds


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ("no-text", "schema:text"),
        ("bad-offsets", "text[1:"),
        ("two-kinds", "source kind"),
        ("no-claimant", "claimant"),
    ],
)
def test_broken_graphs_fail_with_a_readable_message(
    bundled: graph.Build, change: str, expected: str
) -> None:
    problems = validate_dataset(break_graph(bundled, change))
    assert problems, change
    text = "\n".join(str(p) for p in problems)
    assert "claim 'c02' of 'thebl-organ-harvesting'" in text
    assert expected.lower() in text.lower(), text


def test_shacl_alone_catches_a_missing_text(bundled: graph.Build) -> None:
    problems = check_shacl(union_of(break_graph(bundled, "no-text")))
    assert any("c02" in p.focus for p in problems)
    assert check_contract(bundled.dataset) == []


def test_exports_round_trip_isomorphic(bundled: graph.Build, written: Path) -> None:
    union = flat_graph(bundled.dataset)
    for name in ("graph.ttl", "graph.nt"):
        assert_isomorphic(union, union_of(read_rdf(written / name)))
    expected = named_graphs(bundled.dataset)
    for name in ("graph.trig", "graph.nq", "graph.jsonld"):
        actual = named_graphs(read_rdf(written / name))
        assert sorted(actual) == sorted(expected), name
        for graph_name, g in expected.items():
            assert_isomorphic(g, actual[graph_name])


@pytest.mark.skipif(shutil.which("rapper") is None, reason="apt-get install raptor2-utils to run")
@pytest.mark.parametrize(("name", "syntax"), [("graph.ttl", "turtle"), ("graph.nt", "ntriples")])
def test_rapper_parses_the_exports(
    bundled: graph.Build, written: Path, name: str, syntax: str
) -> None:
    run = subprocess.run(
        ["rapper", "-i", syntax, "-o", "ntriples", "-q", str(written / name)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    count = len([line for line in run.stdout.splitlines() if line.strip()])
    assert count == len(flat_graph(bundled.dataset))


def test_building_twice_gives_identical_files(tmp_path: Path) -> None:
    outs = []
    for i, seed in enumerate(("1", "2")):
        out = tmp_path / f"out{i}"
        subprocess.run(
            [sys.executable, "-m", "graph.cli", "build", "--no-views", "--out", str(out)],
            check=True,
            capture_output=True,
            env={"PYTHONHASHSEED": seed, "PATH": "/usr/bin:/bin",
                 "CLAIMGRAPH_CACHE_DIR": os.environ["CLAIMGRAPH_CACHE_DIR"]},
        )
        outs.append(out)
    for name in [*SERIALISERS, "report.md"]:
        assert (outs[0] / name).read_bytes() == (outs[1] / name).read_bytes(), name


def test_failed_build_leaves_previous_output(tmp_path: Path, bundled: graph.Build) -> None:
    out = tmp_path / "out"
    graph.write_build(bundled, out)
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}

    def explode(_: graph.Build, staging: Path) -> list[Path]:
        (staging / "partial.html").write_text("half", encoding="utf-8")
        raise RuntimeError("writer failed")

    with pytest.raises(RuntimeError):
        graph.write_build(bundled, out, writers=[explode])
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_shacl_by_document_finds_what_the_union_finds() -> None:
    relay = Path(__file__).parent / "data" / "relay-corpus"
    result = graph.build([relay, graph.bundled_corpus_dir()])
    broken = Dataset()
    for s, p, o, ctx in result.dataset.quads((None, None, None, None)):
        if not (p == SCHEMA.text and "/claim/doc-c/" in str(s)):
            broken.add((s, p, o, ctx))  # type: ignore[arg-type]
    chunks = shacl_chunks(broken, max_triples=1)
    # one document per chunk at this size, and the story graph across documents on its own
    assert len(chunks) == len(result.corpus.files) + 1
    by_chunk = sorted(str(p) for chunk in chunks for p in check_shacl(chunk))
    whole = sorted(str(p) for p in check_shacl(union_of(broken)))
    assert by_chunk == whole
    assert any("doc-c" in line for line in whole)


def test_claim_content_outside_an_assertion_graph_is_reported(bundled: graph.Build) -> None:
    from rdflib import URIRef

    from graph.rdf.vocab import ID

    broken = Dataset()
    for s, p, o, ctx in bundled.dataset.quads((None, None, None, None)):
        broken.graph(ctx).add((s, p, o))
    assert check_contract(broken) == []
    content = next(q for q in broken.quads((None, SCHEMA.location, None, None)))
    document_graph = URIRef(f"{ID}graph/{DOC}")
    broken.graph(document_graph).add(content[:3])  # a relation in the document's own graph
    problems = check_contract(broken)
    s, _, o = content[:3]
    assert [(p.focus, p.message) for p in problems] == [
        (str(document_graph),
         f"asserts claim content outside a claim's graph: <{s}> schema:location <{o}> .")]
