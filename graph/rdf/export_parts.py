"""Exports made of parts: each document's share of every export file, and their composition.

A build's export files are composed from one :class:`ExportPart` per *unit* of the dataset: a
document (its graph, its analyst graph, its claim graphs), the ontology graph, the story graph,
or any other graph on its own. A part holds the unit's N-Quads and flat N-Triples lines (sorted),
its TriG and JSON-LD blocks (one per named graph). :func:`compose` puts parts together into the
five files; composing the parts of every unit of a dataset gives exactly what
:mod:`graph.rdf.export` writes for it, so an incremental build, which keeps the parts of the
documents that did not change, writes the same bytes as a full one.

Composition never reorders a part's text: N-Quads and N-Triples lines are sorted over the whole
(a triple two units hold is written once), TriG and JSON-LD blocks are ordered by graph IRI, and
Turtle is the merged N-Triples lines written as one block per subject (an entity two documents
describe is one block, each triple once).

Every text is written here from the triples' N-Triples terms (:func:`sparql_term`, whose escaping
is N-Triples'), sorted: TriG and Turtle as one block per subject, IRIs shortened to the project's
prefixes where :func:`graph.rdf.prefixed.prefixed` allows, literals as N-Triples writes them (on
one line); JSON-LD by :mod:`graph.rdf.jsonld_writer`.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import json
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Final

from rdflib import Dataset, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.term import Node

from graph.rdf.jsonld_writer import Row, jsonld_entry
from graph.rdf.prefixed import prefixed
from graph.rdf.vocab import CG, ID, PREFIXES, RDF, is_claim_graph_iri
from graph.sparql.binding import sparql_term

__all__ = [
    "EXPORT_FILES",
    "ExportPart",
    "compose",
    "export_part",
    "statement_iri",
    "turtle_blocks",
    "unit_graph",
    "unit_key",
    "unit_nquads",
    "units_of",
]

_nt = sparql_term


def unit_key(graph_iri: str) -> str:
    """The unit a graph belongs to: ``doc`` for ``id:graph/doc`` and every graph under
    ``id:graph/doc/``; the graph's own IRI for any other graph (the ontology, the story).

    >>> unit_key("https://w3id.org/claimgraph/id/graph/a1/claim/c2")
    'a1'
    >>> unit_key("https://w3id.org/claimgraph/ontology")
    'https://w3id.org/claimgraph/ontology'
    """
    prefix = f"{ID}graph/"
    if graph_iri.startswith(prefix):
        doc = graph_iri[len(prefix):].split("/", 1)[0]
        if doc and not doc.startswith("_"):  # id:graph/_story is a graph of its own
            return doc
    return graph_iri


def unit_graph(key: str) -> str:
    """The graph that names unit ``key``: the document's graph, or the unit's own graph.

    >>> unit_graph("a1")
    'https://w3id.org/claimgraph/id/graph/a1'
    """
    return key if ":" in key else f"{ID}graph/{key}"


def units_of(ds: Dataset) -> dict[str, list[URIRef]]:
    """The non-empty named graphs of ``ds`` by unit (:func:`unit_key`), each list in IRI order."""
    units: dict[str, list[URIRef]] = {}
    for g in ds.graphs():
        ident = g.identifier
        if ident == DATASET_DEFAULT_GRAPH_ID or not isinstance(ident, URIRef) or not len(g):
            continue
        units.setdefault(unit_key(str(ident)), []).append(ident)
    return {key: sorted(names, key=str) for key, names in sorted(units.items())}


@dataclass(frozen=True)
class ExportPart:
    """One unit's share of every export file (see the module docstring)."""

    key: str
    nquads: tuple[str, ...]  # sorted N-Quads lines, each ending in a newline
    flat: tuple[str, ...]  # sorted, distinct N-Triples lines of the flat exports
    prefixes: tuple[str, ...]  # the TriG prefix lines its blocks use
    trig: tuple[tuple[str, str], ...]  # (graph IRI, TriG block), in IRI order
    jsonld: tuple[tuple[str, str], ...]  # (graph IRI, JSON-LD entry as composed), in IRI order


def _claim_graphs(ds: Dataset, names: Iterable[URIRef]) -> set[URIRef]:
    """Those of ``names`` that are claim graphs: typed ``cg:AssertionGraph`` or named as one."""
    return {n for n in names if is_claim_graph_iri(str(n))
            or next(iter(ds.quads((n, RDF.type, CG.AssertionGraph, None))), None) is not None}


def statement_iri(graph: Node, triple: tuple[Node, Node, Node]) -> URIRef:
    """The statement node of one triple of a claim graph: the same triple, the same IRI."""
    key = " ".join(t.n3() for t in triple).encode("utf-8")
    return URIRef(f"{graph}/statement/{hashlib.sha256(key).hexdigest()[:16]}")


def _flat_lines(ds: Dataset, names: Sequence[URIRef], claim_graphs: set[URIRef],
                nt: Callable[[Node], str]) -> list[str]:
    lines: set[str] = set()
    for name in names:
        if name in claim_graphs:
            continue
        lines.update(f"{nt(s)} {nt(p)} {nt(o)} .\n" for s, p, o in ds.graph(name))
    for name in sorted(claim_graphs, key=str):
        claims = sorted({s for s, _, _, _ in ds.quads((None, CG.assertionGraph, name, None))},
                        key=str)
        for s, p, o in ds.graph(name):
            st = nt(statement_iri(name, (s, p, o)))
            lines.update((f"{st} {nt(RDF.type)} {nt(RDF.Statement)} .\n",
                          f"{st} {nt(RDF.subject)} {nt(s)} .\n",
                          f"{st} {nt(RDF.predicate)} {nt(p)} .\n",
                          f"{st} {nt(RDF.object)} {nt(o)} .\n"))
            lines.update(f"{nt(c)} {nt(CG.contentStatement)} {st} .\n" for c in claims)
    return sorted(lines)


_RDF_TYPE: Final = f"<{RDF.type}>"


class _Shortener:
    """N-Triples IRI terms as prefixed names where :func:`prefixed` allows, noting the
    prefixes used."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def __call__(self, term: str) -> str:
        if not term.startswith("<"):
            return term
        short = prefixed(term[1:-1])
        if short is None:
            return term
        self.used.add(short[0])
        return f"{short[0]}:{short[1]}"

    def object(self, term: str) -> str:
        if term.startswith('"'):
            lexical, marker, datatype = term.rpartition('"^^<')
            if marker:  # the last '"^^<' is the datatype's: a quote inside a literal is escaped
                return f'{lexical}"^^{self("<" + datatype)}'
            return term
        return self(term)


def _blocks(triples: Iterable[tuple[str, str, str]], short: _Shortener) -> str:
    """Sorted N-Triples terms as Turtle statements: one block per subject, each ending " .\n",
    blocks apart by an empty line."""
    out: list[str] = []
    subject = None
    for s, p, o in triples:
        pred = "a" if p == _RDF_TYPE else short(p)
        if s != subject:
            if subject is not None:
                out[-1] += " .\n"
            out.append(f"{short(s)}\n    {pred} {short.object(o)}")
            subject = s
        else:
            out[-1] += f" ;\n    {pred} {short.object(o)}"
    if out:
        out[-1] += " .\n"
    return "\n".join(out)


def _split(line: str) -> tuple[str, str, str]:
    s, p, rest = line.split(" ", 2)  # IRIs and blank node labels hold no space
    return s, p, rest[: -len(" .\n")]


def turtle_blocks(flat_lines: Sequence[str]) -> str:
    """Sorted N-Triples lines as Turtle: one block per subject, predicates and IRIs shortened."""
    return _blocks(map(_split, flat_lines), _Shortener())


def _trig_block(name: str, rows: Sequence[Row], short: _Shortener) -> str:
    """One named graph in TriG: its triples as :func:`turtle_blocks` writes them. Literals are
    written as in N-Triples, line breaks escaped: a block is never re-indented or split."""
    return f"<{name}> {{\n" + _blocks((nt for nt, _ in rows), short) + "}\n"


def unit_nquads(ds: Dataset, names: Sequence[URIRef]) -> list[str]:
    """The sorted N-Quads lines of the graphs ``names`` (a unit's share of ``graph.nq``)."""
    return sorted({f"{_nt(s)} {_nt(p)} {_nt(o)} {_nt(name)} .\n"
                   for name in names for s, p, o in ds.graph(name)})


def _term_writer() -> Callable[[Node], str]:
    """:func:`sparql_term`, each term written once (a unit repeats its terms many times)."""
    return functools.cache(_nt)


def _first(row: Row) -> tuple[str, str, str]:
    return row[0]


def export_part(ds: Dataset, key: str, names: Sequence[URIRef]) -> ExportPart:
    """The share of unit ``key`` (its graphs ``names``, in IRI order) in every export of ``ds``."""
    nt = _term_writer()
    short = _Shortener()
    nquads: set[str] = set()
    trig = []
    jsonld = []
    for name in names:
        # Triples whose N-Triples terms are equal write alike, so sorting by them is enough.
        rows = sorted((((nt(s), nt(p), nt(o)), (s, p, o)) for s, p, o in ds.graph(name)),
                      key=_first)
        g = nt(name)
        nquads.update(f"{s} {p} {o} {g} .\n" for (s, p, o), _ in rows)
        trig.append((str(name), _trig_block(str(name), rows, short)))
        jsonld.append((str(name), jsonld_entry(str(name), rows)))
    flat = _flat_lines(ds, names, _claim_graphs(ds, names), nt)
    prefixes = sorted(f"@prefix {p}: <{PREFIXES[p]}> ." for p in short.used)
    return ExportPart(key, tuple(sorted(nquads)), tuple(flat), tuple(prefixes), tuple(trig),
                      tuple(jsonld))


def _merged(runs: Iterable[Sequence[str]]) -> list[str]:
    """Sorted runs merged in order, each line once. Timsort finds the runs and merges them (faster
    than ``heapq.merge`` in Python, and than sorting a set, which loses the runs); a line two
    runs hold is then next to itself."""
    lines = sorted(itertools.chain.from_iterable(runs))
    return [line for i, line in enumerate(lines) if i == 0 or line != lines[i - 1]]


def _jsonld_file(entries: list[str]) -> str:
    context = json.dumps({"@context": dict(PREFIXES)}, indent=1, sort_keys=True,
                         ensure_ascii=False)
    head = context[: -len("\n}")]  # the object left open for "@graph"
    if not entries:
        return head + ',\n "@graph": []\n}'
    return head + ',\n "@graph": [\n' + ",\n".join(entries) + "\n ]\n}"


def _turtle_file(flat: Sequence[str]) -> str:
    """The flat triples of every part, merged first: a subject two documents share (an entity,
    a cited document) is one block, and no triple is written twice."""
    header = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in sorted(PREFIXES.items()))
    return header + "\n" + turtle_blocks(flat)


EXPORT_FILES: Final = ("graph.trig", "graph.nq", "graph.ttl", "graph.nt", "graph.jsonld")


def compose(parts: Iterable[ExportPart], only: Collection[str] = EXPORT_FILES) -> dict[str, str]:
    """The export files' text from the parts of every unit (see the module docstring): the five,
    or those ``only`` names."""
    ordered = sorted(parts, key=lambda p: p.key)
    texts: dict[str, str] = {}
    if "graph.trig" in only:
        blocks = sorted((b for p in ordered for b in p.trig), key=lambda b: b[0])
        prefix_lines = sorted({line for p in ordered for line in p.prefixes})
        texts["graph.trig"] = "\n".join(prefix_lines) + "\n\n" + "\n".join(b for _, b in blocks)
    if "graph.nq" in only:
        texts["graph.nq"] = "".join(_merged(p.nquads for p in ordered))
    if "graph.ttl" in only or "graph.nt" in only:
        flat = _merged(p.flat for p in ordered)
        if "graph.ttl" in only:
            texts["graph.ttl"] = _turtle_file(flat)
        if "graph.nt" in only:
            texts["graph.nt"] = "".join(flat)
    if "graph.jsonld" in only:
        entries = sorted((e for p in ordered for e in p.jsonld), key=lambda e: e[0])
        texts["graph.jsonld"] = _jsonld_file([e for _, e in entries])
    return {name: texts[name] for name in EXPORT_FILES if name in texts}
