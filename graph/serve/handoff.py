"""Idle fast workers and the queries waiting for one, handed over without a second wake-up.

A query that finds no idle fast worker waits its turn. The thread whose query has just freed a
worker sends that worker the oldest waiting job itself, at once, and only then wakes the
waiting thread (which goes on to wait for the answer). Before, the freed worker was put on a
queue and the waiting thread, once woken (it waits for the server's interpreter lock like any
thread), sent the job: the worker sat idle for that wake-up on every query that waited.
"""

from __future__ import annotations

import threading
import time
from collections import deque

from graph.serve.worker import Worker
from graph.sparql.safety import SafeQuery

__all__ = [
    "Handoff",
    "Turn",
]


class Turn:
    """A job for a fast worker: the worker it got, whether it was sent, and from when its
    budget counts (the worker's CPU time and the clock when it was sent)."""

    __slots__ = ("accept", "cpu_before", "job", "ready", "sent", "started", "worker")

    def __init__(self, job: SafeQuery | str, accept: str | None) -> None:
        self.job, self.accept = job, accept
        self.worker: Worker | None = None
        self.sent = False
        self.cpu_before: float | None = None
        self.started = 0.0
        self.ready = threading.Event()

    def send(self) -> None:
        """Send the job to this turn's worker (``sent``: whether the pipe took it)."""
        if self.worker is None:
            return
        self.cpu_before = self.worker.cpu_seconds()  # its earlier queries do not count
        self.started = time.monotonic()
        try:
            self.worker.conn.send((self.job, self.accept))
            self.sent = True
        except OSError:
            self.sent = False


class Handoff:
    """The idle fast workers and the turns waiting for one, oldest first."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._free: list[Worker] = []
        self._turns: deque[Turn] = deque()

    @property
    def waiting(self) -> int:
        """Queries waiting for an idle fast worker."""
        return len(self._turns)

    def release(self, worker: Worker) -> None:
        """An idle fast worker: sent the oldest waiting job at once, else kept idle."""
        with self._lock:
            turn = self._turns.popleft() if self._turns else None
            if turn is None:
                self._free.append(worker)
                return
            turn.worker = worker
        turn.send()
        turn.ready.set()

    def take(self, job: SafeQuery | str, accept: str | None, deadline: float) -> Turn | None:
        """A fast worker with ``job`` sent to it, or ``None`` when none was idle by
        ``deadline`` (``time.monotonic()``)."""
        turn = Turn(job, accept)
        with self._lock:
            free = self._free.pop() if self._free else None
            if free is None:
                self._turns.append(turn)
            else:
                turn.worker = free
        if free is not None:  # an idle worker at once: this thread sends the job
            turn.send()
            return turn
        if not turn.ready.wait(max(0.0, deadline - time.monotonic())):
            with self._lock:
                if turn.worker is None:
                    self._turns.remove(turn)
                    return None
            turn.ready.wait()  # given a worker meanwhile: its job is being sent
        return turn
