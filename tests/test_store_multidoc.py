"""Several documents that describe the same entities: every store answers as rdflib's engine.

An entity (or a cited document) is described in every document graph that names it, so one triple
sits in several named graphs. The default graph every store queries is the *set* union of the
named graphs: no query may see a triple once per graph that holds it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import RdflibEngine, loaded_oxigraph
from rdflib import Dataset, Graph, URIRef

import graph
from graph.rdf.vocab import ID, is_claim_graph_iri
from graph.sparql.library import NamedQuery, list_queries, run_query
from graph.sparql.results import QueryResult
from graph.stores import Store, open_store

ROOT = Path(__file__).resolve().parents[1]
RELAY = ROOT / "tests" / "data" / "relay-corpus"

# Parameters that name things of the relay corpus (the library's examples name the bundled
# article's): shared entities, claims of several documents, concepts the corpus uses.
RELAY_PARAMS: dict[str, list[dict[str, str]]] = {
    "about-entity": [{"entity": "vell-bridge"}, {"entity": "oren-pike"}],
    "claim-description": [{"claim": "a1"}, {"claim": "g1"}],
    "claims-by-claimant": [{"agent": "mira-tolland"}, {"agent": "upland-wire"}],
    "claims-by-mode": [{"mode": "cg:DirectQuote"}],
    "claims-by-source-kind": [{"kind": "cg:NamedPerson"}, {"kind": "cg:NamedOrganization"}],
    "claims-resting-on-document": [{"document": "doc-a"}, {"document": "doc-e"}],
    "entity-profile": [{"entity": "vell-bridge"}, {"entity": "mira-tolland"}],
    "is-contested": [{"claim": "a1"}, {"claim": "d1"}],
    "reporting-chain": [{"claim": "g1"}, {"claim": "e1"}],
}


def _cases() -> list[tuple[NamedQuery, dict[str, str]]]:
    cases = []
    for query in list_queries():
        cases.append((query, {p.name: p.example for p in query.params}))
        cases.extend((query, params) for params in RELAY_PARAMS.get(query.name, []))
    return cases


CASES = _cases()


def _rows(result: QueryResult) -> object:
    """The answer as a multiset: every row, with its multiplicity, in any order."""
    rows = Counter(tuple(None if t is None else t.n3() for t in row) for row in result.rows)
    triples = Counter(tuple(t.n3() for t in triple) for triple in result.triples)
    return result.variables, rows, result.boolean, triples


@pytest.fixture(scope="module")
def relay_dataset(bundled_dataset: Dataset) -> Dataset:
    ds = graph.build([str(RELAY)]).dataset
    for g in bundled_dataset.graphs():
        if len(g) and isinstance(g.identifier, URIRef) and str(g.identifier).startswith(ID):
            target = ds.graph(g.identifier)
            for triple in g:
                target.add(triple)
    return ds


@pytest.fixture(scope="module")
def relay_memory(relay_dataset: Dataset) -> Store:
    return open_store("memory", dataset=relay_dataset)


@pytest.fixture(scope="module")
def relay_rdflib(relay_dataset: Dataset) -> RdflibEngine:
    return RdflibEngine(relay_dataset)


@pytest.fixture(scope="module")
def relay_oxigraph(
    relay_dataset: Dataset, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Store]:
    yield from loaded_oxigraph(relay_dataset, tmp_path_factory.mktemp("relay"))


@pytest.fixture(scope="module")
def relay_serve_memory(relay_dataset: Dataset) -> object:
    """The in-memory pyoxigraph store ``claimgraph serve --store memory`` builds, on this data."""
    from graph.serve.pool import _memory_oxigraph

    return _memory_oxigraph(relay_dataset)


def test_relay_shares_triples_between_graphs(relay_dataset: Dataset) -> None:
    """The fixture does what this module is about: triples held by several document graphs."""
    seen: Counter[tuple[object, ...]] = Counter()
    for g in relay_dataset.graphs():
        seen.update(set(g))
    assert sum(1 for n in seen.values() if n > 1) > 10


@pytest.mark.parametrize(("query", "params"), CASES, ids=lambda c: getattr(c, "name", None) or
                         ",".join(f"{k}={v}" for k, v in c.items()) or "-")
def test_stores_answer_like_rdflibs_engine(
    query: NamedQuery, params: dict[str, str], relay_memory: Store, relay_oxigraph: Store,
    relay_serve_memory: object, relay_rdflib: RdflibEngine,
) -> None:
    from graph.serve.protocol import _answer
    from graph.sparql.binding import bind_values
    from graph.sparql.library import resolve_params
    from graph.sparql.safety import check_query

    expected = run_query(query, params, store=relay_rdflib)
    assert _rows(run_query(query, params, store=relay_memory)) == _rows(expected)
    assert _rows(run_query(query, params, store=relay_oxigraph)) == _rows(expected)

    # The serve path: the worker's own query call on the in-memory pyoxigraph store.
    text = bind_values(query.text, resolve_params(query, params, relay_memory))
    safe = check_query(text)
    reply = _answer(relay_serve_memory, safe, "application/n-triples"
                    if safe.form in ("construct", "describe")
                    else "text/tab-separated-values", 10**6)
    assert reply.status == 200, reply.body
    served = reply.body.decode("utf-8").splitlines()
    if safe.form == "select":
        mine = expected.to_tsv().splitlines()
        assert served[0] == mine[0]
        assert Counter(served[1:]) == Counter(mine[1:])
    elif safe.form == "ask":
        assert served == expected.to_tsv().splitlines()
    else:
        assert sorted(served) == sorted(expected.to_ntriples().splitlines())


def test_relay_queries_find_something(relay_memory: Store) -> None:
    """The relay parameters name real things: most of their queries answer with something."""
    answered = [
        name for name, variants in RELAY_PARAMS.items() for params in variants
        if run_query(name, params, store=relay_memory).rows
        or run_query(name, params, store=relay_memory).boolean
        or run_query(name, params, store=relay_memory).triples
    ]
    assert len(answered) >= 12, answered


DEFAULT_GRAPH_COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def test_reloading_a_changed_document_leaves_no_trace(
    relay_dataset: Dataset, tmp_path: Path
) -> None:
    doc = URIRef(f"{ID}graph/doc-a")
    entity = URIRef(f"{ID}entity/harbor-ledger")
    # The new version of doc-a: its document graph and the graphs under it, without the triples
    # that describe one of its entities.
    family = [g for g in relay_dataset.graphs()
              if g.identifier == doc or str(g.identifier).startswith(f"{doc}/")]
    assert len(list(relay_dataset.graph(doc).triples((entity, None, None)))) > 0
    others = [g for g in relay_dataset.graphs() if g not in family]
    # Only doc-a describes this entity: once its triples go, none may remain anywhere.
    assert not any(len(list(g.triples((entity, None, None)))) for g in others)
    changed: dict[URIRef, Graph] = {}
    for g in family:
        assert isinstance(g.identifier, URIRef)
        changed[g.identifier] = Graph(identifier=g.identifier)
        for s, p, o in g:
            if s != entity:
                changed[g.identifier].add((s, p, o))

    store = open_store(f"oxigraph:{tmp_path / 'store'}")
    try:
        store.replace_graphs(relay_dataset)
        before = store.query(f"SELECT ?p ?o WHERE {{ <{entity}> ?p ?o }}").rows
        assert before
        store.replace_graphs(changed)
        assert store.query(f"SELECT ?p ?o WHERE {{ <{entity}> ?p ?o }}").rows == ()
        assert not store.query(f"ASK {{ GRAPH ?g {{ <{entity}> ?p ?o }} }}").boolean

        # And the default graph is the set union of the graphs now held but the claim graphs.
        reference = Dataset(default_union=True)
        held = [(g.identifier, g) for g in others] + list(changed.items())
        for ident, g in held:
            if is_claim_graph_iri(str(ident)):
                continue
            for triple in g:
                reference.graph(ident).add(triple)
        mine = store.query(DEFAULT_GRAPH_COUNT).rows
        assert mine == RdflibEngine(reference).query(DEFAULT_GRAPH_COUNT).rows
        # Triples still held by another graph stay in the default graph (vell-bridge is
        # described by doc-a and by others).
        bridge = URIRef(f"{ID}entity/vell-bridge")
        assert store.query(f"ASK {{ <{bridge}> ?p ?o }}").boolean
    finally:
        store.close()


def test_dropping_a_shared_graph_keeps_triples_other_graphs_hold(
    relay_dataset: Dataset, tmp_path: Path
) -> None:
    """Replacing doc-a by an empty version: the shared entity's triples stay, from other docs."""
    doc = URIRef(f"{ID}graph/doc-a")
    bridge = URIRef(f"{ID}entity/vell-bridge")
    store = open_store(f"oxigraph:{tmp_path / 'store'}")
    try:
        store.replace_graphs(relay_dataset)
        before = sorted(store.query(f"SELECT ?p ?o WHERE {{ <{bridge}> ?p ?o }}").rows)
        store.replace_graphs({doc: Graph(identifier=doc)})
        after = sorted(store.query(f"SELECT ?p ?o WHERE {{ <{bridge}> ?p ?o }}").rows)
        assert after == before
    finally:
        store.close()
