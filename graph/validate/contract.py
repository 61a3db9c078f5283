"""The interop contract SHACL cannot say: anchors, author voice, claim graphs, text hashes."""

from __future__ import annotations

import hashlib
import warnings
from collections.abc import Iterable
from typing import TYPE_CHECKING, Final

from rdflib import Dataset, Graph, Literal
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import NamespaceManager
from rdflib.term import Node

from graph.rdf.vocab import (
    AFFILIATION_RELATIONS,
    CG,
    CLAIM_GRAPH_PATTERN,
    OA,
    PREFIXES,
    PROV,
    RDF,
    RDFS,
    RELATIONS,
    SCHEMA,
    is_claim_graph_iri,
)
from graph.support.gc_pause import without_gc

if TYPE_CHECKING:
    from graph.stores import Store
from graph.validate.problems import Fail, Problem, _name, union_view

__all__ = [
    "check_contract",
    "check_store",
]

_CONTENT_PREDICATES = frozenset(RELATIONS.values()) | frozenset(AFFILIATION_RELATIONS.values())


def _claims(g: Graph) -> Iterable[Node]:
    return sorted(g.subjects(RDF.type, SCHEMA.Claim), key=str)


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
    problems.extend(_check_claimed_triples(data))
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


def _check_claimed_triples(data: Graph | Dataset) -> list[Problem]:
    """A claim may assert with any predicate (schema.org, a vocabulary its file declares), so
    beyond the project's own relation predicates each triple a claim asserts — in its claim
    graph, or reified in a flat file — must not be asserted anywhere else."""
    claim_graphs = _claim_graphs(data) if isinstance(data, Dataset) else set()
    claimed: set[tuple[Node, Node, Node]] = set()
    if isinstance(data, Dataset):
        claimed |= {(s, p, o) for graph in data.graphs() if graph.identifier in claim_graphs
                    for s, p, o in graph.triples((None, None, None))}
    union = union_view(data)
    for statement in set(union.objects(None, CG.contentStatement)):
        s, p, o = (union.value(statement, t) for t in (RDF.subject, RDF.predicate, RDF.object))
        if s is not None and p is not None and o is not None:
            claimed.add((s, p, o))
    found: set[tuple[str, tuple[Node, Node, Node]]] = set()
    for triple in sorted(t for t in claimed if t[1] not in _CONTENT_PREDICATES | {RDF.type}):
        if isinstance(data, Dataset):
            places = {getattr(ctx, "identifier", ctx) for *_, ctx in data.quads((*triple, None))}
        else:
            places = {DATASET_DEFAULT_GRAPH_ID} if triple in data else set()
        for where in places - claim_graphs:
            shown = "the default graph" if where == DATASET_DEFAULT_GRAPH_ID else str(where)
            found.add((shown, triple))
    names = _namespaces()
    return sorted((Problem(where, "asserts claim content outside a claim's graph: "
                           + " ".join(t.n3(names) for t in triple) + " .", "contract")
                   for where, triple in found), key=lambda p: (p.focus, p.message))


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
# Any other triple a claim graph holds, found again outside the claim graphs (a claim may use
# any schema.org property or declared vocabulary, so no list of predicates finds them all).
_STORE_CLAIMED: Final = """PREFIX cg: <https://w3id.org/claimgraph/ontology#>
SELECT DISTINCT ?g ?s ?p ?o WHERE {{
  ?c a cg:AssertionGraph .
  GRAPH ?c {{ ?s ?p ?o }}
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

    claim_graph = "^" + CLAIM_GRAPH_PATTERN.replace("\\", "\\\\") + "$"
    query = _STORE_CONTENT.format(
        predicates=" ".join(sparql_term(p) for p in sorted(_CONTENT_PREDICATES)),
        claim_graph=claim_graph,
        limit=shown,
    )
    claimed = _STORE_CLAIMED.format(claim_graph=claim_graph, limit=shown)
    names = _namespaces()
    found: set[Problem] = set()
    for g, s, p, o in [*store.query(query).rows, *store.query(claimed).rows]:
        if s is None or p is None or o is None:
            continue
        where = "the default graph" if g is None else str(g)
        triple = " ".join(t.n3(names) for t in (s, p, o))
        found.add(Problem(
            where, f"asserts claim content outside a claim's graph: {triple} .", "contract"))
    problems = list(found)
    texts = Graph()
    for doc, text, sha in store.query(_STORE_TEXTS).rows:
        if doc is not None and text is not None and sha is not None:
            texts.add((doc, SCHEMA.text, text))
            texts.add((doc, CG.textSha256, sha))

    def fail(node: Node, message: str) -> None:
        problems.append(Problem(str(node), message, "contract"))

    _check_text_hashes(texts, fail)
    return sorted(problems, key=lambda p: (p.focus, p.message))
