"""Long runs show progress on a terminal and nothing when piped."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

RELAY = Path(__file__).parent / "data" / "relay-corpus"


def run_on_a_terminal(args: list[str]) -> str:
    """Run a command with a pseudo-terminal as its stdout and stderr; return what it drew."""
    controller, terminal = pty.openpty()
    process = subprocess.Popen(args, stdout=terminal, stderr=terminal, close_fds=True)
    os.close(terminal)
    drawn = b""
    while True:
        try:
            chunk = os.read(controller, 65536)
        except OSError:  # the terminal closed with the process
            break
        if not chunk:
            break
        drawn += chunk
    process.wait()
    os.close(controller)
    return drawn.decode("utf-8", "replace")


def build_command(tmp_path: Path) -> list[str]:
    """A build of the seven-document fixture corpus, long enough to draw a bar."""
    return [
        sys.executable,
        "-m",
        "graph.cli",
        "build",
        str(RELAY),
        "--no-views",
        "--out",
        str(tmp_path / "o"),
    ]


def test_build_draws_progress_on_a_terminal(tmp_path: Path) -> None:
    drawn = run_on_a_terminal(build_command(tmp_path))
    assert "built " in drawn
    assert "building the graph" in drawn or "reading annotations" in drawn


def test_build_is_quiet_when_piped(tmp_path: Path) -> None:
    done = subprocess.run(
        build_command(tmp_path),
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stderr == ""
    assert done.stdout.startswith("built ") and done.stdout.count("\n") == 1
