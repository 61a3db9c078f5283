"""The record of a build's file identities vouches for unchanged files only: a file edited in
place, replaced or copied elsewhere is hashed again, and the record never makes an output folder
look foreign or a build differ."""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import pytest

from graph.errors import OutputRefusedError
from graph.pipeline.cache import part_folder
from graph.pipeline.file_identity import IDENTITIES, Identities, record_identities
from graph.pipeline.manifest import check_output_folder, read_manifest
from graph.pipeline.published import build_parts
from tests.test_incremental_build import run_build, snapshot


@pytest.fixture()
def built(generated: Path, tmp_path: Path) -> Path:
    out = tmp_path / "out"
    run_build(generated, out, incremental=False)
    return out


def test_every_listed_file_is_vouched_for_and_the_record_is_not_listed(built: Path) -> None:
    manifest = read_manifest(built)
    assert manifest is not None
    listed = set(manifest["files"])
    record = json.loads((built / IDENTITIES).read_text(encoding="utf-8"))
    assert set(record) == listed and IDENTITIES not in listed
    identities = Identities.open(built)
    assert all(identities.vouches(name) for name in listed)
    check_output_folder(built)  # the record is the build's own: the folder may be replaced
    (built / "cache" / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(OutputRefusedError, match=r"notes\.txt"):
        check_output_folder(built)


def test_a_file_edited_right_after_the_build_is_not_vouched_for(built: Path,
                                                                 generated: Path) -> None:
    """The record waits for the file system's clock to move on, so an edit made at once, of the
    same size, still changes what the record saw; the next build makes that part again."""
    part = next((built / "cache" / "parts").glob("*/graph.nq"))
    name = str(part.relative_to(built))
    part.write_bytes(part.read_bytes().replace(b"doc-", b"dox-", 1))
    assert not Identities.open(built).vouches(name)
    result = run_build(generated, built, incremental=True)
    assert result.cache is not None
    folder = str(part.parent.relative_to(built))
    edited = [key for key in result.cache.keys if part_folder(key) == folder]
    assert len(edited) == 1 and edited[0] not in result.cache.reused
    assert len(result.cache.reused) == len(result.cache.keys) - 1
    full = built.parent / "full"
    run_build(generated, full, incremental=False)
    assert snapshot(built) == snapshot(full)


def test_a_load_trusts_its_export_only_while_the_record_vouches(built: Path,
                                                               tmp_path: Path) -> None:
    assert build_parts([built / "graph.nq"]) is not None
    copied = shutil.copytree(built, tmp_path / "copied")  # new inodes: hashed, and the same
    assert not Identities.open(copied).vouches("graph.nq")
    assert build_parts([copied / "graph.nq"]) is not None
    nq = built / "graph.nq"
    nq.write_bytes(nq.read_bytes().replace(b"doc-", b"dox-", 1))  # same size, at once
    assert build_parts([nq]) is None


def test_an_unreadable_record_vouches_for_nothing(built: Path, generated: Path) -> None:
    (built / IDENTITIES).write_text("{not json", encoding="utf-8")
    assert not Identities.open(built).vouches("graph.nq")
    result = run_build(generated, built, incremental=True)
    assert result.documents_read() == 0  # every file hashed instead, and reused
    assert Identities.open(built).vouches("graph.nq")  # the next record is whole again


def test_a_rebuild_of_unchanged_inputs_links_the_exports(built: Path, generated: Path) -> None:
    """Nothing to change: the export files are the previous ones, linked, not copied; one
    edited in place since is not (every export is then written again, and right)."""
    inodes = {name: (built / name).stat().st_ino for name in ("graph.nq", "graph.ttl")}
    before = snapshot(built)
    result = run_build(generated, built, incremental=True)
    assert result.cache is not None and result.cache.exports_edited
    assert {name: (built / name).stat().st_ino for name in inodes} == inodes
    assert snapshot(built) == before
    ttl = built / "graph.ttl"
    ttl.write_bytes(ttl.read_bytes().replace(b"doc-", b"dox-", 1))  # same size, at once
    run_build(generated, built, incremental=True)
    assert (built / "graph.ttl").stat().st_ino != inodes["graph.ttl"]
    assert snapshot(built) == before


def test_on_a_clock_of_whole_seconds_only_older_files_are_recorded(tmp_path: Path) -> None:
    """Where the file system stamps whole seconds, an edit within the same second would keep a
    file's identity: files that recent are left out of the record (hashed next time)."""
    now = time.time_ns() // 1_000_000_000 * 1_000_000_000
    for name, stamp in (("old.nq", now - 10_000_000_000), ("new.nq", now)):
        (tmp_path / name).write_text(name, encoding="utf-8")
        os.utime(tmp_path / name, ns=(stamp, stamp))
    record_identities(tmp_path, ["old.nq", "new.nq", "missing.nq"])
    identities = Identities.open(tmp_path)
    assert identities.vouches("old.nq")
    assert identities.recorded("new.nq") is None and identities.recorded("missing.nq") is None
