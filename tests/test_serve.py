"""Our endpoint over real HTTP, with SPARQLWrapper (a client we did not write)."""

from __future__ import annotations

import threading
import time
import urllib.error

import pytest
import requests
from SPARQLWrapper import JSON, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n ?o }"


def test_sparqlwrapper_select_and_formats(endpoint: str) -> None:
    client = SPARQLWrapper(endpoint + "sparql")
    client.setQuery(
        "PREFIX schema: <https://schema.org/> SELECT (COUNT(*) AS ?n) WHERE { ?c a schema:Claim }"
    )
    client.setReturnFormat(JSON)
    rows = client.queryAndConvert()["results"]["bindings"]  # type: ignore[index]
    assert int(rows[0]["n"]["value"]) > 40
    for accept, marker in [("text/csv", "n\r\n"), ("text/tab-separated-values", "?n\n"),
                           ("application/sparql-results+xml", "<sparql")]:
        r = requests.get(endpoint + "sparql", params={"query": client.queryString},
                         headers={"Accept": accept}, timeout=5)
        assert r.status_code == 200 and marker in r.text
        assert r.headers["Access-Control-Allow-Origin"] == "*"
    r = requests.post(endpoint + "sparql", data="CONSTRUCT WHERE { ?s a ?o } LIMIT 3",
                      headers={"Content-Type": "application/sparql-query",
                               "Accept": "text/turtle"}, timeout=5)
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/turtle")


@pytest.mark.parametrize(
    "text",
    [
        "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
        "DELETE WHERE { ?s ?p ?o }",
        "LOAD <http://127.0.0.1:9/x>",
        "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
    ],
)
def test_refuses_writes_and_remote_requests(endpoint: str, text: str) -> None:
    client = SPARQLWrapper(endpoint + "sparql")
    client.setQuery(text)
    client.setMethod("POST")
    client.setReturnFormat(JSON)
    with pytest.raises((SPARQLWrapperException, urllib.error.HTTPError)):
        client.query()
    r = requests.post(endpoint + "sparql", data={"query": text}, timeout=5)
    assert r.status_code == 403 and "refused" in r.text


def test_refuses_update_form_and_big_bodies(endpoint: str) -> None:
    r = requests.post(endpoint + "sparql", data={"update": "CLEAR ALL"}, timeout=5)
    assert r.status_code == 403
    r = requests.post(endpoint + "sparql", data="CLEAR ALL", timeout=5,
                      headers={"Content-Type": "application/sparql-update"})
    assert r.status_code == 403
    r = requests.post(endpoint + "sparql", data={"query": "#" * (2 * 1024 * 1024)}, timeout=10)
    assert r.status_code == 413


def test_time_limit_and_other_clients(endpoint: str) -> None:
    slow: dict[str, object] = {}

    def run_slow() -> None:
        started = time.monotonic()
        r = requests.post(endpoint + "sparql", data={"query": CARTESIAN}, timeout=30)
        slow["status"], slow["seconds"] = r.status_code, time.monotonic() - started

    thread = threading.Thread(target=run_slow)
    thread.start()
    time.sleep(0.3)
    started = time.monotonic()
    r = requests.get(endpoint + "sparql", params={"query": "ASK { ?s ?p ?o }"}, timeout=5)
    assert r.status_code == 200 and time.monotonic() - started < 1.0
    thread.join()
    assert slow["status"] == 503 and float(slow["seconds"]) < 4  # type: ignore[arg-type]
    r = requests.get(endpoint + "sparql", params={"query": "ASK { ?s ?p ?o }"}, timeout=5)
    assert r.status_code == 200  # the killed worker was replaced


def test_row_cap_is_an_error(endpoint: str) -> None:
    r = requests.get(endpoint + "sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"},
                     timeout=5)
    assert r.status_code == 400 and "500 rows" in r.text


def test_query_library_and_cors(endpoint: str) -> None:
    listing = requests.get(endpoint + "queries", timeout=5).json()
    assert any(q["name"] == "reporting-chain" and q["params"] for q in listing)
    r = requests.get(endpoint + "queries/claims-by-claimant", params={"agent": "russell-strong"},
                     timeout=5)
    assert r.status_code == 200 and "c03" in r.text
    r = requests.get(endpoint + "queries/reporting-chain", params={"claim": 'x"}#'}, timeout=5)
    assert r.status_code == 200 and r.json()["results"]["bindings"] == []
    r = requests.options(endpoint + "sparql", timeout=5)
    assert r.status_code == 204 and "POST" in r.headers["Access-Control-Allow-Methods"]


def test_views_are_served_safely(endpoint: str) -> None:
    r = requests.get(endpoint + "views/provenance.html", timeout=5)
    assert r.status_code == 200 and "Content-Security-Policy" in r.headers
    for path in ("views/../secret.txt", "views/%2e%2e/secret.txt", "views/..%2fsecret.txt"):
        r = requests.get(endpoint + path, timeout=5)
        assert r.status_code == 404 and "secret" not in r.text
