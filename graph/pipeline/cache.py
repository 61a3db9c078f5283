"""The build cache: what a build keeps in its output folder so that the next build of the same
folder reads, builds, checks and exports again only what changed.

Under ``cache/`` a build leaves, for each document, its checked records
(``cache/records/<sha256 of the annotation file>.json``) and, for each unit of the dataset (a
document's graphs, the ontology, the story), its share of every export
(``cache/parts/<key>/``: ``graph.nq``, ``flat.nt`` and ``part.json``; see
:mod:`graph.rdf.export_parts`). The manifest lists these files with their sha256 like every other
output, and records the *context* they were made in: the cache format, the claimgraph version, the
ontology and the shapes, and the records' fields.

Nothing is trusted that does not match: a previous build is used only when its manifest's context
is this one; a cached file only when its bytes have the sha256 the manifest gives; a record only
when its annotation file has the sha256 it is named by and its text the sha256 it records; a
part only when it was made from the same annotation files (its document's and those of the
documents it cites, relays or links to) in the same context. Anything else is built again.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Final

from graph.model.records import AnnotationFile, Corpus, iter_claim_links
from graph.pipeline.record_codec import (
    RecordDecodeError,
    decode_record,
    encode_record,
    record_schema,
)
from graph.rdf.export_parts import ExportPart
from graph.rdf.ontology_files import ontology_path, shapes_path

__all__ = [
    "CACHE_DIR",
    "PreviousBuild",
    "Verified",
    "build_context",
    "document_sources",
    "part_files",
    "part_folder",
    "record_bytes",
    "record_file",
    "sha256_hex",
    "write_cache_files",
]

CACHE_DIR: Final = "cache"
_FORMAT: Final = "claimgraph-build-cache 2"  # change when what a cache file holds changes


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def build_context(version: str) -> str:
    """The fingerprint of everything a cached file depends on besides its own inputs."""
    digest = hashlib.sha256()
    for part in (_FORMAT.encode(), version.encode(), ontology_path().read_bytes(),
                 shapes_path().read_bytes(), record_schema().encode()):
        digest.update(hashlib.sha256(part).digest())
    return digest.hexdigest()


def record_file(annotation_sha256: str) -> str:
    """Where the records of the annotation file with this sha256 are kept (relative)."""
    return f"{CACHE_DIR}/records/{annotation_sha256}.json"


def part_folder(key: str) -> str:
    """Where the export part of unit ``key`` is kept (relative; a document id may hold any
    character a file name may not)."""
    return f"{CACHE_DIR}/parts/{sha256_hex(key.encode('utf-8'))[:32]}"


def record_bytes(record: AnnotationFile, text_name: str) -> bytes:
    """A document's cached records: the annotation file's path is left out (a renamed file is
    the same document), the text's name is kept (to check it has not changed)."""
    entry = {"text": text_name, "record": encode_record(replace(record, path=Path(".")))}
    return (json.dumps(entry, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")


def part_files(part: ExportPart, source: str) -> dict[str, bytes]:
    """The files of one cached part; ``source`` says what it was made from."""
    meta = {"source": source, "key": part.key, "prefixes": part.prefixes, "trig": part.trig,
            "jsonld": part.jsonld}
    return {
        "graph.nq": "".join(part.nquads).encode("utf-8"),
        "flat.nt": "".join(part.flat).encode("utf-8"),
        "part.json": (json.dumps(meta, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8"),
    }


# A line ends at "\n" only: str.splitlines would also split at the form feeds and Unicode line
# separators an N-Quads literal may hold raw.
_LINE: Final = re.compile(r"[^\n]*\n")


def _lines(data: bytes) -> tuple[str, ...]:
    return tuple(_LINE.findall(data.decode("utf-8")))  # every line ends in "\n"


def document_sources(corpus: Corpus, annotation_sha256: Mapping[str, str],
                     context: str) -> dict[str, str]:
    """What each document's part is made from: its annotation file's sha256 and those of the
    corpus documents it cites, relays or links to (their titles and claims are in its graphs),
    in ``context``."""
    by_doc = {f.document.id: annotation_sha256[str(f.path)] for f in corpus.files}
    sources = {}
    for f in corpus.files:
        refs = {c.id for c in f.cited_documents}
        for claim in f.claims:
            refs.update(ref.partition("#")[0] for ref in claim.relayed_from)
            refs.update(target.partition("#")[0] for _, target in iter_claim_links(claim))
        refs.discard(f.document.id)
        used = [f"{ref}={by_doc.get(ref, '-')}" for ref in sorted(refs)]
        sources[f.document.id] = sha256_hex(
            "\n".join([context, by_doc[f.document.id], *used]).encode("utf-8"))
    return sources


@dataclass(frozen=True)
class Verified:
    """A file of the previous output whose bytes have the sha256 its manifest gives."""

    data: bytes
    path: Path  # in the previous output: linked, not copied, into the next one
    sha256: str


class PreviousBuild:
    """The cache of an earlier build's output folder, read only where it verifies."""

    def __init__(self, folder: Path, files: Mapping[str, Any]) -> None:
        self.folder = folder
        self._files = files

    @classmethod
    def open(cls, folder: Path, context: str) -> PreviousBuild | None:
        """The previous build in ``folder``, or ``None`` when there is none made in ``context``."""
        from graph.pipeline.manifest import read_manifest

        manifest = read_manifest(folder)
        if manifest is None or manifest.get("cache", {}).get("context") != context:
            return None
        return cls(folder, manifest["files"])

    def read(self, name: str) -> Verified | None:
        """A file of the previous output, if it still has the sha256 its manifest gives."""
        listed = self._files.get(name)
        path = self.folder / name
        if not isinstance(listed, dict) or path.is_symlink() or not path.is_file():
            return None
        try:
            data = path.read_bytes()
        except OSError:
            return None
        digest = sha256_hex(data)
        return Verified(data, path, digest) if digest == listed.get("sha256") else None

    def record(self, annotation_sha256: str, path: Path
               ) -> tuple[AnnotationFile, str, Verified] | None:
        """The cached records of the annotation file ``path`` (whose bytes have this sha256),
        with its text's name, if its text has not changed either."""
        found = self.read(record_file(annotation_sha256))
        if found is None:
            return None
        try:
            entry = json.loads(found.data)
            record = decode_record(AnnotationFile, entry["record"])
            text = path.parent / entry["text"]
            if text.is_symlink() or not text.is_file():
                return None
            if sha256_hex(text.read_bytes()) != record.document.sha256:
                return None
        except (ValueError, KeyError, TypeError, OSError, RecordDecodeError):
            return None
        return replace(record, path=path), entry["text"], found

    def part(self, key: str, source: str) -> tuple[ExportPart, dict[str, Verified]] | None:
        """The cached part of unit ``key``, if it was made from ``source``."""
        folder = part_folder(key)
        files = {name: self.read(f"{folder}/{name}") for name in ("part.json", "graph.nq",
                                                                  "flat.nt")}
        verified = {name: f for name, f in files.items() if f is not None}
        if len(verified) != len(files):
            return None
        try:
            meta = json.loads(verified["part.json"].data)
            if meta["source"] != source or meta["key"] != key:
                return None
            part = ExportPart(
                key,
                _lines(verified["graph.nq"].data),
                _lines(verified["flat.nt"].data),
                tuple(meta["prefixes"]),
                tuple((str(g), str(t)) for g, t in meta["trig"]),
                tuple((str(g), str(t)) for g, t in meta["jsonld"]),
            )
        except (ValueError, KeyError, TypeError):
            return None
        return part, verified


def write_cache_files(staging: Path, files: Mapping[str, bytes | Verified]) -> dict[str, str]:
    """Write the cache into a build's staging folder: new files written, verified files of the
    previous output linked (it is never changed in place) or copied; their sha256 by name."""
    known = {}
    for name, content in sorted(files.items()):
        target = staging / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, Verified):
            try:
                os.link(content.path, target)
            except OSError:  # another file system, or no hard links: copy the verified bytes
                target.write_bytes(content.data)
            known[name] = content.sha256
        else:
            target.write_bytes(content)
            known[name] = sha256_hex(content)
    return known
