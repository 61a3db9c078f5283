"""The analysts' query library: named SPARQL questions in ``.rq`` files, and how to run them.

Each file starts with a header of comment lines::

    # title: Claims by claimant
    # description: Every claim attributed to one agent ...
    # param: agent (entity) — the claimant. example: russell-strong

A query that takes parameters has one ``# @values`` line inside its WHERE clause; the bound values
go there as ``VALUES`` blocks of serialised RDF terms (see :func:`graph.stores.bind_values`).

Parameter types and the values they accept:

``claim``        a claim id as the annotation file spells it (``c03``; ``doc/c03`` or
                 ``doc#c03`` names the document too)
``entity``       an entity id as the annotation file spells it (``russell-strong``)
``document``     a document id (``dailymail-strong-interview``)
``source-kind``  a source kind as the annotation format words it (``anonymous``,
                 ``vague-collective``, ...; :data:`graph.rdf.vocab.SOURCE_KINDS`)
``mode``         an attribution mode as the annotation format words it (``denial``,
                 ``reported-speech``, ...; :data:`graph.rdf.vocab.MODES`)
``iri``          any IRI
``literal``      any text
``integer``      a whole number

Every type also takes an IRI: ``<…>`` or a value starting with ``http://``, ``https://`` or
``urn:``; every type but ``literal`` and ``integer`` a prefixed name with claimgraph's prefixes
too (``cg:Anonymous``, ``id:entity/russell-strong``). No value is taken silently for one that
matches nothing: a source kind or mode outside its vocabulary is a ``QueryError`` listing the
allowed words, a value of the wrong shape a ``QueryError`` saying what the parameter takes, and a
claim, entity or document the store does not hold a ``NotFoundError``.

>>> q = get_query("claims-by-claimant")
>>> q.title, [p.name for p in q.params]
('Claims by claimant', ['agent'])
>>> result = run_query("claims-by-claimant", {"agent": "russell-strong"})
>>> len(result.rows) > 10
True
>>> run_query("claims-by-mode", {"mode": "denial"}).rows[0][1]
rdflib.term.Literal('c18')
>>> import textwrap
>>> try:
...     run_query("claims-by-mode", {"mode": "rebuttal"})
... except QueryError as exc:
...     print(textwrap.fill(str(exc), 90, break_on_hyphens=False))
parameter 'mode' takes an attribution mode: direct-quote, reported-speech,
author-assertion, hedged, denial, inference (or its IRI, such as cg:DirectQuote), not
'rebuttal'
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import Final

from rdflib import Literal, URIRef
from rdflib.term import Node

from graph.errors import NotFoundError, QueryError
from graph.rdf.vocab import (
    MODES,
    PREFIXES,
    SOURCE_KINDS,
    claim_iri,
    document_iri,
    entity_iri,
    is_valid_id,
)
from graph.sparql.binding import VALUES_MARKER, has_one_values_marker
from graph.sparql.results import QueryResult
from graph.sparql.safety import QueryForm, check_query
from graph.stores import Store, open_store
from graph.support.limits import MAX_QUERY_BYTES, read_utf8

__all__ = [
    "PARAM_TYPES",
    "NamedQuery",
    "Param",
    "get_query",
    "list_queries",
    "load_query_file",
    "parse_query_text",
    "parse_value",
    "resolve_params",
    "run_query",
]

PARAM_TYPES: Final = (
    "claim", "entity", "document", "source-kind", "mode", "iri", "literal", "integer"
)
# The closed vocabularies: the annotation format's word -> the concept, and how to name it.
_VOCABULARIES: Final[dict[str, tuple[str, dict[str, URIRef]]]] = {
    "source-kind": ("a source kind", SOURCE_KINDS),
    "mode": ("an attribution mode", MODES),
}
_NODE_TYPES: Final = frozenset({"claim", "entity", "document"})  # checked against the store
_HEADER = re.compile(r"^#\s*(title|description|param):\s*(.*?)\s*$")
_PARAM = re.compile(
    r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*\((?P<type>[a-z][a-z-]*)\)\s*[—–-]+\s*"
    r"(?P<description>.*?)\s*example:\s*(?P<example>\S.*)$"
)
_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_CLAIM_LOOKUP: Final = """PREFIX schema: <https://schema.org/>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT DISTINCT ?claim WHERE {
  # @values
  ?claim a schema:Claim ; dcterms:identifier ?id .
}
ORDER BY ?claim
"""
# Whether the store holds a node at all, in the default graph or any named one.
_NODE_LOOKUP: Final = """SELECT ?node WHERE {
  # @values
  { ?node ?p ?o } UNION { GRAPH ?g { ?node ?p ?o } }
}
LIMIT 1
"""


@dataclass(frozen=True)
class Param:
    """One declared parameter: the variable it binds, its type, what it means, an example."""

    name: str
    type: str
    description: str
    example: str


@dataclass(frozen=True)
class NamedQuery:
    """A query of the library (or a user's file): its header, its text and its form."""

    name: str
    title: str
    description: str
    params: tuple[Param, ...]
    text: str
    form: QueryForm

    @property
    def parameterized(self) -> bool:
        """True when the query is about one given claim, entity or document."""
        return bool(self.params)

    def to_json(self) -> dict[str, object]:
        """The header as plain data (for ``GET /queries`` and ``query --list --format json``)."""
        return {
            "name": self.name,
            "title": self.title,
            "description": self.description,
            "form": self.form,
            "params": [p.__dict__ for p in self.params],
        }


def parse_query_text(text: str, name: str) -> NamedQuery:
    """Read a query's header and check the query parses; raise ``QueryError`` naming it."""
    fields: dict[str, str] = {}
    params: list[Param] = []
    for number, line in enumerate(text.splitlines(), start=1):
        match = _HEADER.match(line.strip())
        if not match:
            continue
        key, value = match.groups()
        if key != "param":
            fields.setdefault(key, value)
            continue
        pm = _PARAM.match(value)
        if pm is None or pm["type"] not in PARAM_TYPES:
            raise QueryError(
                f"{name}:{number}: a param line reads "
                "'NAME (TYPE) — description. example: VALUE' "
                f"with TYPE one of {', '.join(PARAM_TYPES)}"
            )
        params.append(Param(pm["name"], pm["type"], pm["description"].rstrip(". "), pm["example"]))
    if params and not has_one_values_marker(text):
        raise QueryError(f"{name}: a query with parameters needs one '{VALUES_MARKER}' line")
    form = check_query(text).form
    return NamedQuery(
        name=name,
        title=fields.get("title", name),
        description=fields.get("description", ""),
        params=tuple(params),
        text=text,
        form=form,
    )


def load_query_file(path: str | Path) -> NamedQuery:
    """A user's ``.rq`` file (or ``-`` read by the caller), header optional."""
    path = Path(path)

    def not_text(message: str, *, path: Path, line: int | None = None) -> QueryError:
        return QueryError(f"{path}:{line}: {message}" if line else f"{path}: {message}")

    # Regular files only, read with a cap: a FIFO or /dev/zero is refused, not read forever.
    text = read_utf8(path, MAX_QUERY_BYTES, "SPARQL query file", not_text)
    return parse_query_text(text, path.stem)


@cache
def _library() -> dict[str, NamedQuery]:
    folder = resources.files("graph.sparql") / "queries"
    out = {}
    for item in sorted(folder.iterdir(), key=lambda i: i.name):
        if item.name.endswith(".rq"):
            name = item.name[: -len(".rq")]
            out[name] = parse_query_text(item.read_text(encoding="utf-8"), name)
    return out


def list_queries() -> list[NamedQuery]:
    """Every query of the library, by name."""
    return list(_library().values())


def get_query(name: str) -> NamedQuery:
    """A library query by name; ``QueryError`` lists the names when it is unknown."""
    try:
        return _library()[name]
    except KeyError:
        known = ", ".join(_library())
        raise QueryError(f"no query named {name!r}; the library has: {known}") from None


def _iri(value: str) -> URIRef | None:
    """``<…>``, an absolute IRI, or a prefixed name with claimgraph's prefixes; else None."""
    if value.startswith("<") and value.endswith(">"):
        return URIRef(value[1:-1])
    if value.startswith(("http://", "https://", "urn:")):
        return URIRef(value)
    prefix, sep, local = value.partition(":")
    if sep and prefix in PREFIXES and re.fullmatch(r"[A-Za-z0-9_.#/-]*", local):
        return URIRef(PREFIXES[prefix] + local)
    return None


def parse_value(param: Param, value: str) -> Node | tuple[str, str]:
    """A raw value as a term; a bare claim id comes back as ``("claim-id", id)`` to look up.

    Raises ``QueryError`` for a value the parameter cannot take (see the module docstring).
    """
    return _parse_value(param.name, param.type, value)


def _vocabulary_term(name: str, kind: str, value: str) -> URIRef:
    """A source kind or mode by its annotation-format word or its IRI; else ``QueryError``."""
    what, words = _VOCABULARIES[kind]
    term = words.get(value) or _iri(value)
    if term is None or term not in words.values():
        local = str(next(iter(words.values()))).rsplit("#", 1)[-1]
        raise QueryError(
            f"parameter {name!r} takes {what}: {', '.join(words)} "
            f"(or its IRI, such as cg:{local}), not {value!r}"
        )
    return term


@lru_cache(maxsize=4096)
def _parse_value(name: str, kind: str, value: str) -> Node | tuple[str, str]:
    """:func:`parse_value` by the parameter's name and type (memoised: the same claim, entity or
    document is asked about again and again; an invalid value raises every time)."""
    if kind in _VOCABULARIES:
        return _vocabulary_term(name, kind, value)
    if kind in ("literal", "integer") and value.startswith(("<", "http://", "https://", "urn:")):
        return _iri(value) or Literal(value)
    if kind == "literal":
        return Literal(value)
    if kind == "integer":
        try:
            return Literal(int(value))
        except ValueError:
            raise QueryError(
                f"parameter {name!r} takes a whole number, not {value!r}"
            ) from None
    iri = _iri(value)
    if iri is not None:
        return iri
    if kind == "claim":
        doc, sep, claim = value.replace("#", "/").partition("/")
        if sep and is_valid_id(doc) and is_valid_id(claim):
            return claim_iri(doc, claim)
        if is_valid_id(value):
            return ("claim-id", value)
    if kind in ("entity", "document") and is_valid_id(value):
        return entity_iri(value) if kind == "entity" else document_iri(value)
    shape = {
        "claim": "a claim id as the annotation file spells it (c03, or doc-id/c03)",
        "entity": "an entity id as the annotation file spells it (russell-strong)",
        "document": "a document id as the annotation file spells it",
    }.get(kind, "an IRI (<...>, https://... or a prefixed name such as cg:Anonymous)")
    alternative = " or an IRI" if kind in _NODE_TYPES else ""
    raise QueryError(f"parameter {name!r} takes {shape}{alternative}, not {value!r}")


def resolve_params(
    query: NamedQuery, raw: Mapping[str, str], store: Store
) -> dict[str, Node]:
    """Check and resolve raw string values into RDF terms for ``query``'s declared parameters.

    Unknown or missing parameters, and values a parameter cannot take, raise ``QueryError``; a
    claim, entity or document the store does not hold raises ``NotFoundError``, a claim id that
    names claims in several documents a ``QueryError``.
    """
    declared = {p.name: p for p in query.params}
    if raw.keys() != declared.keys():
        _unknown_or_missing(query, raw)
    out: dict[str, Node] = {}
    for name, value in raw.items():
        kind = declared[name].type
        term = _parse_value(name, kind, value)
        if isinstance(term, tuple):
            found = _claims_with_id(store, term[1])
            if not found:
                raise NotFoundError(f"no claim with id {term[1]!r} in {store.spec}")
            if len(found) > 1:
                options = ", ".join(str(r) for r in found)
                raise QueryError(
                    f"claim id {term[1]!r} is ambiguous ({options}); use doc/{term[1]}"
                )
            term = found[0]
        elif kind in _NODE_TYPES and not _holds(store, term):
            raise NotFoundError(
                f"parameter {name!r}: the graph holds no {kind} {value!r} "
                f"({term}) in {store.spec}"
            )
        out[name] = term
    return out


def _unknown_or_missing(query: NamedQuery, raw: Mapping[str, str]) -> None:
    """Raise ``QueryError`` naming the parameters ``raw`` has that ``query`` does not take, or
    else those it lacks."""
    declared = [p.name for p in query.params]
    unknown = sorted(set(raw) - set(declared))
    if unknown:
        names = ", ".join(declared) or "none"
        listed = ", ".join(unknown)
        raise QueryError(f"{query.name}: unknown parameter(s) {listed} (takes: {names})")
    missing = [name for name in declared if name not in raw]
    example = " ".join(f"--param {p.name}={p.example}" for p in query.params)
    raise QueryError(f"{query.name}: missing parameter(s) {', '.join(missing)} ({example})")


def _claims_with_id(store: Store, claim_id: str) -> tuple[Node, ...]:
    """Claims whose id is ``claim_id``, memoised in the store's ``lookups`` where it has one (a
    local store, which empties it on every load; a server's data may change at any time)."""
    memo = getattr(store, "lookups", None)
    if isinstance(memo, dict) and claim_id in memo:
        found: tuple[Node, ...] = memo[claim_id]
        return found
    rows = store.query(_CLAIM_LOOKUP, {"id": Literal(claim_id)}).rows
    found = tuple(row[0] for row in rows if row[0] is not None)
    if isinstance(memo, dict):
        memo[claim_id] = found
    return found


def _holds(store: Store, node: Node) -> bool:
    """Whether the store holds ``node`` as a subject, memoised like :func:`_claims_with_id`."""
    memo = getattr(store, "lookups", None)
    key = f"node {node}"  # a claim id never holds a space: no clash with the claim memo
    if isinstance(memo, dict) and key in memo:
        return bool(memo[key])
    rows = store.query(_NODE_LOOKUP, {"node": node}).rows
    found = tuple(row[0] for row in rows if row[0] is not None)
    if isinstance(memo, dict):
        memo[key] = found
    return bool(found)


def run_query(
    query: str | NamedQuery,
    params: Mapping[str, str] | None = None,
    *,
    store: str | Store = "memory",
) -> QueryResult:
    """Run a library query (by name) or a :class:`NamedQuery` on a store (spec or open store)."""
    named = get_query(query) if isinstance(query, str) else query
    opened = open_store(store) if isinstance(store, str) else store
    try:
        bindings = resolve_params(named, params or {}, opened)
        return opened.query(named.text, bindings)
    finally:
        if isinstance(store, str):
            opened.close()
