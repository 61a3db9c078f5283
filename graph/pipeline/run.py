"""The build, end to end: annotation files → checked records → validated dataset → output folder."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import Dataset

from graph.corpus import bundled_corpus_dir
from graph.model.annotations import annotation_paths
from graph.model.records import Corpus
from graph.pipeline.cache import (
    PreviousBuild,
    build_context,
    projection_sha256,
    write_cache_files,
)
from graph.pipeline.export_files import write_export_files, write_texts
from graph.pipeline.export_patch import (
    EXPORT_INDEX,
    ExportIndex,
    export_index,
    patch_export_files,
)
from graph.pipeline.file_identity import record_identities
from graph.pipeline.incremental import CachePlan, read_corpus
from graph.pipeline.manifest import (
    MANIFEST_NAME,
    check_output_folder,
    claimgraph_version,
    render_manifest,
)
from graph.rdf.dataset import build_dataset
from graph.rdf.export import check_reads_back, export_parts, export_texts
from graph.rdf.export_parts import EXPORT_FILES, ExportPart, export_part, units_of
from graph.rdf.quad_index import projection_dataset, projection_lines
from graph.rdf.sorted_records import RecordEditError
from graph.report.corpus_report import render_report
from graph.support.atomic import replace_directory
from graph.support.policy import current, use
from graph.support.progress import status
from graph.validate.checks import check_dataset
from graph.validate.problems import ShaclCounts, raise_for_problems

if TYPE_CHECKING:
    from graph.pipeline.cache import Verified
    from graph.story.model import Story

__all__ = [
    "Build",
    "OutputWriter",
    "build",
    "build_bundled",
    "write_build",
]

# Extra writers run into the staging folder of a build (views, analysis findings); each returns
# the files it wrote. Kept as hooks so this module does not import pyvis or networkx.
OutputWriter = Callable[["Build", Path], list[Path]]


@dataclass(frozen=True)
class Build:
    """A checked corpus and the validated graphs built from it."""

    corpus: Corpus
    graphs: Dataset  # the graphs this build made and validated: every graph, unless it reused some
    shacl: ShaclCounts | None = None  # None: not validated
    sources: tuple[Path, ...] = ()  # the folders and files it was built from, as given
    story: Story | None = None  # with several documents: clusters, copies, drift (graph.story)
    cache: CachePlan | None = None  # what the build reused, and the cache it leaves
    jobs: int = 1  # processes for the work done document by document
    complete: bool = True  # ``graphs`` holds every graph of the corpus

    @cached_property
    def dataset(self) -> Dataset:
        """The dataset of the whole corpus: ``graphs``, or, when the build reused the parts of
        unchanged documents, every graph built again from the records (once, when asked)."""
        if self.complete:
            return self.graphs
        ds = build_dataset(self.corpus)
        if self.story is not None:
            from graph.story.rdf import add_story

            add_story(ds, self.story)
        return ds

    @cached_property
    def _parts(self) -> list[ExportPart]:
        return [export_part(self.graphs, key, names)
                for key, names in units_of(self.graphs).items()]

    @cached_property
    def _units(self) -> list[tuple[str, str, int]]:
        if self.cache is None:
            return [(p.key, projection_sha256(p), len(p.nquads)) for p in self._parts]
        return self.cache.unit_digests(self.graphs, self.jobs)

    @cached_property
    def projection(self) -> Dataset:
        """What the projections read (:mod:`graph.rdf.quad_index`), from every unit's N-Quads:
        the findings and the views need no dataset of the whole corpus."""
        units = ([p.nquads for p in self._parts] if self.cache is None
                 else self.cache.unit_nquads(self.graphs, self.jobs))
        lines = projection_lines(line for nquads in units for line in nquads)
        return projection_dataset(list(lines), filtered=True)

    @cached_property
    def projection_digest(self) -> str:
        """The sha256 of what the projections read, unit by unit: the same, the same findings
        and views. Known without reading the parts a build reuses."""
        digest = hashlib.sha256()
        for key, unit, _quads in self._units:
            digest.update(f"{key}\t{unit}\n".encode())
        return digest.hexdigest()

    def quad_count(self) -> int:
        """The number of quads in the corpus's dataset (each unit's graphs are its own)."""
        return sum(quads for _key, _unit, quads in self._units)

    def input_paths(self) -> tuple[list[Path], list[Path]]:
        """The input folders and input files a build's output must keep clear of."""
        folders = [p for p in self.sources if p.is_dir()]
        files = [p for p in self.sources if not p.is_dir()]
        return folders, files + [f.path for f in self.corpus.files]

    def documents_read(self) -> int:
        """How many documents' files were read and checked (the others came from the cache)."""
        return len(self.corpus.files) if self.cache is None else len(self.cache.read_again)


def build(
    sources: Iterable[str | Path] | None = None,
    *,
    validate: bool = True,
    story: bool = True,
    previous: str | Path | None = None,
    jobs: int | None = None,
) -> Build:
    """Load annotation folders (default: the bundled article), build and validate the dataset.

    With several documents and ``story``, the comparison across them (claim clusters, copies,
    drift; :mod:`graph.story`) is added in its own named graph.

    ``previous``, an earlier build's output folder, makes the build incremental: what that
    folder's cache holds for unchanged inputs is not read, built, checked or exported again
    (:mod:`graph.pipeline.incremental`); the result is the same as without it. ``jobs``: the
    processes reading, validating and exporting documents (default: the caller's policy).

    Raises ``AnnotationError`` for a bad annotation file and ``ValidationError`` when the built
    graph breaks the SHACL shapes or the interop contract.
    """
    given = tuple(Path(s) for s in sources) if sources else (bundled_corpus_dir(),)
    jobs = max(1, jobs if jobs is not None else current().processes)
    context = build_context(claimgraph_version())
    earlier = PreviousBuild.open(Path(previous), context) if previous is not None else None
    corpus, plan = read_corpus(annotation_paths(given), earlier, context, jobs)
    found = None
    story_units: dict[str, str] = {}
    if story and len(corpus.files) > 1:  # one story across documents: clusters, copies, drift
        from graph.pipeline.story_cache import story_for
        from graph.story.rdf import STORY_GRAPH, add_story

        found, name, kept = story_for(corpus, earlier, context)
        plan.records[name] = kept
        if found.clusters or found.copies:  # its graph, known by what the story is made from
            story_units[str(STORY_GRAPH)] = f"story {name}"
    plan.plan_units(corpus, story_units)
    only = plan.to_build(corpus)  # None: every document
    graphs = build_dataset(corpus, only=only)
    if found is not None and any(key not in plan.reused for key in story_units):
        add_story(graphs, found)
    done = Build(corpus, graphs, sources=given, story=found, cache=plan, jobs=jobs,
                 complete=only is None)
    if not validate:
        return done
    with status("validating against the SHACL shapes and the interop contract"), \
            use(replace(current(), processes=jobs)):
        # Documents whose parts are reused passed these checks when they were made; they are
        # here for the contract of the documents that cite or relay them, not for SHACL.
        redo = None if only is None else {k for k in plan.keys if k not in plan.reused}
        problems, counts = check_dataset(graphs, shacl_only=redo)
    raise_for_problems(problems, "the built graph")
    return replace(done, shacl=counts)


def _export_files(plan: CachePlan, result: Build, staging: Path) -> tuple[dict[str, str],
                                                                         ExportIndex]:
    """The five export files: the previous build's edited where it has what that needs, else
    composed from every part."""
    changes = plan.changes(result.graphs, result.jobs)
    previous = plan.previous
    if changes is not None and previous is not None:
        index = previous.read(EXPORT_INDEX)
        digests = {name: previous.listed_sha256(name) for name in EXPORT_FILES}
        known = {name: (d, previous.identities.recorded(name))
                 for name, d in digests.items() if d is not None}
        if index is not None and index.data is not None and len(known) == len(EXPORT_FILES):
            try:
                edited = patch_export_files(previous.folder, known, changes,
                                            ExportIndex.from_bytes(index.data), staging,
                                            result.jobs)
            except (RecordEditError, ValueError, KeyError, TypeError):
                pass  # composed whole below, over whatever was written
            else:
                plan.exports_edited = True
                return edited
    made = plan.made(result.graphs, result.jobs)
    if all(key in made for key in plan.keys):
        parts = [made[key] for key in plan.keys]
    else:  # reused parts hold no TriG or JSON-LD: every part is made again from the whole dataset
        parts = export_parts(result.dataset)
    return write_export_files(parts, staging, result.jobs), export_index(parts)


def build_bundled() -> Dataset:
    """The bundled article's validated dataset, in two lines from a notebook.

    >>> import graph
    >>> ds = graph.build_bundled()
    >>> len(ds) > 1000
    True
    """
    return build().dataset


def write_build(
    result: Build,
    out: str | Path,
    *,
    findings: str | None = None,
    writers: Sequence[OutputWriter] = (),
) -> list[Path]:
    """Write every export, ``report.md`` and the manifest into ``out``, replacing it whole or not
    at all.

    ``out`` is replaced only when it is missing, empty or a previous build's output, and never
    when it is, holds or is inside an input; otherwise ``OutputRefusedError`` is raised and
    nothing is written (see :mod:`graph.pipeline.manifest`).
    """
    folders, files = result.input_paths()

    def check(target: Path) -> None:
        check_output_folder(target, folders=folders, files=files)

    out = Path(out)
    with replace_directory(out.resolve(), check=check) as staging:
        written: list[str] = []
        plan = result.cache
        if plan is None:
            texts = export_texts(result.dataset)
            check_reads_back(result.dataset, texts)  # what reads back otherwise is never written
            hashed = write_texts(texts, staging)
            cache_files: dict[str, bytes | Verified] = {}
            units: list[str] = []
        else:  # each part was read back as it was made (or when an earlier build made it)
            cache_files = plan.part_files(result.graphs, result.jobs)
            hashed, index = _export_files(plan, result, staging)
            cache_files[EXPORT_INDEX] = index.to_bytes()
            units = list(plan.keys)
            cache_files.update(plan.records)
        written.extend(name for name in EXPORT_FILES if name in hashed)
        known = write_cache_files(staging, cache_files) | hashed
        written.extend(sorted(cache_files))
        (staging / "report.md").write_text(
            render_report(result.corpus, findings=findings), encoding="utf-8"
        )
        written.append("report.md")
        for writer in writers:
            written.extend(str(p.relative_to(staging)) for p in writer(result, staging))
        manifest = render_manifest(result.corpus, staging, known=known,
                                   cache=None if plan is None else plan.context,
                                   units=units,
                                   annotation_sha256=None if plan is None
                                   else plan.annotation_sha256)
        (staging / MANIFEST_NAME).write_text(manifest, encoding="utf-8")
        written.append(MANIFEST_NAME)
        if plan is not None:  # the next build's and load's checks of unchanged files
            record_identities(staging, json.loads(manifest)["files"])
    return [out / name for name in written]
