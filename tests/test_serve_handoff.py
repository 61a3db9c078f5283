"""The hand-off of a job to a fast worker: a freed worker is sent the oldest waiting job by the
thread that frees it; the waiting thread then only waits for the answer."""

from __future__ import annotations

import threading
import time

from graph.serve.config import ServeConfig
from graph.serve.handoff import Turn
from graph.serve.pool import WorkerPool
from graph.sparql.safety import SafeQuery
from tests.conftest import run_clients

ASK = SafeQuery("ASK { ?s ?p ?o }", "ask")


def test_a_freed_worker_is_sent_the_waiting_job_before_the_waiting_thread_runs() -> None:
    pool = WorkerPool(ServeConfig(workers=1, inline_budget=0.0, timeout=10.0))
    try:
        (worker,) = pool._all
        first = pool._fast.take(ASK, "", time.monotonic() + 5)
        assert first is not None and first.worker is worker and first.sent
        assert worker.conn.recv()[0] == "reply"  # the first job's answer: the worker is idle
        waiting: list[Turn | None] = []

        def wait_for_a_worker() -> None:
            waiting.append(pool._fast.take(SafeQuery("ASK { ?s a ?o }", "ask"), "",
                                           time.monotonic() + 5))

        thread = threading.Thread(target=wait_for_a_worker)
        thread.start()
        while pool._fast.waiting == 0:
            time.sleep(0.001)
        pool._fast.release(worker)  # sends the waiting job itself, then wakes its thread
        assert worker.conn.poll(5)  # the job went with release: the worker answers it
        assert worker.conn.recv()[0] == "reply"
        thread.join()
        assert waiting and waiting[0] is not None and waiting[0].worker is worker
        assert waiting[0].sent and waiting[0].cpu_before is not None
        pool._fast.release(worker)
    finally:
        pool.close()


def test_a_query_that_waits_past_its_deadline_gives_up_its_turn() -> None:
    pool = WorkerPool(ServeConfig(workers=1, inline_budget=0.0, timeout=10.0))
    try:
        (worker,) = pool._all
        held = pool._fast.take(ASK, "", time.monotonic() + 5)
        assert held is not None
        started = time.monotonic()
        assert pool._fast.take(ASK, "", started + 0.2) is None
        assert 0.15 < time.monotonic() - started < 2.0
        assert pool._fast.waiting == 0  # its turn is gone: the freed worker goes idle
        worker.conn.recv()
        pool._fast.release(worker)
        assert pool.run("ASK { ?s ?p ?o }", "").status == 200
    finally:
        pool.close()


def test_many_clients_each_get_their_own_answer() -> None:
    """Eight threads, two workers, new texts: every answer is the one its query asked for."""
    pool = WorkerPool(ServeConfig(workers=2, inline_budget=0.0, timeout=10.0))
    wrong: list[str] = []

    def client(index: int) -> None:
        for round_ in range(15):
            limit = 1 + (index * 15 + round_) % 7
            text = f"SELECT ?s WHERE {{ ?s ?p ?o }} LIMIT {limit} # {index} {round_}"
            reply = pool.run(text, "text/csv")
            rows = reply.body.decode().strip().splitlines()[1:]
            if reply.status != 200 or len(rows) != limit:
                wrong.append(f"{text}: {reply.status} {len(rows)} rows")

    try:
        run_clients(client)
    finally:
        pool.close()
    assert wrong == []

