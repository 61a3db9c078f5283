"""The query library on a real Virtuoso gives the memory store's answers.

Virtuoso starts once per session (tests/virtuoso_server.py); without ``virtuoso-t`` these skip.
Answers are compared after the normalisation every store applies (graph.stores._convert):
``xsd:string`` literals as plain literals, ``xsd:boolean`` ``1``/``0`` as ``true``/``false`` —
differences of spelling only, never of value.
"""

from __future__ import annotations

import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from test_stores import COUNT, assert_same_answers

from graph.errors import NotFoundError, QueryError, QueryRefusedError
from graph.sparql.library import list_queries, run_query
from graph.stores import Store

pytestmark = pytest.mark.virtuoso


@pytest.mark.parametrize("query", list_queries(), ids=lambda q: q.name)
def test_virtuoso_equals_memory(query: object, memory_store: Store, virtuoso_store: Store) -> None:
    assert_same_answers(query, memory_store, virtuoso_store)


def test_hostile_value_on_virtuoso(virtuoso_store: Store) -> None:
    with pytest.raises(QueryError, match="takes an entity id"):  # refused before any query
        run_query("about-entity", {"entity": 'x" } ?s ?p ?o # {'}, store=virtuoso_store)
    hostile_iri = "https://w3id.org/claimgraph/id/entity/x%22%7D"
    with pytest.raises(NotFoundError, match="holds no entity"):  # looked up on the server
        run_query("about-entity", {"entity": hostile_iri}, store=virtuoso_store)


def test_reload_replaces_and_refuses(virtuoso_store: Store, bundled_dataset: Dataset) -> None:
    ours = COUNT.replace("}", "FILTER STRSTARTS(STR(?g), \"https://w3id.org/claimgraph\") }", 1)
    ours = ours.replace("} FILTER", "FILTER").replace("}}", "} }")
    text = (
        "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
        'FILTER STRSTARTS(STR(?g), "https://w3id.org/claimgraph") }'
    )
    before = virtuoso_store.query(text).rows
    virtuoso_store.replace_graphs(bundled_dataset)
    assert virtuoso_store.query(text).rows == before
    with pytest.raises(QueryRefusedError):
        virtuoso_store.query("LOAD <http://127.0.0.1:9/x>")
    assert ours


def test_truncation_is_refused(virtuoso_store: Store) -> None:
    from graph.errors import TruncatedResultError
    from graph.stores.sparql_http import HttpStore

    assert isinstance(virtuoso_store, HttpStore)
    small = HttpStore(virtuoso_store.url, max_rows=100)
    try:
        with pytest.raises(TruncatedResultError):
            small.query("SELECT * WHERE { ?s ?p ?o } LIMIT 150")
    finally:
        small.close()
    g = Graph()
    g.add((URIRef("urn:x"), URIRef("urn:p"), Literal(1)))
    assert len(g) == 1


def test_virtuoso_default_graph_holds_no_claim_content(virtuoso_store: Store) -> None:
    """Virtuoso's own default graph (a query naming no dataset) is the union of every graph it
    holds, claim graphs included; the store names the dataset of each query, so a claim's
    content is reached only with GRAPH ?g."""
    import requests
    from test_exports import CCP, PERSECUTES, PERSECUTES_IN_GRAPHS

    from graph.stores.sparql_http import HttpStore

    assert isinstance(virtuoso_store, HttpStore)
    named = virtuoso_store.default_graphs()  # Virtuoso's own default graph asserts claims
    assert "https://w3id.org/claimgraph/id/graph/thebl-organ-harvesting" in named
    assert not any("/claim/" in g for g in named)
    assert virtuoso_store.query(PERSECUTES).rows == ()
    assert [row[0] for row in virtuoso_store.query(PERSECUTES_IN_GRAPHS).rows] == [CCP]
    direct = requests.post(virtuoso_store.url, data={"query": PERSECUTES},
                           headers={"Accept": "application/sparql-results+json"}, timeout=30)
    rows = direct.json()["results"]["bindings"]
    assert [row["s"]["value"] for row in rows] == [str(CCP)]  # what the README warns about


def test_validate_finds_nothing_wrong_on_virtuoso(virtuoso_store: Store) -> None:
    """The store check (claim content only in claim graphs, texts matching their SHA-256) runs on
    a real server too; Virtuoso's own graphs hold no claim content."""
    from graph.validate.contract import check_store

    assert check_store(virtuoso_store) == []
