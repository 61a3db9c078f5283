"""The findings and the views are taken from the previous build when the projection they are
drawn from has not changed, and made again whenever it has or a previous file was altered."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from graph import pipeline
from graph.pipeline.outputs import extra_outputs
from graph.pipeline.run import Build
from tests.conftest import load_script


def build_into(corpus: Path, out: Path, *, incremental: bool = True) -> Build:
    result = pipeline.build([corpus], previous=out if incremental else None, jobs=1)
    findings, writers = extra_outputs(views=True)
    pipeline.write_build(result, out, findings=findings(result), writers=writers)
    return result


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    make = load_script("make_corpus")
    folder = tmp_path / "corpus"
    make.write_corpus(make.generate_corpus(3, 5), folder)
    return folder


def _set_first(path: Path, prefix: str, line: str) -> None:
    lines = path.read_text(encoding="utf-8").split("\n")
    i = next(i for i, text in enumerate(lines) if text.startswith(prefix))
    lines[i] = line
    path.write_text("\n".join(lines), encoding="utf-8")


def _add_note(path: Path) -> None:
    lines = path.read_text(encoding="utf-8").split("\n")
    i = next(i for i, text in enumerate(lines) if text.startswith("- id: c"))
    lines.insert(i + 1, "  note: checked against the recording")
    path.write_text("\n".join(lines), encoding="utf-8")


def _views(out: Path) -> dict[str, int]:
    """The views drawn from the projection (the story view is drawn from the story)."""
    return {p.name: p.stat().st_ino for p in (out / "views").glob("*.html")
            if p.name != "story.html"}


def test_a_note_reuses_the_findings_and_views_a_new_title_does_not(corpus: Path,
                                                                    tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = build_into(corpus, out)
    before = _views(out)
    derived = out / "cache" / "derived" / first.projection_digest
    assert before and (derived / "findings.md").is_file()

    _add_note(corpus / "doc-0003.yaml")  # a note is not read by any projection
    noted = build_into(corpus, out)
    assert noted.projection_digest == first.projection_digest
    assert _views(out) == before  # the same files, linked from the previous output
    full = tmp_path / "full"
    build_into(corpus, full, incremental=False)
    assert (out / "report.md").read_bytes() == (full / "report.md").read_bytes()

    _set_first(corpus / "doc-0003.yaml", "  title: ", "  title: 'A headline corrected'")
    retitled = build_into(corpus, out)
    assert retitled.projection_digest != first.projection_digest
    assert set(_views(out).values()).isdisjoint(before.values())  # drawn again
    shutil.rmtree(full)
    build_into(corpus, full, incremental=False)
    for name in ("report.md", "views/provenance.html", "views/entities.html"):
        assert (out / name).read_bytes() == (full / name).read_bytes(), name
    assert "A headline corrected" in (out / "views" / "provenance.html").read_text("utf-8")


def test_an_altered_view_or_findings_file_is_made_again(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = build_into(corpus, out)
    view = out / "views" / "provenance.html"
    expected = view.read_bytes()
    view.write_bytes(expected.replace(b"<body", b"<body data-altered"))
    recorded = out / "cache" / "derived" / first.projection_digest / "findings.md"
    recorded.write_text("## Findings\n\nnothing to see\n", encoding="utf-8")
    _add_note(corpus / "doc-0002.yaml")
    build_into(corpus, out)
    assert view.read_bytes() == expected
    assert "nothing to see" not in (out / "report.md").read_text(encoding="utf-8")
