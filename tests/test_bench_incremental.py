"""scripts/bench_incremental.py: the documents it adds can be added, and its table."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import graph
from tests.conftest import load_script
from tests.test_incremental_build import _make_corpus


def _module() -> ModuleType:
    return load_script("bench_incremental")


def test_the_added_documents_leave_a_corpus_that_loads(tmp_path: Path) -> None:
    make = _make_corpus()
    files = make.generate_corpus(12, 1)
    later = _module()._leaves(files, 3)
    assert len(later) == 3
    base = {n: t for n, t in files.items() if n.rsplit(".", 1)[0] not in later}
    make.write_corpus(base, tmp_path / "corpus")
    assert len(graph.load_corpus([tmp_path / "corpus"]).files) == 9
    make.write_corpus({n: t for n, t in files.items() if n not in base}, tmp_path / "corpus")
    assert len(graph.load_corpus([tmp_path / "corpus"]).files) == 12


def test_the_table_has_a_column_per_size_and_growth() -> None:
    def run(documents: int, triples: int, scale: float) -> dict[str, object]:
        times = {k: scale for k in ("full_build_s", "full_load_s", "raw_load_s", "edit_build_s",
                                    "edit_load_s", "title_build_s", "title_load_s",
                                    "add_build_s", "add_load_s", "same_build_s")}
        ratios = {k: 1.0 for k in ("ratio_edit_build_vs_full_build",
                                   "ratio_edit_load_vs_full_build",
                                   "ratio_title_build_vs_full_build",
                                   "ratio_add_build_vs_full_build",
                                   "ratio_full_build_load_vs_raw")}
        return {"documents": documents, "triples": triples, "load_before": 1.0,
                "load_after": 2.0, **times, **ratios, "title_documents_made": 2,
                "edit_stages": {"write_s": scale}, "title_stages": {"findings_s": scale}}

    table = _module().render_incremental(
        {"runs": [run(10, 1000, 1.0), run(100, 10000, 10.0)]})
    assert "| 10 docs, 1,000 triples | 100 docs, 10,000 triples |" in table
    assert "| growth of full_build_s | — | 1.00 |" in table
    assert "| edit: write_s | 1.0 | 10.0 |" in table
    assert "| title: findings_s | 1.0 | 10.0 |" in table
    assert "| same_build_s | 1.0 | 10.0 |" in table
    assert "| growth of title_build_s | — | 1.00 |" in table
