"""claimgraph: news articles as a knowledge graph of entities and claims with their sources.

The graph records who claims what, on what basis, and how each claim travelled to the page;
it never states a contested claim as fact.

>>> import graph
>>> result = graph.build()                 # the bundled article, validated
>>> len(result.corpus.files[0].claims) > 40
True
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from graph._version import __version__
from graph.errors import (
    AnnotationError,
    ClaimgraphError,
    InputError,
    InputTooLargeError,
    NotFoundError,
    OutputRefusedError,
    QueryError,
    QueryRefusedError,
    RDFSyntaxError,
    StoreError,
    TextMismatchError,
    TruncatedResultError,
    ValidationError,
)

if TYPE_CHECKING:
    from graph.corpus import bundled_corpus_dir
    from graph.model.annotations import load_annotation_file, load_corpus
    from graph.model.records import AnnotationFile, Claim, Corpus, Document, Entity
    from graph.pipeline.run import Build, build, build_bundled, write_build
    from graph.rdf.dataset import build_dataset
    from graph.rdf.rdfio import read_rdf
    from graph.report.tables import claims_frame, entities_frame
    from graph.session import ClaimGraph
    from graph.session import open_graph as open
    from graph.validate.checks import validate_dataset
    from graph.validate.problems import Problem

# Imported on first use, so that `import graph.model` (or the CLI's --help) does not load rdflib,
# pyshacl or pandas: each public name is looked up in the module that defines it.
_LAZY: dict[str, str] = {
    "bundled_corpus_dir": "graph.corpus",
    "load_annotation_file": "graph.model.annotations",
    "load_corpus": "graph.model.annotations",
    **dict.fromkeys(
        ["AnnotationFile", "Claim", "Corpus", "Document", "Entity"], "graph.model.records"
    ),
    **dict.fromkeys(["Build", "build", "build_bundled", "write_build"], "graph.pipeline.run"),
    "build_dataset": "graph.rdf.dataset",
    "read_rdf": "graph.rdf.rdfio",
    "claims_frame": "graph.report.tables",
    "entities_frame": "graph.report.tables",
    "Problem": "graph.validate.problems",
    "validate_dataset": "graph.validate.checks",
    "open": "graph.session",
    "ClaimGraph": "graph.session",
}
_RENAMED: dict[str, str] = {"open": "open_graph"}  # graph.open is graph.session.open_graph


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'graph' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), _RENAMED.get(name, name))
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})


__all__ = [
    "AnnotationError",
    "AnnotationFile",
    "Build",
    "Claim",
    "ClaimGraph",
    "ClaimgraphError",
    "Corpus",
    "Document",
    "Entity",
    "InputError",
    "InputTooLargeError",
    "NotFoundError",
    "OutputRefusedError",
    "Problem",
    "QueryError",
    "QueryRefusedError",
    "RDFSyntaxError",
    "StoreError",
    "TextMismatchError",
    "TruncatedResultError",
    "ValidationError",
    "__version__",
    "build",
    "build_bundled",
    "build_dataset",
    "bundled_corpus_dir",
    "claims_frame",
    "entities_frame",
    "load_annotation_file",
    "load_corpus",
    "open",
    "read_rdf",
    "validate_dataset",
    "write_build",
]
