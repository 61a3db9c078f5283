"""Exports made of parts: each document's share of every export file, and their composition.

A build's export files are composed from one :class:`ExportPart` per *unit* of the dataset: a
document (its graph, its analyst graph, its claim graphs), the ontology graph, the story graph,
or any other graph on its own. A part holds the unit's N-Quads and flat N-Triples lines (sorted),
its TriG and JSON-LD blocks (one per named graph). :func:`compose` puts parts
together into the five files; composing the parts of every unit of a dataset gives exactly what
:mod:`graph.rdf.export` writes for it, so an incremental build, which keeps the parts of the
documents that did not change, writes the same bytes as a full one.

Composition never reorders a part's text: N-Quads and N-Triples lines are sorted over the whole
(a triple two units hold is written once), TriG and JSON-LD blocks are ordered by graph IRI, and
Turtle is the merged N-Triples lines written as one block per subject (an entity two documents
describe is one block, each triple once).
"""

from __future__ import annotations

import hashlib
import itertools
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Final

from rdflib import Dataset, Graph, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.term import Node

from graph.rdf.vocab import CG, ID, PREFIXES, RDF, is_claim_graph_iri
from graph.sparql.binding import sparql_term

__all__ = [
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


def _flat_lines(ds: Dataset, names: Sequence[URIRef], claim_graphs: set[URIRef]) -> list[str]:
    lines: set[str] = set()
    for name in names:
        if name in claim_graphs:
            continue
        lines.update(f"{_nt(s)} {_nt(p)} {_nt(o)} .\n" for s, p, o in ds.graph(name))
    for name in sorted(claim_graphs, key=str):
        claims = sorted({s for s, _, _, _ in ds.quads((None, CG.assertionGraph, name, None))},
                        key=str)
        for s, p, o in ds.graph(name):
            st = _nt(statement_iri(name, (s, p, o)))
            lines.update((f"{st} {_nt(RDF.type)} {_nt(RDF.Statement)} .\n",
                          f"{st} {_nt(RDF.subject)} {_nt(s)} .\n",
                          f"{st} {_nt(RDF.predicate)} {_nt(p)} .\n",
                          f"{st} {_nt(RDF.object)} {_nt(o)} .\n"))
            lines.update(f"{_nt(c)} {_nt(CG.contentStatement)} {st} .\n" for c in claims)
    return sorted(lines)


def _prefixed_graph(ds: Dataset, name: URIRef) -> Graph:
    g = Graph()
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns, override=True, replace=True)
    for triple in ds.graph(name):
        g.add(triple)
    return g


def _trig_block(g: Graph, name: str) -> tuple[set[str], str]:
    lines = g.serialize(format="turtle").split("\n")
    head = 0
    prefixes: set[str] = set()
    while head < len(lines) and (lines[head].startswith("@prefix") or not lines[head]):
        prefixes.update(lines[head:head + 1] if lines[head] else [])
        head += 1  # only the header: a long literal may hold a line reading "@prefix"
    body = lines[head:]  # never re-indent: a multi-line literal would change
    return prefixes, f"<{name}> {{\n" + "\n".join(body).strip("\n") + "\n}\n"


def _sorted_values(value: object) -> object:
    """Sort every JSON array (RDF values are sets; rdflib emits them in hash order)."""
    if isinstance(value, dict):
        return {k: _sorted_values(v) for k, v in value.items()}
    if isinstance(value, list):
        items = [_sorted_values(v) for v in value]
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    return value


def _jsonld_entry(g: Graph, name: str) -> str:
    """One named graph's JSON-LD entry, indented as it stands inside the file's ``@graph``."""
    expanded = json.loads(g.serialize(format="json-ld", context=dict(PREFIXES), sort_keys=True))
    nodes = expanded.get("@graph", [expanded]) if isinstance(expanded, dict) else expanded
    nodes = [_sorted_values({k: v for k, v in node.items() if k != "@context"}) for node in nodes]
    entry = {"@id": name, "@graph": sorted(nodes, key=lambda n: str(n.get("@id", "")))}
    text = json.dumps(entry, indent=1, sort_keys=True, ensure_ascii=False)
    # JSON strings hold no raw line break, so indenting every line is safe.
    return "\n".join("  " + line for line in text.split("\n"))


# A local name every Turtle reader takes after a prefix (a safe subset of PN_LOCAL).
_LOCAL: Final = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
_NAMESPACES: Final = sorted(((str(ns), p) for p, ns in PREFIXES.items()),
                            key=lambda item: -len(item[0]))


def _short(term: str) -> str:
    """An N-Triples IRI term as a prefixed name where one fits, else as it is."""
    if not term.startswith("<"):
        return term
    iri = term[1:-1]
    for ns, prefix in _NAMESPACES:
        if iri.startswith(ns) and _LOCAL.fullmatch(iri[len(ns):]):
            return f"{prefix}:{iri[len(ns):]}"
    return term


def _turtle_object(term: str) -> str:
    if term.startswith('"'):
        lexical, marker, datatype = term.rpartition('"^^<')
        if marker:  # the last '"^^<' is the datatype's: a quote inside a literal is escaped
            return f'{lexical}"^^{_short("<" + datatype)}'
        return term
    return _short(term)


_RDF_TYPE: Final = f"<{RDF.type}>"


def turtle_blocks(flat_lines: Sequence[str]) -> str:
    """Sorted N-Triples lines as Turtle: one block per subject, predicates and IRIs shortened."""
    out: list[str] = []
    subject = None
    terms: dict[str, str] = {}  # a term shortened once: subjects and predicates recur on many lines
    objects: dict[str, str] = {}
    for line in flat_lines:
        s, p, rest = line.split(" ", 2)  # IRIs and blank node labels hold no space
        o = rest[: -len(" .\n")]
        pred = terms.get(p)
        if pred is None:
            pred = terms[p] = "a" if p == _RDF_TYPE else _short(p)
        obj = objects.get(o)
        if obj is None:
            obj = _turtle_object(o)
            if not o.startswith('"'):  # literals seldom recur: not worth keeping
                objects[o] = obj
        if s != subject:
            if subject is not None:
                out[-1] += " .\n"
            out.append(f"{_short(s)}\n    {pred} {obj}")
            subject = s
        else:
            out[-1] += f" ;\n    {pred} {obj}"
    if out:
        out[-1] += " .\n"
    return "\n".join(out)


def unit_nquads(ds: Dataset, names: Sequence[URIRef]) -> list[str]:
    """The sorted N-Quads lines of the graphs ``names`` (a unit's share of ``graph.nq``)."""
    return sorted({f"{_nt(s)} {_nt(p)} {_nt(o)} {_nt(name)} .\n"
                   for name in names for s, p, o in ds.graph(name)})


def export_part(ds: Dataset, key: str, names: Sequence[URIRef]) -> ExportPart:
    """The share of unit ``key`` (its graphs ``names``, in IRI order) in every export of ``ds``."""
    claim_graphs = _claim_graphs(ds, names)
    nquads = unit_nquads(ds, names)
    flat = _flat_lines(ds, names, claim_graphs)
    prefixes: set[str] = set()
    trig = []
    jsonld = []
    for name in names:
        g = _prefixed_graph(ds, name)
        used, block = _trig_block(g, str(name))
        prefixes |= used
        trig.append((str(name), block))
        jsonld.append((str(name), _jsonld_entry(g, str(name))))
    return ExportPart(key, tuple(nquads), tuple(flat), tuple(sorted(prefixes)), tuple(trig),
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


def compose(parts: Iterable[ExportPart]) -> dict[str, str]:
    """The five export files' text from the parts of every unit (see the module docstring)."""
    ordered = sorted(parts, key=lambda p: p.key)
    blocks = sorted((b for p in ordered for b in p.trig), key=lambda b: b[0])
    entries = sorted((e for p in ordered for e in p.jsonld), key=lambda e: e[0])
    prefix_lines = sorted({line for p in ordered for line in p.prefixes})
    flat = _merged(p.flat for p in ordered)
    return {
        "graph.trig": "\n".join(prefix_lines) + "\n\n" + "\n".join(b for _, b in blocks),
        "graph.nq": "".join(_merged(p.nquads for p in ordered)),
        "graph.ttl": _turtle_file(flat),
        "graph.nt": "".join(flat),
        "graph.jsonld": _jsonld_file([e for _, e in entries]),
    }
