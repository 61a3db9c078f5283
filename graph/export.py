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
import warnings
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, Final

from rdflib import Dataset, Graph, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.term import Node

from .errors import ClaimgraphError
from .vocab import CG, PREFIXES, RDF, is_claim_graph_iri

__all__ = [
    "EXPORT_FILES",
    "FLAT_FILES",
    "SERIALISERS",
    "check_reads_back",
    "claim_graph_names",
    "flat_graph",
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


def flat_graph(ds: Dataset) -> Graph:
    """One graph for flat formats: every graph but the claim graphs, and their content reified.

    Each triple of a claim graph becomes an ``rdf:Statement`` linked from each claim whose
    ``cg:assertionGraph`` it is (``cg:contentStatement``), so the graph states who claims what,
    never the claim itself.
    """
    claim_graphs = claim_graph_names(ds)
    flat = Graph()
    for prefix, ns in PREFIXES.items():
        flat.bind(prefix, ns, override=True, replace=True)
    for g in ds.graphs():
        if g.identifier in claim_graphs:
            continue
        for triple in g:
            flat.add(triple)
    for name in sorted(claim_graphs, key=str):
        claims = {s for s, _, _, _ in ds.quads((None, CG.assertionGraph, name, None))}
        for s, p, o in ds.graph(name) if isinstance(name, URIRef) else ():
            statement = statement_iri(name, (s, p, o))
            flat.add((statement, RDF.type, RDF.Statement))
            flat.add((statement, RDF.subject, s))
            flat.add((statement, RDF.predicate, p))
            flat.add((statement, RDF.object, o))
            for claim in claims:
                flat.add((claim, CG.contentStatement, statement))
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
    return _sorted_lines(flat_graph(ds).serialize(format="nt"))


def to_nquads(ds: Dataset) -> str:
    """Sorted N-Quads of the named graphs (each claim's content in its own graph)."""
    out = Dataset()
    for name, g in _named_graphs(ds):
        target = out.graph(URIRef(name))
        for triple in g:
            target.add(triple)
    with warnings.catch_warnings():  # rdflib's serializer calls its own deprecated Dataset API
        warnings.simplefilter("ignore", DeprecationWarning)
        return _sorted_lines(out.serialize(format="nquads"))


def _sorted_lines(text: str) -> str:
    return "\n".join(sorted(line for line in _lines(text) if line.strip())) + "\n"


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


def _key(term: Any) -> str:
    """A pyoxigraph term as text; every blank node alike (the build mints none; a blank node's
    label is the reader's choice, so only the rest of the quad is compared)."""
    import pyoxigraph

    return "_:" if isinstance(term, pyoxigraph.BlankNode) else str(term)


def _quad_keys(quads: Iterable[Any]) -> Counter[tuple[str, str, str, str]]:
    import pyoxigraph

    keys: Counter[tuple[str, str, str, str]] = Counter()
    for q in quads:
        graph = "" if isinstance(q.graph_name, pyoxigraph.DefaultGraph) else _key(q.graph_name)
        keys[(_key(q.subject), _key(q.predicate), _key(q.object), graph)] += 1
    return keys


def _expected_quads(triples: Iterable[tuple[Node, Node, Node, str]]) -> Iterator[Any]:
    import pyoxigraph

    from .store import sparql_term

    lines = []
    for s, p, o, g in triples:
        graph = f" <{g}>" if g else ""
        lines.append(f"{sparql_term(s)} {sparql_term(p)} {sparql_term(o)}{graph} .\n")
    return iter(pyoxigraph.parse("".join(lines), pyoxigraph.RdfFormat.N_QUADS))


def check_reads_back(ds: Dataset, texts: Mapping[str, str]) -> None:
    """Parse each export again (pyoxigraph) and compare it with what it must hold; raise
    ``ClaimgraphError`` naming the file and a quad that differs, before anything is written.

    Named-graph formats must hold the named graphs of ``ds``; flat ones :func:`flat_graph`.
    """
    import pyoxigraph

    named = [(s, p, o, str(g.identifier)) for g in ds.graphs()
             if g.identifier != DATASET_DEFAULT_GRAPH_ID for s, p, o in g]
    expected = {"named": _quad_keys(_expected_quads(named))}
    for name, text in texts.items():
        kind = "flat" if name in FLAT_FILES else "named"
        if kind not in expected:
            expected[kind] = _quad_keys(_expected_quads((s, p, o, "")
                                                        for s, p, o in flat_graph(ds)))
        rdf_format = getattr(pyoxigraph.RdfFormat, _FORMATS[name])
        try:
            found = _quad_keys(pyoxigraph.parse(text, rdf_format))
        except SyntaxError as exc:
            raise ClaimgraphError(f"{name} would not read back ({exc}); nothing was written"
                                  ) from None
        if found != expected[kind]:
            diff = sorted((found - expected[kind]) + (expected[kind] - found))
            raise ClaimgraphError(
                f"{name} would not read back as the graph it was written from "
                f"({len(diff)} quad(s) differ, e.g. {' '.join(diff[0])[:200]}); nothing was written"
            )
