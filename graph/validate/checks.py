"""SHACL validation and the interop contract, with reports an analyst can read.

Two checks, both run by every build and by ``claimgraph validate``:

* the SHACL shapes of ``ontology/shapes.ttl`` (pyshacl, no inference), each property shape given
  its node shape's targets, which gives the same results faster
  (:mod:`graph.validate.shape_targets`);
* the interop contract of the design notes, which SHACL cannot say: each claim's offsets slice
  its document's text to exactly its ``schema:text``; author-voice claims are attributed to the
  document's publisher or author; a claim derived from another claim also reaches that claim's
  document through ``prov:wasDerivedFrom``; content triples live only in claim graphs (a flat
  file, which has none, may carry them only reified); each stored text still has its SHA-256.

SHACL checks the data document by document; a document that passed before, exactly as it is now,
is not checked again (:mod:`graph.validate.shacl_cache`). The contract is always checked in full.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING

from rdflib import Dataset, Graph

if TYPE_CHECKING:
    pass
from graph.validate.contract import check_contract
from graph.validate.problems import Problem, ShaclCounts
from graph.validate.shacl import _Checked, _shacl_in_workers

__all__ = [
    "check_dataset",
    "validate_dataset",
]


def validate_dataset(data: Graph | Dataset, *, shacl: bool = True) -> list[Problem]:
    """All problems: the interop contract, then SHACL, document by document."""
    return check_dataset(data, shacl=shacl)[0]


def check_dataset(data: Graph | Dataset, *, shacl: bool = True,
                  shacl_only: Collection[str] | None = None) -> _Checked:
    """All problems, and what SHACL checked and found unchanged (:func:`validate_dataset`).

    SHACL runs on forked workers while this process checks the contract. ``shacl_only``: the
    documents SHACL checks (by id; a graph of its own kind by IRI), when the others are in
    ``data`` only for the contract, which follows links across documents.
    """
    if not shacl:
        return check_contract(data), ShaclCounts(0, 0)
    collect, cleanup = _shacl_in_workers(data, shacl_only)
    try:
        problems = check_contract(data)
        found, counts = collect()
        problems.extend(found)
    finally:
        cleanup()
    return problems, counts
