"""The analysts' query library: named SPARQL questions in ``.rq`` files, and how to run them.

Each file starts with a header of comment lines::

    # title: Claims by claimant
    # description: Every claim attributed to one agent ...
    # param: agent (entity) — the claimant. example: russell-strong

A query that takes parameters has one ``# @values`` line inside its WHERE clause; the bound values
go there as ``VALUES`` blocks of serialised RDF terms (see :func:`graph.store.bind_values`).

Parameter types and the values they accept:

``claim``     a claim id (``c03``, looked up in the store; ``doc/c03`` names the document too)
``entity``    an entity id (``russell-strong``)
``document``  a document id (``dailymail-strong-interview``)
``iri``       a prefixed name with claimgraph's prefixes (``cg:VagueCollective``)
``literal``   any text
``integer``   a whole number

For every type, ``<…>`` or a value starting with ``http://``, ``https://`` or ``urn:`` is an IRI;
a value that is neither an id of the right shape nor an IRI is a literal (it then matches nothing).

>>> q = get_query("claims-by-claimant")
>>> q.title, [p.name for p in q.params]
('Claims by claimant', ['agent'])
>>> result = run_query("claims-by-claimant", {"agent": "russell-strong"})
>>> len(result.rows) > 10
True
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

from ..errors import NotFoundError, QueryError
from ..sparql_safety import QueryForm, check_query
from ..store import VALUES_MARKER, QueryResult, Store, has_one_values_marker, open_store
from ..vocab import PREFIXES, claim_iri, document_iri, entity_iri, is_valid_id

__all__ = [
    "PARAM_TYPES",
    "NamedQuery",
    "Param",
    "get_query",
    "list_queries",
    "load_query_file",
    "parse_query_text",
    "resolve_params",
    "run_query",
]

PARAM_TYPES: Final = ("claim", "entity", "document", "iri", "literal", "integer")
_HEADER = re.compile(r"^#\s*(title|description|param):\s*(.*?)\s*$")
_PARAM = re.compile(
    r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*\((?P<type>[a-z]+)\)\s*[—–-]+\s*"
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
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise QueryError(f"{path}: cannot read the query: {exc.strerror}") from None
    return parse_query_text(text, path.stem)


@cache
def _library() -> dict[str, NamedQuery]:
    folder = resources.files(__name__)
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
    if value.startswith("<") and value.endswith(">"):
        return URIRef(value[1:-1])
    if value.startswith(("http://", "https://", "urn:")):
        return URIRef(value)
    return None


def parse_value(param: Param, value: str) -> Node | tuple[str, str]:
    """A raw value as a term; a bare claim id comes back as ``("claim-id", id)`` to look up."""
    return _parse_value(param.name, param.type, value)


@lru_cache(maxsize=4096)
def _parse_value(name: str, kind: str, value: str) -> Node | tuple[str, str]:
    """:func:`parse_value` by the parameter's name and type (memoised: the same claim, entity or
    document is asked about again and again; an invalid value raises every time)."""
    iri = _iri(value)
    if iri is not None:
        return iri
    if kind == "claim":
        doc, sep, claim = value.replace("#", "/").partition("/")
        if sep and is_valid_id(doc) and is_valid_id(claim):
            return claim_iri(doc, claim)
        return ("claim-id", value) if is_valid_id(value) else Literal(value)
    if kind in ("entity", "document") and is_valid_id(value):
        return entity_iri(value) if kind == "entity" else document_iri(value)
    if kind == "iri":
        prefix, sep, local = value.partition(":")
        if sep and prefix in PREFIXES and re.fullmatch(r"[A-Za-z0-9_.-]*", local):
            return URIRef(PREFIXES[prefix] + local)
    if kind == "integer":
        try:
            return Literal(int(value))
        except ValueError:
            raise QueryError(
                f"parameter {name!r} takes a whole number, not {value!r}"
            ) from None
    return Literal(value)


def resolve_params(
    query: NamedQuery, raw: Mapping[str, str], store: Store
) -> dict[str, Node]:
    """Check and resolve raw string values into RDF terms for ``query``'s declared parameters.

    Unknown or missing parameters raise ``QueryError``; a claim id the store does not hold raises
    ``NotFoundError``, one that names claims in several documents a ``QueryError``.
    """
    declared = {p.name: p for p in query.params}
    if raw.keys() != declared.keys():
        _unknown_or_missing(query, raw)
    out: dict[str, Node] = {}
    for name, value in raw.items():
        term = _parse_value(name, declared[name].type, value)
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
