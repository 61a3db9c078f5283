"""scripts/bench_story.py runs end to end and reports every stage; behaviour only, never timings."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "bench_story.py"


def test_reports_each_size_and_stage() -> None:
    proc = subprocess.run(
        [sys.executable, str(SCRIPT), "--documents", "6,3", "--json"],
        capture_output=True, text=True, check=False, timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    runs = json.loads(proc.stdout)["runs"]
    assert [r["documents"] for r in runs] == [3, 6]
    for r in runs:
        stages = [r[k] for k in ("inputs_s", "align_s", "copies_s", "drift_s")]
        assert all(t >= 0 for t in stages)
        assert abs(r["story_s"] - sum(stages)) < 0.01
        assert r["claims"] > 0 and r["clusters"] > 0


def test_refuses_a_size_below_two() -> None:
    proc = subprocess.run([sys.executable, str(SCRIPT), "--documents", "1"],
                          capture_output=True, text=True, check=False, timeout=60)
    assert proc.returncode == 2 and "at least 2" in proc.stderr
