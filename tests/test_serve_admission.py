"""What the pool remembers as slow: CPU time used, not a deadline met while waiting for a CPU."""

from __future__ import annotations

import threading
import time

from graph.serve.config import ServeConfig
from graph.serve.pool import WorkerPool


def test_a_query_that_only_waited_for_a_cpu_in_the_slow_lane_is_not_remembered_slow() -> None:
    """A query that left for the slow lane and met its deadline there without using its fast
    budget of CPU time (stopped here, as a busy machine starves a SCHED_IDLE worker) is not
    taken for a slow one: next time it gets a fast worker again."""
    import contextlib
    import os
    import signal

    cartesian = ("SELECT (COUNT(*) AS ?n) WHERE "
                 "{ ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n ?o }")
    pool = WorkerPool(ServeConfig(workers=1, slow_lane=1, timeout=1.5, fast_budget=1.0,
                                  busy_budget=0.05, inline_budget=0.0))
    replies = []
    try:
        thread = threading.Thread(target=lambda: replies.append(pool.run(cartesian, "")))
        thread.start()
        time.sleep(0.2)  # it holds the only fast worker, within its fast budget
        (worker,) = pool._all
        assert pool.run("ASK { ?s ?p ?o }", "").status == 200  # it left for the slow lane
        with contextlib.suppress(ProcessLookupError):
            os.kill(worker.process.pid, signal.SIGSTOP)  # no more CPU time for it
        thread.join()
        assert replies[0].status == 503 and b"time limit" in replies[0].body
        assert not pool.measured_slow(cartesian)
    finally:
        pool.close()
