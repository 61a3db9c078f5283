"""``claimgraph serve``: a read-only SPARQL 1.1 Protocol endpoint, the query library, HTML views.

Routes:

* ``/sparql`` — ``GET ?query=``, ``POST`` as ``application/sparql-query`` or form data. SELECT and
  ASK answer in JSON, XML, CSV or TSV by the ``Accept`` header; CONSTRUCT in Turtle or N-Triples.
  Updates (an ``update=`` field, ``application/sparql-update``), ``LOAD``, ``SERVICE`` and
  ``FROM`` are refused with HTTP 403 and a message; a query that does not parse gets 400.
* ``/queries`` — the library as JSON; ``/queries/NAME?param=value`` runs one by name.
* ``/views/...`` — files from the ``--views`` folder (never outside it).

Why processes: neither pyoxigraph nor rdflib can interrupt a running query from another thread.
The data is loaded once in the parent (a pyoxigraph in-memory store for ``memory``; for
``oxigraph:PATH`` each worker opens the folder read-only), then a pool of worker processes is
created with ``fork`` (the memory store is shared copy-on-write). Each worker runs one query at a
time. Larger answers than ``--max-rows`` are an explicit error (HTTP 400 naming the cap), never a
silently cut result. HTML carries a Content-Security-Policy.

Who can reach it: anyone who can open a connection to ``--host:--port`` (127.0.0.1 by default:
only this machine's users and programs). There is no authentication. Web pages are kept out by
the browser's same-origin rule: no CORS header is sent unless ``--cors ORIGIN`` names the one
origin (a YASGUI page, say) whose scripts may read the answers; a page from anywhere else can
still send a request, but never read what comes back.

Requests are read by their bytes, never by their word: a ``POST`` needs one ``Content-Length``
that is a plain decimal number (else 400; missing or chunked, 411) of at most 1 MB (else 413), and
exactly that many bytes are read; a connection silent for ``socket_timeout`` (30 s) is closed. Any
error a request causes is an HTTP answer (a path no file can have: 4xx; anything unforeseen: 500
naming the error's type) and a dropped connection is not logged: the log holds no tracebacks.

Where a query is checked: in the worker that runs it, inside its time limit. rdflib's parser
(:func:`graph.sparql.safety.check_query`) takes minutes on a query of some 800 KB and is not
thread-safe, so in the server it held up every other request and refused valid ones. The worker
sends its verdict back first, then the answer; the server keeps the verdict by text, and a text
it has seen is sent as checked (the worker does not parse it again). The library's queries are
checked once in the server before the workers are forked, so every worker inherits them checked.
The parse of an unchecked text runs on the fast budget (below) even when others wait, and the
query's own budget starts once it is parsed.

Time limit, fast workers and the slow lane. ``--workers`` fast workers answer queries. A query
that has not answered once it has used its *fast budget* of CPU time leaves the fast pool. The
budget is ``min(--fast-budget, --timeout)`` (default 0.1 s) while no other query waits for a fast
worker, and ``--busy-budget`` (default 0.01 s, never more than the former) while one does: when
fast workers are scarce, the queries waiting for one come before a query that has had its share.
The budget counts the CPU time the worker has used since it was sent this query (nanoseconds from
``/proc/PID/schedstat``; clock ticks from ``/proc/PID/stat`` where that is missing; wall time where
neither can be read), checked whenever the query could have used up what is left of it and at least
every busy budget, so a query only waiting for a CPU on a busy machine is not taken for a long one.
Nor is a worker's start-up counted: a fresh worker says when it is ready. Each worker freezes the
objects it inherits (``gc.freeze``): a full collection would otherwise write to all of them, copying
their pages, and cost the query it falls in some 20 ms of CPU time. Then:

* if fewer than ``--slow-lane`` queries are in the slow lane, its worker joins the slow lane and a
  fresh worker takes its place in the fast pool. The slow worker is scheduled ``SCHED_IDLE`` (nice
  19 where that is missing or refused): it runs only on CPU time no other process wants and gives
  up its CPU as soon as another process wants it. The query runs on until its deadline, and its
  worker is killed afterwards whether it answered or not (an unprivileged process cannot get its
  priority back). On a machine kept busy by other queries a slow query therefore gets little CPU
  time before its deadline;
* otherwise the query is stopped at the budget (its worker killed and replaced) and the client gets
  503 "the server is busy with long queries; retry".

Admission is by measured cost, not by shape. A query that used the whole fast budget here (with
nobody else waiting, or in all counting its time in the slow lane), or that reached its time limit
there, is remembered (by text, the 1,024 most recent): next time it gets a worker
forked for it straight into the slow lane (the same ``SCHED_IDLE`` and memory share), or 503 at
once when the lane is full, instead of spending a fast worker's budget (and a kill and a fork) to
find out again. A query that is cheap on this store runs at once, whatever its shape: an
unbounded ``prov:wasDerivedFrom+`` over the bundled article is cheap, and classing it by shape
(:mod:`graph.sparql.cost`) sent most such requests from eight clients to a full slow lane
(``BENCHMARKS-endpoint.md``).

So a slow query holds a fast worker for at most its budget of CPU time (and never past its
deadline), and at most ``--workers + --slow-lane`` worker processes are ever alive. Exact time
semantics: a query's deadline is ``--timeout`` seconds after the pool receives it (after its HTTP
request was read). Waiting for an idle fast worker uses up the same clock: a
query still waiting at its deadline gets 503 "every worker is busy". A query that got a worker runs
until its deadline, but always for at least the fast budget (in wall time); past that it is
stopped with 503 "stopped at the time limit". A request therefore takes at most ``--timeout`` +
the fast budget, plus the milliseconds needed to kill a worker.

Why these numbers (``BENCHMARKS-endpoint.md`` has the runs): a long query that the slow lane cannot
take costs a fast worker its budget plus a kill and a fork (about 9 ms). With one request in ten
pathological from 8 clients on 2 cores, a 0.1 s budget let such queries hold the fast workers most
of the time (library p95 about 145 ms, against 15 ms with library queries only); a 0.01 s budget
while queries wait brings it to about 43 ms. 0.005 s already stopped legitimate library queries of
the bundled article, which use under 3 ms of CPU time (up to 7 ms as the first query of a fresh
worker). A corpus whose library queries need more CPU time needs a larger ``--busy-budget``.
``SCHED_IDLE`` rather than nice 19: a nice-19 process still gets a share of a busy CPU (library p95
about 10-20% higher). Four slow-lane places by default: on a large corpus every corpus-wide library
query is a long one (0.15-1.8 s at a million triples), and with one place a second analyst asking
one at the same time got 503; a slow query takes no CPU time the others want, and the lane shares
one ``--max-memory`` (below). Under the load test it also keeps a long query's client waiting
instead of sending it back at once, which lowers the library queries' p95 (see
``BENCHMARKS-endpoint.md``).

Memory: each worker limits its own address space (``RLIMIT_AS``) to its size right after the fork
plus ``--max-memory`` MB (0: no limit). The slow lane shares one ``--max-memory``: a worker that
joins it has its cap lowered to its size at the fork plus ``--max-memory / --slow-lane`` MB (with
four places and 512 MB, 128 MB each; a query already past its share fails at its next
allocation), so more places do not mean more memory. A query that needs more fails inside the
worker: pyoxigraph (Rust) aborts the process on a failed allocation, Python code raises
``MemoryError`` (the worker then exits). Either way the worker is replaced and the client gets 503
saying the query used too much memory.

Binds to 127.0.0.1 unless told otherwise: the endpoint has no authentication.
"""

from __future__ import annotations

import contextlib
import gc
import json
import mimetypes
import multiprocessing
import os
import queue
import resource
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import parse_qs, unquote, urlsplit

from graph.errors import ClaimgraphError, NotFoundError, QueryError, QueryRefusedError, StoreError
from graph.sparql.binding import Bindings, check_bound
from graph.sparql.results import QueryResult
from graph.sparql.safety import CACHE_MAX_CHARS, QueryForm, SafeQuery, check_query
from graph.stores.loading import LoadSummary
from graph.stores.oxigraph import UNION_DEFAULT, OxigraphStore

if TYPE_CHECKING:
    from rdflib import Dataset

__all__ = [
    "BUSY_BUDGET",
    "CSP",
    "FAST_BUDGET",
    "MAX_BODY",
    "SLOW_LANE",
    "SWITCH_INTERVAL",
    "Reply",
    "ServeConfig",
    "WorkerPool",
    "limit_memory",
    "make_server",
    "negotiate",
    "render",
    "serve_forever",
]

MAX_BODY: Final = 1024 * 1024
SWITCH_INTERVAL: Final = 0.001  # seconds; the server's, set by serve_forever (not at import)
_MAX_VIEW_PATH: Final = 1024  # characters of a /views/ path; longer names are no file of ours
FAST_BUDGET: Final = 0.1
BUSY_BUDGET: Final = 0.01
SLOW_LANE: Final = 4
_EXIT_MEMORY: Final = 75  # a worker's exit status after a MemoryError
_START_TIMEOUT: Final = 30.0  # seconds a new worker may take to say it is ready
_REMEMBERED: Final = 1024  # query texts remembered as checked, and as measured slow
_WARM_UP: Final[tuple[tuple[QueryForm, str], ...]] = (
    ("ask", "ASK { ?s ?p ?o }"),
    ("select", "SELECT * WHERE { ?s ?p ?o } LIMIT 1"),
    ("construct", "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1"),
)
_MEMORY_SIGNALS: Final = frozenset(
    {signal.SIGABRT, signal.SIGKILL, signal.SIGSEGV, signal.SIGBUS}
)
CSP: Final = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'"
)
_SELECT_TYPES: Final = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
_GRAPH_TYPES: Final = {
    "text/turtle": "turtle",
    "application/x-turtle": "turtle",
    "application/n-triples": "nt",
    "text/plain": "nt",
}
_CONTENT_TYPES: Final = {
    "json": "application/sparql-results+json; charset=utf-8",
    "xml": "application/sparql-results+xml; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "tsv": "text/tab-separated-values; charset=utf-8",
    "turtle": "text/turtle; charset=utf-8",
    "nt": "application/n-triples; charset=utf-8",
}


@dataclass(frozen=True)
class ServeConfig:
    """Everything ``claimgraph serve`` takes."""

    store: str = "memory"
    host: str = "127.0.0.1"
    port: int = 8000
    timeout: float = 10.0
    max_rows: int = 10000
    workers: int = 2
    views: Path | None = None
    max_body: int = MAX_BODY
    slow_lane: int = SLOW_LANE
    max_memory: int = 512
    fast_budget: float = FAST_BUDGET
    busy_budget: float = BUSY_BUDGET
    cors: str | None = None  # the one origin whose pages may read answers; None: no CORS headers
    socket_timeout: float = 30.0  # seconds a connection may stay silent mid-request or idle


@dataclass(frozen=True)
class Reply:
    """An HTTP answer: status, content type and body."""

    status: int
    content_type: str
    body: bytes
    headers: tuple[tuple[str, str], ...] = field(default=())


def _text(status: int, message: str) -> Reply:
    return Reply(status, "text/plain; charset=utf-8", (message + "\n").encode("utf-8"))


def negotiate(accept: str, form: QueryForm) -> str:
    """The result format for an ``Accept`` header (highest q first, then order given)."""
    table = _SELECT_TYPES if form in ("select", "ask") else _GRAPH_TYPES
    choices: list[tuple[float, int, str]] = []
    for index, part in enumerate(accept.split(",")):
        media, *options = (p.strip() for p in part.split(";"))
        q = 1.0
        for option in options:
            if option.startswith("q="):
                with contextlib.suppress(ValueError):
                    q = float(option[2:])
        if media.lower() in table and q > 0:
            choices.append((-q, index, table[media.lower()]))
    if choices:
        return min(choices)[2]
    return "json" if form in ("select", "ask") else "turtle"


# --------------------------------------------------------------------------- workers

_STORE: Any = None  # the parent's store, inherited by forked workers


class _CappedAnswer:
    """An engine's answer (solutions or triples) that fails once past the row cap as it is read."""

    def __init__(self, raw: Any, max_rows: int) -> None:
        self.raw, self.max_rows = raw, max_rows
        self.variables = getattr(raw, "variables", ())

    def __iter__(self) -> Any:
        for count, item in enumerate(self.raw):
            if count >= self.max_rows:
                raise QueryError(
                    f"the answer has more than {self.max_rows} rows, the endpoint's cap; "
                    "narrow the query or add LIMIT"
                )
            yield item


def _capped_result(form: QueryForm, raw: Any, max_rows: int) -> QueryResult:
    from graph.stores._convert import oxigraph_result

    if form == "ask":
        return oxigraph_result(form, raw)
    return oxigraph_result(form, _CappedAnswer(raw, max_rows))


def render(result: QueryResult, fmt: str) -> bytes:
    """A result in one of the served formats."""
    text = {
        "json": result.to_json,
        "xml": result.to_xml,
        "csv": result.to_csv,
        "tsv": result.to_tsv,
        "turtle": result.to_turtle,
        "nt": result.to_ntriples,
    }[fmt]()
    return text.encode("utf-8")


class _TooLong(Exception):
    """Raised by :class:`_BoundedOutput` once past its limit."""


class _BoundedOutput:
    """A binary sink for pyoxigraph's serialiser that stops it past ``limit`` bytes."""

    def __init__(self, limit: int) -> None:
        self.limit, self.size, self.parts = limit, 0, list[bytes]()

    def write(self, data: bytes) -> int:
        self.size += len(data)
        if self.size > self.limit:
            raise _TooLong
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        """Nothing buffered here."""


def _native_json(raw: Any, max_rows: int) -> bytes | None:
    """SELECT solutions as SPARQL JSON written by pyoxigraph itself (about five times faster
    than converting each term in Python), or ``None`` when the text could hold more than
    ``max_rows`` rows: every row takes at least three bytes (``{},``), so a text of at most
    ``3 * max_rows`` bytes holds at most ``max_rows`` rows."""
    import pyoxigraph

    out = _BoundedOutput(3 * max_rows)
    try:
        raw.serialize(out, format=pyoxigraph.QueryResultsFormat.JSON)
    except (_TooLong, OSError):
        return None
    return b"".join(out.parts)


def _answer(store: Any, safe: SafeQuery, accept: str, max_rows: int) -> Reply:
    """Run a query the server already checked (it is not parsed again here)."""
    try:
        fmt = negotiate(accept, safe.form)
        raw = store.query(safe.text, use_default_graph_as_union=UNION_DEFAULT)
        if fmt == "json" and safe.form == "select" and hasattr(raw, "serialize"):
            body = _native_json(raw, max_rows)
            if body is not None:
                return Reply(200, _CONTENT_TYPES[fmt], body)
            # a long answer: run again, counted row by row, to refuse it past the cap
            raw = store.query(safe.text, use_default_graph_as_union=UNION_DEFAULT)
        result = _capped_result(safe.form, raw, max_rows)
        return Reply(200, _CONTENT_TYPES[fmt], render(result, fmt))
    except QueryRefusedError as exc:
        return _text(403, str(exc))
    except (QueryError, SyntaxError) as exc:
        return _text(400, str(exc))
    except (ClaimgraphError, OSError, ValueError) as exc:
        return _text(500, f"query failed: {exc}")


def _check_and_answer(conn: Any, store: Any, job: SafeQuery | str, accept: str,
                      max_rows: int) -> None:
    """A worker's answer to a checked query, or to a text it checks first: inside the query's
    time limit, in this process (rdflib's parser is slow on large texts and not thread-safe).
    The verdict goes to the server as soon as it is known (``("checked", SafeQuery)``), before
    the answer (``("reply", Reply)``), so that the server keeps it even if the query is stopped."""
    if isinstance(job, str):
        try:
            job = check_query(job)
        except QueryRefusedError as exc:
            conn.send(("reply", _text(403, str(exc))))
            return
        except QueryError as exc:
            conn.send(("reply", _text(400, str(exc))))
            return
        conn.send(("checked", job))
    conn.send(("reply", _answer(store, job, accept, max_rows)))


def _vm_size() -> int | None:
    """This process's address-space size in bytes (``VmSize``), if ``/proc`` tells."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def limit_memory(max_memory_mb: int) -> int | None:
    """Cap this process's address space at its current size + ``max_memory_mb``; the cap set."""
    size = _vm_size()
    if max_memory_mb <= 0 or size is None:
        return None
    cap = size + max_memory_mb * 1024 * 1024
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    return cap


def _lane_share_mb(max_memory_mb: int, places: int) -> int:
    """What one slow-lane query may add to its worker: the lane shares one ``--max-memory``."""
    return max_memory_mb // places if places > 1 else max_memory_mb


def _share_slow_lane_memory(pid: int, max_memory_mb: int, places: int) -> int | None:
    """Lower a worker's address-space cap as it joins the slow lane to its share of one
    ``--max-memory``: its size at the fork + ``max_memory_mb / places``, so that the whole lane
    never grows by more than one fast worker may. The new cap (``None``: no cap to lower)."""
    if max_memory_mb <= 0 or places <= 1:
        return None
    try:
        soft, hard = resource.prlimit(pid, resource.RLIMIT_AS)
        if soft == resource.RLIM_INFINITY:
            return None
        less = max_memory_mb - _lane_share_mb(max_memory_mb, places)
        cap = max(0, soft - less * 1024 * 1024)
        resource.prlimit(pid, resource.RLIMIT_AS, (cap, min(hard, cap)))
    except (OSError, ValueError):
        return None  # gone already, or not ours to change: it keeps its own cap
    return cap


def _worker_main(conn: Any, path: str | None, max_rows: int, max_memory: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    gc.freeze()  # what this process inherited is never walked by its collector (module docstring)
    if path is not None:
        import pyoxigraph

        store = pyoxigraph.Store.read_only(path)
    else:
        store = _STORE
    limit_memory(max_memory)
    conn.send(None)  # ready: starting up is not counted in the first query's budget
    while True:
        try:
            job, accept = conn.recv()
        except (EOFError, OSError):
            return
        try:
            _check_and_answer(conn, store, job, accept, max_rows)
        except MemoryError:
            os._exit(_EXIT_MEMORY)  # the heap may be in no state to go on; the pool replaces us


class _Worker:
    def __init__(self, ctx: Any, path: str | None, max_rows: int, max_memory: int) -> None:
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(
            target=_worker_main, args=(child, path, max_rows, max_memory), daemon=True
        )
        self.process.start()
        child.close()
        self._schedstat: int | None = None  # kept open: one pread per reading, not three calls
        with contextlib.suppress(OSError):
            self._schedstat = os.open(f"/proc/{self.process.pid}/schedstat", os.O_RDONLY)

    def cpu_seconds(self) -> float | None:
        """:func:`_cpu_seconds` of this worker, read through a descriptor kept open."""
        if self._schedstat is not None:
            with contextlib.suppress(OSError, ValueError, IndexError):
                return int(os.pread(self._schedstat, 64, 0).split()[0]) / 1e9
        return _cpu_seconds(self.process.pid)

    def _close_schedstat(self) -> None:
        fd, self._schedstat = self._schedstat, None
        if fd is not None:
            with contextlib.suppress(OSError):
                os.close(fd)

    def wait_ready(self, seconds: float) -> bool:
        """Wait until the worker says it is ready; whether it did (a worker that died is found by
        its query)."""
        with contextlib.suppress(EOFError, OSError):
            if self.conn.poll(seconds):
                self.conn.recv()
                return True
        return False

    def kill(self, then: Callable[[], None] | None = None) -> None:
        """SIGKILL and reap; with ``then``, reaped by a short-lived thread that calls ``then``."""
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.process.pid, signal.SIGKILL)
        self._close_schedstat()
        self.conn.close()
        if then is None:
            self.process.join(timeout=5)
            return

        def reap() -> None:
            self.process.join(timeout=5)
            then()

        threading.Thread(target=reap, daemon=True).start()

    def exit_signal(self) -> int | None:
        """How the process ended: the signal that ended it, -1 after a MemoryError, else None."""
        self.process.join(timeout=2)
        code = self.process.exitcode
        if code == _EXIT_MEMORY:
            return -1
        return -code if code is not None and code < 0 else None


class WorkerPool:
    """Fast workers plus a capped slow lane; see the module's docstring for the time semantics."""

    def __init__(self, config: ServeConfig) -> None:
        global _STORE
        from graph.stores import _convert  # noqa: F401  imported before any fork, never in a worker

        self.config = config
        self.fast_budget = min(config.fast_budget, config.timeout)
        self.busy_budget = min(config.busy_budget, self.fast_budget)
        self._ctx = multiprocessing.get_context("fork")
        self._path: str | None = None
        self.lookups: dict[str, Any] | None = {} if config.store == "memory" else None
        if config.store == "memory":
            _STORE = _memory_oxigraph()
        elif config.store.startswith("oxigraph:"):
            self._path = config.store[len("oxigraph:"):]
            if not Path(self._path).is_dir():
                raise StoreError(f"no Oxigraph store at {self._path}")
            # Refuses a folder whose default graph is not kept (an older one), before any fork.
            OxigraphStore(self._path, read_only=True).close()
        else:
            raise StoreError("serve needs a local store: memory or oxigraph:PATH")
        _warm_up()  # what a first query imports is imported once, here, for every worker
        _check_library()  # and every worker inherits the library's checked texts
        self._checked: dict[str, SafeQuery] = {}  # texts a worker checked (insertion = age)
        self._slow_texts: dict[str, None] = {}  # texts that used the whole fast budget here
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: list[_Worker] = []
        self._slow = 0
        self._waiting = 0  # queries waiting for an idle fast worker
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
            worker = _Worker(self._ctx, self._path, self.config.max_rows, self.config.max_memory)
            self._all.append(worker)
        worker.wait_ready(_START_TIMEOUT)
        self._idle.put(worker)

    def _discard(self, worker: _Worker) -> None:
        worker.kill()
        with self._lock:
            if worker in self._all:
                self._all.remove(worker)

    def _leave_slow_lane(self, worker: _Worker) -> None:
        """Kill a slow worker without delaying its reply; its place frees once it is reaped."""

        def release() -> None:
            with self._lock:
                if worker in self._all:
                    self._all.remove(worker)
                self._slow -= 1

        worker.kill(then=release)

    def _receive(self, worker: _Worker, seconds: float,
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

    def _death_reply(self, worker: _Worker) -> Reply:
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

    def _measured_slow(self, text: str) -> bool:
        with self._lock:
            return text in self._slow_texts

    def _remember_slow(self, text: str) -> None:
        if len(text) > CACHE_MAX_CHARS:
            return
        with self._lock:
            self._slow_texts[text] = None
            while len(self._slow_texts) > _REMEMBERED:
                self._slow_texts.pop(next(iter(self._slow_texts)))

    def run(self, text: str, accept: str) -> Reply:
        """Run a query text: checked (403/400 when refused) and answered by a worker, inside the
        query's time limit. A text a worker has checked before is not parsed again."""
        with self._lock:
            safe = self._checked.get(text)
        return self._dispatch(safe if safe is not None else text, accept, text)

    def run_checked(self, safe: SafeQuery, accept: str) -> Reply:
        """Run a query the caller has checked (:func:`graph.sparql.safety.check_query`)."""
        return self._dispatch(safe, accept, safe.text)

    def _dispatch(self, job: SafeQuery | str, accept: str, key: str) -> Reply:
        """On a fast worker, then maybe in the slow lane; 503 past limits. A query measured slow
        here before (``key``: its text as the client sent it) starts in the slow lane."""
        if self.config.slow_lane > 0 and self._measured_slow(key):
            return self._run_in_slow_lane(job, accept)
        timeout = self.config.timeout
        deadline = time.monotonic() + timeout
        with self._lock:
            self._waiting += 1
        try:
            worker = self._idle.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            return _text(503, "every worker is busy; try again")
        finally:
            with self._lock:
                self._waiting -= 1
        started = time.monotonic()
        end = max(deadline, started + self.fast_budget)
        cpu_before = worker.cpu_seconds()  # the worker's earlier queries do not count
        try:
            worker.conn.send((job, accept))
        except OSError:
            self._discard(worker)
            self._spawn()
            return _text(503, "the worker running the query failed; try again")
        # A text not checked yet is parsed by the worker first (a few ms, up to some 20 ms of CPU
        # time on a fresh worker): the parse gets the fast budget even when others wait, and the
        # query's own budget starts once the worker says the text passed.
        text = job if isinstance(job, str) else None
        checked = text is None
        reply, alive, budget, used = None, True, self.fast_budget, 0.0
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
            budget = self.busy_budget if self._waiting and checked else self.fast_budget
            wait = min(budget - used, self.busy_budget, end - time.monotonic())
            if wait <= 0.001:
                break
            reply, alive = self._receive(worker, wait, text)
        if reply is not None:
            if alive:
                self._idle.put(worker)
            else:
                self._discard(worker)
                self._spawn()
            return reply
        if used >= self.fast_budget - 0.001:  # slow here even with no one waiting: remembered
            self._remember_slow(key)
        time_left = end - time.monotonic() > 0.001
        with self._lock:
            to_slow = time_left and self._slow < self.config.slow_lane and not self._closed
            if to_slow:
                self._slow += 1
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
            if reply is None or (cpu is not None and cpu_before is not None
                                 and cpu - cpu_before >= self.fast_budget):
                self._remember_slow(key)  # it did need the slow lane: straight there next time
        finally:
            self._leave_slow_lane(worker)  # it cannot get its priority back: never reused
        if reply is not None:
            return reply
        return _stopped_at_time_limit(timeout)

    def _run_in_slow_lane(self, job: SafeQuery | str, accept: str) -> Reply:
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
            worker = _Worker(self._ctx, self._path, self.config.max_rows,
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
        for worker in workers:
            worker.kill()


def _warm_up() -> None:
    """Run each form of query once on an empty store, so that workers inherit what it imports."""
    import pyoxigraph

    empty = pyoxigraph.Store()
    for form, text in _WARM_UP:
        _answer(empty, SafeQuery(text, form), "", 10)
    gc.collect()  # pyoxigraph's results must be freed by the thread that made them: this one


def _check_library() -> None:
    """Check every library query once (memoised: a named query costs no parse later)."""
    from graph.sparql.library import list_queries

    for named in list_queries():
        with contextlib.suppress(QueryError):
            check_query(named.text)


def _cpu_seconds(pid: int) -> float | None:
    """CPU time a process has used, in seconds; ``None`` when ``/proc`` does not tell.

    ``/proc/PID/schedstat`` counts nanoseconds; ``/proc/PID/stat`` (user + system) counts clock
    ticks, often 10 ms, coarse next to the fast budget: it is read only where schedstat is missing.
    """
    try:
        with open(f"/proc/{pid}/schedstat", encoding="ascii") as schedstat:
            return int(schedstat.read().split()[0]) / 1e9
    except (OSError, ValueError, IndexError):
        pass
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def _lower_priority(pid: int) -> None:
    """Let a process run only on CPU time nothing else wants.

    ``SCHED_IDLE`` (Linux): the process runs only when no other is runnable and is preempted as soon
    as one wakes up (its disk reads, too, go in the idle I/O class where the I/O scheduler has
    classes). A process may move its own children there, but only a privileged one can move them
    back. Where ``SCHED_IDLE`` is missing or refused: nice 19.
    """
    idle = getattr(os, "SCHED_IDLE", None)
    if idle is not None:
        try:
            os.sched_setscheduler(pid, idle, os.sched_param(0))
            return
        except OSError:
            pass
    with contextlib.suppress(OSError):
        os.setpriority(os.PRIO_PROCESS, pid, 19)


def _stopped_at_time_limit(timeout: float) -> Reply:
    return _text(503, f"the query was stopped at the time limit of {timeout:g} s")


def _busy(why: str) -> Reply:
    message = f"the server is busy with long queries; retry ({why})\n"
    return Reply(503, "text/plain; charset=utf-8", message.encode("utf-8"), (("Retry-After", "1"),))


def _busy_with_long_queries(budget: float) -> Reply:
    return _busy(f"this query ran past {budget:g} s of CPU time while the slow lane was full")


def _lane_full_for_slow(budget: float) -> Reply:
    return _busy(f"this query used more than {budget:g} s of CPU time here before, and the slow "
                 "lane for such queries is full")


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


class _PoolStore:
    """The pool as a :class:`graph.stores.Store` for parameter lookups (queries only)."""

    def __init__(self, pool: WorkerPool) -> None:
        self.pool = pool
        self.spec = pool.config.store
        if pool.lookups is not None:
            # Claim ids resolved once (graph.sparql.library): the memory store never changes while
            # it
            # is served. A folder may be reloaded under a running server, so it gets no memo.
            self.lookups = pool.lookups

    def query(self, text: str, bindings: Bindings | None = None) -> QueryResult:
        from graph.stores.sparql_http import _json_term

        reply = self.pool.run_checked(check_bound(text, bindings),
                                      "application/sparql-results+json")
        if reply.status != 200:
            raise StoreError(reply.body.decode("utf-8", "replace").strip())
        payload = json.loads(reply.body)
        if "boolean" in payload:
            return QueryResult("ask", boolean=bool(payload["boolean"]))
        variables = tuple(payload["head"]["vars"])
        rows = tuple(
            tuple(_json_term(b[v]) if v in b else None for v in variables)
            for b in payload["results"]["bindings"]
        )
        return QueryResult("select", variables=variables, rows=rows)

    def replace_graphs(self, dataset: Any) -> LoadSummary:
        raise QueryRefusedError("the endpoint is read-only")

    def named_graphs(self) -> list[str]:
        return []

    def close(self) -> None:
        """The pool outlives this adapter."""


# --------------------------------------------------------------------------- HTTP


def _index_html() -> bytes:
    from html import escape

    from graph.sparql.library import list_queries

    items = "".join(
        f"<li><a href=\"/queries/{escape(q.name)}\">{escape(q.name)}</a> — {escape(q.title)}</li>"
        for q in list_queries()
    )
    return (
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>claimgraph</title></head>"
        "<body><h1>claimgraph SPARQL endpoint</h1><p>Query at <code>/sparql</code> "
        "(SPARQL 1.1 Protocol, read-only). Views: <a href=\"/views/\">/views/</a>.</p>"
        f"<h2>Query library</h2><ul>{items}</ul></body></html>"
    ).encode()


def _make_handler(pool: WorkerPool, config: ServeConfig) -> type[BaseHTTPRequestHandler]:
    views = config.views.resolve() if config.views else None

    class Handler(BaseHTTPRequestHandler):
        server_version = "claimgraph"
        protocol_version = "HTTP/1.1"
        # TCP_NODELAY: headers and body go out in two send() calls; with Nagle's algorithm the body
        # would wait ~40 ms for the client's delayed ACK on every kept-alive response
        disable_nagle_algorithm = True
        timeout = config.socket_timeout  # a silent or half-open connection is closed, not kept

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet: no per-request lines on stderr."""

        def _send(self, reply: Reply) -> None:
            self.send_response(reply.status)
            self.send_header("Content-Type", reply.content_type)
            self.send_header("Content-Length", str(len(reply.body)))
            if config.cors is not None:
                self.send_header("Access-Control-Allow-Origin", config.cors)
                self.send_header("Vary", "Origin")
            self.send_header("X-Content-Type-Options", "nosniff")
            if reply.content_type.startswith("text/html"):
                self.send_header("Content-Security-Policy", CSP)
            for name, value in reply.headers:
                self.send_header(name, value)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(reply.body)

        def do_OPTIONS(self) -> None:
            if config.cors is None:
                self._send(_text(405, "cross-origin requests are not allowed "
                                 "(serve --cors ORIGIN)"))
                return
            self._send(Reply(204, "text/plain", b"", (
                ("Access-Control-Allow-Methods", "GET, POST, OPTIONS"),
                ("Access-Control-Allow-Headers", "Content-Type, Accept"),
                ("Access-Control-Max-Age", "600"),
            )))

        def do_GET(self) -> None:
            self._guarded(self._get)

        def do_HEAD(self) -> None:
            self._guarded(self._get)

        def do_POST(self) -> None:
            self._guarded(self._post)

        def _guarded(self, handle: Callable[[], None]) -> None:
            """Any failure a request causes is an HTTP answer, never a traceback in the log."""
            try:
                handle()
            except (ConnectionError, TimeoutError):
                self.close_connection = True  # the client went away: nothing to answer
            except Exception as exc:  # the last line of defence: an answer, not a traceback
                self.close_connection = True
                with contextlib.suppress(OSError):
                    self._send(_text(500, f"internal error: {type(exc).__name__}"))

        def _get(self) -> None:
            url = urlsplit(self.path)
            fields = parse_qs(url.query, keep_blank_values=True)
            self._send(self._route_get(url.path, fields))

        def _body_length(self) -> int | Reply:
            """The body's length from a header that must be a plain decimal number; a request
            without one is refused (411) rather than read until the client stops."""
            if self.headers.get("Transfer-Encoding"):
                return _text(411, "send the body with a Content-Length, not chunked")
            values = self.headers.get_all("Content-Length") or []
            if not values:
                return _text(411, "a POST needs a Content-Length")
            if len(set(values)) != 1 or not values[0].strip().isdigit() \
                    or not values[0].strip().isascii():
                return _text(400, "Content-Length must be one decimal number of bytes")
            length = int(values[0])
            if length > config.max_body:
                return _text(413, f"request body over {config.max_body} bytes")
            return length

        def _post(self) -> None:
            url = urlsplit(self.path)
            if url.path != "/sparql":
                self.close_connection = True  # its body is not read
                self._send(_text(405, "POST goes to /sparql"))
                return
            length = self._body_length()
            if isinstance(length, Reply):
                self.close_connection = True  # the body, if any, is never read
                self._send(length)
                return
            data = self.rfile.read(length)  # at most max_body bytes, whatever else was sent
            if len(data) < length:
                self.close_connection = True
                self._send(_text(400, "the body is shorter than its Content-Length"))
                return
            body = data.decode("utf-8", "replace")
            kind = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
            fields = parse_qs(url.query, keep_blank_values=True)
            if kind == "application/sparql-update":
                self._send(_text(403, "updates are refused: this endpoint is read-only"))
                return
            if kind == "application/sparql-query":
                fields["query"] = [body]
            elif kind == "application/x-www-form-urlencoded":
                for key, values in parse_qs(body, keep_blank_values=True).items():
                    fields.setdefault(key, []).extend(values)
            else:
                self._send(_text(415, "send application/sparql-query or form data"))
                return
            self._send(self._sparql(fields))

        def _route_get(self, path: str, fields: dict[str, list[str]]) -> Reply:
            if path == "/sparql":
                return self._sparql(fields)
            if path == "/":
                return Reply(200, "text/html; charset=utf-8", _index_html())
            if path == "/queries":
                from graph.sparql.library import list_queries

                body = json.dumps([q.to_json() for q in list_queries()], ensure_ascii=False)
                return Reply(200, "application/json; charset=utf-8", body.encode("utf-8"))
            if path.startswith("/queries/"):
                return self._named(unquote(path[len("/queries/"):]), fields)
            if path == "/views" or path.startswith("/views/"):
                return self._view(unquote(path[len("/views"):]))
            return _text(404, "not found: try /sparql, /queries or /views/")

        def _sparql(self, fields: dict[str, list[str]]) -> Reply:
            if "update" in fields:
                return _text(403, "updates are refused: this endpoint is read-only")
            queries = fields.get("query", [])
            if len(queries) != 1:
                return _text(400, "give exactly one query= parameter")
            if fields.get("default-graph-uri") or fields.get("named-graph-uri"):
                return _text(403, "default-graph-uri and named-graph-uri are refused")
            return pool.run(queries[0], self.headers.get("Accept") or "")

        def _named(self, name: str, fields: dict[str, list[str]]) -> Reply:
            from graph.sparql.library import get_query, resolve_params

            try:
                named = get_query(name)
                raw = {k: v[-1] for k, v in fields.items()}
                bindings = resolve_params(named, raw, _PoolStore(pool))
                safe = check_bound(named.text, bindings)
            except NotFoundError as exc:
                return _text(404, str(exc))
            except QueryError as exc:
                return _text(404 if "no query named" in str(exc) else 400, str(exc))
            except StoreError as exc:
                return _text(503, str(exc))
            return pool.run_checked(safe, self.headers.get("Accept") or "")

        def _view(self, rest: str) -> Reply:
            if views is None:
                return _text(404, "no views folder (serve --views DIR)")
            if "\x00" in rest or len(rest) > _MAX_VIEW_PATH:
                return _text(400, "not a file name")
            try:
                return self._view_file(views, rest)
            except (OSError, ValueError):  # a name too long for the file system, and the like
                return _text(404, "not found")

        def _view_file(self, views: Path, rest: str) -> Reply:
            target = (views / rest.lstrip("/")).resolve()
            if not target.is_relative_to(views):
                return _text(404, "not found")
            if target.is_dir():
                target = target / "index.html"
                if not target.is_file():
                    names = sorted(p.name for p in (views / rest.lstrip("/")).resolve().iterdir()
                                   if p.is_file() and p.suffix == ".html")
                    from html import escape

                    links = "".join(
                        f'<li><a href="{escape(n)}">{escape(n)}</a></li>' for n in names
                    )
                    page = f"<!doctype html><meta charset=\"utf-8\"><ul>{links}</ul>"
                    return Reply(200, "text/html; charset=utf-8", page.encode("utf-8"))
            if not target.is_file():
                return _text(404, "not found")
            kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
            if kind.startswith("text/") or kind in ("application/javascript", "application/json"):
                kind += "; charset=utf-8"
            return Reply(200, kind, target.read_bytes())

    return Handler


class _Server(ThreadingHTTPServer):
    """A threading HTTP server that logs no traceback for what a client did."""

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A dropped or reset connection is the client's business; anything else is one line."""
        import sys

        error = sys.exc_info()[1]
        if isinstance(error, ConnectionError | TimeoutError):
            return
        sys.stderr.write(f"claimgraph serve: request from {client_address[0]} failed: "
                         f"{type(error).__name__}: {error}\n")


def make_server(config: ServeConfig) -> tuple[ThreadingHTTPServer, WorkerPool]:
    """The HTTP server and its worker pool, bound but not yet serving."""
    pool = WorkerPool(config)
    try:
        server = _Server((config.host, config.port), _make_handler(pool, config))
    except OSError:
        pool.close()
        raise
    server.daemon_threads = True
    return server, pool


def serve_forever(config: ServeConfig, announce: Callable[[str], None] = print) -> None:
    """Serve until interrupted (SIGINT or SIGTERM); ``announce`` gets the base URL."""
    server, pool = make_server(config)
    host, port = server.server_address[:2]
    import sys

    # Handler threads mostly wait on sockets and pipes; at Python's default 5 ms a thread whose
    # answer has come waits for the one holding the interpreter (BENCHMARKS-endpoint.md).
    sys.setswitchinterval(SWITCH_INTERVAL)
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
    announce(f"http://{host!s}:{port}/")
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        pool.close()
