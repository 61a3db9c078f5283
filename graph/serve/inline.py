"""Answers given in the server process itself, for texts measured cheap on this store.

A query sent to a worker costs the server process a pickled job, a pipe round trip and two
thread wake-ups, more CPU time than the whole of a short query (``BENCHMARKS-endpoint.md``). The
store does not change while it is served, so a text that a worker answered within
``--inline-budget`` of CPU time costs the same next time: such a text (with the result format
it was answered in) is remembered, and its next requests are answered here, by the same function
a worker uses (:func:`graph.serve.protocol._answer`: the same row cap, formats and errors), from
the parent's memory store or the folder opened read-only in this process. pyoxigraph lets go of
the interpreter while it evaluates, so other requests go on meanwhile.

What stays with the workers: every text not measured yet, every text measured above the budget,
and every text whose check is not known (the verdict is made before either way). A text answered
here has no time limit of its own and no memory cap; it gets neither because it has shown, on
this very store, that it needs neither.
"""

from __future__ import annotations

import threading
from typing import Any, Final

from graph.serve.protocol import Reply, _answer, negotiate
from graph.sparql.safety import CACHE_MAX_CHARS, SafeQuery

__all__ = [
    "InlineAnswers",
]
_REMEMBERED: Final = 1024  # (text, format) pairs remembered as cheap


class InlineAnswers:
    """Which texts are cheap here, and their answers from a store opened in this process."""

    def __init__(self, budget: float, max_rows: int, store: Any = None,
                 path: str | None = None) -> None:
        self.budget, self.max_rows = budget, max_rows
        self._store, self._path = store, path
        self._cheap: dict[tuple[str, str], None] = {}
        self._lock = threading.Lock()

    @property
    def enabled(self) -> bool:
        """Whether any text may be answered here (a budget of 0 turns this off)."""
        return self.budget > 0

    def _opened(self) -> Any:
        """The store, opened read-only on first use when it is a folder (not before the first
        workers are forked: they open their own)."""
        if self._store is None and self._path is not None:
            with self._lock:
                if self._store is None:
                    import pyoxigraph

                    self._store = pyoxigraph.Store.read_only(self._path)
        return self._store

    def measured(self, safe: SafeQuery, accept: str, cpu_seconds: float | None) -> None:
        """A worker answered ``safe`` in the format ``accept`` asks for (200) using
        ``cpu_seconds`` of CPU time: remembered as cheap when within the budget."""
        if not self.enabled or cpu_seconds is None or cpu_seconds > self.budget \
                or len(safe.text) > CACHE_MAX_CHARS:
            return
        key = (safe.text, negotiate(accept, safe.form))
        with self._lock:
            self._cheap[key] = None
            while len(self._cheap) > _REMEMBERED:
                self._cheap.pop(next(iter(self._cheap)))

    def is_cheap(self, safe: SafeQuery, accept: str) -> bool:
        """Whether ``safe`` in the format ``accept`` asks for was measured cheap here."""
        return self.enabled and (safe.text, negotiate(accept, safe.form)) in self._cheap

    def answer(self, safe: SafeQuery, accept: str) -> Reply | None:
        """The answer given here, or ``None`` when the text is not known to be cheap."""
        if not self.is_cheap(safe, accept):
            return None
        store = self._opened()
        if store is None:
            return None
        return _answer(store, safe, accept, self.max_rows)

    def close(self) -> None:
        """Forget the store (a folder's is closed when no request holds it any more)."""
        with self._lock:
            self._store, self._path = None, None
            self._cheap.clear()
