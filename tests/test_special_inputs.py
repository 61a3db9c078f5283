"""Special files given where a regular file belongs: refused at once, by name, never read.

``stat`` says 0 bytes for ``/dev/zero`` and a FIFO, so a size check alone lets them through: the
first is read until memory runs out, the second waits for a writer forever. Each case runs the
real command in a subprocess with a timeout (a hang fails the test instead of stalling the
suite) and an address-space limit (reading ``/dev/zero`` fails fast instead of taking the
machine's memory).
"""

from __future__ import annotations

import hashlib
import os
import resource
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from graph.errors import InputError

EXAMPLE = Path(__file__).parent / "data" / "example"
TIMEOUT = 60  # seconds; the refusal itself takes as long as the command's start
MEMORY = 3 * 1024**3  # bytes of address space for the command


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def claimgraph(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "graph.cli", *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=TIMEOUT,
        cwd=cwd,
        preexec_fn=_limit_memory,
    )


def refused(done: subprocess.CompletedProcess[str], name: str, kind: str) -> None:
    """One line naming the file and what it is, exit code 2, nothing written."""
    assert done.returncode == InputError.exit_code, done.stderr
    assert done.stderr.count("\n") == 1, done.stderr
    assert name in done.stderr and kind in done.stderr, done.stderr
    assert "not a regular file" in done.stderr, done.stderr
    assert done.stdout == ""


def fifo(path: Path) -> Path:
    os.mkfifo(path)
    return path


def device(path: Path) -> Path:
    path.symlink_to("/dev/zero")
    return path


SPECIALS: list[tuple[str, Callable[[Path], Path], str]] = [
    ("fifo", fifo, "FIFO"),
    ("zero", device, "character device"),
]


@pytest.mark.parametrize(("label", "make", "kind"), SPECIALS, ids=[s[0] for s in SPECIALS])
def test_special_file_as_the_article_text(
    tmp_path: Path, label: str, make: Callable[[Path], Path], kind: str
) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(EXAMPLE, corpus)
    yaml_file = corpus / "interview.yaml"
    text = yaml_file.read_text(encoding="utf-8")
    sha = hashlib.sha256((EXAMPLE / "interview.txt").read_bytes()).hexdigest()
    assert "text: interview.txt" in text and sha in text
    yaml_file.write_text(text.replace("text: interview.txt", f"text: {label}.txt"), "utf-8")
    make(corpus / f"{label}.txt")
    done = claimgraph("build", "corpus", "--no-views", "--out", "out", cwd=tmp_path)
    refused(done, f"{label}.txt", kind)
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(("label", "make", "kind"), SPECIALS, ids=[s[0] for s in SPECIALS])
def test_special_file_as_the_annotation_file(
    tmp_path: Path, label: str, make: Callable[[Path], Path], kind: str
) -> None:
    make(tmp_path / f"{label}.yaml")
    done = claimgraph("build", f"{label}.yaml", "--no-views", "--out", "out", cwd=tmp_path)
    refused(done, f"{label}.yaml", kind)


@pytest.mark.parametrize(("label", "make", "kind"), SPECIALS, ids=[s[0] for s in SPECIALS])
def test_special_file_among_a_folders_annotation_files(
    tmp_path: Path, label: str, make: Callable[[Path], Path], kind: str
) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(EXAMPLE, corpus)
    make(corpus / f"{label}.yaml")
    done = claimgraph("build", "corpus", "--no-views", "--out", "out", cwd=tmp_path)
    refused(done, f"{label}.yaml", kind)


@pytest.mark.parametrize(("label", "make", "kind"), SPECIALS, ids=[s[0] for s in SPECIALS])
@pytest.mark.parametrize("suffix", [".nt", ".ttl", ".jsonld"])
def test_special_file_as_the_rdf_input_to_validate(
    tmp_path: Path, label: str, make: Callable[[Path], Path], kind: str, suffix: str
) -> None:
    make(tmp_path / f"{label}{suffix}")
    done = claimgraph("validate", f"{label}{suffix}", cwd=tmp_path)
    refused(done, f"{label}{suffix}", kind)


@pytest.mark.parametrize(("label", "make", "kind"), SPECIALS, ids=[s[0] for s in SPECIALS])
@pytest.mark.parametrize("suffix", [".nq", ".jsonld"])
def test_special_file_as_the_rdf_input_to_load(
    tmp_path: Path, label: str, make: Callable[[Path], Path], kind: str, suffix: str
) -> None:
    make(tmp_path / f"{label}{suffix}")
    done = claimgraph("load", f"{label}{suffix}", "--store", "oxigraph:store", cwd=tmp_path)
    refused(done, f"{label}{suffix}", kind)


def test_a_folder_given_as_a_text_is_refused_by_name(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(EXAMPLE, corpus)
    yaml_file = corpus / "interview.yaml"
    text = yaml_file.read_text(encoding="utf-8")
    yaml_file.write_text(text.replace("text: interview.txt", "text: sub"), "utf-8")
    (corpus / "sub").mkdir()
    done = claimgraph("build", "corpus", "--no-views", "--out", "out", cwd=tmp_path)
    refused(done, "sub", "a folder")


@pytest.mark.parametrize(("label", "make", "kind"), SPECIALS, ids=[s[0] for s in SPECIALS])
def test_special_file_as_a_query_file(
    tmp_path: Path, label: str, make: Callable[[Path], Path], kind: str
) -> None:
    query = make(tmp_path / "mine.rq")
    refused(claimgraph("query", str(query), cwd=tmp_path), "mine.rq", kind)
