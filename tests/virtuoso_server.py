"""Start and stop a throwaway Virtuoso Open Source server for the integration tests.

The server runs Debian's ``virtuoso-t`` with a fresh database in a temporary folder, listens on
loopback only (SQL and HTTP ports both bound to 127.0.0.1 on free ports) and is stopped with
SIGTERM when the tests end. Its credentials are the package defaults, ``dba``/``dba``: acceptable
only because nothing but this machine can reach it. Debian's build gets no security updates, so
never expose such a server beyond loopback.

Nothing is installed here: when ``virtuoso-t`` is absent, :func:`virtuoso_available` says so and
the tests skip (``apt-get install virtuoso-opensource`` enables them).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import requests

__all__ = [
    "DEFAULT_INI",
    "VirtuosoServer",
    "free_port",
    "start_virtuoso",
    "virtuoso_available",
]

DEFAULT_INI = Path("/etc/virtuoso-opensource-7/virtuoso.ini")
USER = "dba"
PASSWORD = "dba"  # the package default; loopback only


def virtuoso_available() -> str | None:
    """The path of ``virtuoso-t`` when it and its default configuration are installed."""
    binary = shutil.which("virtuoso-t")
    return binary if binary and DEFAULT_INI.exists() else None


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class VirtuosoServer:
    """A running server: its endpoints, its process and how long it took to start."""

    process: subprocess.Popen[bytes]
    folder: Path
    http_port: int
    start_seconds: float

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def query_url(self) -> str:
        return f"{self.base}/sparql"

    @property
    def update_url(self) -> str:
        return f"{self.base}/sparql-auth"

    @property
    def credentials(self) -> tuple[str, str]:
        return USER, PASSWORD

    def log(self) -> str:
        path = self.folder / "virtuoso.log"
        return path.read_text(errors="replace")[-4000:] if path.exists() else ""

    def stop(self) -> None:
        """SIGTERM, then wait; SIGKILL only if it does not stop within 20 s."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def _configure(ini: str, folder: Path, sql_port: int, http_port: int) -> str:
    """Rewrite the packaged configuration: database in ``folder``, loopback ports."""
    db = folder.as_posix()
    out: list[str] = []
    section = ""
    for line in ini.splitlines():
        stripped = line.strip()
        header = re.match(r"^\[(.+)\]$", stripped)
        if header:
            section = header.group(1)
        key = re.match(r"^([A-Za-z_]+)\s*=", stripped)
        name = key.group(1) if key else ""
        if section in ("Database", "TempDatabase") and name in (
            "DatabaseFile", "ErrorLogFile", "LockFile", "TransactionFile", "xa_persistent_file"
        ):
            value = line.split("=", 1)[1].strip()
            line = f"{name} = {db}/{Path(value).name}"
        elif section == "Parameters" and name == "ServerPort":
            line = f"ServerPort = 127.0.0.1:{sql_port}"
        elif section == "HTTPServer" and name == "ServerPort":
            line = f"ServerPort = 127.0.0.1:{http_port}"
        elif section == "Parameters" and name == "DirsAllowed":
            line = line.rstrip() + f", {db}"
        elif section == "Parameters" and name in ("NumberOfBuffers", "MaxDirtyBuffers"):
            line = f"{name} = {10000 if name == 'NumberOfBuffers' else 6000}"
        out.append(line)
    return "\n".join(out) + "\n"


def start_virtuoso(folder: Path, *, timeout: float = 60.0) -> VirtuosoServer:
    """Start ``virtuoso-t`` in the foreground with a fresh database under ``folder``.

    Waits until ``/sparql`` answers a query; raises ``RuntimeError`` with the log tail otherwise.
    """
    binary = virtuoso_available()
    if binary is None:
        raise RuntimeError("virtuoso-t is not installed (apt-get install virtuoso-opensource)")
    folder.mkdir(parents=True, exist_ok=True)
    sql_port, http_port = free_port(), free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(
        _configure(DEFAULT_INI.read_text(), folder, sql_port, http_port), encoding="utf-8"
    )
    started = time.monotonic()
    process = subprocess.Popen(
        [binary, "+foreground", "+configfile", str(ini)],
        cwd=folder,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "LC_ALL": "C"},
    )
    server = VirtuosoServer(process, folder, http_port, 0.0)
    deadline = started + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"virtuoso-t exited with {process.returncode}:\n{server.log()}")
        try:
            response = requests.get(
                server.query_url,
                params={"query": "ASK { }"},
                headers={"Accept": "application/sparql-results+json"},
                timeout=2,
            )
            if response.status_code == 200:
                server.start_seconds = time.monotonic() - started
                return server
        except requests.RequestException:
            pass
        time.sleep(0.25)
    server.stop()
    raise RuntimeError(f"virtuoso-t did not answer within {timeout:.0f} s:\n{server.log()}")
