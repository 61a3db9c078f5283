"""claimgraph: news articles as a knowledge graph of entities and claims with their sources.

The graph records who claims what, on what basis, and how each claim travelled to the page;
it never states a contested claim as fact.

>>> import graph
>>> result = graph.build()                 # the bundled article, validated
>>> len(result.corpus.files[0].claims) > 40
True
"""

from __future__ import annotations

from .annotations import load_annotation_file, load_corpus
from .build import build_dataset
from .corpus import bundled_corpus_dir
from .errors import (
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
from .pipeline import Build, build, build_bundled, write_build
from .rdfio import read_rdf
from .records import AnnotationFile, Claim, Corpus, Document, Entity
from .tables import claims_frame, entities_frame
from .validate import Problem, validate_dataset

__version__ = "0.1.0"

__all__ = [
    "AnnotationError",
    "AnnotationFile",
    "Build",
    "Claim",
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
    "read_rdf",
    "validate_dataset",
    "write_build",
]
