"""Serialising a dataset: pure ``to_*`` functions returning text, one per format.

Every format is deterministic for the same dataset: N-Triples and N-Quads lines are sorted, and
TriG, Turtle and JSON-LD are written from the same sorted terms (:mod:`graph.rdf.export_parts`,
:mod:`graph.rdf.jsonld_writer`), not by rdflib's serialisers.

``graph.trig``, ``graph.nq`` and ``graph.jsonld`` keep the named graphs, each claim's content in
its own graph. ``graph.ttl`` and ``graph.nt`` are for tools that know no datasets: they hold the
union of every graph *except* the claim graphs, and carry each claim's content reified
(:func:`flat_graph`) — an ``rdf:Statement`` with ``rdf:subject``/``rdf:predicate``/``rdf:object``,
linked from its claim by ``cg:contentStatement`` — which describes the triple without asserting
it. Every RDF tool reads RDF 1.1 reification; RDF 1.2 triple terms are not yet read by rdflib 7 or
rapper.

Lines are split on ``\\n`` only: ``str.splitlines()`` also breaks on form feeds, U+2028 and
other characters a literal may hold raw. :func:`check_reads_back` parses each export again and
compares it with what it should hold, so a build never writes a file that reads back otherwise.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Iterator, Mapping
from typing import Any, Final

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.term import Node

from graph.errors import ClaimgraphError
from graph.rdf.export_parts import (
    ExportPart,
    compose,
    export_part,
    statement_iri,
    units_of,
)
from graph.rdf.vocab import CG, PREFIXES, RDF, is_claim_graph_iri
from graph.sparql.binding import sparql_term

__all__ = [
    "EXPORT_FILES",
    "FLAT_FILES",
    "SERIALISERS",
    "check_reads_back",
    "claim_graph_names",
    "export_parts",
    "export_texts",
    "flat_graph",
    "flat_triples",
    "statement_iri",
    "to_jsonld",
    "to_nquads",
    "to_ntriples",
    "to_trig",
    "to_turtle",
]

EXPORT_FILES: Final = ("graph.trig", "graph.nq", "graph.ttl", "graph.nt", "graph.jsonld")
FLAT_FILES: Final = frozenset({"graph.ttl", "graph.nt"})
_FORMATS: Final = {"graph.trig": "TRIG", "graph.nq": "N_QUADS", "graph.ttl": "TURTLE",
                   "graph.nt": "N_TRIPLES", "graph.jsonld": "JSON_LD"}


def claim_graph_names(ds: Dataset) -> set[Node]:
    """The claim graphs of ``ds``: graphs typed ``cg:AssertionGraph`` or named as claim graphs."""
    typed = {s for s, _, _, _ in ds.quads((None, RDF.type, CG.AssertionGraph, None))}
    named = {g.identifier for g in ds.graphs() if is_claim_graph_iri(str(g.identifier))}
    return typed | named


def flat_triples(ds: Dataset, names: Collection[Node] | None = None
                 ) -> Iterator[tuple[Node, Node, Node]]:
    """The triples of :func:`flat_graph`, one by one (a triple held by two graphs comes twice);
    given ``names``, only those of these graphs."""
    if names is None:
        claim_graphs = claim_graph_names(ds)
    else:  # claim_graph_names(ds) & names, without reading the whole dataset
        claim_graphs = {n for n in names if is_claim_graph_iri(str(n)) or next(
            iter(ds.quads((n, RDF.type, CG.AssertionGraph, None))), None) is not None}
    for g in _graphs(ds, names):
        if g.identifier not in claim_graphs:
            yield from g
    for name in sorted(claim_graphs, key=str):
        if not isinstance(name, URIRef):
            continue
        claims = sorted({s for s, _, _, _ in ds.quads((None, CG.assertionGraph, name, None))},
                        key=str)
        for s, p, o in ds.graph(name):
            statement = statement_iri(name, (s, p, o))
            yield statement, RDF.type, RDF.Statement
            yield statement, RDF.subject, s
            yield statement, RDF.predicate, p
            yield statement, RDF.object, o
            for claim in claims:
                yield claim, CG.contentStatement, statement


def flat_graph(ds: Dataset) -> Graph:
    """One graph for flat formats: every graph but the claim graphs, and their content reified.

    Each triple of a claim graph becomes an ``rdf:Statement`` linked from each claim whose
    ``cg:assertionGraph`` it is (``cg:contentStatement``), so the graph states who claims what,
    never the claim itself.
    """
    flat = Graph()
    for prefix, ns in PREFIXES.items():
        flat.bind(prefix, ns, override=True, replace=True)
    for triple in flat_triples(ds):
        flat.add(triple)
    return flat


def export_parts(ds: Dataset) -> list[ExportPart]:
    """The part of every unit of ``ds`` (its documents, the ontology, the story), in key order."""
    parts = [export_part(ds, key, names) for key, names in units_of(ds).items()]
    default = ds.graph(DATASET_DEFAULT_GRAPH_ID)
    if len(default):  # a read file's default graph: the flat exports carry it too
        lines = sorted({f"{_nt(s)} {_nt(p)} {_nt(o)} .\n" for s, p, o in default})
        parts.append(ExportPart("", (), tuple(lines), (), (), ()))
    return parts


def export_texts(ds: Dataset) -> dict[str, str]:
    """Every export file's text (:data:`EXPORT_FILES`), composed from :func:`export_parts`."""
    return compose(export_parts(ds))


def to_trig(ds: Dataset) -> str:
    """TriG with the named graphs in IRI order, each graph's triples one block per subject in
    the order of their N-Triples terms, headed by the prefixes the blocks use."""
    return export_texts(ds)["graph.trig"]


def to_turtle(ds: Dataset) -> str:
    """Turtle of :func:`flat_graph`: claim content reified, never asserted; one block per
    subject and unit, in the order of the sorted N-Triples."""
    return export_texts(ds)["graph.ttl"]


def to_ntriples(ds: Dataset) -> str:
    """Sorted N-Triples of :func:`flat_graph`: claim content reified, never asserted."""
    return export_texts(ds)["graph.nt"]


def to_nquads(ds: Dataset) -> str:
    """Sorted N-Quads of the named graphs (each claim's content in its own graph)."""
    return export_texts(ds)["graph.nq"]


_nt = sparql_term
"""A term in N-Triples syntax: only ``\\``, ``"``, line feed and carriage return are escaped, as
N-Triples requires; every other character is written as it is."""


def _graphs(ds: Dataset, names: Collection[Node] | None) -> Iterator[Graph]:
    """Every graph of ``ds``, or only those named: a unit's part names a handful of the
    corpus's many graphs, and visiting all of them for each part made the parts quadratic."""
    if names is None:
        yield from ds.graphs()
        return
    for name in sorted(names, key=str):
        # A view on the store: ``ds.graph(name)`` would add a graph the dataset lacks.
        yield Graph(store=ds.store, identifier=name)  # type: ignore[arg-type]


def _named_graph_triples(ds: Dataset, names: Collection[Node] | None = None
                         ) -> Iterator[tuple[URIRef, Graph]]:
    for g in _graphs(ds, names):
        ident = g.identifier
        if len(g) and isinstance(ident, URIRef) and ident != DATASET_DEFAULT_GRAPH_ID:
            yield ident, g


def to_jsonld(ds: Dataset) -> str:
    """JSON-LD with one entry per named graph, in IRI order; nodes sorted by ``@id``.

    The default graph holds nothing: each claim's content stays in its own named graph. The
    context is inline prefixes only: nothing here makes a reader fetch a remote context.
    """
    return export_texts(ds)["graph.jsonld"]


SERIALISERS: Final = {
    "graph.trig": to_trig,
    "graph.nq": to_nquads,
    "graph.ttl": to_turtle,
    "graph.nt": to_ntriples,
    "graph.jsonld": to_jsonld,
}


# --------------------------------------------------------------------------- reading back

_BLANK = re.compile(r"_:[A-Za-z0-9_.\-]+")


def _oxigraph_term(term: Node, cache: dict[Node, Any]) -> Any:
    """An rdflib term as a pyoxigraph term, built from its parts (no text writer involved)."""
    import pyoxigraph

    found = cache.get(term)
    if found is None:
        if isinstance(term, URIRef):
            found = pyoxigraph.NamedNode(str(term))
        elif isinstance(term, Literal):
            if term.language:
                found = pyoxigraph.Literal(str(term), language=term.language)
            elif term.datatype is not None:
                found = pyoxigraph.Literal(str(term), datatype=pyoxigraph.NamedNode(term.datatype))
            else:
                found = pyoxigraph.Literal(str(term))
        else:
            found = pyoxigraph.BlankNode(str(term))
        cache[term] = found
    return found


def _canonical(quads: Iterable[Any]) -> set[str]:
    """Quads as canonical N-Quads lines (pyoxigraph's writer); every blank node alike — the build
    mints none, and a blank node's label is each reader's choice."""
    import pyoxigraph

    text = (pyoxigraph.serialize(quads, format=pyoxigraph.RdfFormat.N_QUADS) or b"").decode("utf-8")
    return {_BLANK.sub("_:", line) for line in text.split("\n") if line}


def _expected(ds: Dataset, flat: bool, names: Collection[Node] | None,
              cache: dict[Node, Any]) -> list[Any]:
    import pyoxigraph

    def term(t: Node) -> Any:
        return _oxigraph_term(t, cache)

    if flat:
        default = pyoxigraph.DefaultGraph()
        return [pyoxigraph.Quad(term(s), term(p), term(o), default)
                for s, p, o in flat_triples(ds, names)]
    return [pyoxigraph.Quad(term(s), term(p), term(o), term(g))
            for g, triples in _named_graph_triples(ds, names) for s, p, o in triples]


def _comparable(quads: Iterable[Any], blank: bool) -> set[Any]:
    """Quads as they are (pyoxigraph's terms compare as RDF terms do) or, if the expected quads
    hold a blank node, as :func:`_canonical` lines."""
    return _canonical(quads) if blank else set(quads)


def check_reads_back(ds: Dataset, texts: Mapping[str, str],
                     names: Collection[Node] | None = None) -> None:
    """Parse each export again (pyoxigraph) and compare it with what it must hold; raise
    ``ClaimgraphError`` naming the file and a quad that differs, before anything is written.

    Named-graph formats must hold the named graphs of ``ds``; flat ones :func:`flat_graph`. The
    expected quads are built from the dataset's terms, not from any of the files' writers.
    """
    import pyoxigraph

    if names is not None:
        names = frozenset(names)  # tested once per graph of the dataset
    expected: dict[bool, tuple[set[Any], bool]] = {}
    terms: dict[Node, Any] = {}  # the flat files' terms are mostly the named graphs' own
    for name, text in texts.items():
        flat = name in FLAT_FILES
        if flat not in expected:
            quads = _expected(ds, flat, names, terms)
            blank = any(isinstance(t, pyoxigraph.BlankNode)
                        for q in quads for t in (q.subject, q.object, q.graph_name))
            expected[flat] = (_comparable(quads, blank), blank)
        want, blank = expected[flat]
        rdf_format = getattr(pyoxigraph.RdfFormat, _FORMATS[name])
        try:
            found = _comparable(pyoxigraph.parse(text, rdf_format), blank)
        except SyntaxError as exc:
            raise ClaimgraphError(f"{name} would not read back ({exc}); nothing was written"
                                  ) from None
        if found != want:
            diff = sorted(map(str, found ^ want))
            raise ClaimgraphError(
                f"{name} would not read back as the graph it was written from "
                f"({len(diff)} quad(s) differ, e.g. {diff[0][:200]}); nothing was written"
            )
