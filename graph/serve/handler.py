"""The HTTP side: routes, request bodies read by their bytes, the server and its lifetime."""

from __future__ import annotations

import contextlib
import io
import json
import mimetypes
import signal
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Self
from urllib.parse import parse_qs, unquote, urlsplit

from graph.errors import NotFoundError, QueryError, QueryRefusedError, StoreError
from graph.sparql.binding import Bindings, check_bound
from graph.sparql.results import QueryResult
from graph.stores.loading import LoadSummary

if TYPE_CHECKING:
    pass
from graph.serve.config import ENGINES, SWITCH_INTERVAL, ServeConfig
from graph.serve.headers import HeadersTooLarge, read_headers
from graph.serve.pool import WorkerPool
from graph.serve.protocol import CSP, Reply, _text
from graph.serve.relay import RelayEngine

__all__ = [
    "Engine",
    "make_server",
    "serve_forever",
]
_MAX_VIEW_PATH: Final = 1024  # characters of a /views/ path; longer names are no file of ours


Engine = WorkerPool | RelayEngine  # what answers checked queries (ServeConfig.engine)


class _PoolStore:
    """The engine as a :class:`graph.stores.Store` for parameter lookups (queries only)."""

    def __init__(self, pool: Engine) -> None:
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

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


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


def _make_handler(pool: Engine, config: ServeConfig) -> type[BaseHTTPRequestHandler]:
    views = config.views.resolve() if config.views else None
    _date: list[int | str] = [0, ""]  # the second and its Date text (threads may race: same text)

    class Handler(BaseHTTPRequestHandler):
        server_version = "claimgraph"
        protocol_version = "HTTP/1.1"
        # TCP_NODELAY: headers and body go out in two send() calls; with Nagle's algorithm the body
        # would wait ~40 ms for the client's delayed ACK on every kept-alive response
        disable_nagle_algorithm = True
        timeout = config.socket_timeout  # a silent or half-open connection is closed, not kept

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet: no per-request lines on stderr."""

        def parse_request(self) -> bool:
            """The request line as ``http.server`` reads it (its checks and errors), the headers
            by :func:`~graph.serve.headers.read_headers` (no MIME parser)."""
            if not self._plain_request_line():
                stream = self.rfile
                self.rfile = io.BytesIO(b"\r\n")  # the base class reads an empty header block
                try:
                    if not super().parse_request():
                        return False
                finally:
                    self.rfile = stream
            stream = self.rfile
            try:
                self.headers = read_headers(stream)  # type: ignore[assignment]
            except HeadersTooLarge as exc:
                self.send_error(431, "Request header fields too large", str(exc))
                return False
            connection = (self.headers.get("Connection") or "").lower()
            if connection == "close":
                self.close_connection = True
            elif connection == "keep-alive" and self.request_version >= "HTTP/1.1":
                self.close_connection = False
            expect = (self.headers.get("Expect") or "").lower()
            if expect == "100-continue" and self.request_version >= "HTTP/1.1":
                return self.handle_expect_100()
            return True

        def _plain_request_line(self) -> bool:
            """``METHOD /path HTTP/1.x``, taken as the base class would take it without its
            checks (which parse an empty header block with the `email` package each time); any
            other line is left to the base class, errors and all."""
            raw: bytes = getattr(self, "raw_requestline", b"")  # set by handle_one_request
            line = str(raw, "iso-8859-1").rstrip("\r\n")
            words = line.split()
            if len(words) != 3 or words[2] not in ("HTTP/1.1", "HTTP/1.0") \
                    or words[1].startswith("//"):
                return False
            self.requestline = line
            self.command, self.path, self.request_version = words
            self.close_connection = words[2] == "HTTP/1.0"
            return True

        def date_time_string(self, timestamp: float | None = None) -> str:
            """The ``Date`` header's text, made once a second rather than once an answer."""
            if timestamp is not None:
                return super().date_time_string(timestamp)
            now = int(time.time())
            if _date[0] != now:
                _date[:] = [now, super().date_time_string(now)]
            return str(_date[1])

        def _send(self, reply: Reply) -> None:
            """Status line, headers and body in one ``send``: one system call per answer, and
            no part waits for the client's ACK of another."""
            phrase = self.responses.get(reply.status, ("",))[0]
            lines = [f"HTTP/1.1 {reply.status} {phrase}", "Server: claimgraph",
                     f"Date: {self.date_time_string()}",
                     f"Content-Type: {reply.content_type}",
                     f"Content-Length: {len(reply.body)}", "X-Content-Type-Options: nosniff"]
            if config.cors is not None:
                lines += [f"Access-Control-Allow-Origin: {config.cors}", "Vary: Origin"]
            if reply.content_type.startswith("text/html"):
                lines.append(f"Content-Security-Policy: {CSP}")
            lines += [f"{name}: {value}" for name, value in reply.headers]
            if self.close_connection:
                lines.append("Connection: close")
            head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
            self.wfile.write(head if self.command == "HEAD" else head + reply.body)

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


def make_server(config: ServeConfig) -> tuple[ThreadingHTTPServer, Engine]:
    """The HTTP server and its engine (worker pool, or Oxigraph's server behind the pool's
    checks), bound but not yet serving."""
    if config.engine not in ENGINES:
        raise StoreError(f"unknown engine {config.engine!r}: one of {', '.join(ENGINES)}")
    pool: Engine = RelayEngine(config) if config.engine == "oxigraph" else WorkerPool(config)
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
