"""Turning each engine's answers into :class:`graph.stores.QueryResult` of rdflib terms.

Terms are normalised the same way for every engine, so equal answers compare equal:
a literal typed ``xsd:string`` becomes the plain literal it is equal to in RDF 1.1, and an
``xsd:boolean`` written ``1``/``0`` (Virtuoso's form) becomes ``true``/``false`` (same value,
canonical form). Nothing else is changed.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from rdflib import Literal
from rdflib.term import Node

from graph.errors import StoreError
from graph.rdf.rdfio import rdflib_term
from graph.rdf.vocab import XSD
from graph.sparql.results import QueryResult
from graph.sparql.safety import QueryForm

__all__ = ["normalize_term", "oxigraph_result", "oxigraph_term", "rdflib_result"]


def normalize_term(term: Node | None) -> Node | None:
    """The one spelling of a term that all stores share (see the module docstring)."""
    if isinstance(term, Literal):
        if term.datatype == XSD.string:
            return Literal(str(term))
        if term.datatype == XSD.boolean and str(term) in ("1", "0"):
            return Literal("true" if str(term) == "1" else "false", datatype=XSD.boolean)
    return term


def rdflib_result(form: QueryForm, result: Any) -> QueryResult:
    """From an rdflib ``Result``."""
    if form == "ask":
        return QueryResult("ask", boolean=bool(result.askAnswer))
    if form in ("construct", "describe"):
        graph = result.graph
        triples = tuple(
            (s, p, normalize_term(o) or o) for s, p, o in (graph if graph is not None else ())
        )
        return QueryResult(form, triples=triples)
    variables = tuple(str(v) for v in (result.vars or ()))
    rows = tuple(tuple(normalize_term(t) for t in row) for row in result)
    return QueryResult("select", variables=variables, rows=rows)


def oxigraph_term(term: Any) -> Node | None:
    """A pyoxigraph term in an answer as an rdflib term, its literal's value normalised as rdflib's
    engine gives it (:func:`normalize_term`)."""
    if term is None:
        return None
    converted = rdflib_term(term)
    if converted is None:
        raise StoreError(f"unsupported term in a result: {type(term).__name__}")
    if isinstance(converted, Literal) and converted.datatype is not None:
        return normalize_term(converted)
    return converted



@lru_cache(maxsize=1 << 16)
def _cached_term(term: Any) -> Node | None:
    return oxigraph_term(term)


def _convert(term: Any) -> Node | None:
    """``oxigraph_term``, memoised across answers (terms are immutable values): IRIs and values
    repeat across rows and queries, and building an rdflib term (a literal above all) costs more
    than a small query itself. At most 65,536 terms are kept."""
    return None if term is None else _cached_term(term)


def oxigraph_result(form: QueryForm, result: Any) -> QueryResult:
    """From pyoxigraph ``QuerySolutions`` / ``QueryBoolean`` / ``QueryTriples``."""
    if form == "ask":
        return QueryResult("ask", boolean=bool(result))
    if form in ("construct", "describe"):
        triples = []
        for triple in result:
            s, p, o = (_convert(t) for t in (triple.subject, triple.predicate, triple.object))
            if s is None or p is None or o is None:  # pragma: no cover - triples are complete
                continue
            triples.append((s, p, o))
        return QueryResult(form, triples=tuple(triples))
    variables = tuple(v.value for v in result.variables)
    rows = tuple(tuple(_convert(solution[v]) for v in variables) for solution in result)
    return QueryResult("select", variables=variables, rows=rows)
