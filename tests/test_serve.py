"""Our endpoint over real HTTP, with SPARQLWrapper (a client we did not write)."""

from __future__ import annotations

import contextlib
import http.client
import os
import signal
import statistics
import sys
import threading
import time
import urllib.error
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from conftest import start_endpoint
from SPARQLWrapper import JSON, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

from graph.errors import QueryRefusedError
from graph.sparql.safety import check_query
from tests.conftest import run_clients

CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n ?o }"
HAS_OXIGRAPH = Path(sys.executable).with_name("oxigraph").is_file()


@pytest.fixture(scope="module", params=[
    "pool",
    pytest.param("oxigraph", marks=pytest.mark.skipif(
        not HAS_OXIGRAPH, reason="needs Oxigraph's server: pip install oxigraph")),
])
def endpoint(request: pytest.FixtureRequest,
             tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Our endpoint over the bundled article with each ``--engine``: 2 workers, 2 s limit,
    500 rows, a views folder (conftest's, once per engine)."""
    views = tmp_path_factory.mktemp("views")
    (views / "provenance.html").write_text("<!doctype html><p>view</p>", encoding="utf-8")
    (views.parent / "secret.txt").write_text("secret", encoding="utf-8")
    process, base = start_endpoint(
        "--timeout", "2", "--max-rows", "500", "--workers", "2", "--views", str(views),
        "--engine", request.param,
    )
    yield base
    process.terminate()
    process.wait(timeout=15)
    if process.stderr is not None:
        process.stderr.close()


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
        assert "Access-Control-Allow-Origin" not in r.headers  # CORS is off by default
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
    assert r.status_code == 400 and "takes a claim id" in r.text  # never an empty answer
    r = requests.options(endpoint + "sparql", timeout=5)
    assert r.status_code == 405 and "Access-Control-Allow-Methods" not in r.headers


def test_cors_allows_the_one_origin_it_is_given() -> None:
    process, base = start_endpoint("--cors", "https://yasgui.example")
    try:
        r = requests.get(base + "sparql", params={"query": "ASK { ?s ?p ?o }"}, timeout=5)
        assert r.status_code == 200
        assert r.headers["Access-Control-Allow-Origin"] == "https://yasgui.example"
        r = requests.options(base + "sparql", timeout=5)
        assert r.status_code == 204 and "POST" in r.headers["Access-Control-Allow-Methods"]
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stderr is not None:
            process.stderr.close()


def test_views_are_served_safely(endpoint: str) -> None:
    r = requests.get(endpoint + "views/provenance.html", timeout=5)
    assert r.status_code == 200 and "Content-Security-Policy" in r.headers
    for path in ("views/../secret.txt", "views/%2e%2e/secret.txt", "views/..%2fsecret.txt"):
        r = requests.get(endpoint + path, timeout=5)
        assert r.status_code == 404 and "secret" not in r.text


# --------------------------------------------------------------------------- under load

SORTED_PRODUCT = ("SELECT ?a ?e ?i WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } "
                  "ORDER BY DESC(STR(?c)) LIMIT 1")


@pytest.fixture(scope="module")
def lanes() -> Iterator[tuple[str, int]]:
    """An endpoint with 2 fast workers, a slow lane of 1, 2 s limit, 150 MB per query."""
    process, base = start_endpoint("--timeout", "2", "--workers", "2", "--slow-lane", "1",
                                   "--max-memory", "150")
    yield base, process.pid
    process.terminate()
    process.wait(timeout=10)
    if process.stderr is not None:
        process.stderr.close()


def _children(pid: int) -> int:
    count = 0
    for entry in Path("/proc").iterdir():
        with contextlib.suppress(OSError):
            fields = (entry / "stat").read_text().rsplit(")", 1)[-1].split()
            count += entry.name.isdigit() and fields[1] == str(pid)
    return count


def test_responses_are_not_delayed_by_nagle(endpoint: str) -> None:
    from graph.serve.config import ServeConfig
    from graph.serve.handler import _make_handler

    assert _make_handler(None, ServeConfig()).disable_nagle_algorithm  # type: ignore[arg-type]
    host, port = endpoint.split("//")[1].rstrip("/").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=5)
    times = []
    for _ in range(12):  # one kept-alive connection: Nagle would hold each body ~40 ms
        started = time.monotonic()
        conn.request("GET", "/queries")
        response = conn.getresponse()
        assert response.status == 200 and response.read()
        times.append(time.monotonic() - started)
    conn.close()
    assert statistics.median(times) < 0.025, times


def test_each_query_is_parsed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    import rdflib.plugins.sparql.parser as parser

    from graph.serve.protocol import _answer
    from graph.sparql.safety import SafeQuery

    calls = []
    real = parser.parseQuery
    monkeypatch.setattr(parser, "parseQuery", lambda text: calls.append(text) or real(text))
    text = f"ASK {{ ?s ?p ?o }} # {time.monotonic_ns()}"
    assert check_query(text) == check_query(text) == SafeQuery(text, "ask")
    assert len(calls) == 1
    refused = f"SELECT * WHERE {{ SERVICE <urn:x> {{ ?s ?p ?o }} }} # {time.monotonic_ns()}"
    errors = []
    for _ in range(2):  # a cached refusal is raised again, same class and message
        with pytest.raises(QueryRefusedError) as info:
            check_query(refused)
        errors.append((type(info.value), str(info.value)))
    assert errors[0] == errors[1] and len(calls) == 2

    class Store:
        def query(self, text: str, use_default_graph_as_union: bool) -> bool:
            return True

    reply = _answer(Store(), SafeQuery(text, "ask"), "", 10)  # the worker does not parse
    assert reply.status == 200 and len(calls) == 2


def test_slow_queries_do_not_starve_fast_ones(lanes: tuple[str, int]) -> None:
    base, pid = lanes
    slow: list[tuple[int, float, str]] = []

    def run_slow() -> None:
        started = time.monotonic()
        r = requests.post(base + "sparql", data={"query": CARTESIAN}, timeout=30)
        slow.append((r.status_code, time.monotonic() - started, r.text))

    first = threading.Thread(target=run_slow)
    first.start()
    time.sleep(0.4)  # the first is in the slow lane by now; the second finds it full
    second = threading.Thread(target=run_slow)
    second.start()
    fast = []
    live = []
    for _ in range(8):
        started = time.monotonic()
        r = requests.get(base + "sparql", params={"query": "ASK { ?s ?p ?o }"}, timeout=5)
        fast.append((r.status_code, time.monotonic() - started))
        live.append(_children(pid))
    second.join()
    first.join()
    assert all(status == 200 and seconds < 1.0 for status, seconds in fast), fast
    assert max(live) <= 3  # 2 fast workers + a slow lane of 1
    busy, limited = sorted(slow, key=lambda s: s[1])
    assert busy[0] == 503 and "busy with long queries" in busy[2] and busy[1] < 1.0
    assert limited[0] == 503 and "time limit" in limited[2]
    assert 1.9 < limited[1] < 3.9  # the time limit + the fast budget + slack, never 2 x the limit


def test_memory_cap_gives_503_and_a_fresh_worker(lanes: tuple[str, int]) -> None:
    base, _ = lanes
    for _ in range(10):  # a killed slow worker frees its place once reaped (it runs at nice 19)
        r = requests.post(base + "sparql", data={"query": SORTED_PRODUCT}, timeout=30)
        if "busy with long queries" not in r.text:
            break
        time.sleep(0.3)
    assert r.status_code == 503 and "too much memory" in r.text and "time limit" not in r.text
    for _ in range(3):
        r = requests.get(base + "sparql", params={"query": "ASK { ?s ?p ?o }"}, timeout=5)
        assert r.status_code == 200


# --------------------------------------------------------------------------- the pool, in process

SOME_ROWS = "SELECT * WHERE { ?s ?p ?o } LIMIT 200"  # a few milliseconds of a worker's CPU


def test_the_fast_budget_counts_only_the_querys_own_cpu_time() -> None:
    """A worker whose earlier queries used more CPU than the budget still gets the whole budget."""
    from graph.serve.accounting import _cpu_seconds
    from graph.serve.config import ServeConfig
    from graph.serve.pool import WorkerPool

    # inline_budget=0: every query reaches the worker (else a cheap text is answered in the server)
    pool = WorkerPool(ServeConfig(workers=1, slow_lane=0, timeout=10.0, inline_budget=0.0))
    (worker,) = pool._all
    pid = worker.process.pid
    try:
        for _ in range(5000):  # earlier queries, each within the budget, more than it in all
            assert pool.run(SOME_ROWS, "").status == 200
            used = _cpu_seconds(pid)
            if used is not None and used > 2 * pool.fast_budget:
                break
        assert used is not None and used > 2 * pool.fast_budget
        os.kill(pid, signal.SIGSTOP)  # the next query waits for a CPU and uses none
        resume = threading.Timer(5 * pool.fast_budget, _resume, (pid,))
        resume.start()
        reply = pool.run("ASK { ?s ?p ?o }", "")
        resume.join()
        assert reply.status == 200, reply.body  # not 503 "busy with long queries"
        assert pool._all == [worker]  # neither stopped nor replaced
    finally:
        _resume(pid)
        pool.close()


def _resume(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGCONT)


@pytest.mark.skipif(not hasattr(os, "SCHED_IDLE"), reason="SCHED_IDLE is Linux's")
def test_the_slow_lane_runs_on_cpu_time_nobody_else_wants() -> None:
    from graph.serve.config import ServeConfig
    from graph.serve.pool import WorkerPool

    pool = WorkerPool(ServeConfig(workers=1, slow_lane=1, timeout=1.0))
    try:
        fast = pool._all[0].process.pid
        replies = []
        thread = threading.Thread(target=lambda: replies.append(pool.run(CARTESIAN, "")))
        thread.start()
        policies: dict[int, int] = {}
        while thread.is_alive():
            for worker in list(pool._all):
                with contextlib.suppress(OSError):
                    policies[worker.process.pid] = os.sched_getscheduler(worker.process.pid)
            time.sleep(0.01)
        thread.join()
        assert replies[0].status == 503 and b"time limit" in replies[0].body
        assert policies[fast] == os.SCHED_IDLE  # the query's worker, once in the slow lane
        assert os.SCHED_OTHER in {p for pid, p in policies.items() if pid != fast}  # its successor
        assert pool.run("ASK { ?s ?p ?o }", "").status == 200
        for _ in range(100):  # the slow worker is killed after its query, then reaped
            if pool.live_workers == 1:
                break
            time.sleep(0.05)
        assert pool.live_workers == 1
        assert os.sched_getscheduler(pool._all[0].process.pid) == os.SCHED_OTHER
    finally:
        pool.close()


def test_by_default_several_long_queries_run_on_at_once() -> None:
    """Three analysts' long queries at once each get a slow-lane place and run to the time limit;
    none is sent back as "busy with long queries" (what the second got with one place)."""
    from graph.serve.config import ServeConfig
    from graph.serve.pool import WorkerPool
    from graph.serve.protocol import Reply

    pool = WorkerPool(ServeConfig(workers=2, timeout=1.0))
    try:
        replies: list[Reply] = []
        threads = [threading.Thread(target=lambda: replies.append(pool.run(CARTESIAN, "")))
                   for _ in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert pool.config.slow_lane == 4
        assert [r.status for r in replies] == [503] * 3
        assert all(b"stopped at the time limit" in r.body for r in replies), replies
        assert pool.live_workers <= 2 + 4
    finally:
        pool.close()


@pytest.mark.skipif(not hasattr(os, "SCHED_IDLE"), reason="SCHED_IDLE is Linux's")
def test_the_slow_lane_shares_one_memory_cap() -> None:
    """A worker joining the slow lane keeps a quarter of --max-memory with four places."""
    import resource

    from graph.serve.config import ServeConfig
    from graph.serve.pool import WorkerPool
    from graph.serve.protocol import Reply

    pool = WorkerPool(ServeConfig(workers=1, slow_lane=4, timeout=1.0, max_memory=512))
    try:
        pid = pool._all[0].process.pid
        fast_cap, _ = resource.prlimit(pid, resource.RLIMIT_AS)
        replies: list[Reply] = []
        thread = threading.Thread(target=lambda: replies.append(pool.run(CARTESIAN, "")))
        thread.start()
        slow_cap = None
        while thread.is_alive() and slow_cap is None:
            with contextlib.suppress(OSError):
                if os.sched_getscheduler(pid) == os.SCHED_IDLE:
                    slow_cap = resource.prlimit(pid, resource.RLIMIT_AS)
            time.sleep(0.005)
        thread.join()
        assert slow_cap is not None and slow_cap[0] == slow_cap[1]
        assert fast_cap - slow_cap[0] == 384 * 1024 * 1024  # 512 MB less its share, 128 MB
        fresh = pool._all[-1].process.pid
        assert resource.prlimit(fresh, resource.RLIMIT_AS)[0] > slow_cap[0]  # fast: its own
    finally:
        pool.close()


def test_a_long_query_yields_its_worker_sooner_when_others_wait() -> None:
    """Past the busy budget while another query waits, a long query leaves its fast worker for
    the slow lane (a fresh worker takes its place), well before its fast budget."""
    from graph.serve.config import ServeConfig
    from graph.serve.pool import WorkerPool

    pool = WorkerPool(ServeConfig(workers=1, slow_lane=1, timeout=3.0, fast_budget=1.0,
                                  busy_budget=0.05))
    try:
        replies = []
        thread = threading.Thread(target=lambda: replies.append(pool.run(CARTESIAN, "")))
        thread.start()
        time.sleep(0.2)  # it holds the only fast worker, within its fast budget
        started = time.monotonic()
        waited = pool.run("ASK { ?s ?p ?o }", "")  # waits for a worker: the busy budget applies
        seconds = time.monotonic() - started
        thread.join()
        assert waited.status == 200 and seconds < 0.9, seconds  # not after the 1 s fast budget
        assert replies[0].status == 503 and b"time limit" in replies[0].body  # in the slow lane
    finally:
        pool.close()


def test_a_query_is_not_refused_because_others_wait() -> None:
    """With the slow lane full, a query past the busy budget while others wait runs on to its
    fast budget: eight clients of a query of some 15 ms of CPU time each, every text new, one
    fast worker, no slow lane, a 5 ms busy budget: all answered (before, most got 503)."""
    from graph.serve.config import ServeConfig
    from graph.serve.pool import WorkerPool

    product = ("PREFIX schema: <https://schema.org/> SELECT (COUNT(*) AS ?n) WHERE "
               "{ ?a a schema:Claim . ?b a schema:Claim . ?c a schema:Claim }")
    pool = WorkerPool(ServeConfig(workers=1, slow_lane=0, fast_budget=1.0, busy_budget=0.005,
                                  inline_budget=0.0, timeout=10.0))
    statuses: list[int] = []
    try:
        def client(index: int) -> None:
            for round_ in range(3):
                text = f"{product} # client {index}, round {round_}"
                statuses.append(pool.run(text, "").status)

        run_clients(client)
    finally:
        pool.close()
    assert statuses == [200] * 24, statuses


def test_a_long_query_with_the_slow_lane_full_is_refused_at_its_fast_budget() -> None:
    """No place in the slow lane: a long query keeps its worker until its fast budget (not the
    busy budget), is refused there and remembered as slow."""
    from graph.serve.config import ServeConfig
    from graph.serve.pool import WorkerPool

    pool = WorkerPool(ServeConfig(workers=1, slow_lane=0, timeout=10.0, fast_budget=0.3,
                                  busy_budget=0.05))
    try:
        replies = []
        thread = threading.Thread(target=lambda: replies.append(pool.run(CARTESIAN, "")))
        thread.start()
        time.sleep(0.1)
        waited = pool.run("ASK { ?s ?p ?o }", "")
        thread.join()
        assert waited.status == 200
        assert replies[0].status == 503 and b"ran past 0.3 s of CPU" in replies[0].body
        assert pool.measured_slow(CARTESIAN)
    finally:
        pool.close()


def test_cpu_time_is_read_from_proc() -> None:
    from graph.serve.accounting import _cpu_seconds

    before = _cpu_seconds(os.getpid())
    assert before is not None
    deadline = time.process_time() + 0.05
    while time.process_time() < deadline:  # 50 ms of this process's CPU time
        pass
    after = _cpu_seconds(os.getpid())
    assert after is not None and after - before >= 0.04
    never = int(Path("/proc/sys/kernel/pid_max").read_text())  # no process ever has this PID
    assert _cpu_seconds(never) is None  # nothing to read: the pool falls back on wall time


def test_claim_ids_are_resolved_once_while_the_memory_store_is_served(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from graph.serve.config import ServeConfig
    from graph.serve.handler import _PoolStore
    from graph.serve.pool import WorkerPool
    from graph.sparql.library import get_query, resolve_params

    pool = WorkerPool(ServeConfig(workers=1, slow_lane=0))
    try:
        sent: list[object] = []
        real = pool.run_checked
        monkeypatch.setattr(pool, "run_checked", lambda safe, accept: sent.append(safe) or real(
            safe, accept))
        query = get_query("claim-description")
        example = {"claim": query.params[0].example}
        first = resolve_params(query, example, _PoolStore(pool))
        again = resolve_params(query, example, _PoolStore(pool))  # a later request
        assert first == again and first["claim"].startswith("https://")
        assert len(sent) == 1
    finally:
        pool.close()


# ------------------------------------------------------------- admission by measured cost

PATH_QUERY = ("PREFIX prov: <http://www.w3.org/ns/prov#> "
              "SELECT ?c ?u WHERE { ?c prov:wasDerivedFrom+ ?u }")


def test_a_cheap_query_runs_at_once_whatever_its_shape() -> None:
    """An unbounded path from every node, and a product that Oxigraph ends at once: cheap on this
    store, so answered by the fast workers, from eight threads at once, with a slow lane of one
    place that they never need."""
    from graph.serve.config import ServeConfig
    from graph.serve.pool import WorkerPool

    pool = WorkerPool(ServeConfig(workers=2, slow_lane=1, timeout=10.0))
    try:
        assert check_query(PATH_QUERY).explosive  # its shape alone would have sent it away
        product = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f FILTER(false) }"
        statuses: list[int] = []

        def client() -> None:
            for text in (PATH_QUERY, product) * 5:
                statuses.append(pool.run(text, "").status)

        threads = [threading.Thread(target=client) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert statuses == [200] * 80, sorted(set(statuses))
    finally:
        pool.close()


@pytest.mark.skipif(not hasattr(os, "SCHED_IDLE"), reason="SCHED_IDLE is Linux's")
def test_a_query_measured_slow_starts_in_the_slow_lane_next_time() -> None:
    from graph.serve.accounting import _cpu_seconds
    from graph.serve.config import ServeConfig
    from graph.serve.pool import WorkerPool
    from graph.serve.protocol import Reply

    pool = WorkerPool(ServeConfig(workers=1, slow_lane=1, timeout=1.0, max_memory=512))
    try:
        first = pool.run(CARTESIAN, "")  # measured: past the fast budget, then the time limit
        assert first.status == 503 and b"time limit" in first.body
        while len(pool._all) > 1:  # the stopped worker is reaped by a thread of its own
            time.sleep(0.01)
        (fast,) = pool._all
        cpu_before = _cpu_seconds(fast.process.pid)
        replies: list[Reply] = []
        thread = threading.Thread(target=lambda: replies.append(pool.run(CARTESIAN, "")))
        thread.start()
        slow_pid = None
        while thread.is_alive() and slow_pid is None:
            slow_pid = next((w.process.pid for w in list(pool._all) if w is not fast), None)
            time.sleep(0.005)
        assert slow_pid is not None
        with contextlib.suppress(OSError):  # it may have been stopped already
            assert os.sched_getscheduler(slow_pid) == os.SCHED_IDLE
        started = time.monotonic()
        refused = pool.run(CARTESIAN, "")  # the lane is full: refused at once, no worker used
        assert time.monotonic() - started < 0.5
        assert refused.status == 503 and b"slow lane" in refused.body
        assert pool.run("ASK { ?s ?p ?o }", "").status == 200  # the fast pool answers meanwhile
        thread.join()
        assert replies[0].status == 503 and b"time limit" in replies[0].body
        assert fast in pool._all  # never moved, never replaced
        cpu_after = _cpu_seconds(fast.process.pid)
        assert cpu_before is not None and cpu_after is not None
        assert cpu_after - cpu_before < 0.05  # the ASK only, not the cartesian product
    finally:
        pool.close()


def test_eight_concurrent_clients_of_library_and_path_queries_all_get_200() -> None:
    """rdflib's parser is not thread-safe and a shape is not a cost: eight clients at once of a
    library query, or of a path over every claim, are all answered."""
    from graph.sparql.library import get_query

    process, base = start_endpoint("--timeout", "5")
    texts = {"direct-quotes": get_query("direct-quotes").text, "path": PATH_QUERY}
    try:
        for name, text in texts.items():
            statuses: list[int] = []

            def client(text: str = text, statuses: list[int] = statuses) -> None:
                with requests.Session() as session:
                    for n in range(25):  # a new text each time: each is parsed, in parallel
                        r = session.post(base + "sparql", timeout=20,
                                         data={"query": f"{text}\n# {threading.get_ident()} {n}"})
                        statuses.append(r.status_code)

            threads = [threading.Thread(target=client) for _ in range(8)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            assert statuses.count(200) == len(statuses) == 200, (name, sorted(set(statuses)))
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stderr is not None:
            process.stderr.close()
