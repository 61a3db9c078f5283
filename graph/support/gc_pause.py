"""Pausing Python's cyclic garbage collector during bulk work.

Reading and building a corpus allocates millions of small objects that all stay alive (records,
rdflib terms and index entries). Every full collection walks all of them, so with the collector
running, the time of a build grows faster than the corpus (BENCHMARKS.md has the measurement:
reading and building took about twice as long with the collector running).
The work wrapped here makes no garbage cycles worth collecting part-way; the collector runs again
as soon as it ends (reference counting frees everything else as usual).

Pausing the collector is a process-wide change, so :func:`without_gc` pauses it only where the
caller's policy says so (:mod:`graph.support.policy`; the command line does, a notebook by default
does not).
"""

from __future__ import annotations

import contextlib
import functools
import gc
from collections.abc import Callable, Iterator
from typing import ParamSpec, TypeVar

from graph.support.policy import current

__all__ = ["paused_gc", "without_gc"]

_P = ParamSpec("_P")
_R = TypeVar("_R")


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """Disable the cyclic collector for the block (nested blocks are fine)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def without_gc(fn: Callable[_P, _R]) -> Callable[_P, _R]:
    """Run ``fn`` with the cyclic collector paused when the policy allows it (module docstring)."""

    @functools.wraps(fn)
    def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        if not current().pause_gc:
            return fn(*args, **kwargs)
        with paused_gc():
            return fn(*args, **kwargs)

    return wrapper
