"""SHACL, document by document: chunks of documents, forked workers, the record of passes."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Collection, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from rdflib import Dataset, Graph, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from graph.rdf.vocab import (
    ID,
    ONTOLOGY_GRAPH,
    RDF,
    SH,
)
from graph.support.gc_pause import without_gc
from graph.support.orphans import end_with_parent
from graph.validate.shacl_cache import ConformanceRecord
from graph.validate.shape_targets import read_targeted_shapes

if TYPE_CHECKING:
    pass
from graph.support.policy import current
from graph.validate.problems import Problem, ShaclCounts, _has_named_graphs, _name, union_of

__all__ = [
    "SHACL_CHUNK_TRIPLES",
    "check_shacl",
    "shacl_chunks",
]


def check_shacl(data: Graph) -> list[Problem]:
    """Validate a (union) graph against the shapes; one problem per SHACL result."""
    import pyshacl  # heavy: imported where used

    conforms, results, _text = pyshacl.validate(
        data_graph=data,
        shacl_graph=read_targeted_shapes(),  # same results as shapes.ttl, faster
        inference="none",
        inplace=True,  # no inference and no rules: nothing is written, so no copy is needed
        advanced=True,
        allow_warnings=True,
    )
    if conforms:
        return []
    problems = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        severity = results.value(result, SH.resultSeverity)
        if severity is not None and severity != SH.Violation:
            continue
        focus = results.value(result, SH.focusNode)
        message = results.value(result, SH.resultMessage) or "breaks a shape"
        path = results.value(result, SH.resultPath)
        where = (
            f" (property {data.namespace_manager.normalizeUri(path)})"
            if isinstance(path, URIRef)
            else ""
        )
        problems.append(
            Problem(_name(data, focus) if focus is not None else "?", f"{message}{where}", "shacl")
        )
    return sorted(problems, key=lambda p: (p.focus, p.message))


SHACL_CHUNK_TRIPLES: Final = 40_000


def _document_key(graph_iri: str) -> str | None:
    """``doc`` for ``id:graph/doc``, ``id:graph/doc/analyst`` and ``id:graph/doc/claim/c1``."""
    prefix = str(ID) + "graph/"
    return graph_iri[len(prefix) :].split("/", 1)[0] if graph_iri.startswith(prefix) else None


@dataclass
class _Chunk:
    """Graphs SHACL checks together: the shared ones (the ontology) and whole documents."""

    shared: list[Graph]
    documents: list[tuple[str, list[Graph]]]

    def graphs(self) -> list[Graph]:
        return self.shared + [g for _, graphs in self.documents for g in graphs]


def _chunk_plan(data: Dataset, max_triples: int,
                only: Collection[str] | None = None) -> list[_Chunk]:
    """Whole documents grouped into chunks of about ``max_triples``, each with the ontology;
    ``only``: the keys of the documents (or graphs of their own kind) to check, by default all."""
    shared: list[Graph] = []
    documents: dict[str, list[Graph]] = {}
    for g in data.graphs():
        if not len(g) or g.identifier == DATASET_DEFAULT_GRAPH_ID:
            continue
        key = _document_key(str(g.identifier))
        if g.identifier == ONTOLOGY_GRAPH:
            shared.append(g)
        elif key is None:
            documents[str(g.identifier)] = [g]  # a graph of its own kind: checked alone
        else:
            documents.setdefault(key, []).append(g)
    plan: list[_Chunk] = []
    size = 0
    for key in sorted(documents):
        if only is not None and key not in only:
            continue
        extra = sum(len(g) for g in documents[key])
        if not plan or (size + extra > max_triples and size > 0):
            plan.append(_Chunk(list(shared), []))
            size = sum(len(g) for g in shared)
        plan[-1].documents.append((key, documents[key]))
        size += extra
    return plan


def _union_of_graphs(graphs: list[Graph]) -> Graph:
    chunk = Graph()
    for g in graphs:
        chunk += g
    return chunk


def shacl_chunks(data: Graph | Dataset, *, max_triples: int = SHACL_CHUNK_TRIPLES) -> list[Graph]:
    """The data cut into graphs that SHACL can check one by one, each a union of whole documents.

    A document's graphs (its own, its analyst's, its claims') describe everything their shapes
    look at, so checking documents apart finds the same problems as checking the union — in time
    that grows with the corpus instead of faster. Each chunk also holds the ontology graph.
    """
    if not isinstance(data, Dataset) or not _has_named_graphs(data):
        return [union_of(data)]
    return [_union_of_graphs(chunk.graphs()) for chunk in _chunk_plan(data, max_triples)] or [
        union_of(data)
    ]


_Checked = tuple[list[Problem], ShaclCounts]


@without_gc
def _check_chunk(chunk: _Chunk, record: ConformanceRecord | None) -> _Checked:
    """SHACL on the chunk's documents that have not passed before as they are now.

    A chunk that passes records each of its documents (:mod:`graph.validate.shacl_cache`); one with
    problems records none, so all of its documents are checked again next time.
    """
    prints = {key: record.fingerprint(graphs) for key, graphs in chunk.documents} if record else {}
    todo = [doc for doc in chunk.documents if record is None or not record.known(prints[doc[0]])]
    counts = ShaclCounts(len(todo), len(chunk.documents) - len(todo))
    if not todo:
        return [], counts
    problems = check_shacl(_union_of_graphs(_Chunk(chunk.shared, todo).graphs()))
    if record is not None and not problems:
        record.remember(prints[key] for key, _ in todo)
    return problems, counts


def _gather(results: Iterable[_Checked]) -> _Checked:
    problems: list[Problem] = []
    counts = ShaclCounts(0, 0)
    for found, done in results:
        problems.extend(found)
        counts += done
    return problems, counts


_PLAN: list[_Chunk] = []  # read by forked workers, which inherit it instead of unpickling it
_RECORD: list[ConformanceRecord | None] = [None]


def _check_planned_chunk(index: int) -> _Checked:
    return _check_chunk(_PLAN[index], _RECORD[0])  # the union is made in the worker


_Started = tuple[Callable[[], _Checked], Callable[[], None]]


def _shacl_in_workers(data: Graph | Dataset, only: Collection[str] | None = None) -> _Started:
    """Start SHACL on forked workers, one chunk each at a time; return (collect, cleanup).

    The parent is free meanwhile (it checks the contract). Where forking is not possible, or on
    one core, ``collect`` runs every chunk in this process. Documents that passed before, as they
    are now, are not checked again (:mod:`graph.validate.shacl_cache`); with ``only``, the other
    documents are not checked at all (the caller knows they passed).
    """
    named = isinstance(data, Dataset) and _has_named_graphs(data)
    plan = _chunk_plan(data, SHACL_CHUNK_TRIPLES, only) if isinstance(data, Dataset) and named \
        else []
    if not plan and named and only is not None:
        return (lambda: ([], ShaclCounts(0, 0))), (lambda: None)
    if not plan:
        chunks = shacl_chunks(data)
        return (lambda: _gather((check_shacl(c), ShaclCounts(1, 0)) for c in chunks)), (
            lambda: None)
    record = ConformanceRecord.open(plan[0].shared)
    workers = min(len(plan), current().processes)
    if workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return (lambda: _gather(_check_chunk(chunk, record) for chunk in plan)), (lambda: None)
    import pyshacl  # noqa: F401  (imported once here, not once per forked worker)

    read_targeted_shapes()  # read once here, not once per forked worker
    _PLAN[:] = plan
    _RECORD[0] = record
    context = multiprocessing.get_context("fork")
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=context,
                               initializer=end_with_parent, initargs=(os.getpid(),))
    futures = [pool.submit(_check_planned_chunk, i) for i in range(len(plan))]

    def collect() -> _Checked:
        return _gather(future.result() for future in futures)

    def cleanup() -> None:
        pool.shutdown(wait=True, cancel_futures=True)
        _PLAN.clear()
        _RECORD[0] = None

    return collect, cleanup
