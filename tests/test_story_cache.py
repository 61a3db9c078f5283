"""A build keeps the story of its corpus in its cache, by what the story is made from: the next
build with the same inputs takes it from there, and writes what a full build writes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from graph.model.annotations import load_corpus
from graph.pipeline.story_cache import decode_story, encode_story
from graph.story.inputs import story_inputs
from graph.story.model import compute_story
from tests.conftest import load_script
from tests.test_incremental_build import run_build, snapshot

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def twelve(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Twelve generated documents: clusters, copies and drift across outlets."""
    folder = tmp_path_factory.mktemp("twelve")
    make = load_script("make_corpus")
    make.write_corpus(make.generate_corpus(12, 5), folder)
    return folder


@pytest.mark.parametrize("name", ["story-selk", "story-relay-dropped", "twelve"])
def test_a_kept_story_reads_back_as_it_was_found(name: str, twelve: Path) -> None:
    corpus = load_corpus([twelve if name == "twelve" else DATA / name])
    story = compute_story(corpus)
    assert story.clusters  # a story with something in it
    docs, claims = story_inputs(corpus)
    kept = decode_story(encode_story(story), docs, claims)
    assert kept == story
    assert list(kept.claims) == list(story.claims)  # the same order, too
    assert encode_story(kept) == encode_story(story)


def _story_files(out: Path) -> list[Path]:
    return sorted((out / "cache" / "story").glob("*.json"))


def _set_in_first_claim(path: Path, key: str, value: str) -> None:
    """Give the annotation's first claim ``key: value``, in place of the one it has."""
    lines = path.read_text(encoding="utf-8").split("\n")
    i = next(i for i, line in enumerate(lines) if line.startswith("- id: c"))
    end = next((j for j in range(i + 1, len(lines)) if lines[j].startswith("- ")), len(lines))
    kept = [line for j, line in enumerate(lines)
            if not (i < j < end and line.startswith(f"  {key}: "))]
    kept.insert(i + 1, f"  {key}: {value}")
    path.write_text("\n".join(kept), encoding="utf-8")


def _full(corpus: Path, tmp_path: Path) -> dict[str, bytes]:
    full = tmp_path / "full"
    shutil.rmtree(full, ignore_errors=True)
    run_build(corpus, full, incremental=False)
    return snapshot(full)


def test_a_note_keeps_the_story_and_a_hedge_changes_it(twelve: Path, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(twelve, corpus)
    out = tmp_path / "out"
    run_build(corpus, out, incremental=True)
    [first] = _story_files(out)

    # A note is no input of the story: the same file, linked from the previous output.
    inode = first.stat().st_ino
    _set_in_first_claim(corpus / "doc-0004.yaml", "note", "checked against the archive")
    run_build(corpus, out, incremental=True)
    assert _story_files(out) == [first]
    assert first.stat().st_ino == inode
    assert snapshot(out) == _full(corpus, tmp_path)

    # A story file that no longer has its bytes is found again, and is the same.
    first.write_bytes(first.read_bytes().replace(b'"', b"'", 1))
    _set_in_first_claim(corpus / "doc-0004.yaml", "note", "and against the wire copy")
    run_build(corpus, out, incremental=True)
    assert snapshot(out) == _full(corpus, tmp_path)

    # A claim's hedge is: the story is found again, under another name.
    _set_in_first_claim(corpus / "doc-0002.yaml", "hedges", "[reportedly]")
    run_build(corpus, out, incremental=True)
    [second] = _story_files(out)
    assert second.name != first.name
    assert snapshot(out) == _full(corpus, tmp_path)
