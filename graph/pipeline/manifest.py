"""What a build leaves in its output folder, and which folders a build may replace.

Every build writes ``claimgraph-build.json`` beside its outputs: the claimgraph version, each
input document (its id, annotation file and the sha256 of that file and of its text) and each
file written with its sha256 and size. With it a later build can tell which outputs are still
current, and any build can tell its own output from a user's folder.

A build replaces a folder only when it is missing, empty, or a previous build's output that holds
nothing but what its manifest lists, not counting what file browsers leave in every folder they
show (``.DS_Store``, ``Thumbs.db``, ``desktop.ini``). It never writes to a folder that is,
contains or is inside an input folder, nor to one that holds an input file. Anything else is
refused with ``OutputRefusedError`` before a byte is written, and the folder is left as it was.

>>> import tempfile
>>> folder = Path(tempfile.mkdtemp())
>>> _ = (folder / "notes.txt").write_text("mine")
>>> try:
...     check_output_folder(folder)
... except OutputRefusedError as exc:
...     for part in str(exc).partition(": ")[2].split("; "):
...         print(part)
not empty and not a claimgraph build output (no valid claimgraph-build.json
it holds notes.txt)
give a new or empty folder
>>> (folder / "notes.txt").read_text()
'mine'
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Iterator, Mapping
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from graph.errors import OutputRefusedError
from graph.model.records import Corpus

__all__ = [
    "MANIFEST_FORMAT",
    "MANIFEST_NAME",
    "check_output_folder",
    "claimgraph_version",
    "file_sha256",
    "read_manifest",
    "render_manifest",
]

MANIFEST_NAME = "claimgraph-build.json"
MANIFEST_FORMAT = 1
# What a file browser leaves in any folder it shows; replaced with the folder, never the user's.
_FOLDER_METADATA = frozenset({".DS_Store", "Thumbs.db", "desktop.ini"})
_SHOWN = 3  # foreign names listed in an error; the rest are counted
# Written by every build and listed by no manifest: the manifest, and the record of the files'
# identities (graph.pipeline.file_identity), which depends on the file system, not the inputs.
_UNLISTED = frozenset({MANIFEST_NAME, "cache/identities.json"})


def claimgraph_version() -> str:
    """The installed claimgraph's version (the source tree's when it is not installed)."""
    try:
        return version("claimgraph")
    except PackageNotFoundError:  # run from a source tree that is not installed
        from graph._version import __version__

        return __version__


def file_sha256(path: Path) -> str:
    """The sha256 of a file, read in blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _entries(folder: Path) -> list[str]:
    """Every file, link and folder under ``folder`` as a relative POSIX path; links not followed."""
    found: list[str] = []
    for root, dirs, files in os.walk(folder, followlinks=False):
        base = Path(root).relative_to(folder)
        found.extend((base / name).as_posix() for name in [*dirs, *files])
    return sorted(found)


def _regular_files(folder: Path, base: str = "") -> Iterator[tuple[str, int]]:
    """Every regular file under ``folder`` (links not followed) and its size, by relative name."""
    with os.scandir(folder) as found:
        for entry in found:
            name = f"{base}{entry.name}"
            if entry.is_dir(follow_symlinks=False):
                yield from _regular_files(Path(entry.path), f"{name}/")
            elif entry.is_file(follow_symlinks=False):
                yield name, entry.stat(follow_symlinks=False).st_size


def render_manifest(
    corpus: Corpus,
    folder: Path,
    *,
    known: Mapping[str, str] | None = None,
    cache: str | None = None,
    units: Iterable[str] = (),
    annotation_sha256: Mapping[str, str] | None = None,
) -> str:
    """The manifest of the files now in ``folder`` (a build's staging folder), as JSON text.

    ``known`` gives the sha256 of files already hashed as they were written (and
    ``annotation_sha256`` of the input files, by path as given); ``cache`` the
    context of the build cache in ``folder`` (:mod:`graph.pipeline.cache`), ``units`` the keys of
    the export parts it holds. It holds no time stamp: the same inputs built by the same version
    give the same bytes.
    """
    known = known or {}
    hashed = annotation_sha256 or {}
    files = {}
    for name, size in sorted(_regular_files(folder)):
        if name not in _UNLISTED:
            digest = known.get(name) or file_sha256(folder / name)
            files[name] = {"sha256": digest, "bytes": size}
    inputs = [
        {
            "document": f.document.id,
            "annotation_file": str(f.path.resolve()),
            "annotation_sha256": hashed.get(str(f.path)) or file_sha256(f.path),
            "text_sha256": f.document.sha256,
        }
        for f in corpus.files
    ]
    manifest = {
        "claimgraph_build": MANIFEST_FORMAT,
        "claimgraph_version": claimgraph_version(),
        "inputs": inputs,
        "files": files,
    }
    if cache is not None:
        manifest["cache"] = {"context": cache, "units": sorted(units)}
    return json.dumps(manifest, indent=1, ensure_ascii=False, sort_keys=True) + "\n"


def read_manifest(folder: Path) -> dict[str, Any] | None:
    """A build output's manifest, or None when ``folder`` holds none (or one that is not ours)."""
    path = folder / MANIFEST_NAME
    if path.is_symlink() or not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if (
        not isinstance(data, dict)
        or not isinstance(data.get("claimgraph_build"), int)
        or not isinstance(data.get("files"), dict)
    ):
        return None
    return data


def _listed(names: list[str], more: int) -> str:
    # A file name may hold a newline or a control character: the error stays one line.
    shown = ", ".join(n if n.isprintable() else repr(n) for n in names)
    return shown + (f" and {more} more" if more > 0 else "")


def _check_inputs(out: Path, shown: Path, folders: Iterable[Path], files: Iterable[Path]) -> None:
    elsewhere = "; write the build elsewhere"
    for given in folders:
        folder = given.resolve()
        if out == folder:
            raise OutputRefusedError(f"{shown}: the output folder is an input folder" + elsewhere)
        if folder.is_relative_to(out):
            raise OutputRefusedError(f"{shown}: the output folder holds the input folder {given}"
                                     + elsewhere)
        if out.is_relative_to(folder):
            raise OutputRefusedError(f"{shown}: the output folder is inside the input folder "
                                     f"{given}" + elsewhere)
    for given in files:
        if given.resolve().is_relative_to(out):
            raise OutputRefusedError(f"{shown}: the output folder holds the input file {given}"
                                     + elsewhere)


def check_output_folder(
    out: str | Path, *, folders: Iterable[Path] = (), files: Iterable[Path] = ()
) -> None:
    """Raise ``OutputRefusedError`` unless a build may replace ``out`` (see the module docstring).

    ``folders`` are the input folders of the build, ``files`` its input files; symbolic links are
    resolved before they are compared.
    """
    shown = Path(out)
    out = shown.resolve()
    _check_inputs(out, shown, folders, files)
    if not out.exists():
        return
    if not out.is_dir():
        raise OutputRefusedError(f"{shown}: exists and is not a folder")
    entries = [name for name in _entries(out)
               if name.rpartition("/")[2] not in _FOLDER_METADATA]
    if not entries:
        return
    manifest = read_manifest(out)
    if manifest is None:
        top = sorted({name.split("/", 1)[0] for name in entries})
        raise OutputRefusedError(
            f"{shown}: not empty and not a claimgraph build output (no valid {MANIFEST_NAME}; "
            f"it holds {_listed(top[:_SHOWN], len(top) - _SHOWN)}); give a new or empty folder"
        )
    written = set(manifest["files"])
    parents = {name[:i] for name in written for i, c in enumerate(name) if c == "/"}
    foreign = [
        name for name in entries
        if name not in _UNLISTED and name not in written and name not in parents
    ]
    if foreign:
        raise OutputRefusedError(
            f"{shown}: holds {_listed(foreign[:_SHOWN], len(foreign) - _SHOWN)}, which no build "
            f"wrote ({MANIFEST_NAME} does not list it); move it away, or give another folder"
        )
