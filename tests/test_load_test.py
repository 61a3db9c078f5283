"""scripts/load_test.py end to end: its own endpoint, a short loaded run, one JSON report."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest
from conftest import ROOT

from graph.sparql.library import list_queries

sys.path.insert(0, str(ROOT / "scripts"))
import load_test

CLASS_KEYS = {"requests", "p50_ms", "p95_ms", "max_ms", "clients_waiting", "ok", "timeouts",
              "refusals", "errors", "statuses"}
TOP_KEYS = {"config", "machine", "requests", "duration_s", "requests_per_s", "errors", "timeouts",
            "refusals", "classes", "error_samples", "unloaded", "library_ratios", "max_ratio",
            "baseline", "baseline_ratios", "baseline_ratio", "memory", "targets", "load_average"}
TARGETS = {"no_errors", "pathological_stopped", "library_within_2x",
           "library_within_2x_of_baseline", "memory_bounded"}


@pytest.fixture(scope="module")
def report() -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "load_test.py"), "--clients", "2", "--seconds",
         "3", "--json", "--repeats", "2"],
        capture_output=True, text=True, cwd=ROOT, timeout=120,
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout)
    return result


@pytest.mark.slow
def test_the_report_has_every_documented_key(report: dict[str, Any]) -> None:
    assert set(report) == TOP_KEYS
    assert set(report["classes"]) == {"library", "pathological", "refused"}
    for cls in report["classes"].values():
        assert set(cls) == CLASS_KEYS
    assert set(report["machine"]) >= {"nproc", "mem_total_mb", "python"}
    assert set(report["unloaded"]) == {"requests", "p50_ms", "p95_ms", "errors"}
    assert set(report["targets"]) == TARGETS
    for target in report["targets"].values():
        assert set(target) == {"met", "detail"} and isinstance(target["detail"], str)
    assert set(report["memory"]) >= {"measured", "peak_total_kb", "peak_pss_kb", "bounded",
                                     "budget_kb"}
    if report["memory"]["measured"]:  # shared pages counted once: never above the VmHWM sum
        assert 0 < report["memory"]["peak_pss_kb"] <= report["memory"]["peak_total_kb"]
    names = {q.name for q in list_queries()}
    assert set(report["library_ratios"]) == names
    for row in report["library_ratios"].values():
        assert set(row) == {"unloaded_p95_ms", "loaded_p95_ms", "loaded_requests", "ratio"}
    assert set(report["baseline"]) == {"requests", "duration_s", "requests_per_s", "errors",
                                       "p50_ms", "p95_ms", "max_ms", "error_samples"}
    assert set(report["baseline_ratios"]) == names
    for row in report["baseline_ratios"].values():
        assert set(row) == {"baseline_p95_ms", "loaded_p95_ms", "baseline_requests",
                            "loaded_requests", "ratio"}
    assert {"slow_lane", "baseline", "engine"} <= set(report["config"])
    assert len(report["load_average"]) == 3


@pytest.mark.slow
def test_the_run_counts_what_happened(report: dict[str, Any]) -> None:
    assert report["errors"] == 0, report["error_samples"]
    assert report["unloaded"]["errors"] == 0
    assert report["refusals"] >= 1 and report["classes"]["refused"]["refusals"] >= 1
    assert report["timeouts"] >= 1 and report["classes"]["pathological"]["timeouts"] >= 1
    assert report["requests"] == sum(c["requests"] for c in report["classes"].values())
    assert report["unloaded"]["requests"] == 2 * 2 * len(report["library_ratios"])
    assert report["memory"]["measured"] is True and report["memory"]["peak_total_kb"] > 0
    assert report["memory"]["max_live_workers"] <= (report["config"]["workers"]
                                                    + report["config"]["slow_lane"])
    assert report["targets"]["no_errors"]["met"] is True
    assert report["config"]["url"].startswith("http://127.0.0.1:")


@pytest.mark.slow
def test_the_library_only_phase_is_the_baseline(report: dict[str, Any]) -> None:
    baseline = report["baseline"]
    assert report["config"]["baseline"] is True and report["config"]["slow_lane"] == 4
    assert baseline["errors"] == 0, baseline["error_samples"]
    assert baseline["requests"] == sum(r["baseline_requests"]
                                       for r in report["baseline_ratios"].values())
    assert report["classes"]["library"]["requests"] == sum(
        r["loaded_requests"] for r in report["baseline_ratios"].values())
    mixed = report["classes"]["library"]["p95_ms"]
    assert report["baseline_ratio"] == round(mixed / baseline["p95_ms"], 2)
    target = report["targets"]["library_within_2x_of_baseline"]
    assert target["met"] is (report["baseline_ratio"] <= 2)
    assert f"{report['baseline_ratio']:.2f}" in target["detail"]


def test_targets_without_a_baseline_and_the_slow_lane_in_the_worker_count() -> None:
    samples = [load_test.Sample("library", "q via /sparql", 200, 0.01),
               load_test.Sample("pathological", "deep-path", 503, 2.0)]
    summary = load_test.summarise(samples, 1.0)
    memory = load_test.memory_summary([(0.0, 100, 200, 4)], 2, 1.0, slow_lane=2)
    assert memory["bounded"] is True
    assert load_test.memory_summary([(0.0, 100, 200, 4)], 2, 1.0)["bounded"] is False
    out = load_test.targets(summary, {}, memory, 2.0)
    assert out["library_within_2x_of_baseline"]["met"] is None
    assert out["no_errors"]["met"] is True
    baseline = load_test.summarise(
        [load_test.Sample("library", "q via /queries", 200, 0.004),
         load_test.Sample("library", "q via /queries", 503, 0.004)], 1.0)
    out = load_test.targets(summary, {}, memory, 2.0, baseline)
    assert out["library_within_2x_of_baseline"]["met"] is False  # 10 ms against 4 ms: 2.5x
    assert out["no_errors"]["met"] is False and "1 in the library-only phase" in (
        out["no_errors"]["detail"])


def test_percentile_and_summary() -> None:
    assert load_test.percentile([3, 1, 2], 0) == 1
    assert load_test.percentile([3, 1, 2], 100) == 3
    assert load_test.percentile(range(101), 95) == 95
    with pytest.raises(ValueError):
        load_test.percentile([1], 101)
    samples = [
        load_test.Sample("library", "q via /sparql", 200, 0.01),
        load_test.Sample("library", "q via /queries", 503, 2.0, detail="every worker is busy"),
        load_test.Sample("pathological", "cartesian-4", 400, 0.9),
        load_test.Sample("refused", "load", 403, 0.01),
        load_test.Sample("refused", "load", 500, 0.01),
        load_test.Sample("refused", "service", None, 0.01, detail="ConnectionResetError"),
    ]
    out = load_test.summarise(samples, 3.0)
    assert (out["errors"], out["timeouts"], out["refusals"]) == (3, 0, 2)
    assert out["classes"]["refused"]["statuses"] == {"403": 1, "500": 1, "none": 1}
    assert [e["status"] for e in out["error_samples"]] == [503, 500, None]
    assert load_test.summarise([], 1.0)["classes"]["library"]["p95_ms"] is None


def test_only_loopback_endpoints() -> None:
    for url in ("http://10.0.0.1:8000/", "https://127.0.0.1/", "http://example.org/",
                "http://127.0.0.1.example.org/", "ftp://127.0.0.1/"):
        with pytest.raises(ValueError):
            load_test.check_loopback(url)
    assert load_test.check_loopback("http://[::1]:9/") == ("::1", 9)
    with pytest.raises(SystemExit):
        load_test.main(["--url", "http://192.0.2.1:8000/"])


def test_the_script_doctests() -> None:
    import doctest

    failures, tried = doctest.testmod(load_test)
    assert tried > 5 and failures == 0


@pytest.mark.slow
def test_the_comparison_with_oxigraphs_server_runs_both_on_one_store() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "load_test.py"), "--compare-oxigraph",
         "--clients", "2", "--seconds", "1", "--json"],
        capture_output=True, text=True, cwd=ROOT, timeout=180,
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert set(report["workloads"]) == {"direct-quotes", "path", "library", load_test.FRESH}
    for row in report["workloads"].values():
        for server in load_test.SERVERS:  # the pool, Oxigraph's server behind ours, and alone
            assert row[server]["errors"] == 0, (server, row[server]["error_samples"])
            assert row[server]["requests"] > 0
            assert set(row[server]["cpu_us_per_request"]) == {"front", "children"}
        assert row["oxigraph"]["cpu_us_per_request"]["children"] == 0  # it forks nothing
        for ours in ("claimgraph", "claimgraph-oxigraph"):
            assert row[ours]["share"] == round(row[ours]["requests_per_s"]
                                               / row["oxigraph"]["requests_per_s"], 2)
        assert row["share"] == row["claimgraph"]["share"]
    assert len(report["load_average"]) == len(report["load_average_after"]) == 3
    assert "share of Oxigraph's throughput" in load_test.render_compare(report)
