"""Deciding, by a real parse, whether a SPARQL text is a query a read-only store will run.

Refused, with :class:`~graph.errors.QueryRefusedError`:

* any update (``INSERT``, ``DELETE``, ``LOAD``, ``CLEAR``, ``DROP``, ``CREATE``, ``COPY``, ...):
  stores are written only through :meth:`graph.stores.Store.replace_graphs`;
* ``SERVICE``: rdflib and Oxigraph would send requests to any URL a query names;
* dataset clauses (``FROM`` / ``FROM NAMED``): rdflib fetches their IRIs from the network by
  default, and the engines disagree on what they mean; every store's default graph is the union of
  its named graphs, and ``GRAPH <iri> { ... }`` picks one graph on all of them.

The text is parsed with rdflib's SPARQL grammar (never matched with regular expressions), so a
keyword inside a string literal, an IRI or a comment is data, not a reason to refuse.

**One text for the check and the engine.** rdflib and Oxigraph read some texts differently:
rdflib expands ``\\uXXXX`` escapes everywhere before parsing (SPARQL 1.1 §19.2), Oxigraph only
inside strings and IRIs; rdflib ends a ``#`` comment at a line feed only, Oxigraph at a carriage
return too. Either difference let a text pass the check as harmless while Oxigraph ran a
``SERVICE`` call hidden in it. So the text is normalised first (:func:`normalise`): every
``\\uXXXX`` / ``\\UXXXXXXXX`` escape is expanded as §19.2 says, again until none is left, and
every carriage return becomes a line feed. The check parses that text and :class:`SafeQuery`
carries it: the stores and the endpoint run exactly the text that was checked, in which neither
parser finds an escape to expand or a line end to disagree on. Of the three ways out (this one,
parsing with the engine's own parser, running the engine with federation off) it is the only one
pyoxigraph 0.5 allows: it exposes neither its parser nor a switch for ``SERVICE``. A consequence
a user may meet: as §19.2 says, ``"a\\u0022b"`` is the text ``"a"b"``, a syntax error; write
``\\"`` for a quote inside a string. ``tests/test_sparql_fuzz.py`` fuzzes the check against
Oxigraph with a listening socket that must receive nothing.

rdflib's parser (pyparsing) is not thread-safe: parses from several threads at once fail with
errors about valid queries. Every parse here holds one lock.

An accepted query's verdict also says whether it is explosive (:mod:`graph.sparql.cost`: work
growing with the square of the store, read whole): a warning sign, not a cost; the endpoint admits
queries by the CPU time they take on its store. Classifying reuses the same parse, once per
text.

The verdict is memoised by text (the 512 most recent texts up to 16,384 characters): rdflib's
grammar takes milliseconds per query (BENCHMARKS.md), and an endpoint sees the same library
queries again and again.
A cached verdict is immutable (a frozen :class:`SafeQuery`, or the refusal's class and message) and
a refusal is raised afresh on every call, with the same class and message as the first time.

>>> check_query("SELECT * WHERE { ?s ?p ?o }").form
'select'
>>> check_query("SELECT * WHERE { SERVICE <http://example.org/> { ?s ?p ?o } }")
Traceback (most recent call last):
...
graph.errors.QueryRefusedError: SERVICE is refused: a query may not make requests to other servers
"""

from __future__ import annotations

import functools
import re
import threading
from dataclasses import dataclass
from typing import Final, Literal

from graph.errors import QueryError, QueryRefusedError
from graph.sparql.algebra import walk_tree

__all__ = [
    "CACHE_MAX_CHARS",
    "MAX_ESCAPE_ROUNDS",
    "QueryForm",
    "SafeQuery",
    "check_query",
    "check_query_cache_info",
    "normalise",
]

QueryForm = Literal["select", "ask", "construct", "describe"]

_FORMS: Final[dict[str, QueryForm]] = {
    "SelectQuery": "select",
    "AskQuery": "ask",
    "ConstructQuery": "construct",
    "DescribeQuery": "describe",
}


@dataclass(frozen=True)
class SafeQuery:
    """A query text that parsed and passed the checks, its form, and whether it is explosive
    (:mod:`graph.sparql.cost`: work growing with the square of the store, read whole)."""

    text: str
    form: QueryForm
    explosive: bool = False


_ESCAPE: Final = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
MAX_ESCAPE_ROUNDS: Final = 4  # a query nesting escapes deeper than this is refused
_PARSE_LOCK: Final = threading.Lock()


def _expand(match: re.Match[str]) -> str:
    code = int(match.group(1) or match.group(2), 16)
    if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        raise QueryError(f"the query does not parse: {match.group(0)} is not a Unicode character")
    return chr(code)


def normalise(text: str) -> str:
    r"""The text both the check and the engine read: escapes expanded, line ends made ``\n``.

    Each ``\uXXXX`` / ``\UXXXXXXXX`` becomes its character (SPARQL 1.1 §19.2), repeated until
    none is left (``\u005Cu0022`` is a backslash and then ``u0022``: one more round), at most
    :data:`MAX_ESCAPE_ROUNDS` rounds; ``\r\n`` and ``\r`` become ``\n``.

    >>> normalise('FILTER(?o != "x\\u0022) } #")')
    'FILTER(?o != "x") } #")'
    >>> normalise("# comment\r SERVICE")
    '# comment\n SERVICE'
    """
    for _ in range(MAX_ESCAPE_ROUNDS):
        expanded = _ESCAPE.sub(_expand, text)
        if expanded == text:
            return text.replace("\r\n", "\n").replace("\r", "\n")
        text = expanded
    if _ESCAPE.search(text):
        raise QueryError("the query does not parse: escape sequences nested more than "
                         f"{MAX_ESCAPE_ROUNDS} deep")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _describe_error(exc: Exception) -> str:
    message = " ".join(str(exc).split())
    return message if len(message) < 200 else message[:197] + "..."


CACHE_MAX_CHARS: Final = 16384


@dataclass(frozen=True)
class _Refusal:
    """A cached refusal: the exception's class and message."""

    error: type[QueryError]
    message: str


def check_query(text: str) -> SafeQuery:
    """Parse ``text``; return its form, or raise ``QueryRefusedError`` / ``QueryError``.

    ``QueryRefusedError`` for updates, ``SERVICE`` and ``FROM``/``FROM NAMED``;
    ``QueryError`` for a text that is neither a query nor an update. Memoised by text (see the
    module's docstring); :func:`check_query_cache_info` reports the cache's hits.
    """
    verdict = _cached_verdict(text) if len(text) <= CACHE_MAX_CHARS else _verdict(text)
    if isinstance(verdict, _Refusal):
        raise verdict.error(verdict.message)
    return verdict


def check_query_cache_info() -> functools._CacheInfo:
    """Hits, misses and size of :func:`check_query`'s cache."""
    return _cached_verdict.cache_info()


def _verdict(text: str) -> SafeQuery | _Refusal:
    try:
        return _parse_and_check(normalise(text))
    except QueryError as exc:  # QueryRefusedError included
        return _Refusal(type(exc), str(exc))


_cached_verdict = functools.lru_cache(maxsize=512)(_verdict)


def _parse_and_check(text: str) -> SafeQuery:
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
    from rdflib.plugins.sparql.parserutils import CompValue

    with _PARSE_LOCK:
        try:
            tree = parseQuery(text)
        except Exception as query_error:  # pyparsing raises its own exception types
            try:
                parseUpdate(text)
            except Exception:
                raise QueryError(
                    f"the query does not parse: {_describe_error(query_error)}") from None
            refused = True
        else:
            refused = False
    if refused:
        raise QueryRefusedError(
            "updates (INSERT, DELETE, LOAD, CLEAR, DROP, ...) are refused: queries are read-only"
        ) from None
    query = tree[1]
    form = _FORMS.get(getattr(query, "name", ""))
    if form is None:  # pragma: no cover - the grammar has no other query forms
        raise QueryError("the text is not a SELECT, ASK, CONSTRUCT or DESCRIBE query")
    if "datasetClause" in query:
        raise QueryRefusedError(
            "FROM and FROM NAMED are refused: the default graph is the union of all graphs; "
            "use GRAPH <iri> { ... } to read one graph"
        )
    for node in walk_tree(tree):
        if isinstance(node, CompValue) and node.name == "ServiceGraphPattern":
            raise QueryRefusedError(
                "SERVICE is refused: a query may not make requests to other servers"
            )
    from graph.sparql.cost import is_explosive

    with _PARSE_LOCK:  # the algebra is built by the same pyparsing machinery
        explosive = is_explosive(tree)
    return SafeQuery(text, form, explosive)
