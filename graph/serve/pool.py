"""Worker processes: one query each at a time, a fast pool and a slow lane, stopped on time."""

from __future__ import annotations

import multiprocessing
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from graph.errors import StoreError
from graph.sparql.safety import CACHE_MAX_CHARS, SafeQuery
from graph.stores.oxigraph import OxigraphStore

if TYPE_CHECKING:
    from rdflib import Dataset
from graph.serve.accounting import (
    _MEMORY_SIGNALS,
    _lane_share_mb,
    _lower_priority,
    _share_slow_lane_memory,
)
from graph.serve.config import ServeConfig
from graph.serve.handoff import Handoff
from graph.serve.inline import InlineAnswers
from graph.serve.preload import check_library, warm_up
from graph.serve.protocol import (
    Reply,
    _busy_with_long_queries,
    _lane_full_for_slow,
    _stopped_at_time_limit,
    _text,
)
from graph.serve.quick_check import quick_verdict
from graph.serve.worker import Worker, set_store

__all__ = [
    "WorkerPool",
]
_START_TIMEOUT: Final = 30.0  # seconds a new worker may take to say it is ready
_REMEMBERED: Final = 1024  # query texts remembered as checked, as measured slow or short


class WorkerPool:
    """Fast workers plus a capped slow lane; see the module's docstring for the time semantics."""

    def __init__(self, config: ServeConfig) -> None:
        from graph.stores import _convert  # noqa: F401  imported before any fork, never in a worker

        self.config = config
        self.fast_budget = min(config.fast_budget, config.timeout)
        self.busy_budget = min(config.busy_budget, self.fast_budget)
        self._ctx = multiprocessing.get_context("fork")
        self._path: str | None = None
        self.lookups: dict[str, Any] | None = {} if config.store == "memory" else None
        self.store: Any = None  # the memory store, shared with the workers (None: a folder)
        if config.store == "memory":
            self.store = _memory_oxigraph()
            set_store(self.store)
        elif config.store.startswith("oxigraph:"):
            self._path = config.store[len("oxigraph:"):]
            if not Path(self._path).is_dir():
                raise StoreError(f"no Oxigraph store at {self._path}")
            # Refuses a folder whose default graph is not kept (an older one), before any fork.
            OxigraphStore(self._path, read_only=True).close()
        else:
            raise StoreError("serve needs a local store: memory or oxigraph:PATH")
        warm_up()  # what a first query imports is imported once, here, for every worker
        check_library()  # and every worker inherits the library's checked texts
        self.inline = InlineAnswers(config.inline_budget, config.max_rows, self.store,
                                    self._path)
        self._checked: dict[str, SafeQuery] = {}  # texts a worker checked (insertion = age)
        self._slow_texts: dict[str, None] = {}  # texts that used the whole fast budget here
        self._short_texts: dict[str, None] = {}  # answered within half the fast budget here
        self._fast = Handoff()  # idle fast workers, and the queries waiting for one
        self._all: list[Worker] = []
        self._slow = 0
        self._closed = False
        self._lock = threading.Lock()
        for _ in range(max(1, config.workers)):
            self._spawn()

    @property
    def live_workers(self) -> int:
        """Worker processes alive now (fast and slow)."""
        with self._lock:
            return len(self._all)

    def _spawn(self) -> None:
        with self._lock:
            if self._closed:
                return
            worker = Worker(self._ctx, self._path, self.config.max_rows, self.config.max_memory)
            self._all.append(worker)
        worker.wait_ready(_START_TIMEOUT)
        self._fast.release(worker)

    def _discard(self, worker: Worker) -> None:
        worker.kill()
        with self._lock:
            if worker in self._all:
                self._all.remove(worker)

    def _leave_slow_lane(self, worker: Worker) -> None:
        """Kill a slow worker without delaying its reply; its place frees once it is reaped."""

        def release() -> None:
            with self._lock:
                if worker in self._all:
                    self._all.remove(worker)
                self._slow -= 1

        worker.kill(then=release)

    def _receive(self, worker: Worker, seconds: float,
                 key: str | None = None) -> tuple[Reply | None, bool]:
        """The worker's reply within ``seconds`` (``None``: none yet) and whether it lives on.
        A verdict the worker sends first is kept under ``key``, the text as the client sent it."""
        until = time.monotonic() + seconds
        try:
            while worker.conn.poll(max(0.0, until - time.monotonic())):
                kind, message = worker.conn.recv()
                if kind == "reply":
                    return message, True
                if key is not None:
                    self._remember_checked(key, message)
            return None, True
        except (EOFError, OSError):
            return self._death_reply(worker), False

    def _death_reply(self, worker: Worker) -> Reply:
        how = worker.exit_signal()
        if how == -1 or how in _MEMORY_SIGNALS:
            cap, places = self.config.max_memory, self.config.slow_lane
            lane = f", {_lane_share_mb(cap, places)} MB in the slow lane" if places > 1 else ""
            limit = f" (the cap is {cap} MB per query{lane})" if cap > 0 else ""
            return _text(503, f"the query used too much memory and was stopped{limit}; "
                         "narrow the query or add LIMIT")
        return _text(503, "the worker running the query failed; try again")

    def _remember_checked(self, text: str, safe: SafeQuery) -> None:
        if len(text) > CACHE_MAX_CHARS:  # long texts are rare and would hold much memory
            return
        with self._lock:
            self._checked[text] = safe
            while len(self._checked) > _REMEMBERED:
                self._checked.pop(next(iter(self._checked)))

    def measured_slow(self, text: str) -> bool:
        """Whether the text used a whole fast budget or reached its time limit here before."""
        with self._lock:
            return text in self._slow_texts

    def remember_slow(self, text: str) -> None:
        """Remember a text as slow here (measured by this pool or by another engine)."""
        self._remember(self._slow_texts, text)
        with self._lock:
            self._short_texts.pop(text, None)

    def _remember(self, texts: dict[str, None], text: str) -> None:
        if len(text) > CACHE_MAX_CHARS:  # long texts are rare and would hold much memory
            return
        with self._lock:
            texts[text] = None
            while len(texts) > _REMEMBERED:
                texts.pop(next(iter(texts)))

    def run(self, text: str, accept: str) -> Reply:
        """Run a query text: checked (403/400 when refused) and answered by a worker, inside the
        query's time limit. A text a worker has checked before is not parsed again."""
        safe = self._known_verdict(text)
        return self._dispatch(safe if safe is not None else text, accept, text)

    def _known_verdict(self, text: str) -> SafeQuery | None:
        """A verdict given without a worker: kept from before, or quick (no parse needed: a
        short text holding neither keyword, :mod:`graph.serve.quick_check`). ``None``: a worker
        checks it, inside the time limit."""
        with self._lock:
            safe = self._checked.get(text)
        if safe is None and len(text) <= CACHE_MAX_CHARS:
            safe = quick_verdict(text)
        return safe

    def run_checked(self, safe: SafeQuery, accept: str) -> Reply:
        """Run a query the caller has checked (:func:`graph.sparql.safety.check_query`)."""
        return self._dispatch(safe, accept, safe.text)

    def check(self, text: str) -> SafeQuery | Reply:
        """The verdict on a text, from a worker inside the time limit as for :meth:`run` (a
        text seen before is not parsed again); a refusal or a 503 as the reply to send."""
        safe = self._known_verdict(text)
        if safe is not None:
            return safe
        reply = self._dispatch(text, None, text)
        return reply.verdict if reply.verdict is not None else reply

    def _dispatch(self, job: SafeQuery | str, accept: str | None, key: str) -> Reply:
        """On a fast worker, then maybe in the slow lane; 503 past limits. A query measured slow
        here before (``key``: its text as the client sent it) starts in the slow lane."""
        if self.config.slow_lane > 0 and self.measured_slow(key):
            return self.run_in_slow_lane(job, accept)
        if accept is not None and not isinstance(job, str):
            inline = self.inline.answer(job, accept)  # measured cheap here: no worker needed
            if inline is not None:
                return inline
        # A text answered here before well within the fast budget is not a long query: it keeps
        # the whole fast budget even while others wait (the store does not change while served).
        short = not isinstance(job, str) and job.text in self._short_texts
        timeout = self.config.timeout
        deadline = time.monotonic() + timeout
        turn = self._fast.take(job, accept, deadline)  # the job is sent to the worker
        if turn is None or turn.worker is None:
            return _text(503, "every worker is busy; try again")
        worker, started, cpu_before = turn.worker, turn.started, turn.cpu_before
        end = max(deadline, started + self.fast_budget)
        if not turn.sent:
            self._discard(worker)
            self._spawn()
            return _text(503, "the worker running the query failed; try again")
        # A text not checked yet is parsed by the worker first (milliseconds of CPU time,
        # more on a fresh worker): the parse gets the fast budget even when others wait, and the
        # query's own budget starts once the worker says the text passed.
        text = job if isinstance(job, str) else None
        checked = text is None
        reply, alive, budget, used, placed = None, True, self.fast_budget, 0.0, False
        while reply is None:
            # Waiting for a CPU is not being slow: the budget is the CPU time used by this query.
            # A worker cannot use more CPU time than the wall time it waits, so waiting for what is
            # left of the budget never lets a query overrun it; waiting at most a busy budget at a
            # time notices queries that start waiting for a worker.
            cpu = worker.cpu_seconds()
            if not checked and (text is None or text in self._checked):
                # the worker has parsed the text: the parse does not count against the budget
                checked, cpu_before, started = True, cpu, time.monotonic()
            used = (time.monotonic() - started if cpu is None or cpu_before is None
                    else cpu - cpu_before)
            # The busy budget only moves a query to the slow lane: with no place there, it runs
            # on to the fast budget, for a query refused because others wait was a valid one.
            budget = (self.busy_budget if self._fast.waiting and checked and not short
                      and self._slow < self.config.slow_lane and not self._closed
                      else self.fast_budget)
            wait = min(budget - used, self.busy_budget, end - time.monotonic())
            if wait <= 0.001:
                if budget < self.fast_budget and end - time.monotonic() > 0.001:
                    placed = self._take_lane_place()
                    if not placed:
                        continue  # the lane filled meanwhile: the fast budget applies
                break
            reply, alive = self._receive(worker, wait, text)
        if reply is not None:
            if alive:
                if reply.status == 200 and accept is not None and not isinstance(job, str):
                    cpu = worker.cpu_seconds()  # the whole answer's cost, parse not included
                    cost = None if cpu is None or cpu_before is None else cpu - cpu_before
                    self.inline.measured(job, accept, cost)
                    if cost is not None and cost <= self.fast_budget / 2:
                        self._remember(self._short_texts, job.text)
                self._fast.release(worker)
            else:
                self._discard(worker)
                self._spawn()
            return reply
        if used >= self.fast_budget - 0.001:  # slow here even with no one waiting: remembered
            self.remember_slow(key)
        time_left = end - time.monotonic() > 0.001
        to_slow = placed or (time_left and self._take_lane_place())
        if not to_slow:
            self._discard(worker)
            self._spawn()
            if not time_left:
                return _stopped_at_time_limit(timeout)
            return _busy_with_long_queries(budget)
        try:
            _share_slow_lane_memory(worker.process.pid, self.config.max_memory,
                                   self.config.slow_lane)
            _lower_priority(worker.process.pid)
            self._spawn()  # the fast pool gets a fresh worker in this one's place
            reply, _ = self._receive(worker, end - time.monotonic(), text)
            cpu = worker.cpu_seconds()
            # Slow is by CPU time: a query that met its deadline at SCHED_IDLE on a busy machine
            # may only have waited for a CPU, and a cheap text remembered slow would go to a
            # full lane (503) on every later request.
            if (cpu - cpu_before >= self.fast_budget if cpu is not None and cpu_before is not None
                    else reply is None):
                self.remember_slow(key)  # it did need the slow lane: straight there next time
        finally:
            self._leave_slow_lane(worker)  # it cannot get its priority back: never reused
        if reply is not None:
            return reply
        return _stopped_at_time_limit(timeout)

    def _take_lane_place(self) -> bool:
        """A place in the slow lane for a query leaving the fast pool, if one is free."""
        with self._lock:
            if self._slow >= self.config.slow_lane or self._closed:
                return False
            self._slow += 1
            return True

    def run_in_slow_lane(self, job: SafeQuery | str, accept: str | None) -> Reply:
        """A query measured slow here: run by a worker forked for it into the slow lane, or 503
        at once when the lane is full. No fast worker spends CPU time on it first."""
        timeout = self.config.timeout
        deadline = time.monotonic() + timeout
        places = self.config.slow_lane
        with self._lock:
            admitted = self._slow < places and not self._closed
            if not admitted:
                return _lane_full_for_slow(self.fast_budget)
            self._slow += 1
            worker = Worker(self._ctx, self._path, self.config.max_rows,
                             _lane_share_mb(self.config.max_memory, places))
            _lower_priority(worker.process.pid)  # before it is listed: idle CPU time from its start
            self._all.append(worker)
        reply: Reply | None = None
        try:
            if worker.wait_ready(max(0.0, deadline - time.monotonic())):
                worker.conn.send((job, accept))
                reply, _ = self._receive(worker, deadline - time.monotonic(),
                                         job if isinstance(job, str) else None)
        except OSError:
            reply = self._death_reply(worker)
        finally:
            self._leave_slow_lane(worker)
        if reply is not None:
            return reply
        return _stopped_at_time_limit(timeout)

    def close(self) -> None:
        """Stop every worker."""
        with self._lock:
            self._closed = True
            workers, self._all = self._all, []
        self.inline.close()
        for worker in workers:
            worker.kill()


def _memory_oxigraph(dataset: Dataset | None = None) -> Any:
    """An in-memory pyoxigraph store of ``dataset`` (default: the bundled article).

    Its default graph is the set union of the named graphs that are not claim graphs, as an
    ``oxigraph:PATH`` folder keeps it (:func:`graph.stores.memory.oxigraph_copy`).
    """
    from graph.stores.memory import oxigraph_copy

    if dataset is None:
        from graph.corpus import bundled_corpus_dir
        from graph.model.annotations import load_corpus
        from graph.rdf.dataset import build_dataset

        dataset = build_dataset(load_corpus([bundled_corpus_dir()]))
    return oxigraph_copy(dataset)
