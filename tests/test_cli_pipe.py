"""A reader that leaves early (``claimgraph paths c03 | head``) is not an error to report."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from graph.cli import EXIT_BROKEN_PIPE


def test_a_closed_pipe_is_a_quiet_exit(tmp_path: Path) -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before the first byte: every write fails with EPIPE
    try:
        done = subprocess.run(
            [sys.executable, "-m", "graph.cli", "query", "--list"],
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
            timeout=120,
            cwd=tmp_path,
        )
    finally:
        os.close(write_end)
    assert done.returncode == EXIT_BROKEN_PIPE, done.stderr
    assert done.stderr == "", done.stderr
