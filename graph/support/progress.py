"""Progress for long runs: a rich progress bar on a terminal, nothing at all when piped.

Shown only where the caller's policy asks for it (:mod:`graph.support.policy`: the command line
does, a notebook by default does not), on stderr, and only when stderr is a terminal, so piped or
captured output (CI logs, ``--json``) stays exactly what the command prints.

>>> list(progress(range(3), total=3, description="counting"))  # stderr is not a terminal here
[0, 1, 2]
>>> with status("thinking"):
...     answer = 42
>>> answer
42
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator, Sized
from contextlib import contextmanager
from typing import TypeVar

from graph.support.policy import current

__all__ = ["enabled", "progress", "status"]

_T = TypeVar("_T")


def enabled() -> bool:
    """True when progress is shown: the policy asks for it and stderr is a terminal."""
    if not current().progress:
        return False
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):  # closed or replaced stream
        return False


def progress(
    iterable: Iterable[_T], total: int | None = None, description: str = "working"
) -> Iterator[_T]:
    """Yield the items of ``iterable``, advancing a progress bar on a terminal.

    ``total`` defaults to ``len(iterable)`` when it has one. The bar disappears when the
    iteration ends; when stderr is not a terminal the items are yielded with no output at all.
    """
    if not enabled():
        yield from iterable
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    if total is None and isinstance(iterable, Sized):
        total = len(iterable)
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(description, total=total)
        for item in iterable:
            yield item
            bar.advance(task)


@contextmanager
def status(description: str) -> Iterator[None]:
    """A spinner with ``description`` while a step without a count runs (terminal only)."""
    if not enabled():
        yield
        return
    from rich.console import Console

    with Console(stderr=True).status(description):
        yield
