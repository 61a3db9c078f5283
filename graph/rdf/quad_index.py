"""A read-only dataset of what the projections read, made from N-Quads lines in one pass.

:mod:`graph.rdf.projection` reads a dataset by triple patterns only: every quad of a few
predicates, a claim graph's content, one subject's values. rdflib's in-memory store spends
most of a large build's time on per-triple bookkeeping (events, a context index per triple)
that such reading never uses. :func:`projection_dataset` puts the lines a build already has (each
unit's share of ``graph.nq``) behind rdflib's ``Dataset`` interface, keeping only the quads the
projections read (:data:`PROJECTED_PREDICATES`, and every quad of a claim graph), indexed for
those patterns. So the findings and the views of an incremental build need no dataset of the
whole corpus.
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from collections.abc import Generator, Iterable, Iterator
from typing import Any, Final

from rdflib import BNode, Dataset, Literal, URIRef
from rdflib.graph import Graph
from rdflib.store import Store
from rdflib.term import Node

from graph.rdf.vocab import (
    CG,
    DCTERMS,
    ENTITY_TYPES,
    PROV,
    RDF,
    RDFS,
    SCHEMA,
    SKOS,
    is_claim_graph_iri,
)

__all__ = ["PROJECTED_PREDICATES", "PROJECTED_TYPES", "projection_dataset", "projection_lines"]

# Every predicate :mod:`graph.rdf.projection` and :mod:`graph.rdf.affiliations` read outside a
# claim graph (a test compares projections of a whole dataset with projections of this one).
PROJECTED_PREDICATES: Final = frozenset({
    RDF.type, RDFS.label, DCTERMS.identifier, SCHEMA.appearance, SCHEMA.text,
    SCHEMA.publisher, SCHEMA.datePublished, SCHEMA.url, PROV.wasDerivedFrom,
    PROV.wasAttributedTo, PROV.hadPrimarySource, CG.sourceKind, CG.attributionMode,
    CG.inferredFrom, CG.supports, CG.contradicts, CG.denies, CG.partOf, CG.copiedFrom,
    CG.isVague, CG.assertionGraph, CG.affiliationParty, CG.contentStatement, RDF.subject,
    RDF.predicate, RDF.object, SKOS.editorialNote,
})
# The classes they ask ``rdf:type`` for outside a claim graph: most typed resources of a build
# (anchors, selectors, attributions, quantities) are of classes no projection reads.
PROJECTED_TYPES: Final = frozenset({
    SCHEMA.Claim, CG.DraftClaim, CG.Affiliation, CG.AffiliationClaim,
    *(classes[0] for classes in ENTITY_TYPES.values()),
})
_WANTED: Final = frozenset(f"<{p}>" for p in PROJECTED_PREDICATES)
_NOTE: Final = f"<{SKOS.editorialNote}>"
_TYPE: Final = f"<{RDF.type}>"
_TYPES_READ: Final = tuple(f"<{c}> " for c in PROJECTED_TYPES)
_AFFILIATION_TYPES: Final = (f"<{CG.Affiliation}> ", f"<{CG.AffiliationClaim}> ")

_Quad = tuple[Node, Node, Node, Node]


def projection_lines(lines: Iterable[str]) -> Iterator[str]:
    """The N-Quads lines (each ``s p o g .``, as a build writes them) the projections read; an
    editorial note only for an affiliation (the others' notes are read by no projection, so a
    corrected note leaves the projection as it was), after the other lines."""
    notes: list[tuple[str, str]] = []
    affiliations: set[str] = set()
    for line in lines:
        s, p, rest = line.split(" ", 2)  # an IRI or a blank node label holds no space
        if p == _NOTE:
            notes.append((s, line))
        elif p in _WANTED and (p != _TYPE or rest.startswith(_TYPES_READ)):
            if p == _TYPE and rest.startswith(_AFFILIATION_TYPES):
                affiliations.add(s)
            yield line
        else:  # every quad of a claim graph: what the claim asserts
            graph = rest.rsplit(" ", 2)[-2]  # the graph: the last term, which holds no space
            if graph.startswith("<") and is_claim_graph_iri(graph[1:-1]):
                yield line
    yield from (line for s, line in notes if s in affiliations)


class _IndexedQuads(Store):
    """A read-only rdflib store over quads, indexed by predicate, by graph and by subject."""

    context_aware = True
    graph_aware = True
    formula_aware = False
    transaction_aware = False

    def __init__(self) -> None:
        super().__init__()
        self._quads: list[_Quad] = []
        self._by_predicate: dict[Node, list[_Quad]] = defaultdict(list)
        # made when first asked: the findings alone never look quads up by subject or graph
        self._by_subject: dict[Node, list[_Quad]] | None = None
        self._by_graph: dict[Node, list[_Quad]] | None = None
        self._graphs: dict[Node, Graph] = {}

    def fill(self, quads: Iterable[_Quad]) -> None:
        by_predicate = self._by_predicate
        for quad in quads:
            self._quads.append(quad)
            by_predicate[quad[1]].append(quad)
        for name in dict.fromkeys(quad[3] for quad in self._quads):
            self._graphs[name] = Graph(store=self, identifier=name)  # type: ignore[arg-type]

    def _index(self, position: int) -> dict[Node, list[_Quad]]:
        index: dict[Node, list[_Quad]] = defaultdict(list)
        for quad in self._quads:
            index[quad[position]].append(quad)
        return index

    def _candidates(self, s: Node | None, p: Node | None, g: Node | None) -> list[_Quad]:
        if s is not None:
            if self._by_subject is None:
                self._by_subject = self._index(0)
            return self._by_subject.get(s, [])
        if p is not None:
            return self._by_predicate.get(p, [])
        if g is not None:
            if self._by_graph is None:
                self._by_graph = self._index(3)
            return self._by_graph.get(g, [])
        return self._quads

    def triples(self, triple_pattern: Any, context: Any = None) -> Iterator[Any]:
        s, p, o = triple_pattern
        g = None if context is None else context.identifier
        if g is not None and g not in self._graphs:
            return
        for quad in self._candidates(s, p, g):
            if (s is None or quad[0] == s) and (p is None or quad[1] == p) \
                    and (o is None or quad[2] == o) and (g is None or quad[3] == g):
                yield quad[:3], iter((self._graphs[quad[3]],))

    def __len__(self, context: Any = None) -> int:
        if context is None:
            return len(self._quads)
        return len(self._candidates(None, None, context.identifier))

    def contexts(self, triple: Any = None) -> Generator[Graph, None, None]:
        if triple is None:
            yield from self._graphs.values()
            return
        for _triple, graphs in self.triples(triple):
            yield from graphs

    def add_graph(self, graph: Any) -> None:
        """Asked by rdflib when a graph is named; the quads were given at construction."""

    def add(self, triple: Any, context: Any, quoted: bool = False) -> None:
        raise TypeError("a projection dataset is read-only")

    def remove(self, triple: Any, context: Any = None) -> None:
        raise TypeError("a projection dataset is read-only")


_ESCAPE: Final = re.compile(r'\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))', re.DOTALL)
_ECHAR: Final = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'",
                 "\\": "\\"}


def _unescape(match: re.Match[str]) -> str:
    code = match.group(1) or match.group(2)
    if code:
        return chr(int(code, 16))
    char = match.group(3)
    if char not in _ECHAR:
        raise ValueError(f"not an N-Triples escape: \\{char}")
    return _ECHAR[char]


def _iri(iri: str) -> URIRef:
    """A URIRef without rdflib's check of the IRI: the build that wrote the line checked it."""
    return str.__new__(URIRef, iri)


def _term(token: str) -> Node:
    """One term of an N-Quads line as the build writes them (graph.sparql.binding.sparql_term)."""
    if token.startswith("<"):
        return _iri(token[1:-1])
    if token.startswith("_:"):
        return BNode(token[2:])
    if token.endswith('"'):
        lexical, language, datatype = token[1:-1], None, None
    elif token.endswith(">"):
        lexical, _, tail = token.rpartition('"^^<')
        lexical, language, datatype = lexical[1:], None, URIRef(tail[:-1])
    else:
        lexical, _, language = token.rpartition('"@')
        lexical, datatype = lexical[1:], None
    if "\\" in lexical:
        lexical = _ESCAPE.sub(_unescape, lexical)
    return Literal(lexical, lang=language, datatype=datatype)


def _quads(lines: Iterable[str]) -> Iterator[_Quad]:
    term = functools.cache(_term)  # a term recurs on many lines: made once per call

    for line in lines:
        s, p, rest = line.split(" ", 2)
        o, g = rest[: -len(" .\n")].rsplit(" ", 1)
        yield term(s), term(p), term(o), term(g)


def projection_dataset(lines: Iterable[str], *, filtered: bool = False) -> Dataset:
    """A read-only dataset of the quads of ``lines`` (N-Quads) that the projections read;
    ``filtered``: the lines are already :func:`projection_lines`' own.

    >>> ds = projection_dataset([
    ...     '<https://e.org/c> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> '
    ...     '<https://schema.org/Claim> <https://e.org/g> .\\n',
    ...     '<https://e.org/c> <https://schema.org/name> "skipped" <https://e.org/g> .\\n'])
    >>> [str(o) for _s, _p, o, _g in ds.quads((None, None, None, None))]
    ['https://schema.org/Claim']
    """
    store = _IndexedQuads()
    store.fill(_quads(lines if filtered else projection_lines(lines)))
    return Dataset(store=store)
