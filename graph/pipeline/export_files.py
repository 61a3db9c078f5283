"""The five export files written from every unit's part, on forked processes where given.

Composing a file means merging every part's sorted lines (N-Quads, the flat N-Triples behind
``graph.nt`` and ``graph.ttl``) or ordering its blocks, then encoding, hashing and writing it: work
that grows with the whole corpus at every build, incremental or not. The files are independent,
so two processes write them in two groups of about the same size; forked, they read the parts
without copying them.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Final

from graph.pipeline.cache import sha256_hex
from graph.rdf.export_parts import ExportPart, compose
from graph.support.orphans import end_with_parent

__all__ = ["write_export_files", "write_texts"]

# The flat N-Triples lines are merged once for both flat files; the three others need no merge
# of flat lines (graph.nq merges the N-Quads lines).
_GROUPS: Final = (("graph.ttl", "graph.nt"), ("graph.nq", "graph.trig", "graph.jsonld"))

_PARTS: list[Sequence[ExportPart]] = []  # read by forked workers, which inherit it


def write_texts(texts: Mapping[str, str], folder: Path) -> dict[str, str]:
    """Write each text into ``folder`` under its name; each file's sha256, hashed as written (the
    manifest reads no file back)."""
    hashed = {}
    for name, text in texts.items():
        data = text.encode("utf-8")
        (folder / name).write_bytes(data)
        hashed[name] = sha256_hex(data)
    return hashed


def _write_group(folder: Path, names: tuple[str, ...],
                 parts: Sequence[ExportPart] | None = None) -> dict[str, str]:
    return write_texts(compose(_PARTS[0] if parts is None else parts, names), folder)


def write_export_files(parts: Sequence[ExportPart], folder: Path, jobs: int) -> dict[str, str]:
    """Write the five export files of ``parts`` into ``folder``; each file's sha256 by name."""
    if jobs < 2 or "fork" not in multiprocessing.get_all_start_methods():
        hashed: dict[str, str] = {}
        for names in _GROUPS:
            hashed.update(_write_group(folder, names, parts))
        return hashed
    _PARTS[:] = [parts]
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=len(_GROUPS), mp_context=context,
                                 initializer=end_with_parent, initargs=(os.getpid(),)) as pool:
            futures = [pool.submit(_write_group, folder, names) for names in _GROUPS]
            hashed = {}
            for future in futures:
                hashed.update(future.result())
    finally:
        _PARTS.clear()
    return hashed
