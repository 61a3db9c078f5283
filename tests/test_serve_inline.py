"""Texts measured cheap on the served store are answered in the server process itself
(:mod:`graph.serve.inline`): the same answers as the workers give, and nothing else changes."""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from conftest import loaded_oxigraph, start_endpoint
from rdflib import Dataset

from graph.serve.config import ServeConfig
from graph.serve.pool import WorkerPool
from graph.serve.protocol import Reply
from graph.serve.quick_check import quick_verdict
from graph.sparql.safety import SafeQuery, check_query

PATH_QUERY = ("PREFIX prov: <http://www.w3.org/ns/prov#> "
              "SELECT ?c ?u WHERE { ?c prov:wasDerivedFrom+ ?u }")
SELECT = ("PREFIX schema: <https://schema.org/> "
          "SELECT ?c ?t WHERE { ?c a schema:Claim ; schema:text ?t } ORDER BY ?c LIMIT 7")
ASK = "PREFIX schema: <https://schema.org/> ASK { ?c a schema:Claim }"
CONSTRUCT = ("PREFIX schema: <https://schema.org/> "
             "CONSTRUCT { ?c a schema:Claim } WHERE { ?c a schema:Claim } ORDER BY ?c LIMIT 5")
FORMATS = {
    SELECT: ["application/sparql-results+json", "application/sparql-results+xml", "text/csv",
             "text/tab-separated-values", ""],
    ASK: ["application/sparql-results+json", "text/csv", "application/sparql-results+xml"],
    CONSTRUCT: ["text/turtle", "application/n-triples"],
}


def _verdict(text: str) -> SafeQuery:
    return quick_verdict(text) or check_query(text)


def _until_cheap(pool: WorkerPool, text: str, accept: str, tries: int = 20) -> Reply:
    """The workers' answer to ``text``, sent until the pool has measured it cheap."""
    first = pool.run(text, accept)
    for _ in range(tries):
        if pool.inline.is_cheap(_verdict(text), accept):
            return first
        assert pool.run(text, accept) == first
    raise AssertionError(f"never measured cheap: {text[:60]!r} ({accept!r})")


@pytest.fixture(scope="module")
def pool() -> Iterator[WorkerPool]:
    """A pool over the bundled article with a row cap of 20 and a generous inline budget (the
    measured CPU time of a short query varies with the machine's load)."""
    opened = WorkerPool(ServeConfig(workers=2, max_rows=20, timeout=5.0, inline_budget=0.05))
    yield opened
    opened.close()


@pytest.mark.parametrize(("text", "accept"),
                         [(t, a) for t, accepts in FORMATS.items() for a in accepts])
def test_an_answer_given_in_the_server_is_the_workers_answer(
        pool: WorkerPool, text: str, accept: str) -> None:
    by_worker = _until_cheap(pool, text, accept)
    assert by_worker.status == 200
    assert pool.run(text, accept) == by_worker  # status, content type, headers and bytes


def test_a_text_is_cheap_only_in_the_format_it_was_measured_in(pool: WorkerPool) -> None:
    _until_cheap(pool, ASK, "application/sparql-results+json")
    safe = _verdict(ASK)
    assert pool.inline.is_cheap(safe, "application/json")  # the same format by another name
    assert not pool.inline.is_cheap(safe, "text/tab-separated-values")


def test_answers_over_the_row_cap_and_refusals_never_count_as_cheap(pool: WorkerPool) -> None:
    over = "PREFIX schema: <https://schema.org/> SELECT ?c WHERE { ?c a schema:Claim }"
    refused = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"
    for _ in range(5):
        reply = pool.run(over, "")
        assert reply.status == 400 and b"more than 20 rows" in reply.body
        assert pool.run(refused, "").status == 403
        assert pool.run("SELECT * WHERE { ?s ?p", "").status == 400
    assert not pool.inline.is_cheap(_verdict(over), "")


def test_a_zero_budget_sends_every_query_to_a_worker() -> None:
    pool = WorkerPool(ServeConfig(workers=1, inline_budget=0.0))
    try:
        for _ in range(5):
            assert pool.run(PATH_QUERY, "").status == 200
        assert not pool.inline.enabled
        assert not pool.inline.is_cheap(_verdict(PATH_QUERY), "")
    finally:
        pool.close()


def test_a_folder_is_answered_in_the_server_as_by_its_workers(
        bundled_dataset: Dataset, tmp_path: Path) -> None:
    loading = loaded_oxigraph(bundled_dataset, tmp_path)
    next(loading)
    with contextlib.suppress(StopIteration):
        next(loading)  # loaded and closed: served read-only from here on
    pool = WorkerPool(ServeConfig(store=f"oxigraph:{tmp_path / 'store'}", workers=1,
                                  inline_budget=0.05))
    try:
        by_worker = _until_cheap(pool, SELECT, "text/csv")
        assert by_worker.status == 200 and by_worker.body.count(b"\r\n") == 8
        assert pool.run(SELECT, "text/csv") == by_worker
    finally:
        pool.close()


def _children(pid: int) -> list[int]:
    out: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        with contextlib.suppress(OSError):
            out += [int(c) for c in (task / "children").read_text().split()]
    return out


def test_eight_clients_of_a_cheap_text_are_answered_with_every_worker_stopped() -> None:
    """Over real HTTP: once the path query is measured cheap, eight clients at once get it
    from the server process itself, even while every worker is stopped (SIGSTOP); a text not
    measured yet still goes to a worker, and gets its answer once the workers go on."""
    process, base = start_endpoint("--timeout", "5", "--workers", "2", "--inline-budget", "0.05")
    workers: list[int] = []
    try:
        headers = {"Content-Type": "application/sparql-query"}
        first = requests.post(base + "sparql", data=PATH_QUERY, headers=headers, timeout=10)
        assert first.status_code == 200
        for _ in range(10):  # a fresh worker's first query may cost more than the budget
            requests.post(base + "sparql", data=PATH_QUERY, headers=headers, timeout=10)
        workers = _children(process.pid)
        assert len(workers) == 2
        for pid in workers:
            os.kill(pid, signal.SIGSTOP)
        bodies: list[tuple[int, bytes]] = []

        def client() -> None:
            with requests.Session() as session:
                for _ in range(20):
                    r = session.post(base + "sparql", data=PATH_QUERY, headers=headers, timeout=4)
                    bodies.append((r.status_code, r.content))

        threads = [threading.Thread(target=client) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert bodies == [(200, first.content)] * 160
        other: list[int] = []
        waiting = threading.Thread(target=lambda: other.append(requests.post(
            base + "sparql", data=PATH_QUERY + " LIMIT 3", headers=headers, timeout=10,
        ).status_code))
        waiting.start()
        waiting.join(0.5)
        assert waiting.is_alive()  # a new text waits for a worker
        for pid in workers:
            os.kill(pid, signal.SIGCONT)
        waiting.join()
        assert other == [200]
    finally:
        for pid in workers:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGCONT)
        process.terminate()
        process.wait(timeout=10)
        if process.stderr is not None:
            process.stderr.close()


@pytest.mark.parametrize("rows", [20, 21])
def test_a_long_json_answer_is_counted_against_the_cap_and_written_whole(
        pool: WorkerPool, rows: int) -> None:
    """An answer longer than three bytes a row may hold more rows than the cap: its rows are
    counted in a second run, and within the cap pyoxigraph writes it whole (both ways)."""
    import json

    text = ("PREFIX schema: <https://schema.org/> "
            f"SELECT ?c ?t WHERE {{ ?c a schema:Claim ; schema:text ?t }} ORDER BY ?c LIMIT {rows}")
    replies = [pool.run(text, "application/json") for _ in range(6)]
    long = ("PREFIX schema: <https://schema.org/> SELECT ?c ?t ?d WHERE { ?c a schema:Claim ; "
            "schema:text ?t . ?d a schema:Claim } LIMIT 500")  # over 1 KB a row of the cap
    assert pool.run(long, "").status == 400 and b"more than 20 rows" in pool.run(long, "").body
    assert len({(r.status, r.body) for r in replies}) == 1
    if rows > 20:
        assert replies[0].status == 400 and b"more than 20 rows" in replies[0].body
        return
    assert replies[0].status == 200 and len(replies[0].body) > 3 * 20
    assert len(json.loads(replies[0].body)["results"]["bindings"]) == 20
    assert pool.inline.is_cheap(_verdict(text), "application/json")


def test_a_text_answered_well_within_the_fast_budget_keeps_it_while_others_wait() -> None:
    """A query of some 15 ms of CPU time here, past a 5 ms busy budget: it leaves the fast pool
    for the slow lane (a fresh worker takes its place) while others wait for the one worker,
    until it has been answered once here within half the fast budget; from then on it is not
    taken for a long query and keeps its worker."""
    product = ("PREFIX schema: <https://schema.org/> SELECT (COUNT(*) AS ?n) WHERE "
               "{ ?a a schema:Claim . ?b a schema:Claim . ?c a schema:Claim }")
    pool = WorkerPool(ServeConfig(workers=1, slow_lane=1, fast_budget=1.0, busy_budget=0.005,
                                  inline_budget=0.0, timeout=10.0))
    try:
        def together(text: str) -> tuple[list[int], bool]:
            """The statuses, and whether any worker left the fast pool meanwhile."""
            before = {w.process.pid for w in pool._all}
            statuses: list[int] = []
            threads = [threading.Thread(target=lambda: statuses.append(pool.run(text, "").status))
                       for _ in range(3)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            return sorted(statuses), bool({w.process.pid for w in pool._all} - before)

        for round_ in range(5):  # three at once usually make one wait past its busy budget
            if together(f"{product} # not measured here yet ({round_})")[1]:
                break
        else:
            raise AssertionError("no query left the fast pool")
        assert pool.run(product, "").status == 200  # alone: the whole fast budget
        assert together(product) == ([200, 200, 200], False)
    finally:
        pool.close()
