"""One named graph as an entry of ``graph.jsonld``'s ``@graph``: compact JSON-LD under the
file's context (the project's prefixes), written from the graph's triples without a JSON-LD
library.

Every term is written so that a reader cannot take it for another: IRIs as ``{"@id": ...}``
(``@type`` for ``rdf:type``), shortened to a prefixed name only where :func:`prefixed` allows;
blank nodes as ``_:label``; a literal as a bare string only if it is a plain ``xsd:string``,
as a JSON number or boolean only if that reads back as the same lexical form, else as
``{"@value": ..., "@language": ...}`` or ``{"@value": ..., "@type": ...}``. An absolute IRI
whose scheme is one of the prefixes (``schema:x``) would read as a prefixed name: the entry
holding one undefines that prefix in a context of its own and writes the IRIs it would have
shortened in full.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Sequence
from typing import Final

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from graph.rdf.prefixed import prefixed, scheme_prefix
from graph.rdf.vocab import RDF, XSD

__all__ = ["Row", "jsonld_entry"]

Row = tuple[tuple[str, str, str], tuple[Node, Node, Node]]
"""A triple as N-Triples terms (its sort key; blank nodes as ``_:label``) and as rdflib terms."""

_RDF_TYPE: Final = str(RDF.type)
_STRING: Final = str(XSD.string)
_INTEGER: Final = str(XSD.integer)
_BOOLEAN: Final = str(XSD.boolean)
# An xsd:integer a JSON number gives back as it is: canonical, and exact in a double (a reader
# may hold JSON numbers as doubles).
_NATIVE_INTEGER: Final = re.compile(r"0|-?[1-9][0-9]{0,14}")


def _iri(iri: str, undefined: frozenset[str]) -> str:
    short = prefixed(iri)
    if short is None or short[0] in undefined:
        return iri
    return f"{short[0]}:{short[1]}"


def _node_id(nt: str, term: Node, undefined: frozenset[str]) -> str:
    return nt if isinstance(term, BNode) else _iri(str(term), undefined)


def _literal(term: Literal, undefined: frozenset[str]) -> object:
    lexical = str(term)
    if term.language:
        return {"@language": term.language, "@value": lexical}
    datatype = _STRING if term.datatype is None else str(term.datatype)
    if datatype == _STRING:
        return lexical
    if datatype == _INTEGER and _NATIVE_INTEGER.fullmatch(lexical):
        return int(lexical)
    if datatype == _BOOLEAN and lexical in ("true", "false"):
        return lexical == "true"
    return {"@type": _iri(datatype, undefined), "@value": lexical}


def _value(nt: str, term: Node, undefined: frozenset[str]) -> object:
    if isinstance(term, Literal):
        return _literal(term, undefined)
    return {"@id": _node_id(nt, term, undefined)}


def _undefined(name: str, rows: Sequence[Row]) -> frozenset[str]:
    """The prefixes some IRI of the entry spells as its scheme (see the module docstring)."""
    iris = {name}
    for _, triple in rows:
        for term in triple:
            if isinstance(term, URIRef):
                iris.add(str(term))
            elif isinstance(term, Literal) and term.datatype is not None:
                iris.add(str(term.datatype))
    return frozenset(p for p in map(scheme_prefix, iris) if p is not None)


def _node(subject: tuple[str, Node], rows: Sequence[Row], undefined: frozenset[str]
          ) -> dict[str, object]:
    node: dict[str, object] = {"@id": _node_id(subject[0], subject[1], undefined)}
    types: list[str] = []
    values: dict[str, list[object]] = {}
    for (_, _, o_nt), (_, p, o) in rows:
        if str(p) == _RDF_TYPE and isinstance(o, URIRef):
            types.append(_iri(str(o), undefined))
        else:  # a literal or blank node rdf:type stays a property: @type takes IRIs
            values.setdefault(_iri(str(p), undefined), []).append(_value(o_nt, o, undefined))
    if types:
        node["@type"] = types[0] if len(types) == 1 else sorted(types)
    for key, found in values.items():
        node[key] = found[0] if len(found) == 1 else sorted(found, key=_json_key)
    return node


def _json_key(value: object) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def _id_key(node: dict[str, object]) -> str:
    return str(node["@id"])


def jsonld_entry(name: str, rows: Sequence[Row]) -> str:
    """The entry of the named graph ``name`` whose triples are ``rows`` (sorted by their
    N-Triples terms), indented as it stands inside the file's ``@graph``: one node per subject
    in the order of its ``@id`` as written, keys sorted, each key's values in the order of their
    JSON text."""
    undefined = _undefined(name, rows)
    nodes = [_node((s_nt, group[0][1][0]), group, undefined)
             for s_nt, group in ((k, list(g)) for k, g in
                                 itertools.groupby(rows, key=lambda row: row[0][0]))]
    entry: dict[str, object] = {"@id": name, "@graph": sorted(nodes, key=_id_key)}
    if undefined:
        entry["@context"] = dict.fromkeys(sorted(undefined))  # each prefix: null
    text = json.dumps(entry, indent=1, sort_keys=True, ensure_ascii=False)
    # JSON strings hold no raw line break, so indenting every line is safe.
    return "\n".join("  " + line for line in text.split("\n"))
