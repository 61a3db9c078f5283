"""A worker process: one query at a time, from a pipe, in a process forked from the server."""

from __future__ import annotations

import contextlib
import gc
import os
import signal
import threading
from collections.abc import Callable
from typing import Any

from graph.serve.accounting import _EXIT_MEMORY, _cpu_seconds, limit_memory
from graph.serve.protocol import _check_and_answer

__all__ = [
    "Worker",
    "set_store",
]
_ORPHAN_CHECK = 1.0  # seconds between an idle worker's looks for its server (killed?)

_STORE: Any = None  # the parent's store, inherited by forked workers


def set_store(store: Any) -> None:
    """The store forked workers of the memory engine inherit (``None`` for a folder)."""
    global _STORE
    _STORE = store


def _worker_main(conn: Any, path: str | None, max_rows: int, max_memory: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    gc.freeze()  # what this process inherited is never walked by its collector (docs/endpoint.md)
    server = os.getppid()
    if path is not None:
        import pyoxigraph

        store = pyoxigraph.Store.read_only(path)
    else:
        store = _STORE
    limit_memory(max_memory)
    conn.send(None)  # ready: starting up is not counted in the first query's budget
    while True:
        try:
            while not conn.poll(_ORPHAN_CHECK):  # a sibling holds our pipe open: no EOF
                if os.getppid() != server:
                    return
            job, accept = conn.recv()
        except (EOFError, OSError):
            return
        try:
            _check_and_answer(conn, store, job, accept, max_rows)
        except MemoryError:
            os._exit(_EXIT_MEMORY)  # the heap may be in no state to go on; the pool replaces us


class Worker:
    """A worker process and the server's end of its pipe."""

    def __init__(self, ctx: Any, path: str | None, max_rows: int, max_memory: int) -> None:
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_worker_main, daemon=True,
                                   args=(child, path, max_rows, max_memory))
        self.process.start()
        child.close()
        self._schedstat: int | None = None  # kept open: one pread per reading, not three calls
        with contextlib.suppress(OSError):
            self._schedstat = os.open(f"/proc/{self.process.pid}/schedstat", os.O_RDONLY)

    def cpu_seconds(self) -> float | None:
        """:func:`_cpu_seconds` of this worker, read through a descriptor kept open."""
        if self._schedstat is not None:
            with contextlib.suppress(OSError, ValueError, IndexError):
                return int(os.pread(self._schedstat, 64, 0).split()[0]) / 1e9
        return _cpu_seconds(self.process.pid)

    def _close_schedstat(self) -> None:
        fd, self._schedstat = self._schedstat, None
        if fd is not None:
            with contextlib.suppress(OSError):
                os.close(fd)

    def wait_ready(self, seconds: float) -> bool:
        """Wait until the worker says it is ready; whether it did (a worker that died is found by
        its query)."""
        with contextlib.suppress(EOFError, OSError):
            if self.conn.poll(seconds):
                self.conn.recv()
                return True
        return False

    def kill(self, then: Callable[[], None] | None = None) -> None:
        """SIGKILL and reap; with ``then``, reaped by a short-lived thread that calls ``then``."""
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.process.pid, signal.SIGKILL)
        self._close_schedstat()
        self.conn.close()
        if then is None:
            self.process.join(timeout=5)
            return

        def reap() -> None:
            self.process.join(timeout=5)
            then()

        threading.Thread(target=reap, daemon=True).start()

    def exit_signal(self) -> int | None:
        """How the process ended: the signal that ended it, -1 after a MemoryError, else None."""
        self.process.join(timeout=2)
        code = self.process.exitcode
        if code == _EXIT_MEMORY:
            return -1
        return -code if code is not None and code < 0 else None
