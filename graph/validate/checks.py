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

import hashlib
import multiprocessing
import os
import warnings
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import NamespaceManager
from rdflib.term import Node

from graph.errors import ValidationError
from graph.rdf.vocab import (
    CG,
    CLAIM_GRAPH_PATTERN,
    DCTERMS,
    ID,
    OA,
    ONTOLOGY_GRAPH,
    PREFIXES,
    PROV,
    RDF,
    RDFS,
    RELATIONS,
    SCHEMA,
    SH,
    is_claim_graph_iri,
)
from graph.support.gc_pause import without_gc
from graph.validate.shacl_cache import ConformanceRecord
from graph.validate.shape_targets import read_targeted_shapes

if TYPE_CHECKING:
    from graph.stores import Store

__all__ = [
    "SHACL_CHUNK_TRIPLES",
    "Fail",
    "Problem",
    "ShaclCounts",
    "check_contract",
    "check_dataset",
    "check_shacl",
    "check_store",
    "raise_for_problems",
    "shacl_chunks",
    "union_of",
    "union_view",
    "validate_dataset",
]

_CONTENT_PREDICATES = frozenset(RELATIONS.values())
Fail = Callable[[Node, str], None]


@dataclass(frozen=True)
class Problem:
    """One break of the shapes or the contract: which node, and what is wrong with it."""

    focus: str
    message: str
    check: str  # "shacl" or "contract"

    def __str__(self) -> str:
        return f"{self.focus}: {self.message}"


@dataclass(frozen=True)
class ShaclCounts:
    """What SHACL did with the documents of one validation."""

    checked: int  # documents (or other graphs checked on their own) SHACL checked
    unchanged: int  # documents not checked: they passed before exactly as they are now

    def __add__(self, other: ShaclCounts) -> ShaclCounts:
        return ShaclCounts(self.checked + other.checked, self.unchanged + other.unchanged)

    def describe(self) -> str:
        """A short phrase for the command line; empty when every document was checked."""
        if not self.unchanged:
            return ""
        return (f"SHACL checked {self.checked} document(s); {self.unchanged} unchanged since "
                "they passed")


def union_of(data: Graph | Dataset) -> Graph:
    """All triples of all graphs, as one graph (a Dataset's named graphs included)."""
    if isinstance(data, Dataset):
        union = Graph()
        for s, p, o, _ in data.quads((None, None, None, None)):
            union.add((s, p, o))
        return union
    return data


def _name(g: Graph, node: Node) -> str:
    ident = g.value(node, DCTERMS.identifier)
    doc = g.value(node, SCHEMA.appearance)
    if ident is not None and doc is not None:
        doc_id = g.value(doc, DCTERMS.identifier)
        return f"claim '{ident}' of '{doc_id}'"
    if ident is not None:
        return f"'{ident}'"
    return str(node)


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


def _claims(g: Graph) -> Iterable[Node]:
    return sorted(g.subjects(RDF.type, SCHEMA.Claim), key=str)


def union_view(data: Graph | Dataset) -> Graph:
    """All graphs of ``data`` read as one, without copying a triple (a Graph is itself)."""
    if isinstance(data, Dataset):
        return Dataset(store=data.store, default_union=True)
    return data


@without_gc
def check_contract(data: Graph | Dataset) -> list[Problem]:
    """The interop contract's patterns, checked claim by claim."""
    with warnings.catch_warnings():  # rdflib's union reads call its own deprecated Dataset API
        warnings.simplefilter("ignore", DeprecationWarning)
        return _check_contract(data)


def _check_contract(data: Graph | Dataset) -> list[Problem]:
    g = union_view(data)  # a copy of a large corpus would double the memory a build needs
    problems: list[Problem] = []

    def fail(node: Node, message: str) -> None:
        problems.append(Problem(_name(g, node), message, "contract"))

    for claim in _claims(g):
        text = g.value(claim, SCHEMA.text)
        if text is None:
            fail(claim, "has no schema:text")
            continue
        agents = list(g.objects(claim, PROV.wasAttributedTo))
        if not agents:
            fail(claim, "is attributed to no one (prov:wasAttributedTo)")
        for agent in agents:
            if g.value(agent, RDFS.label) is None:
                fail(claim, f"its claimant {agent} has no rdfs:label")
        _check_anchors(g, claim, str(text), fail)
        if g.value(claim, CG.sourceKind) == CG.AuthorVoice:
            _check_author_voice(g, claim, agents, fail)
        for upstream in g.objects(claim, PROV.wasDerivedFrom):
            if (upstream, RDF.type, SCHEMA.Claim) in g:
                upstream_doc = g.value(upstream, SCHEMA.appearance)
                reach = set(g.transitive_objects(claim, PROV.wasDerivedFrom))
                if upstream_doc is not None and upstream_doc not in reach:
                    fail(
                        claim,
                        f"is derived from {upstream} but does not reach its document "
                        f"{upstream_doc}",
                    )
    for node in sorted(set(g.subjects(RDF.type, None)), key=str):
        if (node, RDF.type, SCHEMA.Claim) in g or (node, RDF.type, SCHEMA.QuantitativeValue) in g:
            continue
        types = set(g.objects(node, RDF.type))
        if types & _NEEDS_LABEL and g.value(node, RDFS.label) is None:
            fail(node, "has no rdfs:label")
    for q in sorted(g.subjects(RDF.type, SCHEMA.QuantitativeValue), key=str):
        has_number = any(
            g.value(q, p) is not None for p in (SCHEMA.value, SCHEMA.minValue, SCHEMA.maxValue)
        )
        if not has_number or g.value(q, SCHEMA.unitText) is None:
            fail(
                q, "a quantity needs schema:value or schema:minValue/maxValue, and schema:unitText"
            )
    _check_text_hashes(g, fail)
    problems.extend(_check_content_graphs(data))
    return problems


_NEEDS_LABEL = frozenset(
    {
        SCHEMA.Person,
        SCHEMA.Organization,
        CG.Group,
        SCHEMA.Place,
        SCHEMA.CreativeWork,
        CG.Award,
        SCHEMA.Event,
        CG.Topic,
        PROV.Agent,
        SCHEMA.NewsArticle,
        SCHEMA.Report,
        SCHEMA.WebPage,
    }
)


def _check_anchors(g: Graph, claim: Node, text: str, report: Fail) -> None:
    anchors = list(g.subjects(OA.hasBody, claim))
    if not anchors:
        report(claim, "has no oa:Annotation anchoring it to a text")
        return
    for anchor in anchors:
        for target in g.objects(anchor, OA.hasTarget):
            doc = g.value(target, OA.hasSource)
            if doc is None:
                report(claim, "its anchor's target has no oa:hasSource")
                continue
            selectors = list(g.objects(target, OA.hasSelector))
            positions = [s for s in selectors if (s, RDF.type, OA.TextPositionSelector) in g]
            quotes = [s for s in selectors if (s, RDF.type, OA.TextQuoteSelector) in g]
            if not positions or not quotes:
                report(claim, "needs both an oa:TextPositionSelector and an oa:TextQuoteSelector")
                continue
            doc_text = g.value(doc, SCHEMA.text)
            for sel in positions:
                start, end = g.value(sel, OA.start), g.value(sel, OA.end)
                if not (isinstance(start, Literal) and isinstance(end, Literal)):
                    report(claim, "its position selector lacks oa:start or oa:end")
                    continue
                if doc_text is None:
                    report(claim, f"its document {doc} has no schema:text to check offsets against")
                    continue
                s, e = start.toPython(), end.toPython()
                if not (isinstance(s, int) and isinstance(e, int)):
                    report(claim, "oa:start and oa:end must be integers")
                    continue
                sliced = str(doc_text)[s:e]
                if sliced != text:
                    report(
                        claim,
                        f"text[{s}:{e}] is {sliced[:40]!r}, not its schema:text {text[:40]!r}",
                    )


def _check_author_voice(g: Graph, claim: Node, agents: list[Node], fail: Fail) -> None:
    doc = g.value(claim, SCHEMA.appearance)
    voices = set(g.objects(doc, SCHEMA.publisher)) | set(g.objects(doc, SCHEMA.author))
    if not voices & set(agents):
        fail(
            claim,
            "is in the author's voice but not attributed to its document's publisher or author",
        )


def _has_named_graphs(ds: Dataset) -> bool:
    """False for a flat file (Turtle, N-Triples): it cannot keep a claim's graph apart."""
    return any(len(g) and g.identifier != DATASET_DEFAULT_GRAPH_ID for g in ds.graphs())


def _claim_graphs(ds: Dataset) -> set[Node]:
    typed = {s for s, _, _, _ in ds.quads((None, RDF.type, CG.AssertionGraph, None))}
    return typed | {g.identifier for g in ds.graphs() if is_claim_graph_iri(str(g.identifier))}


def _check_content_graphs(data: Graph | Dataset) -> list[Problem]:
    """Relation triples (a claim's content) may only live in a claim's own graph: one problem per
    triple asserted anywhere else, naming it. A flat file has no such graph, so each relation
    triple it holds is asserted (flat exports carry claim content reified instead)."""
    if isinstance(data, Dataset):
        claim_graphs = _claim_graphs(data)
        # Predicate by predicate: the store's predicate index reads only the relation triples.
        quads = ((s, p, o, getattr(ctx, "identifier", ctx)) for p in sorted(_CONTENT_PREDICATES)
                 for s, _, o, ctx in data.quads((None, p, None, None)))
    else:
        claim_graphs = set()
        quads = ((s, p, o, DATASET_DEFAULT_GRAPH_ID)
                 for p in sorted(_CONTENT_PREDICATES) for s, _, o in data.triples((None, p, None)))
    names = _namespaces()
    problems = []
    for s, p, o, ctx in quads:
        if ctx in claim_graphs:
            continue
        where = "the default graph" if ctx == DATASET_DEFAULT_GRAPH_ID else str(ctx)
        triple = " ".join(t.n3(names) for t in (s, p, o))
        problems.append(Problem(
            where, f"asserts claim content outside a claim's graph: {triple} .", "contract"))
    return sorted(problems, key=lambda p: (p.focus, p.message))


def _namespaces() -> NamespaceManager:
    names = NamespaceManager(Graph(), bind_namespaces="none")
    for prefix, ns in PREFIXES.items():
        names.bind(prefix, ns)
    return names


def _check_text_hashes(g: Graph, fail: Fail) -> None:
    """Each stored document text must still have the SHA-256 recorded with it."""
    for doc, recorded in sorted(g.subject_objects(CG.textSha256), key=lambda pair: str(pair[0])):
        text = g.value(doc, SCHEMA.text)
        if text is None:
            continue
        actual = hashlib.sha256(str(text).encode("utf-8")).hexdigest()
        if actual != str(recorded):
            fail(doc, f"its schema:text has SHA-256 {actual}, not its cg:textSha256 {recorded}: "
                      "the stored text was changed")


_STORE_CONTENT: Final = """SELECT ?g ?s ?p ?o WHERE {{
  VALUES ?p {{ {predicates} }}
  {{ ?s ?p ?o }} UNION {{ GRAPH ?g {{ ?s ?p ?o }} FILTER (!REGEX(STR(?g), "{claim_graph}")) }}
}}
LIMIT {limit}
"""
_STORE_TEXTS: Final = """PREFIX schema: <https://schema.org/>
PREFIX cg: <https://w3id.org/claimgraph/ontology#>
SELECT ?doc ?text ?sha WHERE { ?doc cg:textSha256 ?sha ; schema:text ?text }
"""


def check_store(store: Store, *, shown: int = 1000) -> list[Problem]:
    """What a store can be checked for without reading it whole: each claim-content triple held
    outside a claim graph (its default graph included), naming it — at most ``shown`` — and each
    stored text whose SHA-256 is no longer the one recorded with it."""
    from graph.sparql.binding import sparql_term

    query = _STORE_CONTENT.format(
        predicates=" ".join(sparql_term(p) for p in sorted(_CONTENT_PREDICATES)),
        claim_graph="^" + CLAIM_GRAPH_PATTERN.replace("\\", "\\\\") + "$",
        limit=shown,
    )
    names = _namespaces()
    problems = []
    for g, s, p, o in store.query(query).rows:
        if s is None or p is None or o is None:
            continue
        where = "the default graph" if g is None else str(g)
        triple = " ".join(t.n3(names) for t in (s, p, o))
        problems.append(Problem(
            where, f"asserts claim content outside a claim's graph: {triple} .", "contract"))
    texts = Graph()
    for doc, text, sha in store.query(_STORE_TEXTS).rows:
        if doc is not None and text is not None and sha is not None:
            texts.add((doc, SCHEMA.text, text))
            texts.add((doc, CG.textSha256, sha))

    def fail(node: Node, message: str) -> None:
        problems.append(Problem(str(node), message, "contract"))

    _check_text_hashes(texts, fail)
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


def _chunk_plan(data: Dataset, max_triples: int) -> list[_Chunk]:
    """Whole documents grouped into chunks of about ``max_triples``, each with the ontology."""
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


def _shacl_in_workers(data: Graph | Dataset) -> _Started:
    """Start SHACL on forked workers, one chunk each at a time; return (collect, cleanup).

    The parent is free meanwhile (it checks the contract). Where forking is not possible, or on
    one core, ``collect`` runs every chunk in this process. Documents that passed before, as they
    are now, are not checked again (:mod:`graph.validate.shacl_cache`).
    """
    plan = (_chunk_plan(data, SHACL_CHUNK_TRIPLES)
            if isinstance(data, Dataset) and _has_named_graphs(data) else [])
    if not plan:
        chunks = shacl_chunks(data)
        return (lambda: _gather((check_shacl(c), ShaclCounts(1, 0)) for c in chunks)), (
            lambda: None)
    record = ConformanceRecord.open(plan[0].shared)
    workers = min(len(plan), os.cpu_count() or 1)
    if workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return (lambda: _gather(_check_chunk(chunk, record) for chunk in plan)), (lambda: None)
    import pyshacl  # noqa: F401  (imported once here, not once per forked worker)

    read_targeted_shapes()  # read once here, not once per forked worker
    _PLAN[:] = plan
    _RECORD[0] = record
    context = multiprocessing.get_context("fork")
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=context)
    futures = [pool.submit(_check_planned_chunk, i) for i in range(len(plan))]

    def collect() -> _Checked:
        return _gather(future.result() for future in futures)

    def cleanup() -> None:
        pool.shutdown(wait=True, cancel_futures=True)
        _PLAN.clear()
        _RECORD[0] = None

    return collect, cleanup


def validate_dataset(data: Graph | Dataset, *, shacl: bool = True) -> list[Problem]:
    """All problems: the interop contract, then SHACL, document by document."""
    return check_dataset(data, shacl=shacl)[0]


def check_dataset(data: Graph | Dataset, *, shacl: bool = True) -> _Checked:
    """All problems, and what SHACL checked and found unchanged (:func:`validate_dataset`).

    SHACL runs on forked workers while this process checks the contract.
    """
    if not shacl:
        return check_contract(data), ShaclCounts(0, 0)
    collect, cleanup = _shacl_in_workers(data)
    try:
        problems = check_contract(data)
        found, counts = collect()
        problems.extend(found)
    finally:
        cleanup()
    return problems, counts


def raise_for_problems(problems: list[Problem], what: str, *, shown: int = 20) -> None:
    """Raise one ``ValidationError`` listing the first problems, or return if there are none."""
    if not problems:
        return
    lines = [f"  - {p}" for p in problems[:shown]]
    if len(problems) > shown:
        lines.append(f"  … and {len(problems) - shown} more")
    raise ValidationError(
        f"{what} breaks {len(problems)} rule(s) of the claimgraph model:\n" + "\n".join(lines),
        [str(p) for p in problems],
    )
