"""Parameters of a query: terms serialised as one token each, bound by a ``VALUES`` block."""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Mapping
from dataclasses import replace
from typing import Final

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from graph.errors import QueryError
from graph.rdf.vocab import XSD
from graph.sparql.safety import SafeQuery, check_query

__all__ = [
    "VALUES_MARKER",
    "Bindings",
    "Triple",
    "bind_values",
    "check_bound",
    "has_one_values_marker",
    "sparql_term",
]

VALUES_MARKER: Final = "# @values"
Bindings = Mapping[str, Node]
Triple = tuple[Node, Node, Node]

_VAR = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
# Characters the SPARQL grammar forbids inside <...> (IRIREF), and controls/space.
_BAD_IRI = re.compile(r'[<>"{}|^`\\\x00-\x20]')





def sparql_term(term: Node) -> str:
    """A term in N-Triples/SPARQL syntax, escaped so that it is always one token of data.

    >>> sparql_term(Literal('a"} # b'))
    '"a\\\\"} # b"'
    """
    if isinstance(term, URIRef):
        if _BAD_IRI.search(str(term)):
            raise QueryError(f"not a valid IRI: {str(term)!r}")
        return f"<{term}>"
    if isinstance(term, BNode):
        if _VAR.match(str(term)):
            return f"_:{term}"
        # Another label, made of the label's bytes: the same in every process (hash() is not).
        return f"_:b{hashlib.blake2b(str(term).encode('utf-8'), digest_size=8).hexdigest()}"
    if isinstance(term, Literal):
        text = (
            str(term)
            .replace("\\", "\\\\")
            .replace('"', '\\"')
            .replace("\n", "\\n")
            .replace("\r", "\\r")
        )
        if term.language:
            return f'"{text}"@{term.language}'
        if term.datatype is not None and term.datatype != XSD.string:
            return f'"{text}"^^{sparql_term(term.datatype)}'
        return f'"{text}"'
    raise QueryError(f"cannot bind a {type(term).__name__}")


def bind_values(text: str, bindings: Bindings | None) -> str:
    """Put a ``VALUES`` block, one per bound variable, where the ``# @values`` line stands.

    The marker is a comment, so an unbound query still parses. Values are serialised terms, each
    one token: a literal holding ``"``, ``}`` or ``#`` cannot change the query's shape.
    """
    if not bindings:
        return text
    around = _around_marker(text)
    if isinstance(around, int):
        raise QueryError(
            f"a query that takes parameters needs exactly one '{VALUES_MARKER}' line inside its "
            f"WHERE clause (found {around})"
        )
    blocks = []
    for name, term in sorted(bindings.items()):
        if not _VAR.match(name):
            raise QueryError(f"not a variable name: {name!r}")
        blocks.append(f"VALUES ?{name} {{ {sparql_term(term)} }}")
    head, tail = around
    return f"{head}  {' '.join(blocks)}\n{tail}"


@functools.lru_cache(maxsize=256)
def _around_marker(text: str) -> tuple[str, str] | int:
    """The lines before and after the one marker line (memoised: a library query is bound again
    and again, and splitting it costs more than Oxigraph takes for a small query), or the number
    of marker lines when it is not one."""
    lines = text.splitlines()
    slots = [i for i, line in enumerate(lines) if line.strip() == VALUES_MARKER]
    if len(slots) != 1:
        return len(slots)
    slot = slots[0]
    return "".join(f"{line}\n" for line in lines[:slot]), "".join(
        f"{line}\n" for line in lines[slot + 1:])


def has_one_values_marker(text: str) -> bool:
    """Whether ``text`` has exactly one ``# @values`` line, where :func:`bind_values` binds."""
    return not isinstance(_around_marker(text), int)


def check_bound(text: str, bindings: Bindings | None) -> SafeQuery:
    """:func:`check_query` of the unbound ``text``, then :func:`bind_values`: the checked query
    with its values in.

    The check is memoised by text, so a library query asked about a new claim or entity is not
    parsed again (rdflib's parser takes far longer over a library query than Oxigraph takes to
    answer most of them). Checking the template is enough: each bound value is one escaped
    token in a ``VALUES`` block, which cannot add an update, ``SERVICE`` or ``FROM``.
    """
    if not bindings:
        return check_query(text)
    return _bound_query(text, tuple(sorted(bindings.items())))


@functools.lru_cache(maxsize=1024)
def _bound_query(text: str, items: tuple[tuple[str, Node], ...]) -> SafeQuery:
    """:func:`check_bound` with the bindings as a key (memoised: asking the same query about the
    same thing again, as a notebook or an endpoint's clients do, costs a lookup; refusals and
    errors are raised again at every call, never kept)."""
    safe = check_query(text)
    return replace(safe, text=bind_values(safe.text, dict(items)))  # same form and cost class

