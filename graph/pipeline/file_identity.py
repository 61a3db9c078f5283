"""Which files of a build's output are still as the build left them, known without reading them.

A build's manifest gives each file's sha256; checking that means reading every byte, which for a
large corpus's exports and cache is much of an incremental build's time (and of a reload's). So a
build also leaves ``cache/identities.json``: each file's device, inode, size and modification
time (nanoseconds), taken in its staging folder once every file is written, as git's index keeps
them. A file whose ``lstat`` gives the same is the file the manifest describes: writing it in
place changes its modification time, replacing it changes its inode. Files written in the last
tick of the file system's clock cannot be told apart from a later write in the same tick, so the
record waits for the clock to move on first (on a file system whose clock counts whole seconds,
it leaves such files out instead).

The record vouches for files, it does not describe the build: it is not in the manifest (whose
bytes stay those of the same inputs), and a file it does not vouch for, or a folder without it,
is hashed as before. It guards against edits, not against a forger who also restores a
modification time to the nanosecond; such a user can rewrite the manifest too.
"""

from __future__ import annotations

import json
import os
import stat
import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Final

__all__ = [
    "IDENTITIES",
    "Identities",
    "identity",
    "record_identities",
]

IDENTITIES: Final = "cache/identities.json"
# Longer than a tick of the coarse clock that stamps files (1-10 ms on Linux).
_TICK_NS: Final = 20_000_000
_SECOND_NS: Final = 1_000_000_000


def identity(status: os.stat_result) -> str:
    """What a file's status says of its identity (device, inode, size, modification time)."""
    return f"{status.st_dev}:{status.st_ino}:{status.st_size}:{status.st_mtime_ns}"


def _regular(path: Path) -> os.stat_result | None:
    try:
        status = os.lstat(path)
    except OSError:
        return None
    return status if stat.S_ISREG(status.st_mode) else None


def record_identities(folder: Path, names: Iterable[str]) -> None:
    """Write the identities of ``names`` (files of the staging folder ``folder``, each as the
    build wrote or linked it) into ``folder / IDENTITIES``."""
    found = {name: status for name in names if (status := _regular(folder / name)) is not None}
    if found and all(s.st_mtime_ns % _SECOND_NS == 0 for s in found.values()):
        # A clock of whole seconds (FAT, some network file systems): waiting it out would cost
        # seconds, so only files older than two of its ticks are recorded.
        cutoff = time.time_ns() - 2 * _SECOND_NS
        found = {name: s for name, s in found.items() if s.st_mtime_ns < cutoff}
    newest = max((s.st_mtime_ns for s in found.values()), default=0)
    wait = newest + _TICK_NS - time.time_ns()
    if wait > 0:  # a write after this record must get a later modification time
        time.sleep(wait / 1e9)
    record = {name: identity(status) for name, status in sorted(found.items())}
    target = folder / IDENTITIES
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(record, indent=0, sort_keys=True) + "\n", encoding="utf-8")


class Identities:
    """The identities a previous build recorded of its output folder's files."""

    def __init__(self, folder: Path, record: Mapping[str, str]) -> None:
        self.folder = folder
        self._record = record

    @classmethod
    def open(cls, folder: Path) -> Identities:
        """The record in ``folder`` (an empty one when it has none that reads)."""
        path = folder / IDENTITIES
        record: dict[str, str] = {}
        if _regular(path) is not None:
            try:
                found = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                found = None
            if isinstance(found, dict):
                record = {str(k): v for k, v in found.items() if isinstance(v, str)}
        return cls(folder, record)

    def recorded(self, name: str) -> str | None:
        """The identity recorded of the file ``name``, if any."""
        return self._record.get(name)

    def vouches(self, name: str) -> bool:
        """Whether the file ``name`` is, by its identity now, the one the record saw."""
        recorded = self._record.get(name)
        if recorded is None:
            return False
        status = _regular(self.folder / name)
        return status is not None and identity(status) == recorded
