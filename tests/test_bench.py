"""scripts/bench.py: runs end to end and reports every figure; behaviour only, never timings."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

SCRIPTS = Path(__file__).resolve().parent.parent / "scripts"


def _module() -> ModuleType:
    sys.path.insert(0, str(SCRIPTS))
    spec = importlib.util.spec_from_file_location("bench", SCRIPTS / "bench.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


bench = _module()


@pytest.fixture(scope="module")
def run() -> tuple[dict[str, Any], str]:
    proc = subprocess.run(
        [sys.executable, str(SCRIPTS / "bench.py"), "--documents", "2", "--json",
         "--repeat", "2", "--query-timeout", "3"],
        capture_output=True, text=True, check=False, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout), proc.stderr


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value >= 0


def test_prints_one_object_with_every_key(run: tuple[dict[str, Any], str]) -> None:
    result, _ = run
    assert set(bench.REQUIRED_KEYS) <= set(result)
    assert result["documents"] == 3  # two generated and the bundled article
    assert isinstance(result["claims"], int) and result["claims"] > 54
    assert isinstance(result["triples"], int) and result["triples"] > 2500
    for key in ("build_s", "raw_load_s", "ratio_load_vs_raw", "peak_rss_mb", "load_file_s",
                "load_parse_s", "build_dataset_s", "validate_s", "revalidate_s", "claims_per_s",
                "triples_per_s"):
        assert _number(result[key]), key
    assert set(result["load"]) == {"memory", "oxigraph"}
    assert all(_number(v) for v in result["load"].values())


def test_the_floor_of_the_stack_is_the_sum_of_its_parts(run: tuple[dict[str, Any], str]) -> None:
    result, _ = run
    parts = [result[k] for k in ("floor_read_s", "floor_terms_s", "floor_load_s")]
    assert all(_number(v) and v > 0 for v in parts)
    assert result["floor_build_and_load_s"] == pytest.approx(sum(parts), abs=1e-3)
    assert result["ratio_floor_vs_raw"] == pytest.approx(
        result["floor_build_and_load_s"] / result["raw_load_s"], rel=0.02)
    assert "floor: build + load" in bench.render_report([result])


def test_every_library_query_is_timed_per_store(run: tuple[dict[str, Any], str]) -> None:
    from graph.sparql.library import list_queries

    result, _ = run
    assert set(result["queries"]) == {q.name for q in list_queries()}
    timed = 0
    for name, entry in result["queries"].items():
        assert isinstance(entry["parameterized"], bool)
        timing = entry["oxigraph"]
        if timing is None:  # its child ran past --query-timeout (a busy machine): said why
            assert any(k.startswith(f"query {name} oxigraph") for k in result["notes"]), name
        else:
            assert _number(timing["p50_ms"]) and timing["p95_ms"] >= timing["p50_ms"], name
            assert _number(result["ratio_query_vs_raw"][name])
            timed += 1
        memory = entry["memory"]
        if memory is None:  # rdflib's engine may time out; it is said why, never faked
            assert any(k.startswith(f"query {name} memory") for k in result["notes"])
        else:
            assert memory["p95_ms"] >= memory["p50_ms"]
    assert timed >= len(result["queries"]) // 2  # a time-out is the exception, not the rule
    kinds = {e["parameterized"] for e in result["queries"].values()}
    assert kinds == {True, False}


def test_queries_about_one_thing_are_also_timed_with_a_new_value_each_call(
    run: tuple[dict[str, Any], str],
) -> None:
    from graph.sparql.library import get_query

    result, _ = run
    for name, entry in result["queries"].items():
        kinds = {p.type for p in get_query(name).params}
        if kinds & {"claim", "entity"}:  # two generated documents: too few documents to vary
            varied = entry["varied"]
            assert set(varied) == {"oxigraph"}, name  # rdflib's engine is too slow to vary
            assert _number(varied["oxigraph"]["p50_ms"]), name
        if not entry["parameterized"]:
            assert "varied" not in entry, name


def test_varied_values_are_different_and_spread() -> None:
    from graph.model.annotations import load_corpus

    corpus = load_corpus([Path(__file__).resolve().parent / "data" / "relay-corpus"])
    values = bench._varied_params(corpus, 4)  # 11 claims of 7 documents
    assert len(values["claim"]) == len(set(values["claim"])) == 4
    assert all("/" in v and "#" not in v for v in values["claim"])
    assert values["claim"] != sorted(k.replace("#", "/") for k in corpus.claims)[:4]  # spread
    assert len(values["document"]) == len(set(values["document"])) == 4


def test_analysis_and_views_are_measured_or_explained(run: tuple[dict[str, Any], str]) -> None:
    result, _ = run
    for key, note in (("analysis_s", "analysis"), ("views_s", "views")):
        if result[key] is None:
            assert note in result["notes"]
        else:
            assert _number(result[key])
    if result["views_s"] is not None:
        assert all(size > 0 for size in result["views_bytes"].values())


def test_piped_output_has_no_progress_bar(run: tuple[dict[str, Any], str]) -> None:
    _, stderr = run
    assert "━" not in stderr and "\x1b[" not in stderr


def test_table_and_report_render_from_results(run: tuple[dict[str, Any], str]) -> None:
    result, _ = run
    table = bench.render_table(result)
    assert f"{result['triples']:,} triples" in table and "reporting-chain" in table
    bigger = json.loads(json.dumps(result))
    bigger["triples"] *= 10
    bigger["build_s"] *= 10
    report = bench.render_report([bigger, result])
    line = next(row for row in report.splitlines() if row.startswith("| build total |"))
    assert line.rstrip(" |").endswith("1.00")  # ten times the triples, ten times the time


def test_growth_exponent_and_percentile() -> None:
    assert bench.growth_exponent(1_000, 2.0, 10_000, 20.0) == pytest.approx(1.0)
    assert bench.growth_exponent(1_000, 1.0, 10_000, 100.0) == pytest.approx(2.0)
    assert bench.growth_exponent(1_000, 0.0, 10_000, 1.0) is None
    assert bench.percentile([1.0, 2.0, 3.0, 4.0, 100.0], 95) == 100.0
    assert bench.percentile([1.0, 2.0, 3.0, 4.0, 100.0], 50) == 3.0


def test_ours_and_raw_are_timed_in_turn() -> None:
    """Alternating keeps drift (caches warming, other work) off one side; a fast query gets more
    pairs than ``repeat``, within the time allowed."""
    calls: list[str] = []
    mine, theirs = bench._paired_timings(lambda: calls.append("ours"),
                                         lambda: calls.append("raw"), 3, min_seconds=0.05)
    assert calls[:4] == ["ours", "raw", "ours", "raw"]
    assert calls[::2] == ["ours"] * (len(calls) // 2) and calls[1::2] == ["raw"] * (len(calls) // 2)
    assert mine["runs"] == theirs["runs"] == len(calls) // 2 > 3
    slow: list[str] = []
    mine, _ = bench._paired_timings(lambda: slow.append("ours"), lambda: slow.append("raw"), 3,
                                    min_seconds=0.0)
    assert mine["runs"] == 3 and len(slow) == 6 and mine["p50_ms"] <= mine["p95_ms"]


def test_the_ratio_is_taken_within_each_pair() -> None:
    """A stall on one side of one pair moves the ratio of the p50s, not the pairs' median."""
    delays = iter([0.004, 0.002, 0.006, 0.003, 0.005, 0.030])  # ours, raw; raw stalls in pair 3
    now = [0.0]  # a clock the timed calls advance: the test cannot depend on the machine's load

    def step() -> None:
        now[0] += next(delays)

    mine, theirs = bench._paired_timings(step, step, 3, min_seconds=0.0, clock=lambda: now[0])
    assert 1.7 < mine["pair_ratio"] < 2.3
    assert mine["p50_ms"] / theirs["p50_ms"] < 1.8  # what the ratio of p50s would have said
