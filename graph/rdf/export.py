"""Serialising a dataset: pure ``to_*`` functions returning text, one per format.

Every format is deterministic for the same dataset: N-Triples and N-Quads lines are sorted, the
others come from rdflib's sorted serialisers.

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

import hashlib
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, Final

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.term import Node

from graph.errors import ClaimgraphError
from graph.rdf.vocab import CG, PREFIXES, RDF, is_claim_graph_iri
from graph.sparql.binding import sparql_term

__all__ = [
    "EXPORT_FILES",
    "FLAT_FILES",
    "SERIALISERS",
    "check_reads_back",
    "claim_graph_names",
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


def statement_iri(graph: Node, triple: tuple[Node, Node, Node]) -> URIRef:
    """The statement node of one triple of a claim graph: the same triple, the same IRI."""
    key = " ".join(t.n3() for t in triple).encode("utf-8")
    return URIRef(f"{graph}/statement/{hashlib.sha256(key).hexdigest()[:16]}")


def flat_triples(ds: Dataset) -> Iterator[tuple[Node, Node, Node]]:
    """The triples of :func:`flat_graph`, one by one (a triple held by two graphs comes twice)."""
    claim_graphs = claim_graph_names(ds)
    for g in ds.graphs():
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


def _lines(text: str) -> list[str]:
    """Lines of serialised RDF: split on ``\\n`` only (a literal may hold U+2028 or a form feed)."""
    return text.split("\n")


def to_trig(ds: Dataset) -> str:
    """TriG with the named graphs in IRI order and each graph's triples in Turtle's sorted order.

    rdflib's own TriG writer orders graphs by hash, which changes between runs.
    """
    parts = []
    prefix_lines: set[str] = set()
    for name, g in _named_graphs(ds):
        lines = _lines(g.serialize(format="turtle"))
        head = 0
        while head < len(lines) and (lines[head].startswith("@prefix") or not lines[head]):
            prefix_lines.update(lines[head:head + 1] if lines[head] else [])
            head += 1  # only the header: a long literal may hold a line reading "@prefix"
        body = lines[head:]  # never re-indent: a multi-line literal would change
        parts.append(f"<{name}> {{\n" + "\n".join(body).strip("\n") + "\n}\n")
    return "\n".join(sorted(prefix_lines)) + "\n\n" + "\n".join(parts)


def to_turtle(ds: Dataset) -> str:
    """Turtle of :func:`flat_graph`: claim content reified, never asserted."""
    return flat_graph(ds).serialize(format="turtle")


def to_ntriples(ds: Dataset) -> str:
    """Sorted N-Triples of :func:`flat_graph`: claim content reified, never asserted."""
    return _sorted_lines(f"{_nt(s)} {_nt(p)} {_nt(o)} .\n" for s, p, o in flat_triples(ds))


def to_nquads(ds: Dataset) -> str:
    """Sorted N-Quads of the named graphs (each claim's content in its own graph)."""
    return _sorted_lines(f"{_nt(s)} {_nt(p)} {_nt(o)} {_nt(g)} .\n"
                         for g, triples in _named_graph_triples(ds) for s, p, o in triples)


_nt = sparql_term
"""A term in N-Triples syntax: only ``\\``, ``"``, line feed and carriage return are escaped, as
N-Triples requires; every other character is written as it is."""


def _sorted_lines(lines: Iterable[str]) -> str:
    return "".join(sorted(set(lines)))


def _named_graph_triples(ds: Dataset) -> Iterator[tuple[URIRef, Graph]]:
    for g in ds.graphs():
        if len(g) and isinstance(g.identifier, URIRef) and g.identifier != DATASET_DEFAULT_GRAPH_ID:
            yield g.identifier, g


def _named_graphs(ds: Dataset) -> list[tuple[str, Graph]]:
    """Non-empty named graphs in IRI order, each as a plain Graph with our prefixes."""
    out = []
    for name in sorted({str(g.identifier) for g in ds.graphs()
                        if len(g) and g.identifier != DATASET_DEFAULT_GRAPH_ID}):
        g = Graph()
        for prefix, ns in PREFIXES.items():
            g.bind(prefix, ns, override=True, replace=True)
        for triple in ds.graph(URIRef(name)):
            g.add(triple)
        out.append((name, g))
    return out


def _sorted_values(value: object) -> object:
    """Sort every JSON array (RDF values are sets; rdflib emits them in hash order)."""
    if isinstance(value, dict):
        return {k: _sorted_values(v) for k, v in value.items()}
    if isinstance(value, list):
        items = [_sorted_values(v) for v in value]
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    return value


def to_jsonld(ds: Dataset) -> str:
    """JSON-LD with one entry per named graph, in IRI order; nodes sorted by ``@id``.

    The default graph holds nothing: each claim's content stays in its own named graph. The
    context is inline prefixes only: nothing here makes a reader fetch a remote context.
    """
    context = dict(PREFIXES)
    entries = []
    for name, g in _named_graphs(ds):
        expanded = json.loads(g.serialize(format="json-ld", context=context, sort_keys=True))
        nodes = expanded.get("@graph", [expanded]) if isinstance(expanded, dict) else expanded
        nodes = [
            _sorted_values({k: v for k, v in node.items() if k != "@context"}) for node in nodes
        ]
        entries.append({"@id": name, "@graph": sorted(nodes, key=lambda n: str(n.get("@id", "")))})
    return json.dumps(
        {"@context": context, "@graph": entries}, indent=1, sort_keys=True, ensure_ascii=False
    )


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


def _expected(ds: Dataset, flat: bool) -> set[str]:
    import pyoxigraph

    cache: dict[Node, Any] = {}

    def term(t: Node) -> Any:
        return _oxigraph_term(t, cache)

    if flat:
        default = pyoxigraph.DefaultGraph()
        return _canonical(pyoxigraph.Quad(term(s), term(p), term(o), default)
                          for s, p, o in flat_triples(ds))
    return _canonical(pyoxigraph.Quad(term(s), term(p), term(o), term(g))
                      for g, triples in _named_graph_triples(ds) for s, p, o in triples)


def check_reads_back(ds: Dataset, texts: Mapping[str, str]) -> None:
    """Parse each export again (pyoxigraph) and compare it with what it must hold; raise
    ``ClaimgraphError`` naming the file and a quad that differs, before anything is written.

    Named-graph formats must hold the named graphs of ``ds``; flat ones :func:`flat_graph`. The
    expected quads are built from the dataset's terms, not from any of the files' writers.
    """
    import pyoxigraph

    expected: dict[bool, set[str]] = {}
    for name, text in texts.items():
        flat = name in FLAT_FILES
        if flat not in expected:
            expected[flat] = _expected(ds, flat)
        rdf_format = getattr(pyoxigraph.RdfFormat, _FORMATS[name])
        try:
            found = _canonical(pyoxigraph.parse(text, rdf_format))
        except SyntaxError as exc:
            raise ClaimgraphError(f"{name} would not read back ({exc}); nothing was written"
                                  ) from None
        if found != expected[flat]:
            diff = sorted(found ^ expected[flat])
            raise ClaimgraphError(
                f"{name} would not read back as the graph it was written from "
                f"({len(diff)} quad(s) differ, e.g. {diff[0][:200]}); nothing was written"
            )
