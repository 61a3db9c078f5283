"""Which queries the endpoint recognises as explosive before running them (graph.sparql.cost)."""

from __future__ import annotations

import pytest
from rdflib import Literal

from graph.sparql.binding import check_bound
from graph.sparql.library import list_queries
from graph.sparql.safety import check_query

EXPLOSIVE = {
    "counted product": "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f }",
    "sorted product": "SELECT ?a WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c LIMIT 1",
    "grouped product": "SELECT ?b (COUNT(?d) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f } GROUP BY ?b",
    "blank nodes are variables": "SELECT (COUNT(*) AS ?n) WHERE { _:x ?b ?c . ?d ?e _:y }",
    "counted closure": "SELECT (COUNT(*) AS ?n) WHERE { ?s (<urn:p>|!<urn:p>)* ?o }",
    "chained closures": (
        "SELECT (COUNT(*) AS ?n) WHERE { ?s <urn:p>+ ?o . ?o (<urn:q>/^<urn:r>)* ?x }"
    ),
    "product without LIMIT": "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }",  # N² rows: past any cap
    "closure without LIMIT": "SELECT ?s ?o WHERE { ?s (<urn:p>|!<urn:p>)* ?o }",
    "inside a subquery": (
        "SELECT * WHERE { { SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f } } }"
    ),
}

ORDINARY = {
    "product with LIMIT": "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } LIMIT 10",
    "asked product": "ASK { ?a ?b ?c . ?d ?e ?f }",  # ends at the first answer
    "closure with LIMIT": "SELECT ?s ?o WHERE { ?s <urn:p>* ?o } LIMIT 100",
    "one full scan": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    "a join": "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?c ?d ?e }",
    "anchored by a predicate": "SELECT (COUNT(*) AS ?n) WHERE { ?a a ?c . ?d a ?f }",
    "one part anchored": "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b <urn:x> . ?d ?e ?f }",
    "anchored by VALUES": (
        "SELECT (COUNT(*) AS ?n) WHERE { VALUES ?a { <urn:x> } ?a ?b ?c . ?d ?e ?f . ?d ?g ?a }"
    ),
    "closure from a constant": "SELECT (COUNT(*) AS ?n) WHERE { <urn:x> <urn:p>* ?o }",
    "closure from typed nodes": (
        "SELECT (COUNT(*) AS ?n) WHERE { ?s a <urn:C> ; <urn:p>+ ?o }"
    ),
    "a bounded path": "SELECT (COUNT(*) AS ?n) WHERE { ?s <urn:p>/<urn:q> ?o }",
    "scans in a UNION": "SELECT (COUNT(*) AS ?n) WHERE { { ?a ?b ?c } UNION { ?d ?e ?f } }",
}


@pytest.mark.parametrize("text", EXPLOSIVE.values(), ids=EXPLOSIVE.keys())
def test_explosive(text: str) -> None:
    assert check_query(text).explosive


@pytest.mark.parametrize("text", ORDINARY.values(), ids=ORDINARY.keys())
def test_ordinary(text: str) -> None:
    assert not check_query(text).explosive


@pytest.mark.parametrize("name", [q.name for q in list_queries()])
def test_no_library_query_is_explosive(name: str) -> None:
    """A library query is checked as its template; its bound forms keep the template's class."""
    (query,) = [q for q in list_queries() if q.name == name]
    assert not check_query(query.text).explosive


def test_a_bound_query_keeps_its_templates_class() -> None:
    template = "SELECT (COUNT(*) AS ?n) WHERE {\n  # @values\n  ?a ?b ?c . ?d ?e ?f .\n}\n"
    bound = check_bound(template, {"c": Literal("x")})
    assert "VALUES ?c" in bound.text
    assert bound.explosive  # the template's verdict: a value only narrows what the store reads
