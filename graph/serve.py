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
time; a query over its time limit has its worker killed and replaced, and the client gets 503.
Other clients keep being answered by the other workers. Larger answers than ``--max-rows`` are an
explicit error (HTTP 400 naming the cap), never a silently cut result. Request bodies over 1 MB
get 413. Every response allows cross-origin reads (``Access-Control-Allow-Origin: *``) so a
browser query editor such as YASGUI can use the endpoint; HTML carries a Content-Security-Policy.

Binds to 127.0.0.1 unless told otherwise: the endpoint has no authentication.
"""

from __future__ import annotations

import contextlib
import json
import mimetypes
import multiprocessing
import os
import queue
import signal
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Final
from urllib.parse import parse_qs, unquote, urlsplit

from .errors import ClaimgraphError, NotFoundError, QueryError, QueryRefusedError, StoreError
from .sparql_safety import QueryForm, check_query
from .store import Bindings, LoadSummary, QueryResult, bind_values

__all__ = ["ServeConfig", "WorkerPool", "make_server", "serve_forever"]

MAX_BODY: Final = 1024 * 1024
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


def _capped_result(form: QueryForm, raw: Any, max_rows: int) -> QueryResult:
    from .stores._convert import oxigraph_result

    if form == "ask":
        return oxigraph_result(form, raw)

    class _Capped:
        """Iterates the engine's answer, failing once past the cap."""

        def __init__(self) -> None:
            self.variables = getattr(raw, "variables", ())

        def __iter__(self) -> Any:
            for count, item in enumerate(raw):
                if count >= max_rows:
                    raise QueryError(
                        f"the answer has more than {max_rows} rows, the endpoint's cap; "
                        "narrow the query or add LIMIT"
                    )
                yield item

    return oxigraph_result(form, _Capped())


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


def _answer(store: Any, text: str, accept: str, max_rows: int) -> Reply:
    try:
        safe = check_query(text)
        raw = store.query(safe.text, use_default_graph_as_union=True)
        result = _capped_result(safe.form, raw, max_rows)
        fmt = negotiate(accept, safe.form)
        return Reply(200, _CONTENT_TYPES[fmt], render(result, fmt))
    except QueryRefusedError as exc:
        return _text(403, str(exc))
    except (QueryError, SyntaxError) as exc:
        return _text(400, str(exc))
    except (ClaimgraphError, OSError, ValueError) as exc:
        return _text(500, f"query failed: {exc}")


def _worker_main(conn: Any, path: str | None, max_rows: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if path is not None:
        import pyoxigraph

        store = pyoxigraph.Store.read_only(path)
    else:
        store = _STORE
    while True:
        try:
            text, accept = conn.recv()
        except (EOFError, OSError):
            return
        reply = _answer(store, text, accept, max_rows)
        conn.send(reply)


class _Worker:
    def __init__(self, ctx: Any, path: str | None, max_rows: int) -> None:
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_worker_main, args=(child, path, max_rows), daemon=True)
        self.process.start()
        child.close()

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.process.pid, signal.SIGKILL)
        self.process.join(timeout=5)
        self.conn.close()


class WorkerPool:
    """Worker processes that each run one query at a time, killed when over the time limit."""

    def __init__(self, config: ServeConfig) -> None:
        global _STORE
        self.config = config
        self._ctx = multiprocessing.get_context("fork")
        self._path: str | None = None
        if config.store == "memory":
            _STORE = _memory_oxigraph()
        elif config.store.startswith("oxigraph:"):
            self._path = config.store[len("oxigraph:"):]
            if not Path(self._path).is_dir():
                raise StoreError(f"no Oxigraph store at {self._path}")
        else:
            raise StoreError("serve needs a local store: memory or oxigraph:PATH")
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: list[_Worker] = []
        self._lock = threading.Lock()
        for _ in range(max(1, config.workers)):
            self._spawn()

    def _spawn(self) -> None:
        worker = _Worker(self._ctx, self._path, self.config.max_rows)
        with self._lock:
            self._all.append(worker)
        self._idle.put(worker)

    def run(self, text: str, accept: str) -> Reply:
        """Run one query on an idle worker; 503 when none frees up or the time limit passes."""
        timeout = self.config.timeout
        try:
            worker = self._idle.get(timeout=timeout)
        except queue.Empty:
            return _text(503, "every worker is busy; try again")
        try:
            worker.conn.send((text, accept))
            if worker.conn.poll(timeout):
                reply: Reply = worker.conn.recv()
                self._idle.put(worker)
                return reply
        except (EOFError, OSError):
            pass
        worker.kill()
        with self._lock:
            self._all.remove(worker)
        self._spawn()
        return _text(503, f"the query was stopped at the time limit of {timeout:g} s")

    def close(self) -> None:
        """Stop every worker."""
        with self._lock:
            workers, self._all = self._all, []
        for worker in workers:
            worker.kill()


def _memory_oxigraph() -> Any:
    import pyoxigraph

    from .annotations import load_corpus
    from .build import build_dataset
    from .corpus import bundled_corpus_dir

    dataset = build_dataset(load_corpus([bundled_corpus_dir()]))
    store = pyoxigraph.Store()
    data = dataset.serialize(format="nquads").encode("utf-8")
    store.load(data, format=pyoxigraph.RdfFormat.N_QUADS)
    return store


class _PoolStore:
    """The pool as a :class:`graph.store.Store` for parameter lookups (queries only)."""

    def __init__(self, pool: WorkerPool) -> None:
        self.pool = pool
        self.spec = pool.config.store

    def query(self, text: str, bindings: Bindings | None = None) -> QueryResult:
        from .stores.sparql_http import _json_term

        reply = self.pool.run(bind_values(text, bindings), "application/sparql-results+json")
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

    from .queries import list_queries

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

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet: no per-request lines on stderr."""

        def _send(self, reply: Reply) -> None:
            self.send_response(reply.status)
            self.send_header("Content-Type", reply.content_type)
            self.send_header("Content-Length", str(len(reply.body)))
            self.send_header("Access-Control-Allow-Origin", "*")
            self.send_header("X-Content-Type-Options", "nosniff")
            if reply.content_type.startswith("text/html"):
                self.send_header("Content-Security-Policy", CSP)
            for name, value in reply.headers:
                self.send_header(name, value)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(reply.body)

        def do_OPTIONS(self) -> None:
            self._send(Reply(204, "text/plain", b"", (
                ("Access-Control-Allow-Methods", "GET, POST, OPTIONS"),
                ("Access-Control-Allow-Headers", "Content-Type, Accept"),
                ("Access-Control-Max-Age", "600"),
            )))

        def do_GET(self) -> None:
            url = urlsplit(self.path)
            fields = parse_qs(url.query, keep_blank_values=True)
            self._send(self._route_get(url.path, fields))

        def do_POST(self) -> None:
            url = urlsplit(self.path)
            if url.path != "/sparql":
                self._send(_text(405, "POST goes to /sparql"))
                return
            length = int(self.headers.get("Content-Length") or 0)
            if length > config.max_body:
                self.close_connection = True
                self._send(_text(413, f"request body over {config.max_body} bytes"))
                return
            body = self.rfile.read(length).decode("utf-8", "replace")
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
                from .queries import list_queries

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
            try:
                check_query(queries[0])
            except QueryRefusedError as exc:
                return _text(403, str(exc))
            except QueryError as exc:
                return _text(400, str(exc))
            return pool.run(queries[0], self.headers.get("Accept") or "")

        def _named(self, name: str, fields: dict[str, list[str]]) -> Reply:
            from .queries import get_query, resolve_params

            try:
                named = get_query(name)
                raw = {k: v[-1] for k, v in fields.items()}
                bindings = resolve_params(named, raw, _PoolStore(pool))
                text = bind_values(named.text, bindings)
            except NotFoundError as exc:
                return _text(404, str(exc))
            except QueryError as exc:
                return _text(404 if "no query named" in str(exc) else 400, str(exc))
            except StoreError as exc:
                return _text(503, str(exc))
            return pool.run(text, self.headers.get("Accept") or "")

        def _view(self, rest: str) -> Reply:
            if views is None:
                return _text(404, "no views folder (serve --views DIR)")
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


def make_server(config: ServeConfig) -> tuple[ThreadingHTTPServer, WorkerPool]:
    """The HTTP server and its worker pool, bound but not yet serving."""
    pool = WorkerPool(config)
    try:
        server = ThreadingHTTPServer((config.host, config.port), _make_handler(pool, config))
    except OSError:
        pool.close()
        raise
    server.daemon_threads = True
    return server, pool


def serve_forever(config: ServeConfig, announce: Callable[[str], None] = print) -> None:
    """Serve until interrupted (SIGINT or SIGTERM); ``announce`` gets the base URL."""
    server, pool = make_server(config)
    host, port = server.server_address[:2]
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
    announce(f"http://{host!s}:{port}/")
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        pool.close()
