"""The SPARQL protocol's side: content negotiation, result formats, answers and refusals."""

from __future__ import annotations

import contextlib
import functools
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final

from graph.errors import ClaimgraphError, QueryError, QueryRefusedError
from graph.serve.quick_check import quick_verdict
from graph.sparql.results import QueryResult
from graph.sparql.safety import QueryForm, SafeQuery, check_query
from graph.stores.oxigraph import UNION_DEFAULT

if TYPE_CHECKING:
    pass

__all__ = [
    "CSP",
    "Reply",
    "negotiate",
    "render",
]
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
_ROW_BYTES: Final = 1024  # bytes a row may take on average in an answer written at once
_MEMO_ACCEPT: Final = 256  # characters of an Accept header whose format is remembered
_CONTENT_TYPES: Final = {
    "json": "application/sparql-results+json; charset=utf-8",
    "xml": "application/sparql-results+xml; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "tsv": "text/tab-separated-values; charset=utf-8",
    "turtle": "text/turtle; charset=utf-8",
    "nt": "application/n-triples; charset=utf-8",
}


@dataclass(frozen=True)
class Reply:
    """An HTTP answer: status, content type and body."""

    status: int
    content_type: str
    body: bytes
    headers: tuple[tuple[str, str], ...] = field(default=())
    verdict: SafeQuery | None = None  # a check-only job's passed query (the body is empty)


def _text(status: int, message: str) -> Reply:
    return Reply(status, "text/plain; charset=utf-8", (message + "\n").encode("utf-8"))


def negotiate(accept: str, form: QueryForm) -> str:
    """The result format for an ``Accept`` header (highest q first, then order given)."""
    if len(accept) <= _MEMO_ACCEPT:  # clients send the same few headers again and again
        return _negotiate_memo(accept, form)
    return _negotiate(accept, form)


def _negotiate(accept: str, form: QueryForm) -> str:
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


_negotiate_memo: Final = functools.lru_cache(maxsize=256)(_negotiate)


class _CappedAnswer:
    """An engine's answer (solutions or triples) that fails once past the row cap as it is read."""

    def __init__(self, raw: Any, max_rows: int) -> None:
        self.raw, self.max_rows = raw, max_rows
        self.variables = getattr(raw, "variables", ())

    def __iter__(self) -> Any:
        for count, item in enumerate(self.raw):
            if count >= self.max_rows:
                raise _over_cap(self.max_rows)
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


def _json_format() -> Any:
    import pyoxigraph

    return pyoxigraph.QueryResultsFormat.JSON


def _over_cap(max_rows: int) -> QueryError:
    return QueryError(f"the answer has more than {max_rows} rows, the endpoint's cap; "
                      "narrow the query or add LIMIT")


def _native_json(raw: Any, max_rows: int) -> bytes | None:
    """SELECT solutions as SPARQL JSON written by pyoxigraph itself (about five times faster
    than converting each term in Python), or ``None`` when the text is longer than
    ``_ROW_BYTES * max_rows`` bytes. Every row takes at least three bytes (``{},``), so a text of
    at most ``3 * max_rows`` bytes holds at most ``max_rows`` rows; a longer one has its rows
    counted (:class:`QueryError` past the cap)."""
    import json

    out = _BoundedOutput(_ROW_BYTES * max_rows)
    try:
        raw.serialize(out, format=_json_format())
    except (_TooLong, OSError):
        return None
    body = b"".join(out.parts)
    if out.size > 3 * max_rows and len(json.loads(body)["results"]["bindings"]) > max_rows:
        raise _over_cap(max_rows)
    return body


def _answer(store: Any, safe: SafeQuery, accept: str, max_rows: int) -> Reply:
    """Run a query the server already checked (it is not parsed again here)."""
    try:
        fmt = negotiate(accept, safe.form)
        raw = store.query(safe.text, use_default_graph_as_union=UNION_DEFAULT)
        if fmt == "json" and safe.form == "select" and hasattr(raw, "serialize"):
            body = _native_json(raw, max_rows)
            if body is None:
                # a very long answer: run again and count its rows (no term made a Python value),
                # so that one past the cap is refused; within it, pyoxigraph writes it again
                for _ in _CappedAnswer(store.query(safe.text,
                                                   use_default_graph_as_union=UNION_DEFAULT),
                                       max_rows):
                    pass
                body = store.query(safe.text, use_default_graph_as_union=UNION_DEFAULT) \
                    .serialize(format=_json_format())
            return Reply(200, _CONTENT_TYPES[fmt], body)
        result = _capped_result(safe.form, raw, max_rows)
        return Reply(200, _CONTENT_TYPES[fmt], render(result, fmt))
    except QueryRefusedError as exc:
        return _text(403, str(exc))
    except (QueryError, SyntaxError) as exc:
        return _text(400, str(exc))
    except (ClaimgraphError, OSError, ValueError) as exc:
        return _text(500, f"query failed: {exc}")


def _check_and_answer(conn: Any, store: Any, job: SafeQuery | str, accept: str | None,
                      max_rows: int) -> None:
    """A worker's answer to a checked query, or to a text it checks first: inside the query's
    time limit, in this process (rdflib's parser is slow on large texts and not thread-safe).
    The verdict goes to the server as soon as it is known (``("checked", SafeQuery)``), before
    the answer (``("reply", Reply)``), so that the server keeps it even if the query is stopped.
    ``accept=None`` asks for the check only: the reply is a 204 carrying the verdict (another
    engine answers the query)."""
    if isinstance(job, str):
        try:
            job = quick_verdict(job) or check_query(job)
        except QueryRefusedError as exc:
            conn.send(("reply", _text(403, str(exc))))
            return
        except QueryError as exc:
            conn.send(("reply", _text(400, str(exc))))
            return
        conn.send(("checked", job))
    if accept is None:
        conn.send(("reply", Reply(204, "text/plain", b"", verdict=job)))
        return
    conn.send(("reply", _answer(store, job, accept, max_rows)))


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
