"""The export files of an incremental build, edited from the previous build's instead of composed
again from every part.

A file composed from every unit's part (:func:`graph.rdf.export_parts.compose`) is, for the units
that did not change, what the previous build wrote: its records stay, in the same order. So the
next file is the previous one with the records of the changed, added and removed units taken
out and put in (:mod:`graph.rdf.sorted_records`), at the cost of copying the file, and the bytes
are those a full build writes.

Two things are not in the parts of the changed units alone, and ``cache/exports.json`` keeps them
(:class:`ExportIndex`): how many units use each TriG prefix (the head lists those any unit uses),
and how many units hold each flat triple that more than one does (``graph.nt`` and ``graph.ttl``
write a triple once, and it stays while any unit holds it). A Turtle block is one subject's
triples: the blocks of the subjects whose triples changed are written again from ``graph.nt``.

Any doubt (a previous file that is not what its manifest says, a record not where it should be)
raises :class:`~graph.rdf.sorted_records.RecordEditError`, and the caller composes the files
whole instead.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import stat
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from graph.pipeline.file_identity import identity
from graph.rdf.export_parts import ExportPart, turtle_blocks
from graph.rdf.sorted_records import (
    JSONLD,
    LINES,
    TRIG,
    TURTLE,
    Layout,
    Piece,
    RecordEditError,
    edited_body,
    has_record,
    lines_with_prefix,
)
from graph.support.orphans import end_with_parent

__all__ = [
    "EXPORT_INDEX",
    "Change",
    "ExportIndex",
    "Listed",
    "UnitRecords",
    "export_index",
    "patch_export_files",
]

EXPORT_INDEX: Final = "cache/exports.json"
Listed = tuple[str, str | None]  # a previous file's sha256, and its identity if recorded


@dataclass(frozen=True)
class ExportIndex:
    """What editing the export files needs beyond the changed parts (module docstring)."""

    prefixes: Mapping[str, int]  # TriG prefix line -> units using it
    shared: Mapping[str, int]  # flat N-Triples line -> units holding it, where more than one

    def to_bytes(self) -> bytes:
        entry = {"prefixes": self.prefixes, "shared": self.shared}  # keys sorted by dumps
        return (json.dumps(entry, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")

    @classmethod
    def from_bytes(cls, data: bytes) -> ExportIndex:
        entry = json.loads(data)
        prefixes, shared = entry["prefixes"], entry["shared"]
        if not all(isinstance(n, int) for n in (*prefixes.values(), *shared.values())):
            raise ValueError("counts are not integers")
        return cls(prefixes, shared)


def export_index(parts: Iterable[ExportPart]) -> ExportIndex:
    """The index of the export files composed from ``parts``."""
    prefixes: dict[str, int] = {}
    seen: set[str] = set()
    shared: dict[str, int] = {}
    for part in parts:
        for line in part.prefixes:
            prefixes[line] = prefixes.get(line, 0) + 1
        for line in part.flat:
            if line in seen:
                shared[line] = shared.get(line, 1) + 1
            else:
                seen.add(line)
    return ExportIndex(prefixes, shared)


@dataclass(frozen=True)
class UnitRecords:
    """What the previous build's export files hold of one unit: enough to take it out."""

    nquads: tuple[str, ...]  # its lines of graph.nq
    flat: tuple[str, ...]  # its flat lines (graph.nt: each written while any unit holds it)
    prefixes: tuple[str, ...]  # the TriG prefixes its blocks use
    graphs: tuple[str, ...]  # its named graphs: its TriG blocks and JSON-LD entries

    @classmethod
    def of(cls, part: ExportPart) -> UnitRecords:
        return cls(part.nquads, part.flat, part.prefixes, tuple(g for g, _ in part.trig))


@dataclass(frozen=True)
class Change:
    """A unit as the previous build had it (None: added) and as it is now (None: removed)."""

    key: str
    old: UnitRecords | None
    new: ExportPart | None


def _set(part: UnitRecords | ExportPart | None, field: str) -> set[str]:
    return set(getattr(part, field)) if part is not None else set()


def _line_edits(changes: Sequence[Change]) -> dict[bytes, bytes | None]:
    """``graph.nq``: every unit's quads are its own (its graphs are no other unit's)."""
    edits: dict[bytes, bytes | None] = {}
    for change in changes:
        old, new = _set(change.old, "nquads"), _set(change.new, "nquads")
        edits.update((line.encode("utf-8"), None) for line in old - new)
        edits.update((line.encode("utf-8"),) * 2 for line in new - old)
    return edits


def _block_edits(changes: Sequence[Change], field: str) -> dict[bytes, bytes | None]:
    """``graph.trig`` and ``graph.jsonld``: one record per named graph, keyed by its IRI."""
    edits: dict[bytes, bytes | None] = {}
    for change in changes:
        if change.old is not None:
            edits.update((g.encode("utf-8"), None) for g in change.old.graphs)
    for change in changes:
        if change.new is not None:
            edits.update((g.encode("utf-8"), text.encode("utf-8"))
                         for g, text in getattr(change.new, field))
    return edits


def _prefix_counts(index: ExportIndex, changes: Sequence[Change]) -> dict[str, int]:
    counts = dict(index.prefixes)
    for change in changes:
        for line in change.old.prefixes if change.old is not None else ():
            counts[line] = counts.get(line, 0) - 1
        for line in change.new.prefixes if change.new is not None else ():
            counts[line] = counts.get(line, 0) + 1
    if any(n < 0 for n in counts.values()):
        raise RecordEditError("graph.trig: the prefixes' counts do not add up")
    return {line: n for line, n in counts.items() if n > 0}


def _flat_edits(changes: Sequence[Change], index: ExportIndex, nt: bytes
                ) -> tuple[dict[bytes, bytes | None], dict[str, int]]:
    """``graph.nt``'s line edits and the next index's shared lines: a line is written while any
    unit holds it."""
    delta: dict[str, int] = {}
    held: set[str] = set()  # lines the previous parts of the changed units hold
    for change in changes:
        old, new = _set(change.old, "flat"), _set(change.new, "flat")
        held |= old
        for line in old - new:
            delta[line] = delta.get(line, 0) - 1
        for line in new - old:
            delta[line] = delta.get(line, 0) + 1
    shared = dict(index.shared)
    edits: dict[bytes, bytes | None] = {}
    body = LINES.body(nt)
    for line, step in delta.items():
        if not step:
            continue
        key = line.encode("utf-8")
        before = shared.get(line) or (1 if line in held or has_record(LINES, nt, key, body) else 0)
        after = before + step
        if after < 0:
            raise RecordEditError("graph.nt: a line removed more often than it was held")
        if before and not after:
            edits[key] = None
        elif after and not before:
            edits[key] = key
        if after > 1:
            shared[line] = after
        else:
            shared.pop(line, None)
    return edits, shared


def _turtle_edits(nt: bytes, edits: Mapping[bytes, bytes | None]) -> dict[bytes, bytes | None]:
    """``graph.ttl``: the block of every subject whose lines in ``graph.nt`` change, written
    again from its lines after the edits (None: it has none left)."""
    by_subject: dict[bytes, dict[bytes, bytes | None]] = {}
    for line, record in edits.items():
        by_subject.setdefault(line.split(b" ", 1)[0] + b" ", {})[line] = record
    blocks: dict[bytes, bytes | None] = {}
    for subject, changed in by_subject.items():
        lines = set(lines_with_prefix(nt, subject))
        lines.difference_update(line for line, record in changed.items() if record is None)
        lines.update(line for line, record in changed.items() if record is not None)
        text = turtle_blocks(sorted(line.decode("utf-8") for line in lines))
        blocks[subject] = text.encode("utf-8") if lines else None
    return blocks


def _copy(source: int, target: int, run: range) -> bool:
    """Copy a run of ``source``'s bytes to ``target``'s position in the kernel; False where it
    cannot (another file system, an old kernel)."""
    done = 0
    try:
        while done < len(run):
            copied = os.copy_file_range(source, target, len(run) - done, run.start + done)
            if copied <= 0:
                return False
            done += copied
    except OSError:
        if done:
            raise
        return False
    return True


def _identity(handle: Any) -> tuple[int, int, int]:
    status = os.fstat(handle.fileno())
    return status.st_ino, status.st_size, status.st_mtime_ns


def _write(path: Path, pieces: Iterable[Piece], old: _Previous) -> str:
    """Write the pieces (new bytes, or runs of the previous file's bytes); their sha256."""
    digest = hashlib.sha256()
    view = memoryview(old.data)
    with open(old.path, "rb") as source, open(path, "wb", buffering=0) as target:
        if _identity(source) != old.identity:
            raise RecordEditError(f"{old.path}: changed during the build")
        kernel = hasattr(os, "copy_file_range")
        for piece in pieces:
            if isinstance(piece, range):
                chunk = view[piece.start:piece.stop]
                digest.update(chunk)
                kernel = kernel and _copy(source.fileno(), target.fileno(), piece)
                if not kernel:
                    target.write(chunk)
            else:
                digest.update(piece)
                target.write(piece)
        if _identity(source) != old.identity:  # the runs copied are not the bytes hashed
            raise RecordEditError(f"{old.path}: changed during the build")
    return digest.hexdigest()


def _joined(head: Piece, layout: Layout, body: Sequence[Piece], tail: Piece) -> Iterable[Piece]:
    yield head
    for i, piece in enumerate(body):
        if i:
            yield layout.separator
        yield piece
    yield tail


@dataclass(frozen=True)
class _Previous:
    """A previous export file's bytes, checked, and what it was when they were read."""

    path: Path
    data: bytes
    identity: tuple[int, int, int]  # inode, size, modification time


def _previous(folder: Path, name: str, listed: Listed) -> _Previous:
    path = folder / name
    sha256, recorded = listed
    try:
        with open(path, "rb") as handle:
            status = os.fstat(handle.fileno())
            data = handle.read()
    except OSError as exc:
        raise RecordEditError(f"{name}: {exc}") from None
    # The file the previous build recorded, by the identity of the handle read: not hashed.
    vouched = recorded is not None and identity(status) == recorded
    if not vouched and hashlib.sha256(data).hexdigest() != sha256:
        raise RecordEditError(f"{name}: not the file its manifest lists")
    return _Previous(path, data, (status.st_ino, status.st_size, status.st_mtime_ns))


def _edit(previous: Path, digests: Mapping[str, Listed], name: str, layout: Layout,
          edits: Mapping[bytes, bytes | None], out: Path, head: bytes | None = None,
          old: _Previous | None = None) -> str:
    found = old if old is not None else _previous(previous, name, digests[name])
    data = found.data
    start, end = layout.body(data)
    body = edited_body(layout, data, edits)
    if not body and layout is JSONLD:  # an empty "@graph" is written apart
        raise RecordEditError(f"{name}: no entry left")
    pieces = _joined(range(0, start) if head is None else head, layout, body,
                     range(end, len(data)))
    return _write(out / name, pieces, found)


_GroupResult = tuple[dict[str, str], dict[str, int]]


def _named_group(previous: Path, digests: Mapping[str, Listed], changes: Sequence[Change],
                 index: ExportIndex, out: Path) -> _GroupResult:
    prefixes = _prefix_counts(index, changes)
    head = ("\n".join(sorted(prefixes)) + "\n\n").encode("utf-8")
    hashed = {
        "graph.nq": _edit(previous, digests, "graph.nq", LINES, _line_edits(changes), out),
        "graph.trig": _edit(previous, digests, "graph.trig", TRIG,
                            _block_edits(changes, "trig"), out, head=head),
        "graph.jsonld": _edit(previous, digests, "graph.jsonld", JSONLD,
                              _block_edits(changes, "jsonld"), out),
    }
    return hashed, prefixes


def _flat_group(previous: Path, digests: Mapping[str, Listed], changes: Sequence[Change],
                index: ExportIndex, out: Path) -> _GroupResult:
    nt = _previous(previous, "graph.nt", digests["graph.nt"])
    edits, shared = _flat_edits(changes, index, nt.data)
    hashed = {
        "graph.ttl": _edit(previous, digests, "graph.ttl", TURTLE, _turtle_edits(nt.data, edits),
                           out),
        "graph.nt": _edit(previous, digests, "graph.nt", LINES, edits, out, old=nt),
    }
    return hashed, shared


_WORK: list[tuple[Path, Mapping[str, Listed], Sequence[Change], ExportIndex, Path]] = []


def _group(which: int) -> _GroupResult:
    return (_named_group, _flat_group)[which](*_WORK[0])


def _link_unchanged(previous: Path, digests: Mapping[str, Listed], out: Path
                    ) -> dict[str, str] | None:
    """With nothing to change, the previous files themselves, linked into ``out``, when their
    recorded identities vouch for every one (their sha256 are then the listed ones); else
    ``None`` and nothing linked."""
    def vouched(path: Path, recorded: str | None) -> bool:
        try:
            status = os.lstat(path)
        except OSError:
            return False
        return recorded is not None and stat.S_ISREG(status.st_mode) \
            and identity(status) == recorded

    if not all(vouched(previous / name, recorded) for name, (_sha, recorded) in digests.items()):
        return None
    made: list[Path] = []
    try:
        for name in digests:
            os.link(previous / name, out / name)
            made.append(out / name)
        # Checked again through the links: a file changed in between is not taken.
        if all(vouched(out / name, recorded) for name, (_sha, recorded) in digests.items()):
            return {name: sha256 for name, (sha256, _recorded) in digests.items()}
    except OSError:
        pass
    for path in made:  # never written through: the previous output shares these files
        path.unlink(missing_ok=True)
    return None


def patch_export_files(previous: Path, digests: Mapping[str, Listed], changes: Sequence[Change],
                       index: ExportIndex, out: Path, jobs: int
                       ) -> tuple[dict[str, str], ExportIndex]:
    """Write the five export files into ``out`` by editing those in ``previous`` (``digests``
    gives by name the sha256 its manifest lists and the identity its build recorded, if any:
    :mod:`graph.pipeline.file_identity`) with ``changes``; each file's sha256 and the next
    index.
    ``RecordEditError`` when they cannot be edited (then nothing is to be trusted of ``out``'s
    export files)."""
    if not changes:
        linked = _link_unchanged(previous, digests, out)
        if linked is not None:
            return linked, index
    _WORK[:] = [(previous, digests, changes, index, out)]
    try:
        if jobs < 2 or "fork" not in multiprocessing.get_all_start_methods():
            results = [_group(0), _group(1)]
        else:
            context = multiprocessing.get_context("fork")
            with ProcessPoolExecutor(max_workers=2, mp_context=context,
                                     initializer=end_with_parent,
                                     initargs=(os.getpid(),)) as pool:
                results = list(pool.map(_group, (0, 1)))
    finally:
        _WORK.clear()
    (named, prefixes), (flat, shared) = results
    return {**named, **flat}, ExportIndex(prefixes, shared)
