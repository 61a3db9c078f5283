"""Deciding, by a real parse, whether a SPARQL text is a query a read-only store will run.

Refused, with :class:`~graph.errors.QueryRefusedError`:

* any update (``INSERT``, ``DELETE``, ``LOAD``, ``CLEAR``, ``DROP``, ``CREATE``, ``COPY``, ...):
  stores are written only through :meth:`graph.store.Store.replace_graphs`;
* ``SERVICE``: rdflib and Oxigraph would send requests to any URL a query names;
* dataset clauses (``FROM`` / ``FROM NAMED``): rdflib fetches their IRIs from the network by
  default, and the engines disagree on what they mean; every store's default graph is the union of
  its named graphs, and ``GRAPH <iri> { ... }`` picks one graph on all of them.

The text is parsed with rdflib's SPARQL grammar (never matched with regular expressions), so a
keyword inside a string literal, an IRI or a comment is data, not a reason to refuse.

>>> check_query("SELECT * WHERE { ?s ?p ?o }").form
'select'
>>> check_query("SELECT * WHERE { SERVICE <http://example.org/> { ?s ?p ?o } }")
Traceback (most recent call last):
...
graph.errors.QueryRefusedError: SERVICE is refused: a query may not make requests to other servers
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Final, Literal

from .errors import QueryError, QueryRefusedError

__all__ = ["QueryForm", "SafeQuery", "check_query", "walk_tree"]

QueryForm = Literal["select", "ask", "construct", "describe"]

_FORMS: Final[dict[str, QueryForm]] = {
    "SelectQuery": "select",
    "AskQuery": "ask",
    "ConstructQuery": "construct",
    "DescribeQuery": "describe",
}


@dataclass(frozen=True)
class SafeQuery:
    """A query text that parsed and passed the checks, and its form."""

    text: str
    form: QueryForm


def walk_tree(node: Any) -> Iterator[Any]:
    """Every node of a pyparsing/rdflib parse tree, depth first, without recursion."""
    from rdflib.plugins.sparql.parserutils import CompValue

    stack = [node]
    while stack:
        item = stack.pop()
        yield item
        if isinstance(item, CompValue):
            stack.extend(item.values())
        elif isinstance(item, list | tuple) or type(item).__name__ == "ParseResults":
            stack.extend(item)


def _describe_error(exc: Exception) -> str:
    message = " ".join(str(exc).split())
    return message if len(message) < 200 else message[:197] + "..."


def check_query(text: str) -> SafeQuery:
    """Parse ``text``; return its form, or raise ``QueryRefusedError`` / ``QueryError``.

    ``QueryRefusedError`` for updates, ``SERVICE`` and ``FROM``/``FROM NAMED``;
    ``QueryError`` for a text that is neither a query nor an update.
    """
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
    from rdflib.plugins.sparql.parserutils import CompValue

    try:
        tree = parseQuery(text)
    except Exception as query_error:  # pyparsing raises its own exception types
        try:
            parseUpdate(text)
        except Exception:
            raise QueryError(f"the query does not parse: {_describe_error(query_error)}") from None
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
    return SafeQuery(text, form)
