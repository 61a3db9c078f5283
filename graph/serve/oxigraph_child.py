"""Oxigraph's own server (``oxigraph serve-read-only``) as a child process: started, watched,
restarted when it dies or is killed, and never left behind.

The child listens on a free port of 127.0.0.1. It performs ``SERVICE`` and ``LOAD`` requests
itself, has no authentication, and its ``--timeout-s`` does not stop a query that is already
running (docs/endpoint.md): only texts the server has checked are sent to it, a query past its
time limit is stopped by killing the child, and the child dies with the thread that started it
(``PR_SET_PDEATHSIG``), so a killed ``serve`` leaves no server behind.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import math
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Final

from graph.errors import StoreError

__all__ = [
    "OxigraphChild",
    "oxigraph_executable",
]
_START_TIMEOUT: Final = 30.0  # seconds the child may take to accept connections
_PR_SET_PDEATHSIG: Final = 1


def oxigraph_executable() -> Path:
    """Oxigraph's server program: beside this Python (a virtual environment's ``bin``) or on
    ``PATH``; :class:`StoreError` saying how to install it when there is none."""
    beside = Path(sys.executable).with_name("oxigraph")
    if beside.is_file():
        return beside
    found = shutil.which("oxigraph")
    if found is None:
        raise StoreError("--engine oxigraph needs Oxigraph's server: "
                         "pip install 'oxigraph>=0.5,<0.6'")
    return Path(found)


def _die_with_parent() -> Callable[[], None] | None:
    """A ``preexec_fn`` asking Linux to SIGKILL the child when the thread that started it ends
    (the supervisor thread, which lives as long as the server); ``None`` off Linux. ``prctl`` is
    looked up here, before the fork: the child only calls it."""
    name = ctypes.util.find_library("c")
    if not sys.platform.startswith("linux") or name is None:
        return None
    prctl = ctypes.CDLL(name, use_errno=True).prctl

    def preexec() -> None:
        prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)

    return preexec


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class OxigraphChild:
    """``oxigraph serve-read-only`` over one folder, kept running by a supervisor thread.

    :meth:`address` gives the running child's generation and port (waiting while one starts);
    :meth:`kill` stops a generation (the supervisor starts the next); :meth:`close` stops it for
    good. Every child is started by the supervisor thread, so ``PR_SET_PDEATHSIG`` ties each one
    to a thread that lives until :meth:`close`.
    """

    def __init__(self, location: Path, timeout: float,
                 start_timeout: float = _START_TIMEOUT) -> None:
        self._command = [str(oxigraph_executable()), "serve-read-only",
                         "--location", str(location),
                         "--timeout-s", str(max(1, math.ceil(timeout)))]
        self._start_timeout = start_timeout
        self._preexec = _die_with_parent()
        self._ready = threading.Condition()
        self._process: subprocess.Popen[bytes] | None = None
        self._port: int | None = None
        self._generation = 0
        self._closed = False
        self._failure: str | None = None
        self._thread = threading.Thread(target=self._supervise, name="oxigraph-child",
                                        daemon=True)
        self._thread.start()
        self.address(start_timeout)  # the first child is up, or StoreError

    def address(self, seconds: float) -> tuple[int, int]:
        """(generation, port) of a running child, waiting up to ``seconds`` for one to start."""
        until = time.monotonic() + seconds
        with self._ready:
            while self._port is None:
                if self._failure is not None:
                    raise StoreError(self._failure)
                if self._closed:
                    raise StoreError("the endpoint is shutting down")
                left = until - time.monotonic()
                if left <= 0:
                    raise StoreError("Oxigraph's server is restarting; try again")
                self._ready.wait(left)
            return self._generation, self._port

    def kill(self, generation: int) -> None:
        """SIGKILL the child of ``generation`` if it still runs (a later one is left alone)."""
        with self._ready:
            if generation != self._generation or self._process is None:
                return
            self._port = None  # no new request goes to it
            with contextlib.suppress(ProcessLookupError):
                self._process.kill()

    def close(self) -> None:
        """Stop the child and the supervisor; wait until the child is reaped."""
        with self._ready:
            self._closed = True
            process = self._process
            self._ready.notify_all()
        if process is not None:
            with contextlib.suppress(ProcessLookupError):
                process.terminate()
        self._thread.join(timeout=15)
        if process is not None and process.poll() is None:
            process.kill()
            process.wait(timeout=5)

    def _supervise(self) -> None:
        failures = 0
        while True:
            with self._ready:
                if self._closed:
                    return
            try:
                process, port = self._start()
            except StoreError as exc:
                failures += 1
                if failures >= 3:  # the program cannot start at all: say so to every waiter
                    with self._ready:
                        self._failure = str(exc)
                        self._ready.notify_all()
                    return
                continue
            failures = 0
            with self._ready:
                if self._closed:
                    process.kill()
                    process.wait()
                    return
                self._process, self._port = process, port
                self._generation += 1
                self._ready.notify_all()
            process.wait()
            with self._ready:
                if self._process is process:
                    self._port = None

    def _start(self) -> tuple[subprocess.Popen[bytes], int]:
        """A child listening on a free port (another port if that one was taken meanwhile)."""
        port = _free_port()
        process = subprocess.Popen(
            [*self._command, "--bind", f"127.0.0.1:{port}"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            preexec_fn=self._preexec,  # only prctl runs between the fork and the exec
        )
        until = time.monotonic() + self._start_timeout
        while time.monotonic() < until and process.poll() is None:
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", port)) == 0:
                    return process, port
            time.sleep(0.02)
        with contextlib.suppress(ProcessLookupError):
            process.kill()
        process.wait()
        raise StoreError(f"Oxigraph's server did not start (exit status {process.returncode})")
