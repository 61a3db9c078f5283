"""What the library may do to the process it runs in: chosen by its caller, off by default.

Called from a notebook or another program, the library prints nothing and changes no
process-wide setting: no progress bars, the cyclic garbage collector left as it is, no worker
processes forked, nothing written under the user's home. ``claimgraph`` (the command line) and
``claimgraph serve`` turn these on for the commands they run, with :func:`use` and
:func:`command_line`; a program may do the same.

>>> current().progress, current().processes
(False, 1)
>>> with use(Policy(processes=2)):
...     current().processes
2
>>> current().processes
1
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Final

__all__ = ["Policy", "command_line", "current", "default_cache_dir", "use"]


@dataclass(frozen=True)
class Policy:
    """What long runs may do besides their work.

    ``progress``: progress bars and spinners on stderr (shown only when it is a terminal).
    ``pause_gc``: pause the cyclic garbage collector during bulk reading and building (it walks
    every live object at each full collection; figures in BENCHMARKS.md).
    ``processes``: how many processes SHACL validation may fork (1: it runs in this process).
    ``cache_dir``: where the record of documents that passed SHACL lives (``None``: no record,
    every document is checked every time).
    """

    progress: bool = False
    pause_gc: bool = False
    processes: int = 1
    cache_dir: Path | None = None


_DEFAULT: Final = Policy()
_CURRENT: ContextVar[Policy] = ContextVar("claimgraph_policy")


def current() -> Policy:
    """The policy in force here (the default: nothing beyond the work itself)."""
    return _CURRENT.get(_DEFAULT)


@contextmanager
def use(policy: Policy) -> Iterator[Policy]:
    """Put ``policy`` in force for the block (in this thread and context only)."""
    token = _CURRENT.set(policy)
    try:
        yield policy
    finally:
        _CURRENT.reset(token)


def default_cache_dir() -> Path | None:
    """Where the command line keeps the SHACL record: ``CLAIMGRAPH_CACHE_DIR`` (``off``: none),
    else ``$XDG_CACHE_HOME/claimgraph``, else ``~/.cache/claimgraph``."""
    configured = os.environ.get("CLAIMGRAPH_CACHE_DIR")
    if configured is not None:
        return None if configured.strip().lower() in ("off", "") else Path(configured)
    base = os.environ.get("XDG_CACHE_HOME")
    if not base:
        try:
            base = str(Path.home() / ".cache")
        except RuntimeError:  # no home directory to be found: no record
            return None
    return Path(base) / "claimgraph"


def command_line() -> Policy:
    """The command line's policy: progress on a terminal, the collector paused for bulk work,
    SHACL on every core, the record of documents that passed kept in :func:`default_cache_dir`."""
    return Policy(
        progress=True,
        pause_gc=True,
        processes=os.cpu_count() or 1,
        cache_dir=default_cache_dir(),
    )
