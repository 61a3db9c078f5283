"""The graph a command reads: the user's RDF file, or the bundled article, said out loud.

A command that answers about the bundled article because it was given no graph says so on
stderr in one line, so an answer is never mistaken for one about the user's own article.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from rdflib import Dataset

__all__ = ["BUNDLED_NOTE", "GRAPH_FILE_HINT", "note_bundled", "read_graph"]

BUNDLED_NOTE = "claimgraph: no graph given; using the bundled article ({name}). {hint}."
GRAPH_FILE_HINT = "Give a graph file (e.g. out/graph.trig)"


def note_bundled(hint: str = GRAPH_FILE_HINT) -> None:
    """Say on stderr that the bundled article answers (stdout stays the command's output)."""
    from graph.corpus import bundled_corpus_dir

    click.echo(BUNDLED_NOTE.format(name=bundled_corpus_dir().name, hint=hint), err=True)


def read_graph(graph_file: Path | None) -> Dataset:
    """The dataset of an RDF file, or of the bundled article (built and validated) with a note."""
    if graph_file is not None:
        from graph.rdf.rdfio import read_rdf

        return read_rdf(graph_file)
    note_bundled()
    from graph.pipeline.run import build

    return build().dataset
