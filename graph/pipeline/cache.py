"""The build cache: what a build keeps in its output folder so that the next build of the same
folder reads, builds, checks and exports again only what changed.

Under ``cache/`` a build leaves, for each document, its checked records
(``cache/records/<sha256 of the annotation file>.json``); for each unit of the dataset (a
document's graphs, the ontology, the story), its share of every export (``cache/parts/<key>/``:
``meta.json``, ``graph.nq`` and ``flat.nt``; see :mod:`graph.rdf.export_parts`);
and ``cache/exports.json``, what the export files need to be edited in place of written again
(:mod:`graph.pipeline.export_patch`). The manifest lists these files with their sha256 like every
other output, and records the *context* they were made in: the cache format, the claimgraph
version, the ontology and the shapes, and the records' fields.

Nothing is used that does not match: a previous build is used only when its manifest's context
is this one; a cached file's bytes only when they have the sha256 the manifest gives (checked when
they are read); a record only when its annotation file has the sha256 it is named by and its text
the sha256 it records; a part only when it was made from the same annotation files (its
document's and those of the documents it cites, relays or links to) in the same context. Anything
else is built again. A reused part's files are checked, then linked into the next cache; only its
``meta.json`` is parsed.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Final

from graph.errors import ClaimgraphError
from graph.model.records import AnnotationFile, Corpus, iter_claim_links
from graph.pipeline.export_patch import UnitRecords
from graph.pipeline.file_identity import Identities
from graph.pipeline.record_codec import (
    RecordDecodeError,
    decode_entry,
    encode_record,
    record_schema,
)
from graph.rdf.export_parts import ExportPart
from graph.rdf.ontology_files import ontology_path, shapes_path

__all__ = [
    "CACHE_DIR",
    "PART_FILES",
    "CacheChangedError",
    "CachedPart",
    "PreviousBuild",
    "Verified",
    "build_context",
    "document_sources",
    "part_files",
    "part_folder",
    "projection_sha256",
    "record_bytes",
    "record_file",
    "sha256_hex",
    "write_cache_files",
]

CACHE_DIR: Final = "cache"
_FORMAT: Final = "claimgraph-build-cache 4"  # change when what a cache file holds changes


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
    return _json_bytes({"text": text_name,
                        "record": encode_record(replace(record, path=Path(".")))})


PART_FILES: Final = ("meta.json", "graph.nq", "flat.nt")


def _json_bytes(value: object) -> bytes:
    return (json.dumps(value, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")


def part_files(part: ExportPart, source: str) -> dict[str, bytes]:
    """The files of one cached part; ``source`` says what it was made from. ``meta.json`` is
    all a build reads of a part it reuses; the lines are what a load reads, and what the next
    build takes out of the export files if the unit changes (its TriG blocks and JSON-LD
    entries are found by their graphs' names)."""
    meta = {"source": source, "key": part.key, "prefixes": part.prefixes,
            "graphs": [g for g, _ in part.trig], "quads": len(part.nquads),
            "projection": projection_sha256(part)}
    return {
        "meta.json": _json_bytes(meta),
        "graph.nq": "".join(part.nquads).encode("utf-8"),
        "flat.nt": "".join(part.flat).encode("utf-8"),
    }


def projection_sha256(part: ExportPart) -> str:
    """The sha256 of what the projections read of a part (:mod:`graph.rdf.quad_index`)."""
    from graph.rdf.quad_index import projection_lines

    digest = hashlib.sha256()
    for line in projection_lines(part.nquads):
        digest.update(line.encode("utf-8"))
    return digest.hexdigest()


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
    """A file of the previous output whose bytes have the sha256 its manifest gives (``data``:
    None when they were not kept)."""

    data: bytes | None
    path: Path  # in the previous output: linked, not copied, into the next one
    sha256: str

    def bytes(self) -> bytes:
        """The file's bytes, checked against its sha256 if they were not read yet."""
        if self.data is not None:
            return self.data
        data = self.path.read_bytes()
        if sha256_hex(data) != self.sha256:
            raise CacheChangedError(f"{self.path}: changed during the build; build again")
        return data


class CacheChangedError(ClaimgraphError):
    """A checked cache file changed before it could be read again."""


@dataclass(frozen=True)
class CachedPart:
    """A unit's part in the previous build's cache: its files checked, only its meta data read
    until its lines are asked for."""

    key: str
    meta: Mapping[str, Any]
    files: Mapping[str, Verified]  # by name in the part's folder

    def nquads(self) -> tuple[str, ...]:
        """The unit's N-Quads lines, checked against their sha256 as they are read."""
        return _lines(self.files["graph.nq"].bytes())

    def records(self) -> UnitRecords:
        """What the export files hold of the unit, its files checked as they are read."""
        return UnitRecords(self.nquads(), _lines(self.files["flat.nt"].bytes()),
                           tuple(map(str, self.meta["prefixes"])),
                           tuple(map(str, self.meta["graphs"])))


class PreviousBuild:
    """The cache of an earlier build's output folder, read only where it verifies."""

    def __init__(self, folder: Path, files: Mapping[str, Any], units: Sequence[str] = ()) -> None:
        self.folder = folder
        self._files = files
        self.units = tuple(units)  # the units of its dataset
        self.identities = Identities.open(folder)  # files known unchanged without reading them

    @classmethod
    def open(cls, folder: Path, context: str) -> PreviousBuild | None:
        """The previous build in ``folder``, or ``None`` when there is none made in ``context``."""
        from graph.pipeline.manifest import read_manifest

        manifest = read_manifest(folder)
        cache = manifest.get("cache") if manifest is not None else None
        if manifest is None or not isinstance(cache, dict) or cache.get("context") != context:
            return None
        units = cache.get("units")
        return cls(folder, manifest["files"],
                   [str(u) for u in units] if isinstance(units, list) else ())

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

    def checked(self, name: str) -> Verified | None:
        """:meth:`read`, keeping only the file's path: its bytes are read again if needed. A
        file the previous build's record of identities vouches for is not read at all."""
        listed = self.listed_sha256(name)
        if listed is not None and self.identities.vouches(name):
            return Verified(None, self.folder / name, listed)
        found = self.read(name)
        return None if found is None else Verified(None, found.path, found.sha256)

    def listed_sha256(self, name: str) -> str | None:
        """The sha256 the previous manifest gives a file, if it lists it."""
        listed = self._files.get(name)
        digest = listed.get("sha256") if isinstance(listed, dict) else None
        return digest if isinstance(digest, str) else None

    def record(self, annotation_sha256: str, path: Path
               ) -> tuple[AnnotationFile, str, Verified] | None:
        """The cached records of the annotation file ``path`` (whose bytes have this sha256),
        with its text's name, if its text has not changed either."""
        found = self.read(record_file(annotation_sha256))
        if found is None:
            return None
        try:
            record, text_name = decode_entry(found.bytes())
            text = path.parent / text_name
            if text.is_symlink() or not text.is_file():
                return None
            if sha256_hex(text.read_bytes()) != record.document.sha256:
                return None
        except (ValueError, KeyError, TypeError, OSError, RecordDecodeError):
            return None
        return replace(record, path=path), text_name, found

    def part(self, key: str, source: str | None) -> CachedPart | None:
        """The cached part of unit ``key``, if it was made from ``source`` (any, if None)."""
        folder = part_folder(key)
        meta_file = self.read(f"{folder}/meta.json")
        if meta_file is None or meta_file.data is None:
            return None
        try:
            meta = json.loads(meta_file.data)
            if (source is not None and meta["source"] != source) or meta["key"] != key:
                return None  # made from other inputs: its other files need no check
            if not isinstance(meta["quads"], int) or not isinstance(meta["projection"], str) \
                    or not isinstance(meta["graphs"], list):
                return None
        except (ValueError, KeyError, TypeError):
            return None
        files = {name: self.checked(f"{folder}/{name}") for name in PART_FILES[1:]}
        checked = {name: f for name, f in files.items() if f is not None}
        if len(checked) != len(files):
            return None
        return CachedPart(key, meta, {"meta.json": meta_file, **checked})


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
                target.write_bytes(content.bytes())
            known[name] = content.sha256
        else:
            target.write_bytes(content)
            known[name] = sha256_hex(content)
    return known
