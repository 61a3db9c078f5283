"""What the server does once before it forks its workers, so that every worker inherits it."""

from __future__ import annotations

import contextlib
import gc
from typing import Final

from graph.errors import QueryError
from graph.serve.protocol import _answer
from graph.sparql.safety import QueryForm, SafeQuery, check_query

__all__ = [
    "check_library",
    "warm_up",
]
_WARM_UP: Final[tuple[tuple[QueryForm, str], ...]] = (
    ("ask", "ASK { ?s ?p ?o }"),
    ("select", "SELECT * WHERE { ?s ?p ?o } LIMIT 1"),
    ("construct", "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1"),
)


def warm_up() -> None:
    """Run each form of query once on an empty store, so that workers inherit what it imports."""
    import pyoxigraph

    empty = pyoxigraph.Store()
    for form, text in _WARM_UP:
        _answer(empty, SafeQuery(text, form), "", 10)
    gc.collect()  # pyoxigraph's results must be freed by the thread that made them: this one


def check_library() -> None:
    """Check every library query once (memoised: a named query costs no parse later)."""
    from graph.sparql.library import list_queries

    for named in list_queries():
        with contextlib.suppress(QueryError):
            check_query(named.text)
