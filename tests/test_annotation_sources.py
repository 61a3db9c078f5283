"""Claims that come from a document, and relations beyond the project's own predicates.

The fixture ``tests/data/port-estimate`` (an invented article) has a claim from a leaked estimate
whose author the text does not name, a claim from a report whose author it names, and relations
written with schema.org, with a vocabulary the file declares (FOAF) and with an old project word.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from rdflib import Dataset, Graph, Literal, Namespace, URIRef

import graph
from graph.analysis import chain_text, chains, corroboration, roots
from graph.cli import main
from graph.errors import AnnotationError
from graph.model.annotations import load_corpus
from graph.model.predicates import PROJECT_PREFIXES
from graph.rdf.projection import dependency_graph, entity_graph
from graph.rdf.rdfio import read_rdf
from graph.rdf.vocab import (
    PREFIXES,
    PROV,
    RDF,
    RDFS,
    SCHEMA,
    claim_graph_iri,
    claim_iri,
    document_iri,
    entity_iri,
    unnamed_authors_iri,
)
from graph.stores import Store
from graph.validate.problems import union_of
from tests.conftest import loaded_oxigraph

FIXTURE = Path(__file__).parent / "data" / "port-estimate"
DOC = "gazette-port-smuggling"
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
OLSEN, BRANDT = entity_iri("mira-olsen"), entity_iri("tomas-brandt")
LEAK = document_iri("leaked-port-estimate")


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return graph.build_dataset(load_corpus([FIXTURE]))


@pytest.fixture(scope="module")
def union(dataset: Dataset) -> Graph:
    """Every named graph of the build in one graph, for plain triple lookups."""
    return union_of(dataset)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("port") / "out"
    result = CliRunner().invoke(main, ["build", str(FIXTURE), "--out", str(out), "--no-views"])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def store(dataset: Dataset, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    yield from loaded_oxigraph(dataset, tmp_path_factory.mktemp("port-oxigraph"))


# ------------------------------------------------------------------ a claim from a document


def test_a_claim_from_an_unnamed_document_is_attributed_to_its_unnamed_authors(
    union: Graph,
) -> None:
    dataset = union
    claim = claim_iri(DOC, "e1")
    agent = unnamed_authors_iri("leaked-port-estimate")
    assert set(dataset.objects(claim, PROV.wasAttributedTo)) == {agent}
    assert set(dataset.objects(claim, PROV.hadPrimarySource)) == {LEAK}
    assert set(dataset.objects(claim, PROV.wasDerivedFrom)) == {LEAK}
    assert dataset.value(agent, RDFS.label) == Literal(
        "the unnamed author(s) of “Leaked estimate of contraband through Kestrel Bay port”")
    assert (agent, RDF.type, PROV.Agent) in dataset
    assert dataset.value(agent, graph.rdf.vocab.CG.isVague) == Literal(True)
    assert (LEAK, SCHEMA.author, agent) in dataset


def test_a_claim_from_a_named_report_keeps_the_named_author(union: Graph) -> None:
    dataset = union
    claim = claim_iri(DOC, "e2")
    assert set(dataset.objects(claim, PROV.wasAttributedTo)) == {entity_iri("harbour-watch-trust")}
    assert set(dataset.objects(claim, PROV.hadPrimarySource)) == {
        document_iri("harbour-watch-report-2022")}


def test_the_loader_records_the_source_and_no_invented_claimant() -> None:
    claims = {c.id: c for c in load_corpus([FIXTURE]).files[0].claims}
    assert (claims["e1"].claimants, claims["e1"].source_kind) == ((), "document")
    assert claims["e1"].source_document == "leaked-port-estimate"
    assert claims["e2"].claimants == ("harbour-watch-trust",)


def test_the_document_is_the_root_of_the_chain(dataset: Dataset) -> None:
    G = dependency_graph(dataset)
    for cid, doc in (("e1", LEAK), ("e2", document_iri("harbour-watch-report-2022"))):
        claim = str(claim_iri(DOC, cid))
        found = roots(G, claim)
        assert [(r["iri"], r["kind"], r["role"]) for r in found] == [
            (str(doc), "document", "document")]
        assert corroboration(G, claim) == 1
    [chain] = chains(G, str(claim_iri(DOC, "e1")))
    assert chain_text(G, chain) == (
        "Kestrel Gazette ← “Leaked estimate of contraband through Kestrel Bay port”")


def test_paths_names_the_source_document(built: Path) -> None:
    out = CliRunner().invoke(main, ["paths", "e1", str(built / "graph.trig")])
    assert out.exit_code == 0, out.output
    assert "└─ comes from → Leaked estimate of contraband through Kestrel Bay port [source " \
        "document]" in out.output
    assert "Roots: Leaked estimate of contraband through Kestrel Bay port (document" in out.output


def test_the_report_names_the_unnamed_authors(built: Path) -> None:
    report = (built / "report.md").read_text(encoding="utf-8")
    assert ("| e1 | 4,000 tonnes of contraband passed through Kestrel Bay port in 2023 | the "
            "unnamed author(s) of “Leaked estimate of contraband through Kestrel Bay port” "
            "(vague) | document |") in report


# ------------------------------------------------------------- relations beyond our words


def test_new_predicates_live_only_in_their_claim_graphs(dataset: Dataset) -> None:
    e5 = dataset.graph(claim_graph_iri(DOC, "e5"))
    assert set(e5) == {(OLSEN, SCHEMA.colleague, BRANDT), (OLSEN, FOAF.knows, BRANDT)}
    assert (OLSEN, SCHEMA.alumniOf, entity_iri("northfield-maritime-college")) in dataset.graph(
        claim_graph_iri(DOC, "e3"))
    for predicate in (FOAF.knows, SCHEMA.colleague, SCHEMA.alumniOf, SCHEMA.funder):
        places = {str(getattr(g, "identifier", g)) for *_, g in
                  dataset.quads((None, predicate, None, None))}
        assert places and all("/claim/" in p for p in places), (predicate, places)


def test_an_old_word_is_written_as_the_standard_property(dataset: Dataset) -> None:
    """``[brightwater-foundation, cg:funds, harbour-watch-trust]``: schema:funder, turned round."""
    assert set(dataset.graph(claim_graph_iri(DOC, "e6"))) == {
        (entity_iri("harbour-watch-trust"), SCHEMA.funder, entity_iri("brightwater-foundation"))}


@pytest.mark.parametrize("name", ["graph.ttl", "graph.nt"])
def test_flat_exports_reify_the_new_predicates(built: Path, name: str) -> None:
    flat = union_of(read_rdf(built / name))
    assert (OLSEN, FOAF.knows, BRANDT) not in flat
    assert (OLSEN, SCHEMA.colleague, BRANDT) not in flat
    statements = set(flat.subjects(RDF.predicate, FOAF.knows))
    assert len(statements) == 1
    assert flat.value(statements.pop(), RDF.subject) == OLSEN


def test_the_build_validates_in_every_export(built: Path) -> None:
    for name in ("graph.trig", "graph.nq", "graph.ttl", "graph.nt", "graph.jsonld"):
        out = CliRunner().invoke(main, ["validate", str(built / name)])
        assert out.exit_code == 0, (name, out.output)


def test_validate_refuses_a_flat_file_asserting_a_claimed_triple(
    built: Path, tmp_path: Path
) -> None:
    tampered = tmp_path / "graph.ttl"
    shutil.copy(built / "graph.ttl", tampered)
    with tampered.open("a", encoding="utf-8") as f:
        f.write(f"\n<{OLSEN}> <{FOAF.knows}> <{BRANDT}> .\n")
    out = CliRunner().invoke(main, ["validate", str(tampered)])
    assert out.exit_code == 7, out.output
    assert (f"asserts claim content outside a claim's graph: <{OLSEN}> <{FOAF.knows}> "
            f"<{BRANDT}>") in out.output


def test_validate_refuses_a_dataset_asserting_a_claimed_triple(
    built: Path, tmp_path: Path
) -> None:
    tampered = tmp_path / "graph.nq"
    text = (built / "graph.nq").read_text(encoding="utf-8")
    doc_graph = f"<{graph.rdf.vocab.document_graph_iri(DOC)}>"
    tampered.write_text(text + f"<{OLSEN}> <{SCHEMA.colleague}> <{BRANDT}> {doc_graph} .\n",
                        encoding="utf-8")
    out = CliRunner().invoke(main, ["validate", str(tampered)])
    assert out.exit_code == 7, out.output
    assert "schema:colleague" in out.output and "outside a claim's graph" in out.output


def test_the_store_answers_a_new_predicate_only_inside_a_named_graph(store: Store) -> None:
    prefix = "PREFIX foaf: <http://xmlns.com/foaf/0.1/> "
    assert list(store.query(prefix + "SELECT ?s ?o WHERE { ?s foaf:knows ?o }").rows) == []
    rows = store.query(prefix + "SELECT ?g ?s ?o WHERE { GRAPH ?g { ?s foaf:knows ?o } }").rows
    assert [tuple(map(str, row)) for row in rows] == [
        (str(claim_graph_iri(DOC, "e5")), str(OLSEN), str(BRANDT))]
    assert store.query(
        "PREFIX schema: <https://schema.org/> SELECT ?s WHERE { ?s schema:funder ?o }").rows == ()


def test_every_claim_keeps_the_interop_contract(store: Store) -> None:
    rows = store.query(
        "PREFIX schema: <https://schema.org/> PREFIX prov: <http://www.w3.org/ns/prov#> "
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
        "SELECT ?claim ?label WHERE { ?claim a schema:Claim ; prov:wasAttributedTo ?a . "
        "?a rdfs:label ?label }").rows
    assert len({row[0] for row in rows}) == 6


def test_the_project_prefixes_are_the_vocabularys() -> None:
    assert PROJECT_PREFIXES == PREFIXES


# ------------------------------------------------------------------------ loader refusals

_BAD = """\
format: 1
prefixes:
  foaf: "http://xmlns.com/foaf/0.1/"
  prov: "http://example.org/not-prov#"
  bad iri: "http://example.org/x#"
  ex: "not an iri"
document:
  id: bad-doc
  text: article.txt
  sha256: "{sha}"
  title: A title
  metadata: {{publisher: kestrel-gazette}}
cited_documents:
  - {{id: leaked-port-estimate, title: Leaked estimate}}
entities:
  - {{id: kestrel-gazette, type: organization, label: Kestrel Gazette}}
  - {{id: mira-olsen, type: person, label: Mira Olsen}}
  - {{id: tomas-brandt, type: person, label: Tomas Brandt}}
claims:
  - id: b1
    text: "Olsen has worked with inspector Tomas Brandt for a decade."
    claimant: kestrel-gazette
    source_kind: author-voice
    mode: author-assertion
    relations:
      - [mira-olsen, schema:colleage, tomas-brandt]
      - [mira-olsen, schema:Person, tomas-brandt]
      - [mira-olsen, dbo:spouse, tomas-brandt]
      - [mira-olsen, rdfs:seeAlso, tomas-brandt]
      - [mira-olsen, cg:knowss, tomas-brandt]
      - [mira-olsen, foaf:knows, tomas-brandt]
  - id: b2
    text: "4,000 tonnes of contraband passed through Kestrel Bay port in 2023"
    source: {{kind: rumour, document: leaked-port-estimate}}
    mode: reported-speech
  - id: b3
    text: "customs inspections at the port fell by half"
    source: {{kind: document, document: leaked-port-estimate}}
    source_kind: named-person
    mode: reported-speech
  - id: b4
    text: "a guess dressed up as a count"
    source_kind: named-person
    mode: direct-quote
"""


def _write_bad(tmp_path: Path, text: str) -> Path:
    import hashlib

    shutil.copy(FIXTURE / "article.txt", tmp_path / "article.txt")
    sha = hashlib.sha256((tmp_path / "article.txt").read_bytes()).hexdigest()
    path = tmp_path / "annotations.yaml"
    path.write_text(text.format(sha=sha), encoding="utf-8")
    return path


def _line(path: Path, needle: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, start=1) if needle in line)


def test_every_bad_prefix_relation_and_source_is_reported_at_once(tmp_path: Path) -> None:
    path = _write_bad(tmp_path, _BAD)
    with pytest.raises(AnnotationError) as info:
        load_corpus([path])
    found = {(p.line, p.field): p.message for p in info.value.problems}
    expected = {
        (_line(path, "prov: "), "prefixes.prov"): "'prov' is claimgraph's own prefix",
        (_line(path, "bad iri"), "prefixes.bad iri"): "'bad iri' is not a prefix name",
        (_line(path, "ex: "), "prefixes.ex"): "must be an absolute IRI",
        (_line(path, "schema:colleage"), "claims[0].relations[0][1]"):
            "'schema:colleage' is not a schema.org property; did you mean 'schema:colleague'?",
        (_line(path, "schema:Person"), "claims[0].relations[1][1]"):
            "'schema:Person' is a schema.org type, not a property",
        (_line(path, "dbo:spouse"), "claims[0].relations[2][1]"):
            "unknown prefix 'dbo' in 'dbo:spouse': declare it under 'prefixes:'",
        (_line(path, "rdfs:seeAlso"), "claims[0].relations[3][1]"):
            "'rdfs:seeAlso' belongs to a vocabulary claimgraph uses for the graph's own structure",
        (_line(path, "cg:knowss"), "claims[0].relations[4][1]"):
            "unknown relation predicate 'cg:knowss'",
        (_line(path, "kind: rumour"), "claims[1].source.kind"): "unknown value 'rumour'",
        (_line(path, "source_kind: named-person"), "claims[2].source_kind"):
            "a claim whose 'source' is a document has source_kind 'document'",
        (_line(path, "id: b4"), "claims[3].claimant"): "missing required field 'claimant'",
    }
    assert len(info.value.problems) == len(expected), str(info.value)
    for where, message in expected.items():
        assert where in found, (where, sorted(found, key=str))
        assert message in found[where], (where, found[where])
    assert str(path) in str(info.value)


def test_a_source_document_must_be_known(tmp_path: Path) -> None:
    text = (FIXTURE / "annotations.yaml").read_text(encoding="utf-8")
    shutil.copy(FIXTURE / "article.txt", tmp_path / "article.txt")
    path = tmp_path / "annotations.yaml"
    path.write_text(text.replace("document: leaked-port-estimate}",
                                 "document: no-such-report}"), encoding="utf-8")
    with pytest.raises(AnnotationError) as info:
        load_corpus([path])
    assert info.value.field == "claims[e1].source.document"
    assert "unknown document 'no-such-report'" in str(info.value)
    assert info.value.line == _line(path, "id: e1")


def test_a_prefix_may_repeat_the_projects_own_iri() -> None:
    from graph.model.predicates import check_prefix, resolve_predicate

    assert check_prefix("schema", "https://schema.org/") is None
    assert check_prefix("sdo", "http://schema.org/") is not None  # the http form is another IRI
    # schema.org under another prefix name is still checked against the real term list
    assert resolve_predicate("s:knows", {"s": "https://schema.org/"}).iri == str(SCHEMA.knows)
    with pytest.raises(ValueError, match="did you mean 'schema:knows'"):
        resolve_predicate("s:knowz", {"s": "https://schema.org/"})


def test_the_predicate_iri_is_what_the_dataset_writes(dataset: Dataset) -> None:
    claim = {c.id: c for c in load_corpus([FIXTURE]).files[0].claims}["e5"]
    assert {URIRef(r.iri) for r in claim.relations} == {SCHEMA.colleague, FOAF.knows}


# ------------------------------------------------------------------------------- views


def _view_data(html: str) -> dict[str, Any]:
    match = re.search(r'<script type="application/json" id="cg-data">(.*?)</script>', html,
                      re.DOTALL)
    assert match
    return json.loads(match.group(1))  # type: ignore[no-any-return]


def test_the_views_show_the_source_document_and_the_new_predicates(dataset: Dataset) -> None:
    from graph.views import claim_view, entity_view, provenance_view

    G = dependency_graph(dataset)
    e1 = str(claim_iri(DOC, "e1"))
    for view in (provenance_view(G), claim_view(G, "e1")):
        data = _view_data(view.html)
        nodes = {n["id"]: n for n in data["nodes"]}
        assert nodes[str(LEAK)]["kind"] == "document"
        assert any(e["from"] == e1 and e["to"] == str(LEAK) for e in data["edges"])
        assert dict(nodes[e1]["tip"])["Claimant"] == (
            "the unnamed author(s) of “Leaked estimate of contraband through Kestrel Bay port”")
    data = _view_data(entity_view(entity_graph(dataset), G).html)
    [edge] = [e for e in data["edges"] if (e["from"], e["to"]) == (str(OLSEN), str(BRANDT))]
    shown = json.dumps(edge["tip"], ensure_ascii=False)
    assert "knows" in shown and "colleague" in shown
    assert "Olsen has worked with inspector Tomas Brandt" in shown  # the claim that says so


def test_a_store_projects_the_document_as_the_root(built: Path) -> None:
    """``graph.open`` reads the network from a store with the library's CONSTRUCT query."""
    G = graph.open(built / "graph.trig").network()
    found = roots(G, str(claim_iri(DOC, "e1")))
    assert [(r["iri"], r["type"]) for r in found] == [(str(LEAK), "document")]


def test_validate_store_finds_a_claimed_triple_outside_its_graph(
    built: Path, tmp_path: Path
) -> None:
    import pyoxigraph

    folder = tmp_path / "store"
    spec = f"oxigraph:{folder}"
    runner = CliRunner()
    loaded = runner.invoke(main, ["load", str(built / "graph.trig"), "--store", spec])
    assert loaded.exit_code == 0, loaded.output
    ok = runner.invoke(main, ["validate", "--store", spec])
    assert ok.exit_code == 0, ok.output
    raw = pyoxigraph.Store(str(folder))  # written behind claimgraph's back
    raw.add(pyoxigraph.Quad(pyoxigraph.NamedNode(str(OLSEN)), pyoxigraph.NamedNode(str(FOAF.knows)),
                            pyoxigraph.NamedNode(str(BRANDT)),
                            pyoxigraph.NamedNode(str(graph.rdf.vocab.document_graph_iri(DOC)))))
    raw.flush()
    del raw
    out = runner.invoke(main, ["validate", "--store", spec])
    assert out.exit_code == 7, out.output
    assert f"<{OLSEN}> <{FOAF.knows}> <{BRANDT}>" in out.output


def test_shacl_keeps_a_document_sourced_claim_of_kind_document(dataset: Dataset) -> None:
    from graph.rdf.vocab import CG
    from graph.validate.shacl import check_shacl

    assert check_shacl(union_of(dataset)) == []
    broken = union_of(dataset)  # a copy
    broken.set((claim_iri(DOC, "e1"), CG.sourceKind, CG.NamedPerson))
    messages = [p.message for p in check_shacl(broken)]
    assert any("whose `source:` is a document has the source kind document" in m
               for m in messages), messages
