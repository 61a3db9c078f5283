"""``--engine oxigraph``: checked queries answered by Oxigraph's own server behind ``/sparql``.

What stays ours: the check (run by a worker of :class:`~graph.serve.pool.WorkerPool` inside the
time limit, its verdict kept by text), the library, the views, the row cap, the time limit and
admission. The child (:class:`~graph.serve.oxigraph_child.OxigraphChild`) reads the same folder
(the memory store is copied into a temporary one first) with its stored default graph, which is
ours: the union of every graph but the claim graphs.

How the limits hold: the answer is read until the query's deadline; past it the child is killed
(its ``--timeout-s`` does not stop a running query) and restarted, and the text is remembered as
slow, so next time it runs in the pool's slow lane instead. Every answer is parsed again
(pyoxigraph) before it is sent: rows are counted against ``--max-rows``, and an answer the child
cut short with an error after its 200 (it streams) becomes a 503, never a broken 200.
"""

from __future__ import annotations

import contextlib
import http.client
import itertools
import shutil
import tempfile
import threading
import time
from pathlib import Path
from typing import Any, Final

from graph.errors import StoreError
from graph.serve.config import ServeConfig
from graph.serve.oxigraph_child import OxigraphChild
from graph.serve.pool import WorkerPool
from graph.serve.protocol import _CONTENT_TYPES, Reply, _stopped_at_time_limit, _text, negotiate
from graph.sparql.safety import SafeQuery

__all__ = [
    "RelayEngine",
]
# What the child is asked for: a format pyoxigraph parses back (CSV is made from TSV here).
_CHILD_FORMAT: Final = {"json": "json", "xml": "xml", "tsv": "tsv", "csv": "tsv",
                        "turtle": "turtle", "nt": "nt"}
_MEDIA: Final = {"json": "application/sparql-results+json",
                 "xml": "application/sparql-results+xml", "tsv": "text/tab-separated-values",
                 "turtle": "text/turtle", "nt": "application/n-triples"}
_BYTES_PER_ROW: Final = 4096  # an answer over max_rows × this many bytes is refused unread
_CHUNK: Final = 65536


class _Overran(Exception):
    """The child did not finish the answer before the query's deadline."""


class RelayEngine:
    """The engine of ``serve --engine oxigraph``: the same ``run``/``run_checked`` as the pool."""

    def __init__(self, config: ServeConfig) -> None:
        self.config = config
        self.pool = WorkerPool(config)  # checks, the library's lookups, the slow lane
        self.lookups = self.pool.lookups
        self._copy: Path | None = None
        try:
            if config.store.startswith("oxigraph:"):
                location = Path(config.store[len("oxigraph:"):])
            else:
                location = self._copy = _folder_copy(self.pool.store)
            self.child = OxigraphChild(location, config.timeout)
        except BaseException:
            self.close()
            raise
        self._local = threading.local()

    @property
    def live_workers(self) -> int:
        """The pool's worker processes alive now (the child not counted)."""
        return self.pool.live_workers

    def run(self, text: str, accept: str) -> Reply:
        """Check (or recall the verdict on) a text, then answer it as :meth:`run_checked`."""
        verdict = self.pool.check(text)
        if isinstance(verdict, Reply):
            return verdict
        return self._answer(verdict, accept, text)

    def run_checked(self, safe: SafeQuery, accept: str) -> Reply:
        """Answer a checked query: by the child, or in the slow lane if measured slow here."""
        return self._answer(safe, accept, safe.text)

    def close(self) -> None:
        """Stop the child, the pool, and remove the copy this engine made."""
        child = getattr(self, "child", None)
        if child is not None:
            child.close()
        self.pool.close()
        if self._copy is not None:
            shutil.rmtree(self._copy.parent, ignore_errors=True)
            self._copy = None

    # ------------------------------------------------------------------ answering

    def _answer(self, safe: SafeQuery, accept: str, key: str) -> Reply:
        if self.pool.measured_slow(key):
            return self.pool.run_in_slow_lane(safe, accept)
        fmt = negotiate(accept, safe.form)
        deadline = time.monotonic() + self.config.timeout
        try:
            status, body = self._fetch(safe.text, _CHILD_FORMAT[fmt], deadline)
        except _Overran:
            self.pool.remember_slow(key)
            return _stopped_at_time_limit(self.config.timeout)
        except _TooLarge:
            return self._too_many_rows()
        except StoreError as exc:
            return _text(503, f"{exc}; try again")
        if status != 200:
            message = body.decode("utf-8", "replace").strip().splitlines()[:1]
            code = 400 if 400 <= status < 500 else 503
            return _text(code, f"the query failed: {message[0] if message else status}")
        return self._checked_answer(body, fmt, safe)

    def _checked_answer(self, body: bytes, fmt: str, safe: SafeQuery) -> Reply:
        """The child's answer, counted and parsed again; in CSV if that is what was asked."""
        import pyoxigraph

        try:
            if safe.form in ("select", "ask"):
                parsed = pyoxigraph.parse_query_results(
                    body, format=_results_format(_CHILD_FORMAT[fmt]))
                if isinstance(parsed, pyoxigraph.QuerySolutions):
                    if _longer_than(parsed, self.config.max_rows):
                        return self._too_many_rows()
                    if fmt == "csv":
                        tsv = pyoxigraph.parse_query_results(
                            body, format=pyoxigraph.QueryResultsFormat.TSV)
                        body = tsv.serialize(format=pyoxigraph.QueryResultsFormat.CSV) or b""
            else:
                triples = pyoxigraph.parse(body, format=_rdf_format(fmt))
                if _longer_than(triples, self.config.max_rows):
                    return self._too_many_rows()
        except (SyntaxError, ValueError, OSError):
            return _text(503, "the engine's answer was cut short by an error; try again")
        return Reply(200, _CONTENT_TYPES[fmt], body)

    def _too_many_rows(self) -> Reply:
        return _text(400, f"the answer has more than {self.config.max_rows} rows, the "
                     "endpoint's cap; narrow the query or add LIMIT")

    def _fetch(self, text: str, fmt: str, deadline: float) -> tuple[int, bytes]:
        """POST the text to the child; (status, body). A connection the child dropped (it was
        restarted) is tried once more on the next child."""
        cap = self.config.max_rows * _BYTES_PER_ROW
        for attempt in range(2):
            generation, port = self.child.address(max(0.0, deadline - time.monotonic()))
            conn = self._connection(generation, port)
            try:
                return self._exchange(conn, text, fmt, deadline, cap)
            except _Overran:
                self._drop_connection()
                self.child.kill(generation)
                raise
            except _TooLarge:
                self._drop_connection()  # the child stops writing once the socket is gone
                raise
            except (OSError, http.client.HTTPException) as exc:
                self._drop_connection()
                if attempt or time.monotonic() >= deadline:
                    raise StoreError(f"Oxigraph's server failed ({type(exc).__name__})") from exc
        raise StoreError("Oxigraph's server failed")

    def _exchange(self, conn: http.client.HTTPConnection, text: str, fmt: str,
                  deadline: float, cap: int) -> tuple[int, bytes]:
        def left() -> float:
            seconds = deadline - time.monotonic()
            if seconds <= 0:
                raise _Overran
            return seconds

        conn.timeout = left()
        if conn.sock is not None:
            conn.sock.settimeout(conn.timeout)
        try:
            conn.request("POST", "/query", body=text.encode("utf-8"),
                         headers={"Content-Type": "application/sparql-query",
                                  "Accept": _MEDIA[fmt]})
            response = conn.getresponse()
            parts: list[bytes] = []
            size = 0
            while True:
                if conn.sock is not None:
                    conn.sock.settimeout(left())
                chunk = response.read1(_CHUNK)
                if not chunk:
                    break
                size += len(chunk)
                if size > cap:
                    raise _TooLarge
                parts.append(chunk)
        except TimeoutError as exc:
            raise _Overran from exc
        if response.getheader("Connection", "").lower() == "close":
            self._drop_connection()
        return response.status, b"".join(parts)

    def _connection(self, generation: int, port: int) -> http.client.HTTPConnection:
        """This thread's kept-alive connection to the child of ``generation``."""
        held: tuple[int, http.client.HTTPConnection] | None = getattr(self._local, "conn", None)
        if held is not None and held[0] == generation:
            return held[1]
        self._drop_connection()
        conn = http.client.HTTPConnection("127.0.0.1", port)
        self._local.conn = (generation, conn)
        return conn

    def _drop_connection(self) -> None:
        held = getattr(self._local, "conn", None)
        self._local.conn = None
        if held is not None:
            with contextlib.suppress(OSError):
                held[1].close()


class _TooLarge(Exception):
    """The answer is larger than the row cap allows in any format."""


def _longer_than(items: Any, limit: int) -> bool:
    return sum(1 for _ in itertools.islice(items, limit + 1)) > limit


def _results_format(fmt: str) -> Any:
    import pyoxigraph

    return {"json": pyoxigraph.QueryResultsFormat.JSON, "xml": pyoxigraph.QueryResultsFormat.XML,
            "tsv": pyoxigraph.QueryResultsFormat.TSV}[fmt]


def _rdf_format(fmt: str) -> Any:
    import pyoxigraph

    return {"turtle": pyoxigraph.RdfFormat.TURTLE, "nt": pyoxigraph.RdfFormat.N_TRIPLES}[fmt]


def _folder_copy(store: Any) -> Path:
    """The memory store's quads (default graph included) in a new Oxigraph folder, for the child
    to read; the folder is inside a temporary directory of its own, removed by :meth:`close`."""
    import pyoxigraph

    folder = Path(tempfile.mkdtemp(prefix="claimgraph-serve-")) / "store"
    copy = pyoxigraph.Store(str(folder))
    copy.bulk_extend(store.quads_for_pattern(None, None, None, None))
    copy.flush()
    del copy  # closes the folder: the child opens it
    return folder
