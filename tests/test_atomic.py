"""`replace_directory`: what a killed replace leaves is repaired, and nothing else is touched."""

from __future__ import annotations

import fcntl
from pathlib import Path

import pytest

from graph.support.atomic import replace_directory


def work_folder(parent: Path, suffix: str = "abcdefgh") -> Path:
    """A work folder as a replace of ``parent/out`` makes it (name pattern and marker)."""
    work = parent / f".out.claimgraph-{suffix}"
    work.mkdir()
    (work / "claimgraph-temporary").write_text("a claimgraph write\n", encoding="utf-8")
    return work


def test_a_swap_killed_between_its_two_renames_gets_the_previous_folder_back(
    tmp_path: Path,
) -> None:
    work = work_folder(tmp_path)
    (work / "old").mkdir()
    (work / "old" / "report.md").write_text("previous\n", encoding="utf-8")
    target = tmp_path / "out"
    seen = {}
    with replace_directory(target) as staging:
        seen = {p.name: p.read_text(encoding="utf-8") for p in target.iterdir()}
        (staging / "report.md").write_text("new\n", encoding="utf-8")
    assert seen == {"report.md": "previous\n"}
    assert (target / "report.md").read_text(encoding="utf-8") == "new\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_a_running_replaces_work_folder_is_left_alone(tmp_path: Path) -> None:
    work = work_folder(tmp_path)
    (work / "new").mkdir()
    with open(work / "claimgraph-temporary", "rb") as marker:
        fcntl.flock(marker, fcntl.LOCK_EX)  # as the replace that made it holds it
        with replace_directory(tmp_path / "out") as staging:
            (staging / "a.txt").write_text("a\n", encoding="utf-8")
        assert (work / "new").is_dir()
    with replace_directory(tmp_path / "out") as staging:  # once it is gone, it is cleaned up
        (staging / "b.txt").write_text("b\n", encoding="utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_only_work_folders_are_removed(tmp_path: Path) -> None:
    kept = {
        ".out.claimgraph-abcdefgh": "no marker inside",
        ".out.claimgraph-toolong12345": "not the name pattern",
        ".out.new-abcdefgh": "an older version's name",
        ".out.old-abcdefgh": "an older version's name",
    }
    for name, why in kept.items():
        (tmp_path / name).mkdir()
        (tmp_path / name / "mine.txt").write_text(why, encoding="utf-8")
    (tmp_path / ".out.claimgraph-12345678").write_text("a file, not a folder", encoding="utf-8")
    (tmp_path / ".out.claimgraph-emptyyy1").mkdir()  # killed before its marker: empty, removed
    with replace_directory(tmp_path / "out") as staging:
        (staging / "a.txt").write_text("a\n", encoding="utf-8")
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == sorted([*kept, ".out.claimgraph-12345678", "out"])
    for name, why in kept.items():
        assert (tmp_path / name / "mine.txt").read_text(encoding="utf-8") == why


def test_a_refusing_check_changes_nothing(tmp_path: Path) -> None:
    target = tmp_path / "missing-parent" / "out"

    def refuse(_: Path) -> None:
        raise PermissionError("no")

    with pytest.raises(PermissionError), replace_directory(target, check=refuse):
        pytest.fail("the block must not run")
    assert list(tmp_path.iterdir()) == []
