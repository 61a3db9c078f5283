"""Memory and Oxigraph stores: same answers, safe loading, data kept across processes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import RdflibEngine
from rdflib import Dataset

from graph.cli import main
from graph.errors import QueryRefusedError, StoreError
from graph.sparql.library import list_queries, run_query
from graph.sparql.results import QueryResult
from graph.stores import Store, open_store

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


def comparable(result: QueryResult, ordered: bool) -> object:
    rows = [tuple(None if t is None else t.n3() for t in row) for row in result.rows]
    return (
        result.variables,
        rows if ordered else sorted(rows, key=repr),
        result.boolean,
        sorted(tuple(t.n3() for t in triple) for triple in result.triples),
    )


def assert_same_answers(query: object, store: Store, other: Store) -> None:
    """A library query with its example parameters answers alike on both stores."""
    from graph.sparql.library import NamedQuery

    assert isinstance(query, NamedQuery)
    params = {p.name: p.example for p in query.params}
    ordered = "ORDER BY" in query.text
    a = run_query(query, params, store=store)
    b = run_query(query, params, store=other)
    assert comparable(a, ordered) == comparable(b, ordered)


@pytest.mark.parametrize("query", list_queries(), ids=lambda q: q.name)
def test_oxigraph_equals_memory(query: object, memory_store: Store, oxigraph_store: Store) -> None:
    assert_same_answers(query, memory_store, oxigraph_store)


@pytest.mark.parametrize("query", list_queries(), ids=lambda q: q.name)
def test_memory_answers_like_rdflibs_engine(
    query: object, memory_store: Store, rdflib_engine: RdflibEngine
) -> None:
    """The memory store answers with pyoxigraph in memory; rdflib's engine gives the same."""
    assert_same_answers(query, memory_store, rdflib_engine)


def test_memory_store_follows_its_loads(bundled_dataset: Dataset) -> None:
    """The copy queries run on is made again after each load: replaced, stale and new graphs."""
    from rdflib import Graph, Literal, URIRef

    store = open_store("memory", dataset=bundled_dataset)
    before = store.query(COUNT).rows[0][0]
    extra = URIRef("https://w3id.org/claimgraph/id/graph/extra-doc")
    g = Graph(identifier=extra)
    g.add((URIRef("urn:x:a"), URIRef("urn:x:b"), Literal("c")))
    store.replace_graphs({extra: g})
    assert store.query(COUNT).rows[0][0].toPython() == before.toPython() + 1
    assert store.query("ASK { <urn:x:a> <urn:x:b> 'c' }").boolean  # the default graph too
    claim_graph = URIRef(f"{extra}/claim/c1")
    c1 = Graph(identifier=claim_graph)
    c1.add((URIRef("urn:x:c1"), URIRef("urn:x:b"), Literal("e")))
    store.replace_graphs({claim_graph: c1})
    assert store.query("ASK { GRAPH ?g { <urn:x:c1> <urn:x:b> 'e' } }").boolean
    assert not store.query("ASK { <urn:x:c1> <urn:x:b> 'e' }").boolean  # a claim's: GRAPH only
    # A new version of the document without its claim graph: replaced, and the stale graph gone.
    g2 = Graph(identifier=extra)
    g2.add((URIRef("urn:x:a"), URIRef("urn:x:b"), Literal("d")))
    summary = store.replace_graphs({extra: g2})
    assert summary.graphs == (str(extra),) and summary.dropped == (str(claim_graph),)
    assert not store.query("ASK { <urn:x:a> <urn:x:b> 'c' }").boolean
    assert not store.query("ASK { GRAPH ?g { <urn:x:c1> <urn:x:b> 'e' } }").boolean
    assert store.query("ASK { <urn:x:a> <urn:x:b> 'd' }").boolean
    assert store.query(COUNT).rows[0][0].toPython() == before.toPython() + 1


def test_oxigraph_store_refuses_an_iri_rdf_does_not_allow(tmp_path: Path) -> None:
    from rdflib import Graph, Literal, URIRef

    store = open_store(f"oxigraph:{tmp_path / 'ox'}")
    bad = Graph(identifier=URIRef("https://w3id.org/claimgraph/id/graph/x"))
    bad.add((URIRef("urn:x:a b"), URIRef("urn:x:b"), Literal("c")))
    with pytest.raises(StoreError, match="changed nothing"):
        store.replace_graphs({bad.identifier: bad})
    assert store.named_graphs() == []
    store.close()


def test_memory_store_refuses_a_load_pyoxigraph_cannot_take(bundled_dataset: Dataset) -> None:
    """A term rdflib keeps but RDF does not allow (an IRI with a space): StoreError, and the
    store, its dataset included, is as it was."""
    from rdflib import Graph, Literal, URIRef

    store = open_store("memory", dataset=bundled_dataset)
    before = store.query(COUNT).rows
    graphs = store.named_graphs()
    doc = URIRef(graphs[0])  # an existing graph: the load would replace it
    held = set(store.dataset.graph(doc))
    assert held
    bad = Graph(identifier=doc)
    bad.add((URIRef("urn:x:a b"), URIRef("urn:x:b"), Literal("c")))
    with pytest.raises(StoreError, match="nothing was changed"):
        store.replace_graphs({doc: bad})
    assert store.query(COUNT).rows == before
    assert store.named_graphs() == graphs
    assert set(store.dataset.graph(doc)) == held


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
        "SELECT * FROM <http://127.0.0.1:9/x> WHERE { ?s ?p ?o }",
        "LOAD <http://127.0.0.1:9/x>",
        "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
        "DELETE WHERE { ?s ?p ?o }",
    ],
)
def test_stores_refuse(text: str, memory_store: Store, oxigraph_store: Store) -> None:
    for store in (memory_store, oxigraph_store):
        with pytest.raises(QueryRefusedError):
            store.query(text)


def test_loading_twice_equals_loading_once(bundled_dataset: Dataset, tmp_path: Path) -> None:
    for spec in ("memory", f"oxigraph:{tmp_path / 'ox'}"):
        store = open_store(spec, dataset=Dataset())
        store.replace_graphs(bundled_dataset)
        once = store.query(COUNT).rows
        store.replace_graphs(bundled_dataset)
        assert store.query(COUNT).rows == once
        assert int(once[0][0]) > 2000  # type: ignore[arg-type]
        store.close()


@pytest.mark.filterwarnings("ignore:Dataset.:DeprecationWarning")
def test_failed_load_leaves_store_unchanged(tmp_path: Path) -> None:
    built = tmp_path / "graph.trig"
    import graph

    ds = graph.build_dataset(graph.load_corpus([graph.bundled_corpus_dir()]))
    built.write_text(ds.serialize(format="trig"), encoding="utf-8")
    bad = tmp_path / "bad.ttl"
    bad.write_text('<urn:a> <urn:b> <urn:c> .\n<urn:a> <urn:b> "unterminated .\n', encoding="utf-8")
    spec = f"oxigraph:{tmp_path / 'ox'}"
    runner = CliRunner()
    assert runner.invoke(main, ["load", str(built), "--store", spec]).exit_code == 0
    store = open_store(spec)
    before = store.query(COUNT).rows
    store.close()
    out = runner.invoke(main, ["load", str(built), str(bad), "--store", spec])
    assert out.exit_code == 6, out.output
    store = open_store(spec)
    assert store.query(COUNT).rows == before
    store.close()


def test_oxigraph_survives_a_restart(tmp_path: Path) -> None:
    spec = f"oxigraph:{tmp_path / 'ox'}"
    cli = [sys.executable, "-m", "graph.cli"]
    loaded = subprocess.run([*cli, "load", "--store", spec], capture_output=True, text=True)
    assert loaded.returncode == 0, loaded.stderr
    asked = subprocess.run(
        [*cli, "query", "claims-by-claimant", "--param", "agent=russell-strong", "--store", spec,
         "--format", "csv"],
        capture_output=True, text=True,
    )
    assert asked.returncode == 0, asked.stderr
    assert asked.stdout == CliRunner().invoke(
        main, ["query", "claims-by-claimant", "--param", "agent=russell-strong", "--format", "csv"]
    ).stdout  # stderr says the bundled article answers


def test_unknown_store() -> None:
    with pytest.raises(StoreError):
        open_store("sqlite:x")
