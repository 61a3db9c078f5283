"""A build's output as a load reads it: its units and the N-Quads part of each, verified.

A named-graph export (``graph.trig``, ``graph.nq``, ``graph.jsonld``) listed in its folder's
manifest with the sha256 it has now stands for the build; the parts in the build's cache
(:mod:`graph.pipeline.cache`) then give the same quads unit by unit, so that a load can replace
only what changed (:mod:`graph.stores.incremental`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from graph.errors import StoreError
from graph.pipeline.cache import part_folder, sha256_hex
from graph.pipeline.file_identity import Identities
from graph.pipeline.manifest import file_sha256, read_manifest

__all__ = ["BuildParts", "build_parts"]

_NAMED_GRAPH_EXPORTS: Final = frozenset({".trig", ".nq", ".jsonld"})  # flat files: a file graph


@dataclass(frozen=True)
class BuildParts:
    """The units of a build's output folder and the sha256 of each unit's N-Quads part."""

    folder: Path
    digests: Mapping[str, str]  # unit key -> sha256 of its part's graph.nq

    def nquads(self, key: str) -> bytes:
        """A unit's N-Quads; ``StoreError`` if they are not what the manifest says."""
        path = self.folder / part_folder(key) / "graph.nq"
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise StoreError(f"{path}: cannot be read ({exc}); nothing was loaded") from None
        if sha256_hex(data) != self.digests[key]:
            raise StoreError(f"{path}: changed since the build wrote it; nothing was loaded "
                             "(build again)")
        return data


def build_parts(files: Sequence[Path]) -> BuildParts | None:
    """The build whose output holds ``files``, if they are one named-graph export of a build
    (listed in its manifest with the same sha256) that left its parts; else ``None``."""
    if len(files) != 1 or files[0].suffix not in _NAMED_GRAPH_EXPORTS:
        return None
    file = files[0]
    manifest = read_manifest(file.parent)
    if manifest is None or not isinstance(manifest.get("cache"), dict):
        return None
    listed = manifest["files"].get(file.name)
    if not isinstance(listed, dict):
        return None
    # The file its build recorded, unchanged since, is not read: a large export is most of a
    # reload's time otherwise.
    if not Identities.open(file.parent).vouches(file.name) \
            and listed.get("sha256") != file_sha256(file):
        return None
    digests = {}
    for key in manifest["cache"].get("units", []):
        entry = manifest["files"].get(f"{part_folder(key)}/graph.nq")
        if not isinstance(entry, dict) or not isinstance(entry.get("sha256"), str):
            return None
        digests[str(key)] = entry["sha256"]
    return BuildParts(file.parent, digests)
