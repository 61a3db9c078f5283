"""What an incremental build reuses: the records of documents whose files did not change, the
export parts of units whose inputs did not change, and which graphs must be checked again.

A build given a previous output folder (:func:`graph.pipeline.build`'s ``previous``) reads that
folder's cache (:mod:`graph.pipeline.cache`). The records of every document are still decoded
(the story, the report and the corpus-wide checks read them), but an unchanged document's graphs
are not built: only the units whose parts cannot be reused are, with the documents they cite or
relay for the contract (:meth:`CachePlan.to_build`). Of a reused part only its meta data is read:
what the projections read of it is known by its sha256, and the export files are the previous
build's edited (:meth:`CachePlan.changes`, :mod:`graph.pipeline.export_patch`); the findings and
the views, when they must be made again, read every part's N-Quads lines
(:mod:`graph.rdf.quad_index`).
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import Dataset, URIRef

from graph.errors import AnnotationError
from graph.model.annotations import check_corpus, parse_annotation_text
from graph.model.records import AnnotationFile, Corpus
from graph.pipeline.cache import (
    CachedPart,
    PreviousBuild,
    document_sources,
    part_files,
    part_folder,
    projection_sha256,
    record_bytes,
    record_file,
    sha256_hex,
)
from graph.pipeline.export_patch import Change
from graph.rdf.export import check_reads_back
from graph.rdf.export_parts import ExportPart, compose, export_part, units_of
from graph.rdf.vocab import ONTOLOGY_GRAPH
from graph.support.limits import MAX_ANNOTATION_BYTES, MAX_TEXT_BYTES, read_capped, read_utf8
from graph.support.orphans import end_with_parent
from graph.support.progress import progress

if TYPE_CHECKING:
    from graph.pipeline.cache import Verified

__all__ = ["CachePlan", "read_corpus"]


def _read_annotation(path: Path) -> tuple[AnnotationFile, str, bytes]:
    """One annotation file's checked records, its text's name and its bytes."""
    raw = read_capped(path, MAX_ANNOTATION_BYTES, "annotation file")
    text = read_utf8(path, MAX_ANNOTATION_BYTES, "annotation file", AnnotationError)
    names: list[str] = []

    def read_text(relative: str) -> bytes:
        names.append(relative)
        return read_capped(path.parent / relative, MAX_TEXT_BYTES, "article text")

    record = parse_annotation_text(text, path=path, read_text=read_text)
    return record, names[-1] if names else "", raw


def _in_workers(paths: Sequence[Path], jobs: int) -> list[tuple[AnnotationFile, str, bytes]]:
    if jobs < 2 or len(paths) < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return [_read_annotation(p) for p in progress(paths, len(paths), "reading annotations")]
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context,
                             initializer=end_with_parent, initargs=(os.getpid(),)) as pool:
        return list(pool.map(_read_annotation, paths, chunksize=max(1, len(paths) // (4 * jobs))))


@dataclass
class CachePlan:
    """What an incremental build reuses and what it writes into the next cache."""

    context: str
    previous: PreviousBuild | None
    annotation_sha256: dict[str, str]  # by annotation path, as given
    records: dict[str, bytes | Verified] = field(default_factory=dict)  # cache files
    read_again: frozenset[str] = frozenset()  # documents whose files were read
    sources: dict[str, str] = field(default_factory=dict)  # what each unit's part is made from
    reused: dict[str, CachedPart] = field(default_factory=dict)
    keys: tuple[str, ...] = ()  # every unit of the corpus's dataset, in order
    exports_edited: bool = False  # the export files were the previous build's, edited
    _made: dict[str, ExportPart] | None = None

    def plan_units(self, corpus: Corpus, story: Mapping[str, str] | None = None) -> None:
        """Name every unit of the corpus's dataset (its documents, the ontology, the story's
        units ``story`` names, each with what it is made from) and find the parts of the
        previous build still current."""
        self.sources = document_sources(corpus, self.annotation_sha256, self.context)
        self.sources[str(ONTOLOGY_GRAPH)] = self.context
        for key, made_from in (story or {}).items():  # made from every document
            self.sources[key] = f"{self.context} {made_from}"
        self.keys = tuple(sorted(self.sources))
        previous = self.previous
        if previous is None:
            return

        def cached(key: str) -> CachedPart | None:
            return previous.part(key, self.sources[key])

        # Checking a part is reading and hashing its files: two threads overlap them (both
        # release the interpreter).
        with ThreadPoolExecutor(max_workers=2) as pool:
            for key, found in zip(self.keys, pool.map(cached, self.keys), strict=True):
                if found is not None:
                    self.reused[key] = found

    def to_build(self, corpus: Corpus) -> set[str] | None:
        """The documents whose graphs this build makes: those whose parts are not reused, and
        the documents they cite, relay or link to (the interop contract follows links across
        documents); ``None`` for every document."""
        if not self.reused:
            return None
        todo = {key for key in self.keys if key not in self.reused}
        referenced: set[str] = set()
        for f in corpus.files:
            if f.document.id in todo:
                referenced.update(c.id for c in f.cited_documents)
                for claim in f.claims:
                    referenced.update(r.partition("#")[0] for r in claim.relayed_from)
        return todo | referenced

    def made(self, ds: Dataset, jobs: int) -> dict[str, ExportPart]:
        """The parts of the units not reused, made from ``ds`` and read back; made once."""
        if self._made is None:
            units = units_of(ds)
            todo = [key for key in self.keys if key not in self.reused]
            missing = [key for key in todo if key not in units]
            if missing:
                raise RuntimeError(f"the graphs of {missing[:3]} were not built")
            self._made = _make_parts(ds, {key: units[key] for key in todo}, jobs)
        return self._made

    def unit_nquads(self, ds: Dataset, jobs: int) -> list[tuple[str, ...]]:
        """Every unit's N-Quads lines, in key order: made, or read from the cache."""
        made = self.made(ds, jobs)
        return [made[key].nquads if key in made else self.reused[key].nquads()
                for key in self.keys]

    def part_files(self, ds: Dataset, jobs: int) -> dict[str, bytes | Verified]:
        """The cache files of every unit's part: written now, or passed on from the cache."""
        made = self.made(ds, jobs)
        files: dict[str, bytes | Verified] = {}
        for key in self.keys:
            folder = part_folder(key)
            if key in made:
                written = part_files(made[key], self.sources.get(key, "-"))
                files.update({f"{folder}/{n}": data for n, data in written.items()})
            else:
                files.update({f"{folder}/{n}": f for n, f in self.reused[key].files.items()})
        return files

    def unit_digests(self, ds: Dataset, jobs: int) -> list[tuple[str, str, int]]:
        """Each unit's key, the sha256 of what the projections read of it, and its quads."""
        made = self.made(ds, jobs)
        found = []
        for key in self.keys:
            if key in made:
                found.append((key, projection_sha256(made[key]), len(made[key].nquads)))
            else:
                meta = self.reused[key].meta
                found.append((key, str(meta["projection"]), int(meta["quads"])))
        return found

    def changes(self, ds: Dataset, jobs: int) -> list[Change] | None:
        """The units made, added or removed since the previous build, as it had them and as
        they are; None when there is no previous build or it lacks one of them."""
        if self.previous is None:
            return None
        before = set(self.previous.units)
        found = []
        made = self.made(ds, jobs)
        for key in sorted(set(made) | (before - set(self.keys))):
            old = None
            if key in before:
                cached = self.previous.part(key, None)
                if cached is None:
                    return None
                old = cached.records()
            found.append(Change(key, old, made.get(key)))
        return found


_DATASET: list[Dataset] = []  # read by forked workers, which inherit it instead of unpickling it


def _part_of(item: tuple[str, list[URIRef]]) -> ExportPart:
    key, names = item
    ds = _DATASET[0]
    part = export_part(ds, key, names)
    check_reads_back(ds, compose([part]), names)  # a part that reads back otherwise is never kept
    return part


def _make_parts(ds: Dataset, units: Mapping[str, list[URIRef]], jobs: int) -> dict[str, ExportPart]:
    items = list(units.items())
    _DATASET[:] = [ds]
    try:
        if jobs < 2 or len(items) < 2 or "fork" not in multiprocessing.get_all_start_methods():
            made = [_part_of(i) for i in progress(items, len(items), "writing exports")]
        else:
            context = multiprocessing.get_context("fork")
            with ProcessPoolExecutor(max_workers=jobs, mp_context=context,
                             initializer=end_with_parent, initargs=(os.getpid(),)) as pool:
                made = list(pool.map(_part_of, items, chunksize=max(1, len(items) // (4 * jobs))))
    finally:
        _DATASET.clear()
    return {part.key: part for part in made}


def read_corpus(paths: Sequence[Path], previous: PreviousBuild | None, context: str,
                jobs: int) -> tuple[Corpus, CachePlan]:
    """The checked corpus of ``paths``, reading again only files the previous build's cache
    does not hold as they are now."""

    plan = CachePlan(context, previous, {})
    found: dict[int, AnnotationFile] = {}
    missing: list[int] = []
    for i, path in enumerate(paths):
        try:
            raw = read_capped(path, MAX_ANNOTATION_BYTES, "annotation file")
        except Exception:  # read again below, to raise the loader's own error
            missing.append(i)
            continue
        sha = sha256_hex(raw)
        plan.annotation_sha256[str(path)] = sha
        cached = previous.record(sha, path) if previous is not None else None
        if cached is None:
            missing.append(i)
            continue
        record, _text, verified = cached
        found[i] = record
        plan.records[record_file(sha)] = verified
    for i, (record, text_name, raw) in zip(missing, _in_workers([paths[i] for i in missing], jobs),
                                           strict=True):
        found[i] = record
        sha = sha256_hex(raw)
        plan.annotation_sha256[str(paths[i])] = sha
        plan.records[record_file(sha)] = record_bytes(record, text_name)
    corpus = Corpus(tuple(found[i] for i in range(len(paths))))
    check_corpus(corpus)
    plan.read_again = frozenset(found[i].document.id for i in missing)
    return corpus, plan
