"""`build --out` replaces only what a build wrote: never an input, never a user's folder or file."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import graph
from graph.errors import OutputRefusedError
from graph.pipeline.manifest import MANIFEST_NAME, check_output_folder

EXAMPLE = Path(__file__).parent / "data" / "example"


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """The installed console script, as a user runs it."""
    script = Path(sys.executable).parent / "claimgraph"
    return subprocess.run([str(script), *args], capture_output=True, text=True, check=False,
                          cwd=cwd)


def snapshot(folder: Path) -> dict[str, bytes | str]:
    """Every entry under ``folder``, hidden ones too: a file's bytes, a link's target, a folder."""
    state: dict[str, bytes | str] = {}
    for root, dirs, files in os.walk(folder, followlinks=False):
        for name in [*dirs, *files]:
            path = Path(root) / name
            key = str(path.relative_to(folder))
            if path.is_symlink():
                state[key] = "-> " + os.readlink(path)
            elif path.is_dir():
                state[key] = "folder"
            else:
                state[key] = path.read_bytes()
    return state


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """A user's folder: an article with its annotation file and notes, and an unrelated folder."""
    shutil.copytree(EXAMPLE, tmp_path / "my-article")
    (tmp_path / "my-article" / "notes.txt").write_text("my notes\n", encoding="utf-8")
    (tmp_path / "some-folder").mkdir()
    (tmp_path / "some-folder" / "thesis.md").write_bytes(b"# chapter 1\n")
    (tmp_path / "link-to-article").symlink_to(tmp_path / "my-article")
    return tmp_path


def assert_refused(done: subprocess.CompletedProcess[str], *words: str) -> None:
    assert done.returncode == OutputRefusedError.exit_code == 13, done.stderr
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr, done.stderr
    assert done.stderr.startswith("claimgraph: error: ")
    for word in words:
        assert word in done.stderr, done.stderr


@pytest.mark.parametrize(
    ("out", "words"),
    [
        ("my-article", ["is an input folder"]),
        ("link-to-article", ["is an input folder"]),  # the same folder through a symbolic link
        (".", ["holds the input folder my-article"]),
        ("my-article/out", ["inside the input folder my-article"]),
        ("some-folder", ["not a claimgraph build output", "thesis.md"]),
    ],
)
def test_build_refuses_an_input_or_a_users_folder_and_leaves_it_byte_identical(
    workspace: Path, out: str, words: list[str]
) -> None:
    before = snapshot(workspace)
    done = run("build", "my-article", "--out", out, "--no-views", cwd=workspace)
    assert_refused(done, *words)
    assert snapshot(workspace) == before


def test_build_given_an_annotation_file_refuses_the_folder_holding_it(workspace: Path) -> None:
    before = snapshot(workspace)
    done = run("build", "my-article/interview.yaml", "--out", "my-article", "--no-views",
               cwd=workspace)
    assert_refused(done, "holds the input file my-article/interview.yaml")
    assert snapshot(workspace) == before


def test_build_replaces_its_own_previous_output(workspace: Path) -> None:
    first = run("build", "my-article", "--out", "out", "--no-views", cwd=workspace)
    assert first.returncode == 0, first.stderr
    manifest = json.loads((workspace / "out" / MANIFEST_NAME).read_text(encoding="utf-8"))
    assert manifest["inputs"][0]["document"] == "example-interview"
    outputs = {name for name in manifest["files"] if not name.startswith("cache/")}
    assert outputs == {"graph.trig", "graph.nq", "graph.ttl", "graph.nt", "graph.jsonld",
                       "report.md"}
    # The build cache: each document's records, each unit's export part (document, ontology),
    # what editing the export files needs, and what was derived from the projection (the
    # findings; the names of the views, if drawn).
    cached = sorted(name.split("/")[1] for name in manifest["files"] if name.startswith("cache/"))
    assert cached == ["derived", "exports.json"] + ["parts"] * 6 + ["records"]
    for name, entry in manifest["files"].items():
        import hashlib

        data = (workspace / "out" / name).read_bytes()
        assert entry == {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}
    again = run("build", "--out", "out", "--no-views", cwd=workspace)  # the bundled article now
    assert again.returncode == 0, again.stderr
    assert "built 54 claims" in again.stdout
    assert "The BL" in (workspace / "out" / "report.md").read_text(encoding="utf-8")
    manifest = json.loads((workspace / "out" / MANIFEST_NAME).read_text(encoding="utf-8"))
    assert [i["document"] for i in manifest["inputs"]] == ["thebl-organ-harvesting"]
    assert sorted(os.listdir(workspace)) == ["link-to-article", "my-article", "out", "some-folder"]


def test_a_file_added_to_a_build_output_is_never_deleted(workspace: Path) -> None:
    assert run("build", "my-article", "--out", "out", "--no-views", cwd=workspace).returncode == 0
    (workspace / "out" / ".DS_Store").write_bytes(b"\0")  # a file browser's, not the user's
    assert run("build", "my-article", "--out", "out", "--no-views", cwd=workspace).returncode == 0
    assert not (workspace / "out" / ".DS_Store").exists()
    (workspace / "out" / "my-summary.md").write_text("mine\n", encoding="utf-8")
    before = snapshot(workspace)
    done = run("build", "my-article", "--out", "out", "--no-views", cwd=workspace)
    assert_refused(done, "my-summary.md", "which no build wrote")
    assert snapshot(workspace) == before


def test_a_build_removes_only_work_folders_it_made(workspace: Path) -> None:
    """Names like the ones a killed build leaves beside its output, made by the user, stay."""
    for name in (".out.claimgraph-abcdefgh", ".out.new-abcdefgh", ".out.old-abcdefgh"):
        (workspace / name).mkdir()
        (workspace / name / "data.txt").write_text("mine\n", encoding="utf-8")
    (workspace / ".out.claimgraph-12345678").write_text("a file\n", encoding="utf-8")
    before = snapshot(workspace)
    assert run("build", "my-article", "--out", "out", "--no-views", cwd=workspace).returncode == 0
    after = snapshot(workspace)
    assert {k: v for k, v in after.items() if not k.startswith("out")} == before


def test_a_folder_holding_only_a_file_browsers_metadata_counts_as_empty(tmp_path: Path) -> None:
    (tmp_path / "new").mkdir()
    (tmp_path / "new" / ".DS_Store").write_bytes(b"\0")
    check_output_folder(tmp_path / "new")
    (tmp_path / "new" / "notes.txt").write_text("mine\n", encoding="utf-8")
    with pytest.raises(OutputRefusedError, match=r"it holds notes\.txt\)"):
        check_output_folder(tmp_path / "new")


def test_the_library_refuses_too_and_writes_nothing(workspace: Path) -> None:
    result = graph.build([workspace / "my-article"], validate=False)
    before = snapshot(workspace)
    for out in ("my-article", "some-folder", "link-to-article", "my-article/sub/out"):
        with pytest.raises(OutputRefusedError):
            graph.write_build(result, workspace / out)
    assert snapshot(workspace) == before
    with pytest.raises(OutputRefusedError, match="not a folder"):
        check_output_folder(workspace / "some-folder" / "thesis.md")
