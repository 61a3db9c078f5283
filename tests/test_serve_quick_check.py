"""The endpoint's quick verdict (no rdflib parse) never lets through what the full check refuses,
and what it lets through reaches no socket when Oxigraph runs it: the fuzzing property of
``tests/test_sparql_fuzz.py``, on the quick path."""

from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, example, given, settings
from test_sparql_fuzz import URL, Listener, _engine_runs, hidden_services, hostile_queries, listener

from graph.errors import QueryError, QueryRefusedError
from graph.serve.quick_check import quick_verdict
from graph.sparql.library import list_queries
from graph.sparql.safety import check_query

__all__ = ["listener"]  # the fuzz module's listening socket, as a fixture here too


@settings(max_examples=400, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(text=hostile_queries(URL))
@example(text=hidden_services(URL)["escaped-quote"])
@example(text=hidden_services(URL)["carriage-return"])
def test_no_text_the_quick_verdict_accepts_reaches_a_socket(listener: Listener,
                                                            text: str) -> None:
    verdict = quick_verdict(text)
    try:
        check_query(text)
    except QueryRefusedError:
        assert verdict is None, text  # what the full check refuses is never let through
    except QueryError:
        pass  # a text that does not parse: the engine refuses it too
    if verdict is None:
        return
    before = listener.connections
    _engine_runs(verdict.text)
    time.sleep(0.005)
    assert listener.connections == before, text


def test_the_quick_verdict_agrees_with_the_full_check_on_the_library() -> None:
    quick = 0
    for named in list_queries():
        verdict = quick_verdict(named.text)
        if verdict is not None:
            assert verdict == check_query(named.text), named.name
            quick += 1
    assert quick >= len(list_queries()) // 2  # most library queries need no parse


@pytest.mark.parametrize("text", [
    "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
    "SELECT * WHERE { \\u0053ERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
    "SELECT * WHERE { \\u005Cu0053ERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
    "SELECT * WHERE { ſervice <http://127.0.0.1:9/> { ?s ?p ?o } }",  # folds to "service"
    "ASKFROM <http://127.0.0.1:9/> {}",
    "SELECT * FROM NAMED <http://127.0.0.1:9/> WHERE { ?s ?p ?o }",
    "LOAD <http://127.0.0.1:9/x>",
    "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
    "PREFIX x: <urn:x> # SELECT\nDELETE WHERE { ?s ?p ?o }",
    "SELECT * { FILTER(\"a\\uD800\" = ?x) }",  # an escape of no character: the check says so
])
def test_texts_that_need_the_full_check(text: str) -> None:
    assert quick_verdict(text) is None


def test_the_prologue_is_read_in_linear_time() -> None:
    started = time.monotonic()
    for text in ["PREFIX " + "# a " * 200_000 + "x", "PREFIX x: " + "#" * 200_000,
                 "PREFIX x: <urn:" + "a" * 500_000, "BASE " * 100_000]:
        assert quick_verdict(text) is None
    assert time.monotonic() - started < 10.0  # a regex that backtracks would not return
