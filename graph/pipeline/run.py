"""The build, end to end: annotation files → checked records → validated dataset → output folder."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import Dataset

from graph.corpus import bundled_corpus_dir
from graph.model.annotations import load_corpus
from graph.model.records import Corpus
from graph.pipeline.manifest import MANIFEST_NAME, check_output_folder, render_manifest
from graph.rdf.dataset import build_dataset
from graph.rdf.export import SERIALISERS, check_reads_back
from graph.report.corpus_report import render_report
from graph.support.atomic import replace_directory
from graph.support.progress import progress, status
from graph.validate.checks import check_dataset
from graph.validate.problems import ShaclCounts, raise_for_problems

if TYPE_CHECKING:
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
    """A checked corpus and the validated dataset built from it."""

    corpus: Corpus
    dataset: Dataset
    shacl: ShaclCounts | None = None  # None: not validated
    sources: tuple[Path, ...] = ()  # the folders and files it was built from, as given
    story: Story | None = None  # with several documents: clusters, copies, drift (graph.story)

    def input_paths(self) -> tuple[list[Path], list[Path]]:
        """The input folders and input files a build's output must keep clear of."""
        folders = [p for p in self.sources if p.is_dir()]
        files = [p for p in self.sources if not p.is_dir()]
        return folders, files + [f.path for f in self.corpus.files]


def build(
    sources: Iterable[str | Path] | None = None, *, validate: bool = True, story: bool = True
) -> Build:
    """Load annotation folders (default: the bundled article), build and validate the dataset.

    With several documents and ``story``, the comparison across them (claim clusters, copies,
    drift; :mod:`graph.story`) is added in its own named graph.

    Raises ``AnnotationError`` for a bad annotation file and ``ValidationError`` when the built
    graph breaks the SHACL shapes or the interop contract.
    """
    given = tuple(Path(s) for s in sources) if sources else (bundled_corpus_dir(),)
    corpus = load_corpus(given)
    dataset = build_dataset(corpus)
    found = None
    if story and len(corpus.files) > 1:  # one story across documents: clusters, copies, drift
        from graph.story.model import compute_story
        from graph.story.rdf import add_story

        found = compute_story(corpus)
        add_story(dataset, found)
    if not validate:
        return Build(corpus, dataset, sources=given, story=found)
    with status("validating against the SHACL shapes and the interop contract"):
        problems, counts = check_dataset(dataset)
    raise_for_problems(problems, "the built graph")
    return Build(corpus, dataset, counts, sources=given, story=found)


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
        written = []
        texts = {}
        for name, serialise in progress(SERIALISERS.items(), len(SERIALISERS), "writing exports"):
            texts[name] = serialise(result.dataset)
        check_reads_back(result.dataset, texts)  # a file that reads back otherwise is never written
        for name, text in texts.items():
            (staging / name).write_text(text, encoding="utf-8")
            written.append(name)
        (staging / "report.md").write_text(
            render_report(result.corpus, findings=findings), encoding="utf-8"
        )
        written.append("report.md")
        for writer in writers:
            written.extend(str(p.relative_to(staging)) for p in writer(result, staging))
        (staging / MANIFEST_NAME).write_text(render_manifest(result.corpus, staging),
                                             encoding="utf-8")
        written.append(MANIFEST_NAME)
    return [out / name for name in written]
