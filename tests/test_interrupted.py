"""A build killed at any moment leaves the previous output as it was, or the new one whole."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from graph.pipeline.file_identity import IDENTITIES

EXAMPLE = Path(__file__).parent / "data" / "example"


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file's bytes but the record of the files' identities (the file system's inodes)."""
    return {name: p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and (name := str(p.relative_to(folder))) != IDENTITIES}


def build(*args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "graph.cli", "build", *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


@pytest.fixture(scope="module")
def references(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[dict[str, bytes], dict[str, bytes], float]:
    base = tmp_path_factory.mktemp("refs")
    assert build(str(EXAMPLE), "--out", str(base / "old")).wait() == 0
    started = time.monotonic()
    assert build("--out", str(base / "new")).wait() == 0
    return snapshot(base / "old"), snapshot(base / "new"), time.monotonic() - started


@pytest.mark.slow
@pytest.mark.parametrize("fraction", [0.2, 0.45, 0.6, 0.75, 0.9, 0.97])
def test_kill_at_any_moment_leaves_old_or_new(
    tmp_path: Path, references: tuple[dict[str, bytes], dict[str, bytes], float], fraction: float
) -> None:
    old, new, duration = references
    out = tmp_path / "out"
    assert build(str(EXAMPLE), "--out", str(out)).wait() == 0
    process = build("--out", str(out))
    time.sleep(duration * fraction)
    process.send_signal(signal.SIGKILL)
    process.wait()
    state = snapshot(out)
    assert state in (old, new), sorted(state)
    # The next build repairs whatever a kill left beside the output and completes.
    assert build("--out", str(out)).wait() == 0
    assert snapshot(out) == new
    assert sorted(os.listdir(tmp_path)) == ["out"]
