"""Recognising, before it runs, a query whose work grows with the square of the store.

Two shapes of pattern cost at least N² steps on a store of N triples, whatever it holds:

* a **cartesian product**: one basic graph pattern whose triple patterns fall into two or more
  parts that share no variable, each part *unanchored*, e.g. ``{ ?a ?b ?c . ?d ?e ?f }``;
* an **unanchored transitive path**: a ``*`` or ``+`` path in an unanchored part, e.g.
  ``{ ?s (<p>|!<p>)* ?o }`` (the closure from every node of the store).

A part is *anchored* when one of its patterns has a constant subject or object, or a plain IRI
as predicate (not a variable, not a path), or uses a variable that ``VALUES`` binds: then the
store's indexes bound what it reads. Such a pattern makes the query explosive unless its answers
stream and a ``LIMIT`` ends them early (``ASK`` ends at the first): with an aggregate, ``GROUP BY``
or ``ORDER BY`` every answer is read before the first is given, and without a ``LIMIT`` the N²
answers run past any row cap, so the query ends in an error after all that work anyway.

The shape says what the work grows with, not what it costs on a given store: over the bundled
article an unbounded ``prov:wasDerivedFrom+`` from every claim is cheap. So the
endpoint (:mod:`graph.serve.pool`) does not route by it; it admits queries by the CPU time they
take
there. The classification is a warning for a query's author. The library's own queries are never
explosive (a test checks each of them).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Final

from rdflib import BNode, URIRef, Variable
from rdflib.paths import AlternativePath, InvPath, MulPath, NegatedPath, SequencePath
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parserutils import CompValue

from graph.sparql.algebra import walk_tree

__all__ = ["is_explosive"]

_READ_WHOLE: Final = frozenset({"AggregateJoin", "Group", "OrderBy"})


def is_explosive(tree: Any) -> bool:
    """Whether the parsed query (rdflib's ``parseQuery`` result) is explosive; see the module.

    A query rdflib cannot translate to its algebra is not called explosive: it runs as any other.
    """
    try:
        algebra = translateQuery(tree).algebra
    except Exception:  # an unusual but valid query: no opinion, the CPU budget decides
        return False
    nodes = [node for node in walk_tree(algebra) if isinstance(node, CompValue)]
    names = {node.name for node in nodes}
    limited = "AskQuery" in names or any(
        node.name == "Slice" and node.length is not None for node in nodes)
    if limited and not names & _READ_WHOLE:
        return False  # answers stream, and the LIMIT ends them
    bound = _values_variables(nodes)
    return any(_explosive_bgp(node.triples, bound) for node in nodes if node.name == "BGP")


def _values_variables(nodes: Iterable[Any]) -> set[Any]:
    bound: set[Any] = set()
    for node in nodes:
        if node.name == "values":
            for row in node.res or []:
                bound.update(row)
    return bound


def _is_variable(term: Any) -> bool:
    return isinstance(term, Variable | BNode)  # a query's blank node is a variable


def _anchored(pattern: tuple[Any, Any, Any], bound: set[Any]) -> bool:
    s, p, o = pattern
    return (not _is_variable(s) or not _is_variable(o) or isinstance(p, URIRef)
            or any(term in bound for term in (s, p, o)))


def _closure(predicate: Any) -> bool:
    """Whether a path repeats (``*`` or ``+``) anywhere inside it."""
    stack = [predicate]
    while stack:
        path = stack.pop()
        if isinstance(path, MulPath):
            if path.mod in ("*", "+"):
                return True
            stack.append(path.path)
        elif isinstance(path, AlternativePath | SequencePath):
            stack.extend(path.args)
        elif isinstance(path, InvPath):
            stack.append(path.arg)
        elif isinstance(path, NegatedPath):
            stack.extend(path.args)
    return False


def _explosive_bgp(triples: list[tuple[Any, Any, Any]], bound: set[Any]) -> bool:
    parts = _parts(triples)
    unanchored = [part for part in parts if not any(_anchored(t, bound) for t in part)]
    return len(unanchored) >= 2 or any(_closure(t[1]) for part in unanchored for t in part)


def _parts(triples: list[tuple[Any, Any, Any]]) -> list[list[tuple[Any, Any, Any]]]:
    """The patterns grouped by shared variables (connected components)."""
    parts: list[tuple[set[Any], list[tuple[Any, Any, Any]]]] = []
    for triple in triples:
        variables = {term for term in triple if _is_variable(term)}
        joined = [part for part in parts if part[0] & variables]
        merged_vars, merged = set(variables), [triple]
        for part in joined:
            merged_vars |= part[0]
            merged.extend(part[1])
            parts.remove(part)
        parts.append((merged_vars, merged))
    return [patterns for _, patterns in parts]
