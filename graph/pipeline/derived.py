"""What a build derives from the projection alone — the report's findings, the views — taken
from the previous build when the projection has not changed.

The findings (:mod:`graph.report.findings`) and the views (:mod:`graph.views`) are functions of
the quads the projections read (:func:`graph.rdf.quad_index.projection_lines`) and of nothing
else, in a given cache context (the claimgraph version, ontology and shapes). Most corrections
(a note, an anchor, a description) leave those quads as they were; the analysis of every claim
and the drawing of every view are then the same work with the same result. A build records, under
``cache/derived/<sha256 of the projection's lines>/``, the findings it wrote and the names of the
view files it wrote; the next build with the same projection takes them from there, each file
only when its bytes still have the sha256 the previous manifest gives
(:class:`graph.pipeline.cache.PreviousBuild`).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from graph.pipeline.cache import CACHE_DIR, Verified
from graph.pipeline.run import Build

__all__ = [
    "derived_folder",
    "findings_record",
    "link_previous",
    "previous_findings",
    "previous_views",
    "views_record",
]

_VIEWS: str = "views.json"
_FINDINGS: str = "findings.md"


def derived_folder(result: Build) -> str | None:
    """Where this build's derived outputs are recorded (relative), or ``None`` without a cache."""
    if result.cache is None:
        return None
    return f"{CACHE_DIR}/derived/{result.projection_digest}"


def previous_findings(result: Build) -> str | None:
    """The findings the previous build wrote for the same projection, if it did."""
    folder = derived_folder(result)
    previous = result.cache.previous if result.cache is not None else None
    if folder is None or previous is None:
        return None
    found = previous.read(f"{folder}/{_FINDINGS}")
    return found.bytes().decode("utf-8") if found is not None else None


def previous_views(result: Build) -> dict[str, Verified] | None:
    """The view files the previous build wrote for the same projection, each verified; ``None``
    when any is missing or changed."""
    folder = derived_folder(result)
    previous = result.cache.previous if result.cache is not None else None
    if folder is None or previous is None:
        return None
    record = previous.read(f"{folder}/{_VIEWS}")
    if record is None:
        return None
    try:
        names = json.loads(record.bytes())["views"]
    except (ValueError, KeyError, TypeError):
        return None
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        return None
    files = {}
    for name in names:
        found = previous.read(name)
        if found is None or Path(name).parts[:1] != ("views",) or ".." in Path(name).parts:
            return None
        files[name] = found
    files[f"{folder}/{_VIEWS}"] = record
    return files


def link_previous(files: dict[str, Verified], staging: Path) -> list[Path]:
    """Put verified files of the previous output into ``staging`` (linked, else copied)."""
    written = []
    for name, found in sorted(files.items()):
        target = staging / name
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(found.path, target)
        except OSError:  # another file system, or no hard links
            target.write_bytes(found.bytes())
        written.append(target)
    return written


def views_record(result: Build, staging: Path, written: list[Path]) -> list[Path]:
    """Record which view files this build wrote for its projection; the record's path."""
    folder = derived_folder(result)
    if folder is None:
        return []
    names = sorted(str(p.relative_to(staging)) for p in written)
    target = staging / folder / _VIEWS
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps({"views": names}, indent=1) + "\n", encoding="utf-8")
    return [target]


def findings_record(result: Build, staging: Path, findings: str | None) -> list[Path]:
    """Record the findings this build wrote for its projection; the record's path."""
    folder = derived_folder(result)
    if folder is None or findings is None:
        return []
    target = staging / folder / _FINDINGS
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(findings, encoding="utf-8")
    return [target]
