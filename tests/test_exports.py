"""Exports and stores never assert a claim's content outside its claim graph, and every export
reads back as the dataset it was written from, whatever characters its text holds."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

import graph
from graph.cli import main
from graph.corpus import bundled_corpus_dir
from graph.errors import ClaimgraphError, ValidationError
from graph.rdf.export import EXPORT_FILES, FLAT_FILES, SERIALISERS, check_reads_back, flat_graph
from graph.rdf.rdfio import parse_rdf_text, read_rdf
from graph.rdf.vocab import (
    CG,
    RDF,
    RDFS,
    RELATIONS,
    SCHEMA,
    claim_graph_iri,
    claim_iri,
    document_graph_iri,
    document_iri,
    entity_iri,
    is_claim_graph_iri,
)
from graph.stores import Store, open_store
from graph.validate.contract import check_contract
from graph.validate.problems import union_of

DOC = "thebl-organ-harvesting"
CCP = entity_iri("ccp")
PERSECUTES = (
    "PREFIX cg: <https://w3id.org/claimgraph/ontology#> SELECT ?s ?o WHERE { ?s cg:persecutes ?o }"
)
PERSECUTES_IN_GRAPHS = (
    "PREFIX cg: <https://w3id.org/claimgraph/ontology#> "
    "SELECT ?s ?o WHERE { GRAPH ?g { ?s cg:persecutes ?o } }"
)
_FORMAT = {"graph.trig": "trig", "graph.nq": "nquads", "graph.ttl": "turtle",
           "graph.nt": "nt", "graph.jsonld": "json-ld"}
CONTENT = frozenset(RELATIONS.values())


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("exports") / "out"
    graph.write_build(graph.build(validate=False), out)
    return out


def _asserted_content(g: Graph) -> list[tuple[object, object, object]]:
    return [t for p in CONTENT for t in g.triples((None, p, None))]


# --------------------------------------------------------------------------- flat exports


@pytest.mark.parametrize("name", ["graph.nt", "graph.ttl"])
def test_flat_exports_assert_no_claim_content(written: Path, name: str) -> None:
    flat = union_of(read_rdf(written / name))
    assert _asserted_content(flat) == []
    # The content is still there, described: the CCP statement, linked from its claim.
    statements = set(flat.subjects(RDF.subject, CCP)) & set(
        flat.subjects(RDF.predicate, CG.persecutes))
    assert len(statements) == 1
    statement = statements.pop()
    assert (statement, RDF.type, RDF.Statement) in flat
    claim = flat.value(predicate=CG.contentStatement, object=statement)
    assert claim is not None and (claim, RDF.type, SCHEMA.Claim) in flat


def test_jsonld_default_graph_holds_no_claim_content(written: Path) -> None:
    ds = read_rdf(written / "graph.jsonld")
    assert _asserted_content(ds.graph(DATASET_DEFAULT_GRAPH_ID)) == []
    held = [ctx for p in (CG.persecutes,) for _, _, _, ctx in ds.quads((CCP, p, None, None))]
    assert [is_claim_graph_iri(str(getattr(c, "identifier", c))) for c in held] == [True]


def test_nquads_keeps_the_named_graphs(written: Path) -> None:
    ds = read_rdf(written / "graph.nq")
    expected = graph.build(validate=False).dataset
    assert {str(g.identifier) for g in ds.graphs() if len(g)} == {
        str(g.identifier) for g in expected.graphs() if len(g)}
    assert check_contract(ds) == []


def test_validate_refuses_a_file_asserting_claim_content(tmp_path: Path, written: Path) -> None:
    """A flat file made the old way (every graph merged) asserts the claims: refused, naming each
    triple; the flat export made now passes."""
    merged = union_of(read_rdf(written / "graph.trig"))
    old = tmp_path / "old.nt"
    old.write_text(merged.serialize(format="nt"), encoding="utf-8")
    runner = CliRunner()
    out = runner.invoke(main, ["validate", "--no-shacl", str(old)])
    assert out.exit_code == 7, out.output
    assert (f"asserts claim content outside a claim's graph: <{CCP}> cg:persecutes "
            in out.output)
    assert runner.invoke(main, ["validate", "--no-shacl", str(written / "graph.nt")]).exit_code == 0


def test_validate_recomputes_the_texts_sha256(tmp_path: Path, written: Path) -> None:
    ds = read_rdf(written / "graph.trig")
    doc = document_iri(DOC)
    ctx = next(c for _, _, _, c in ds.quads((doc, SCHEMA.text, None, None)))
    text = str(ds.graph(ctx).value(doc, SCHEMA.text))
    ds.graph(ctx).set((doc, SCHEMA.text, Literal(text + " ")))  # offsets still slice alike
    changed = tmp_path / "changed.nq"
    changed.write_text(SERIALISERS["graph.nq"](ds), encoding="utf-8")
    out = CliRunner().invoke(main, ["validate", "--no-shacl", str(changed)])
    assert out.exit_code == 7, out.output
    assert "SHA-256" in out.output and "cg:textSha256" in out.output


# --------------------------------------------------------------------------- stores


def _assert_claim_content_only_in_graphs(store: Store) -> None:
    assert store.query(PERSECUTES).rows == ()
    rows = store.query(PERSECUTES_IN_GRAPHS).rows
    assert [row[0] for row in rows] == [CCP]


def test_memory_store_default_graph_holds_no_claim_content() -> None:
    _assert_claim_content_only_in_graphs(open_store("memory"))


@pytest.mark.parametrize("export", ["graph.trig", "graph.nq"])
@pytest.mark.parametrize("method", ["transaction", "bulk"])
def test_oxigraph_load_keeps_claim_content_in_its_graph(
    tmp_path: Path, written: Path, export: str, method: str
) -> None:
    spec = f"oxigraph:{tmp_path / 'store'}"
    runner = CliRunner()
    for _ in range(2):  # a first load, then a load replacing every graph
        out = runner.invoke(main, ["load", str(written / export), "--store", spec,
                                   "--method", method])
        assert out.exit_code == 0, out.output
    store = open_store(spec)
    try:
        _assert_claim_content_only_in_graphs(store)
        _assert_default_is_union_of_non_claim_graphs(store)
    finally:
        store.close()


def _assert_default_is_union_of_non_claim_graphs(store: Store) -> None:
    default = {tuple(r) for r in store.query("SELECT ?s ?p ?o WHERE { ?s ?p ?o }").rows}
    rows = store.query("SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }").rows
    union = {tuple(r[1:]) for r in rows if not is_claim_graph_iri(str(r[0]))}
    assert default == union


def test_oxigraph_replacing_many_graphs_keeps_the_default_graph(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past INCREMENTAL_DROPS replaced graphs the default graph is made again whole."""
    import graph.stores.oxigraph as oxi

    ds = graph.build(validate=False).dataset
    store = open_store(f"oxigraph:{tmp_path / 'store'}")
    try:
        store.replace_graphs(ds, method="transaction")
        monkeypatch.setattr(oxi, "INCREMENTAL_DROPS", 0)
        store.replace_graphs(ds, method="transaction")
        _assert_claim_content_only_in_graphs(store)
        _assert_default_is_union_of_non_claim_graphs(store)
    finally:
        store.close()


def test_an_old_oxigraph_folder_is_made_again_on_open(tmp_path: Path) -> None:
    """A folder whose default graph is the union of every graph (claim graphs included), as
    claimgraph kept it before, loses the claim content from its default graph when opened."""
    import pyoxigraph

    ds = graph.build(validate=False).dataset
    folder = tmp_path / "store"
    store = open_store(f"oxigraph:{folder}")
    store.replace_graphs(ds)
    store.close()
    raw = pyoxigraph.Store(str(folder))
    raw.update("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")  # the old default graph
    raw.flush()
    del raw
    store = open_store(f"oxigraph:{folder}")
    try:
        _assert_claim_content_only_in_graphs(store)
        _assert_default_is_union_of_non_claim_graphs(store)
    finally:
        store.close()


def test_load_refuses_a_file_asserting_claim_content(tmp_path: Path, written: Path) -> None:
    """A flat file made the old way, loaded, would put claim content in a file graph and so in
    the default graph: refused, naming the triple, and the store is left as it was."""
    merged = union_of(read_rdf(written / "graph.trig"))
    old = tmp_path / "old.nt"
    old.write_text(merged.serialize(format="nt"), encoding="utf-8")
    spec = f"oxigraph:{tmp_path / 'store'}"
    runner = CliRunner()
    assert runner.invoke(main, ["load", str(written / "graph.nq"), "--store", spec]).exit_code == 0
    for method in ("transaction", "bulk"):
        out = runner.invoke(main, ["load", str(old), "--store", spec, "--method", method])
        assert out.exit_code == 7, out.output
        named = re.search(r"old\.nt: asserts a claim's content outside a claim graph "
                          r"\(in \S+/graph/file/old\.nt\): <(\S+)> <(\S+)> <(\S+)> \.", out.output)
        assert named is not None, out.output
        assert URIRef(named.group(2)) in CONTENT
    store = open_store(spec)
    try:
        assert all(not g.endswith("old.nt") for g in store.named_graphs())
        _assert_claim_content_only_in_graphs(store)
    finally:
        store.close()
    memory = open_store("memory")
    doc_graph = document_graph_iri(DOC)
    asserted = Graph(identifier=doc_graph)
    asserted.add((CCP, CG.persecutes, entity_iri("someone")))
    with pytest.raises(ValidationError, match="persecutes"):
        memory.replace_graphs({doc_graph: asserted})
    _assert_claim_content_only_in_graphs(memory)


def test_validate_checks_a_store(tmp_path: Path, written: Path) -> None:
    """``validate --store``: claim content outside a claim graph (named) and changed texts."""
    import pyoxigraph

    folder = tmp_path / "store"
    spec = f"oxigraph:{folder}"
    runner = CliRunner()
    loaded = runner.invoke(main, ["load", str(written / "graph.trig"), "--store", spec])
    assert loaded.exit_code == 0, loaded.output
    ok = runner.invoke(main, ["validate", "--store", spec])
    assert ok.exit_code == 0, ok.output
    raw = pyoxigraph.Store(str(folder))  # written behind claimgraph's back
    doc_graph = pyoxigraph.NamedNode(str(document_graph_iri(DOC)))
    raw.add(pyoxigraph.Quad(pyoxigraph.NamedNode(str(CCP)),
                            pyoxigraph.NamedNode(str(CG.supervises)),
                            pyoxigraph.NamedNode(str(entity_iri("someone"))), doc_graph))
    text = next(raw.quads_for_pattern(pyoxigraph.NamedNode(str(document_iri(DOC))),
                                      pyoxigraph.NamedNode(str(SCHEMA.text)), None, None))
    raw.remove(text)
    raw.add(pyoxigraph.Quad(text.subject, text.predicate,
                            pyoxigraph.Literal(text.object.value + " "), text.graph_name))
    raw.flush()
    del raw
    out = runner.invoke(main, ["validate", "--store", spec])
    assert out.exit_code == 7, out.output
    assert f"<{CCP}> cg:supervises <{entity_iri('someone')}>" in out.output
    assert "SHA-256" in out.output
    assert runner.invoke(main, ["validate"]).exit_code == 2  # a FILE or --store


# --------------------------------------------------------------------------- reading back

SEPARATORS = "\n\r\t\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
AWKWARD = SEPARATORS + "\x00\x01\x08\x1f\x7f\ufeff\ufffe\uffff\"'\\<>{}#@ \u00e9\U0001f600"


def _small_dataset(text: str, label: str, claim_text: str) -> Dataset:
    """One document with its text, one entity with a label, one claim whose graph asserts a
    relation: the shape of a build, with the text given."""
    ds = Dataset()
    doc_graph = ds.graph(document_graph_iri("d"))
    doc, claim = document_iri("d"), claim_iri("d", "c1")
    content_iri = claim_graph_iri("d", "c1")
    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    doc_graph.add((doc, RDF.type, SCHEMA.NewsArticle))
    doc_graph.add((doc, SCHEMA.text, Literal(text)))
    doc_graph.add((doc, CG.textSha256, Literal(sha)))
    doc_graph.add((entity_iri("a"), RDFS.label, Literal(label)))
    doc_graph.add((entity_iri("b"), RDFS.label, Literal(label, lang="en")))
    doc_graph.add((claim, RDF.type, SCHEMA.Claim))
    doc_graph.add((claim, SCHEMA.text, Literal(claim_text)))
    doc_graph.add((claim, CG.assertionGraph, content_iri))
    doc_graph.add((content_iri, RDF.type, CG.AssertionGraph))
    ds.graph(content_iri).add((entity_iri("a"), CG.persecutes, entity_iri("b")))
    return ds


def _named(ds: Dataset) -> dict[str, Graph]:
    return {str(g.identifier): g for g in ds.graphs()
            if len(g) and g.identifier != DATASET_DEFAULT_GRAPH_ID}


def assert_reads_back(ds: Dataset, name: str, text: str) -> None:
    """The export ``text`` read by rdflib is the dataset (flat files: its flat graph)."""
    back = parse_rdf_text(text, _FORMAT[name])
    if name in FLAT_FILES:
        expected, actual = flat_graph(ds), union_of(back)
        assert isomorphic(expected, actual), _diff(expected, actual)
        return
    assert _asserted_content(back.graph(DATASET_DEFAULT_GRAPH_ID)) == []
    want, got = _named(ds), _named(back)
    assert sorted(got) == sorted(want), name
    for graph_name, g in want.items():
        assert isomorphic(g, got[graph_name]), _diff(g, got[graph_name])


def _diff(a: Graph, b: Graph) -> str:
    _, only_a, only_b = graph_diff(to_isomorphic(a), to_isomorphic(b))
    return f"only expected: {sorted(only_a)[:3]}; only read: {sorted(only_b)[:3]}"


@pytest.mark.parametrize("name", EXPORT_FILES)
@pytest.mark.parametrize("where", ["label", "claim", "text"])
@pytest.mark.parametrize("char", ["\u2028", "\x0c"])
def test_line_separator_and_form_feed_round_trip(name: str, where: str, char: str) -> None:
    text, label, claim = "An article.", "A label", "A claim"
    value = f"before{char}@prefix x: <urn:x> .{char}after"  # a line that reads as a prefix
    ds = _small_dataset(value if where == "text" else text, value if where == "label" else label,
                        value if where == "claim" else claim)
    exported = SERIALISERS[name](ds)
    assert_reads_back(ds, name, exported)
    check_reads_back(ds, {name: exported})


_text = st.text(st.one_of(st.sampled_from(AWKWARD),
                          st.characters(exclude_categories=("Cs",))), max_size=40)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=_text, label=_text, claim=_text)
def test_every_export_reads_back(text: str, label: str, claim: str) -> None:
    """Whatever the article text, labels and claim text hold — every Unicode line separator,
    control characters, quotes — each export reads back as the dataset it was written from."""
    ds = _small_dataset(text, label, claim)
    texts = {name: serialise(ds) for name, serialise in SERIALISERS.items()}
    for name, exported in texts.items():
        assert_reads_back(ds, name, exported)
    check_reads_back(ds, texts)
    problems = check_contract(parse_rdf_text(texts["graph.trig"], "trig"))
    assert [p for p in problems if "SHA-256" in p.message or "claim content" in p.message] == []


def test_a_build_that_would_not_read_back_writes_nothing(tmp_path: Path) -> None:
    """The build compares each export with what it must hold before writing it."""
    ds = _small_dataset("text", "label", "claim")
    good = SERIALISERS["graph.nt"](ds)
    assert check_reads_back(ds, {"graph.nt": good}) is None
    with pytest.raises(ClaimgraphError, match=r"graph\.nt would not read back"):
        check_reads_back(ds, {"graph.nt": good.replace('"label"', '"lab"', 1)})


def test_article_text_with_a_form_feed_and_u2028_builds_and_validates(tmp_path: Path) -> None:
    """End to end: a text holding a form feed and U+2028 (as text from a PDF may) builds, every
    export holds exactly that text, and validate finds its SHA-256 unchanged."""
    corpus = tmp_path / "corpus"
    shutil.copytree(bundled_corpus_dir(), corpus)
    article = corpus / "article.txt"
    text = article.read_bytes().decode("utf-8") + "\x0cPage 2\u2028end\n"
    article.write_bytes(text.encode("utf-8"))
    annotations = corpus / "annotations.yaml"
    yaml_text = annotations.read_text(encoding="utf-8")
    old_sha = yaml_text.split('sha256: "', 1)[1].split('"', 1)[0]
    new_sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    annotations.write_text(yaml_text.replace(old_sha, new_sha), encoding="utf-8")
    out = tmp_path / "out"
    runner = CliRunner()
    result = runner.invoke(main, ["build", str(corpus), "--out", str(out), "--no-views"])
    assert result.exit_code == 0, result.output
    for name in EXPORT_FILES:
        back = union_of(read_rdf(out / name))
        assert str(back.value(document_iri(DOC), SCHEMA.text)) == text, name
        checked = runner.invoke(main, ["validate", "--no-shacl", str(out / name)])
        assert checked.exit_code == 0, (name, checked.output)


def test_turtle_writes_a_subject_two_documents_describe_once() -> None:
    """An entity several outlets' documents describe is one Turtle block, each triple once, and
    the Turtle holds the N-Triples export's triples exactly (it was each document's blocks in
    turn, so shared subjects and their triples were written again)."""
    from graph.rdf.export import export_texts

    texts = export_texts(graph.build([Path(__file__).parent / "data" / "story-selk"]).dataset)
    subjects = [line for line in texts["graph.ttl"].splitlines()
                if line and not line.startswith(("@prefix", " "))]
    assert len(subjects) == len(set(subjects))
    turtle = Graph().parse(data=texts["graph.ttl"], format="turtle")
    ntriples = Graph().parse(data=texts["graph.nt"], format="nt")
    assert isomorphic(turtle, ntriples)
    statements = sum(line.rstrip().endswith((" ;", " .")) for line in texts["graph.ttl"]
                     .splitlines() if line.startswith("    "))
    assert statements == len(texts["graph.nt"].splitlines())
