"""The predicates a claim's ``relations`` may use, and the ``prefixes`` a file may declare. No RDF.

A relation's predicate is written ``prefix:name``: one of the project's own relation words
(:data:`graph.model.words.RELATIONS`), any schema.org property (``schema:alumniOf``), or a term of
a vocabulary whose prefix the file declares under ``prefixes:`` (``foaf:knows``). A misspelt
schema.org property is refused with the closest real one; the project's structural vocabularies
(PROV, RDF, Web Annotation, …) are refused, since a claim's content written with them would read
as the graph's own bookkeeping.

>>> resolve_predicate("schema:alumniOf", {}).iri
'https://schema.org/alumniOf'
>>> resolve_predicate("foaf:knows", {"foaf": "http://xmlns.com/foaf/0.1/"}).iri
'http://xmlns.com/foaf/0.1/knows'
>>> resolve_predicate("cg:funds", {})
Predicate(word='schema:funder', iri='https://schema.org/funder', inverted=True)
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Final

from graph.model.words import LEGACY_RELATIONS, RELATIONS

__all__ = [
    "PROJECT_PREFIXES",
    "Predicate",
    "PredicateError",
    "check_prefix",
    "resolve_predicate",
]

_SCHEMA_NS: Final = "https://schema.org/"
_CG_NS: Final = "https://w3id.org/claimgraph/ontology#"

# The prefixes claimgraph binds in every export (graph.rdf.vocab.PREFIXES; a test checks the two
# agree). A file may declare one of them again only with the same IRI.
PROJECT_PREFIXES: Final[dict[str, str]] = {
    "cg": _CG_NS,
    "id": "https://w3id.org/claimgraph/id/",
    "schema": _SCHEMA_NS,
    "prov": "http://www.w3.org/ns/prov#",
    "oa": "http://www.w3.org/ns/oa#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "dcterms": "http://purl.org/dc/terms/",
    "sh": "http://www.w3.org/ns/shacl#",
}
# Vocabularies the graph uses for its own structure: a claim's content may not use them.
_STRUCTURAL: Final = tuple(
    iri for name, iri in PROJECT_PREFIXES.items() if name not in ("cg", "schema")
)
_PREFIX_NAME: Final = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")
_LOCAL_NAME: Final = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")
_ABSOLUTE_IRI: Final = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+$")


class PredicateError(ValueError):
    """A predicate or prefix the format refuses; the message says why and what to write."""


@dataclass(frozen=True)
class Predicate:
    """A resolved predicate: the word as the graph keeps it, its IRI, and whether the subject
    and object were swapped to reach it (an old project word now written with schema.org)."""

    word: str
    iri: str
    inverted: bool = False


def check_prefix(name: str, iri: object) -> str | None:
    """Why a ``prefixes:`` entry is refused, or None when it is fine.

    >>> check_prefix("foaf", "http://xmlns.com/foaf/0.1/") is None
    True
    >>> print(check_prefix("prov", "http://example.org/prov#"))  # doctest: +NORMALIZE_WHITESPACE
    'prov' is claimgraph's own prefix for http://www.w3.org/ns/prov#; it cannot name another
    vocabulary
    """
    if not _PREFIX_NAME.match(name):
        return f"'{name}' is not a prefix name (a letter, then letters, digits, _ or -)"
    if not isinstance(iri, str) or not _ABSOLUTE_IRI.match(iri):
        return f"the IRI of prefix '{name}' must be an absolute IRI (http://…/), got {iri!r}"
    own = PROJECT_PREFIXES.get(name)
    if own is not None and own != iri:
        return f"'{name}' is claimgraph's own prefix for {own}; it cannot name another vocabulary"
    if iri.rstrip("/#") in ("http://schema.org", "https://schema.org") and iri != _SCHEMA_NS:
        return f"claimgraph writes schema.org as {_SCHEMA_NS}: use the 'schema:' prefix"
    return None


@cache
def _schema_terms() -> frozenset[str]:
    """Every schema.org term rdflib ships (classes and properties).

    Imported here, not at the top: the model loads no RDF library unless a file uses a schema.org
    property beyond the project's own words.
    """
    from rdflib.namespace import SDO

    return frozenset(name for name in SDO.__annotations__ if not name.startswith("_"))


def _closest(name: str, options: list[str]) -> str:
    folded = {o.lower(): o for o in options}
    if name.lower() in folded:
        return folded[name.lower()]
    found = difflib.get_close_matches(name, options, n=1, cutoff=0.75)
    return found[0] if found else ""


def _schema_property(local: str, word: str) -> None:
    terms = _schema_terms()
    if local in terms and local[0].islower():
        return
    if local in terms:
        raise PredicateError(f"'{word}' is a schema.org type, not a property")
    near = _closest(local, sorted(t for t in terms if t[0].islower()))
    hint = f"; did you mean 'schema:{near}'?" if near else ""
    raise PredicateError(f"'{word}' is not a schema.org property{hint}")


def resolve_predicate(word: str, declared: Mapping[str, str]) -> Predicate:
    """The IRI of a relation's predicate, or :class:`PredicateError` saying what is wrong.

    ``declared`` is the file's ``prefixes:`` mapping, already checked by :func:`check_prefix`.

    >>> try:
    ...     resolve_predicate("schema:worksfor", {})
    ... except PredicateError as exc:
    ...     print(exc)
    'schema:worksfor' is not a schema.org property; did you mean 'schema:worksFor'?
    """
    if word in LEGACY_RELATIONS:  # an old project word: kept working, written the standard way
        standard, inverted = LEGACY_RELATIONS[word]
        return Predicate(standard, _SCHEMA_NS + standard.partition(":")[2], inverted)
    prefix, colon, local = word.partition(":")
    if not colon or not prefix:
        raise PredicateError(
            f"'{word}' is not prefix:name (schema:knows, or a prefix declared under 'prefixes:')")
    if not _LOCAL_NAME.match(local):
        raise PredicateError(f"'{word}': '{local}' is not a term name (letters, digits, _ or -)")
    namespace = declared.get(prefix, PROJECT_PREFIXES.get(prefix))
    if namespace is None:
        raise PredicateError(
            f"unknown prefix '{prefix}' in '{word}': declare it under 'prefixes:' "
            f"({prefix}: <the vocabulary's IRI>), or use schema.org (schema:…)")
    if namespace == _SCHEMA_NS:
        _schema_property(local, word)
    elif namespace == _CG_NS:
        own = [w.partition(":")[2] for w in RELATIONS if w.startswith("cg:")]
        if local not in own:
            near = _closest(local, own)
            hint = f"; did you mean 'cg:{near}'?" if near else ""
            raise PredicateError(f"unknown relation predicate '{word}'{hint} (claimgraph's own: "
                                 + ", ".join(f"cg:{w}" for w in own) + "; or use schema.org)")
    elif namespace in _STRUCTURAL:
        raise PredicateError(
            f"'{word}' belongs to a vocabulary claimgraph uses for the graph's own structure; "
            "a claim's relations cannot use it")
    return Predicate(word, namespace + local)
