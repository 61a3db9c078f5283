"""An incremental build writes what a full build of the same inputs writes, byte for byte, and
reads again only what changed; its cache is used only where it matches."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import ModuleType

import pytest
from rdflib import Dataset

from graph import pipeline
from graph.pipeline.file_identity import IDENTITIES
from graph.pipeline.outputs import extra_outputs
from graph.pipeline.run import Build
from graph.rdf.export_parts import unit_key, unit_nquads, units_of
from graph.rdf.vocab import ONTOLOGY_GRAPH
from tests.conftest import load_script


def unit_nquads_of(ds: Dataset) -> list[str]:
    return [line for names in units_of(ds).values() for line in unit_nquads(ds, names)]


def _make_corpus() -> ModuleType:
    return load_script("make_corpus")


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file's bytes but the record of the files' identities (inodes and times: the file
    system's, not the inputs')."""
    return {name: p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and (name := str(p.relative_to(folder))) != IDENTITIES}


def run_build(corpus: Path, out: Path, *, incremental: bool, views: bool = False,
              jobs: int = 1) -> Build:
    result = pipeline.build([corpus], previous=out if incremental else None, jobs=jobs)
    findings, writers = extra_outputs(views=views)
    pipeline.write_build(result, out, findings=findings(result), writers=writers)
    return result


def _corpus_of(generated: Path, folder: Path, docs: list[str]) -> Path:
    folder.mkdir()
    for doc in docs:
        for suffix in (".yaml", ".txt"):
            shutil.copy(generated / f"{doc}{suffix}", folder / f"{doc}{suffix}")
    return folder


def _retitle(path: Path, title: str) -> None:
    lines = path.read_text(encoding="utf-8").split("\n")
    i = next(i for i, line in enumerate(lines) if line.startswith("  title: "))
    lines[i] = f"  title: '{title}'"
    path.write_text("\n".join(lines), encoding="utf-8")


def test_incremental_equals_full_over_a_sequence_of_edits(generated: Path, tmp_path: Path
                                                          ) -> None:
    corpus = _corpus_of(generated, tmp_path / "corpus",
                        ["doc-0001", "doc-0002", "doc-0003", "doc-0004"])
    out = tmp_path / "out"
    first = run_build(corpus, out, incremental=True, views=True)
    assert first.documents_read() == 4  # nothing to reuse yet

    def step(expected_read: int) -> Build:
        result = run_build(corpus, out, incremental=True, views=True)
        full = tmp_path / "full"
        shutil.rmtree(full, ignore_errors=True)
        run_build(corpus, full, incremental=False, views=True)
        assert snapshot(out) == snapshot(full)
        assert result.documents_read() == expected_read
        # The export files were the previous build's, edited, not composed from every part.
        assert result.cache is not None and result.cache.exports_edited
        return result

    # Added: only the new document is read.
    for suffix in (".yaml", ".txt"):
        shutil.copy(generated / f"doc-0005{suffix}", corpus / f"doc-0005{suffix}")
    added = step(1)
    assert added.cache is not None and "doc-0005" not in added.cache.reused

    # Edited: one document read; the documents that cite or relay it are built again too.
    _retitle(corpus / "doc-0001.yaml", "A corrected headline")
    edited = step(1)
    assert edited.cache is not None
    dependents = {f.document.id for f in edited.corpus.files
                  if any(r.startswith("doc-0001") for c in f.claims for r in c.relayed_from)}
    assert "doc-0001" not in edited.cache.reused
    assert not dependents & set(edited.cache.reused)
    assert "doc-0003" in edited.cache.reused or "doc-0003" in dependents
    # Only what had to be made again was built; the whole dataset, when asked, is the full one's.
    assert not edited.complete
    made = {unit_key(str(g.identifier)) for g in edited.graphs.graphs() if len(g)}
    to_build = edited.cache.to_build(edited.corpus)
    assert to_build is not None
    assert made <= to_build | {str(ONTOLOGY_GRAPH)}
    whole = pipeline.build([corpus], jobs=1)
    assert sorted(unit_nquads_of(edited.dataset)) == sorted(unit_nquads_of(whole.dataset))

    # Renamed: nothing is read again.
    (corpus / "doc-0003.yaml").rename(corpus / "renamed-0003.yaml")
    renamed = step(0)
    assert renamed.cache is not None and "doc-0003" in renamed.cache.reused
    # Nothing changed: no document's graphs were built at all.
    assert {unit_key(str(g.identifier)) for g in renamed.graphs.graphs() if len(g)} <= {
        str(ONTOLOGY_GRAPH)}

    # Removed: nothing is read; its graphs and cache files are gone.
    (corpus / "doc-0005.yaml").unlink()
    step(0)
    assert "doc-0005" not in (out / "graph.nq").read_text(encoding="utf-8")


def test_jobs_do_not_change_the_result(generated: Path, tmp_path: Path) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    run_build(generated, one, incremental=False, jobs=1)
    run_build(generated, two, incremental=False, jobs=2)
    assert snapshot(one) == snapshot(two)


def test_a_new_claimgraph_version_invalidates_the_cache(
    generated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    run_build(generated, out, incremental=False)
    before = snapshot(out)
    assert run_build(generated, out, incremental=True).documents_read() == 0
    monkeypatch.setattr("graph.pipeline.run.claimgraph_version", lambda: "99.0")
    result = run_build(generated, out, incremental=True)
    assert result.documents_read() == 5
    assert result.cache is not None and result.cache.reused == {}
    after = snapshot(out)
    # Only the manifest (version and cache context) and the cache's context-bound parts differ.
    changed = {name for name in before if before[name] != after.get(name)}
    assert "claimgraph-build.json" in changed
    assert {name for name in changed if name.startswith("graph.")} == set()


def test_a_changed_ontology_invalidates_the_cache(
    generated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from graph.rdf.ontology_files import ontology_path

    out = tmp_path / "out"
    run_build(generated, out, incremental=False)
    edited = tmp_path / "claimgraph.ttl"
    edited.write_bytes(ontology_path().read_bytes() + b"\n# a new comment\n")
    monkeypatch.setattr("graph.pipeline.cache.ontology_path", lambda: edited)
    result = run_build(generated, out, incremental=True)
    assert result.documents_read() == 5
    assert result.cache is not None and result.cache.reused == {}


def test_a_tampered_cache_file_is_not_trusted(generated: Path, tmp_path: Path) -> None:
    out, full = tmp_path / "out", tmp_path / "full"
    run_build(generated, out, incremental=False)
    reference = snapshot(out)
    part = next((out / "cache" / "parts").glob("*/graph.nq"))
    part.write_text(part.read_text(encoding="utf-8").replace("doc-", "dox-"), encoding="utf-8")
    record = next((out / "cache" / "records").glob("*.json"))
    record.write_text(record.read_text(encoding="utf-8").replace("doc-", "dox-"),
                      encoding="utf-8")
    result = run_build(generated, out, incremental=True)
    assert result.documents_read() == 1  # the document whose records were changed
    assert result.cache is not None and len(result.cache.reused) < 7
    run_build(generated, full, incremental=False)
    assert snapshot(out) == snapshot(full) == reference


def test_an_export_file_changed_since_its_build_is_composed_again(
    generated: Path, tmp_path: Path
) -> None:
    corpus = shutil.copytree(generated, tmp_path / "corpus")
    out, full = tmp_path / "out", tmp_path / "full"
    run_build(corpus, out, incremental=False)
    trig = out / "graph.trig"
    text = trig.read_text(encoding="utf-8")
    trig.write_text(text.replace("doc-0002", "doc-0009", 1), encoding="utf-8")  # same size
    _retitle(corpus / "doc-0004.yaml", "Another corrected headline")
    result = run_build(corpus, out, incremental=True)
    assert result.cache is not None and not result.cache.exports_edited
    run_build(corpus, full, incremental=False)
    assert snapshot(out) == snapshot(full)


def test_a_changed_text_is_still_refused(generated: Path, tmp_path: Path) -> None:
    from graph.errors import TextMismatchError

    corpus = shutil.copytree(generated, tmp_path / "corpus")
    out = tmp_path / "out"
    run_build(corpus, out, incremental=False)
    text = corpus / "doc-0002.txt"
    text.write_text(text.read_text(encoding="utf-8") + " More.", encoding="utf-8")
    before = snapshot(out)
    with pytest.raises(TextMismatchError):
        run_build(corpus, out, incremental=True)
    assert snapshot(out) == before


def _cli_build(*args: str) -> subprocess.Popen[bytes]:
    # One hash seed for every run: the report lists the first relay cycles networkx finds, in an
    # order that follows string hashing.
    env = {**os.environ, "PYTHONHASHSEED": "0", "CLAIMGRAPH_CACHE_DIR": "off"}
    return subprocess.Popen([sys.executable, "-m", "graph.cli", "build", *args, "--no-views"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)


def _processes_naming(out: Path, wait: float = 5.0) -> list[int]:
    """The processes whose command line names ``out`` that are still alive after ``wait`` s."""
    deadline = time.monotonic() + wait
    while True:
        alive = []
        for entry in Path("/proc").iterdir():
            try:
                command = (entry / "cmdline").read_bytes()
                state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
            except (OSError, IndexError):
                continue
            if str(out).encode() in command and state != "Z":
                alive.append(int(entry.name))
        if not alive or time.monotonic() > deadline:
            return alive
        time.sleep(0.1)


@pytest.mark.slow
def test_a_killed_incremental_build_leaves_the_previous_output_whole(
    generated: Path, tmp_path: Path
) -> None:
    corpus = shutil.copytree(generated, tmp_path / "corpus")
    old_out, new_out = tmp_path / "old", tmp_path / "new"
    assert _cli_build(str(corpus), "--out", str(old_out)).wait() == 0
    old = snapshot(old_out)
    _retitle(corpus / "doc-0004.yaml", "A corrected headline")
    shutil.copytree(old_out, new_out)
    started = time.monotonic()
    assert _cli_build(str(corpus), "--out", str(new_out)).wait() == 0
    duration = time.monotonic() - started
    new = snapshot(new_out)
    assert new != old
    for fraction in (0.4, 0.8, 0.95):
        out = tmp_path / f"out-{fraction}"
        shutil.copytree(old_out, out)
        process = _cli_build(str(corpus), "--out", str(out))
        time.sleep(duration * fraction)
        process.send_signal(signal.SIGKILL)
        process.wait()
        assert snapshot(out) in (old, new)
        # The next build repairs what the kill left beside the output, and reuses the cache.
        assert _cli_build(str(corpus), "--out", str(out)).wait() == 0
        assert snapshot(out) == new
        shutil.rmtree(out)


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == pid:
            found.append(int(entry.name))
    return found


def test_a_killed_builds_workers_end_with_it(generated: Path, tmp_path: Path) -> None:
    """SIGKILL a build while its forked workers run: none of them is left waiting for work (a
    worker holds its own copy of the pipes to its parent, so it never saw them close)."""
    out = tmp_path / "out"
    process = _cli_build(str(generated), "--out", str(out), "--full", "--jobs", "2")
    deadline = time.monotonic() + 120
    while not _children(process.pid):
        assert process.poll() is None, "the build ended before it started a worker"
        assert time.monotonic() < deadline
        time.sleep(0.005)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert _processes_naming(out) == [], "workers outlived the killed build"


def test_a_part_with_line_separators_in_a_literal_is_reused_whole(tmp_path: Path) -> None:
    """A text from a PDF holds form feeds and Unicode line separators raw in N-Quads: a cached
    part is split into lines at "\\n" only, so it is reused as it was written."""
    corpus = tmp_path / "corpus"
    shutil.copytree(Path(__file__).parent / "data" / "example", corpus)
    text = next(p for p in corpus.iterdir() if p.suffix == ".txt")
    before = hashlib.sha256(text.read_bytes()).hexdigest()
    with text.open("a", encoding="utf-8") as out:
        out.write("\f\u2028\u2029\x85\x0b\x1c page two")  # after every claim: no offset moves
    annotation = corpus / "interview.yaml"
    annotation.write_text(annotation.read_text(encoding="utf-8").replace(
        before, hashlib.sha256(text.read_bytes()).hexdigest()), encoding="utf-8")
    first = run_build(corpus, tmp_path / "out", incremental=True)
    again = run_build(corpus, tmp_path / "out", incremental=True)
    assert first.documents_read() == 1 and again.documents_read() == 0
    assert again.cache is not None and len(again.cache.reused) == len(again.cache.keys)
    run_build(corpus, tmp_path / "full", incremental=False)
    assert snapshot(tmp_path / "out") == snapshot(tmp_path / "full")
    assert "\f\u2028\u2029\x85\x0b\x1c page two" in (tmp_path / "out" / "graph.nq").read_text(
        encoding="utf-8")
