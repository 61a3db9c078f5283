"""Where the graph lives, behind one small interface, and what a query gives back.

Three backends, chosen by one string (``--store`` on the command line):

=========================  =============================================================
``memory``                 rdflib ``Dataset`` in this process, queried through an in-memory
                           pyoxigraph copy; the bundled article, built on the fly
                           (:mod:`graph.stores.memory`)
``oxigraph:PATH``          a pyoxigraph store on disk, kept across runs
                           (:mod:`graph.stores.oxigraph`)
``http://HOST:PORT/PATH``  any SPARQL 1.1 server, by protocol (:mod:`graph.stores.sparql_http`)
=========================  =============================================================

Every store answers with the same :class:`QueryResult` (rdflib terms), takes the same parameter
bindings and gives the same answers: the default graph is the union of the named graphs, updates,
``SERVICE`` and ``FROM`` are refused (:mod:`graph.sparql_safety`), and parameters are bound by a
``VALUES`` block of serialised RDF terms placed where the query's ``# @values`` line stands. A
value is data: it is never formatted into the query text as syntax.

>>> store = open_store("memory")
>>> result = store.query(
...     "PREFIX schema: <https://schema.org/> SELECT ?t WHERE {\\n# @values\\n?c schema:text ?t }",
...     {"c": URIRef("https://w3id.org/claimgraph/id/claim/thebl-organ-harvesting/c05")},
... )
>>> result.rows[0][0]
rdflib.term.Literal('Dr. Russell Strong was one of the pioneers in the area of transplantation')
"""

from __future__ import annotations

import csv
import functools
import io
import json
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Final, Protocol, runtime_checkable
from urllib.parse import quote
from xml.sax.saxutils import escape, quoteattr

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.term import Node

from .errors import QueryError, StoreError, ValidationError
from .sparql_safety import QueryForm, SafeQuery, check_query
from .vocab import ID, PREFIXES, RELATIONS, XSD, is_claim_graph_iri

if TYPE_CHECKING:
    import pandas

__all__ = [
    "CONTENT_PREDICATES",
    "VALUES_MARKER",
    "Bindings",
    "LoadSummary",
    "QueryResult",
    "Store",
    "asserted_content_error",
    "bind_values",
    "check_bound",
    "graphs_to_drop",
    "has_one_values_marker",
    "merge_for_load",
    "named_graph_items",
    "open_store",
    "refuse_asserted_content",
    "sparql_term",
]

VALUES_MARKER: Final = "# @values"
Bindings = Mapping[str, Node]
Triple = tuple[Node, Node, Node]

_VAR = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
# Characters the SPARQL grammar forbids inside <...> (IRIREF), and controls/space.
_BAD_IRI = re.compile(r'[<>"{}|^`\\\x00-\x20]')


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class QueryResult:
    """The answer to one query: rows (SELECT), a boolean (ASK) or triples (CONSTRUCT/DESCRIBE).

    ``rows`` are tuples aligned with ``variables``; an unbound value is ``None``.
    """

    form: QueryForm
    variables: tuple[str, ...] = ()
    rows: tuple[tuple[Node | None, ...], ...] = ()
    boolean: bool | None = None
    triples: tuple[Triple, ...] = field(default=())

    def records(self) -> list[dict[str, Node | None]]:
        """Rows as dictionaries, variable name → term."""
        return [dict(zip(self.variables, row, strict=True)) for row in self.rows]

    def to_dataframe(self) -> pandas.DataFrame:
        """A pandas DataFrame: IRIs as strings, literals as Python values, unbound as None."""
        import pandas

        if self.form == "ask":
            return pandas.DataFrame({"boolean": [self.boolean]})
        if self.form in ("construct", "describe"):
            data = [tuple(_python(t) for t in triple) for triple in self.triples]
            return pandas.DataFrame(data, columns=["subject", "predicate", "object"])
        data = [tuple(_python(t) for t in row) for row in self.rows]
        return pandas.DataFrame(data, columns=list(self.variables))

    def graph(self) -> Graph:
        """The triples of a CONSTRUCT/DESCRIBE answer as an rdflib Graph, prefixes bound."""
        g = Graph()
        for prefix, ns in PREFIXES.items():
            g.bind(prefix, ns, override=True, replace=True)
        for triple in self.triples:
            g.add(triple)
        return g

    def to_json(self) -> str:
        """W3C SPARQL 1.1 Query Results JSON (SELECT and ASK)."""
        if self.form == "ask":
            return json.dumps({"head": {}, "boolean": bool(self.boolean)})
        self._require_rows("JSON")
        bindings = [
            {v: _json_term(t) for v, t in zip(self.variables, row, strict=True) if t is not None}
            for row in self.rows
        ]
        payload = {"head": {"vars": list(self.variables)}, "results": {"bindings": bindings}}
        return json.dumps(payload, ensure_ascii=False, indent=1)

    def to_xml(self) -> str:
        """W3C SPARQL Query Results XML (SELECT and ASK)."""
        out = ['<?xml version="1.0"?>', '<sparql xmlns="http://www.w3.org/2005/sparql-results#">']
        if self.form == "ask":
            out += ["<head/>", f"<boolean>{'true' if self.boolean else 'false'}</boolean>"]
            return "\n".join([*out, "</sparql>"]) + "\n"
        self._require_rows("XML")
        out.append("<head>")
        out += [f"<variable name={quoteattr(v)}/>" for v in self.variables]
        out += ["</head>", "<results>"]
        for row in self.rows:
            out.append("<result>")
            for var, term in zip(self.variables, row, strict=True):
                if term is not None:
                    out.append(f"<binding name={quoteattr(var)}>{_xml_term(term)}</binding>")
            out.append("</result>")
        out += ["</results>", "</sparql>"]
        return "\n".join(out) + "\n"

    def to_csv(self) -> str:
        """W3C SPARQL results CSV: lexical forms only (types and languages are lost)."""
        if self.form == "ask":
            return f"boolean\r\n{'true' if self.boolean else 'false'}\r\n"
        self._require_rows("CSV")
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(self.variables)
        for row in self.rows:
            writer.writerow(["" if t is None else _plain(t) for t in row])
        return buffer.getvalue()

    def to_tsv(self) -> str:
        """W3C SPARQL results TSV: terms in N-Triples syntax, so nothing is lost."""
        if self.form == "ask":
            return f"?boolean\n{'true' if self.boolean else 'false'}\n"
        self._require_rows("TSV")
        lines = ["\t".join("?" + v for v in self.variables)]
        lines += ["\t".join("" if t is None else sparql_term(t) for t in row) for row in self.rows]
        return "\n".join(lines) + "\n"

    def to_turtle(self) -> str:
        """CONSTRUCT/DESCRIBE answers as Turtle, with claimgraph's prefixes."""
        return self.graph().serialize(format="turtle")

    def to_ntriples(self) -> str:
        """CONSTRUCT/DESCRIBE answers as N-Triples, sorted (stable output)."""
        lines = sorted(" ".join(sparql_term(t) for t in triple) + " ." for triple in self.triples)
        return "\n".join(lines) + ("\n" if lines else "")

    def to_table(self) -> str:
        """A plain-text table for a terminal; IRIs shortened with claimgraph's prefixes."""
        if self.form == "ask":
            return "true" if self.boolean else "false"
        if self.form != "select":
            return self.to_turtle()
        header = list(self.variables)
        body = [["" if t is None else _short(t) for t in row] for row in self.rows]
        widths = [max([len(h), *(len(r[i]) for r in body)]) for i, h in enumerate(header)]
        widths = [min(w, 80) for w in widths]

        def line(cells: Sequence[str]) -> str:
            return "  ".join(_clip(c, w).ljust(w) for c, w in zip(cells, widths, strict=True))

        out = [line(header), "  ".join("-" * w for w in widths), *(line(r) for r in body)]
        out.append(f"({len(body)} row{'s' if len(body) != 1 else ''})")
        return "\n".join(s.rstrip() for s in out)

    def _require_rows(self, what: str) -> None:
        if self.form != "select":
            raise QueryError(f"a {self.form.upper()} answer has no {what} form; use turtle")


def _clip(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _python(term: Node | None) -> Any:
    if term is None:
        return None
    if isinstance(term, Literal):
        value = term.toPython()
        return value if not isinstance(value, Literal) else str(value)
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def _plain(term: Node) -> str:
    return f"_:{term}" if isinstance(term, BNode) else str(term)


def _short(term: Node) -> str:
    if isinstance(term, URIRef):
        text = str(term)
        best = max(
            ((p, ns) for p, ns in PREFIXES.items() if text.startswith(ns)),
            key=lambda item: len(item[1]),
            default=None,
        )
        return f"{best[0]}:{text[len(best[1]):]}" if best else f"<{text}>"
    return _plain(term)


def _json_term(term: Node) -> dict[str, str]:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    if isinstance(term, Literal):
        out = {"type": "literal", "value": str(term)}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype is not None and term.datatype != XSD.string:
            out["datatype"] = str(term.datatype)
        return out
    raise QueryError(f"cannot serialise a {type(term).__name__} in a result")


def _xml_term(term: Node) -> str:
    if isinstance(term, URIRef):
        return f"<uri>{escape(str(term))}</uri>"
    if isinstance(term, BNode):
        return f"<bnode>{escape(str(term))}</bnode>"
    if isinstance(term, Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{escape(str(term))}</literal>"
        if term.datatype is not None and term.datatype != XSD.string:
            datatype = quoteattr(str(term.datatype))
            return f"<literal datatype={datatype}>{escape(str(term))}</literal>"
        return f"<literal>{escape(str(term))}</literal>"
    raise QueryError(f"cannot serialise a {type(term).__name__} in a result")


# --------------------------------------------------------------------------- terms and binding


def sparql_term(term: Node) -> str:
    """A term in N-Triples/SPARQL syntax, escaped so that it is always one token of data.

    >>> sparql_term(Literal('a"} # b'))
    '"a\\\\"} # b"'
    """
    if isinstance(term, URIRef):
        if _BAD_IRI.search(str(term)):
            raise QueryError(f"not a valid IRI: {str(term)!r}")
        return f"<{term}>"
    if isinstance(term, BNode):
        return f"_:{term}" if _VAR.match(str(term)) else f"_:b{abs(hash(str(term)))}"
    if isinstance(term, Literal):
        text = (
            str(term)
            .replace("\\", "\\\\")
            .replace('"', '\\"')
            .replace("\n", "\\n")
            .replace("\r", "\\r")
        )
        if term.language:
            return f'"{text}"@{term.language}'
        if term.datatype is not None and term.datatype != XSD.string:
            return f'"{text}"^^{sparql_term(term.datatype)}'
        return f'"{text}"'
    raise QueryError(f"cannot bind a {type(term).__name__}")


def bind_values(text: str, bindings: Bindings | None) -> str:
    """Put a ``VALUES`` block, one per bound variable, where the ``# @values`` line stands.

    The marker is a comment, so an unbound query still parses. Values are serialised terms, each
    one token: a literal holding ``"``, ``}`` or ``#`` cannot change the query's shape.
    """
    if not bindings:
        return text
    around = _around_marker(text)
    if isinstance(around, int):
        raise QueryError(
            f"a query that takes parameters needs exactly one '{VALUES_MARKER}' line inside its "
            f"WHERE clause (found {around})"
        )
    blocks = []
    for name, term in sorted(bindings.items()):
        if not _VAR.match(name):
            raise QueryError(f"not a variable name: {name!r}")
        blocks.append(f"VALUES ?{name} {{ {sparql_term(term)} }}")
    head, tail = around
    return f"{head}  {' '.join(blocks)}\n{tail}"


@functools.lru_cache(maxsize=256)
def _around_marker(text: str) -> tuple[str, str] | int:
    """The lines before and after the one marker line (memoised: a library query is bound again
    and again, and splitting it costs more than Oxigraph takes for a small query), or the number
    of marker lines when it is not one."""
    lines = text.splitlines()
    slots = [i for i, line in enumerate(lines) if line.strip() == VALUES_MARKER]
    if len(slots) != 1:
        return len(slots)
    slot = slots[0]
    return "".join(f"{line}\n" for line in lines[:slot]), "".join(
        f"{line}\n" for line in lines[slot + 1:])


def has_one_values_marker(text: str) -> bool:
    """Whether ``text`` has exactly one ``# @values`` line, where :func:`bind_values` binds."""
    return not isinstance(_around_marker(text), int)


def check_bound(text: str, bindings: Bindings | None) -> SafeQuery:
    """:func:`check_query` of the unbound ``text``, then :func:`bind_values`: the checked query
    with its values in.

    The check is memoised by text, so a library query asked about a new claim or entity is not
    parsed again (rdflib's parser takes 3-21 ms for a library query, far more than Oxigraph takes
    to answer most of them). Checking the template is enough: each bound value is one escaped
    token in a ``VALUES`` block, which cannot add an update, ``SERVICE`` or ``FROM``.
    """
    if not bindings:
        return check_query(text)
    return _bound_query(text, tuple(sorted(bindings.items())))


@functools.lru_cache(maxsize=1024)
def _bound_query(text: str, items: tuple[tuple[str, Node], ...]) -> SafeQuery:
    """:func:`check_bound` with the bindings as a key (memoised: asking the same query about the
    same thing again, as a notebook or an endpoint's clients do, costs a lookup; refusals and
    errors are raised again at every call, never kept)."""
    safe = check_query(text)
    return replace(safe, text=bind_values(safe.text, dict(items)))  # same form and cost class

# --------------------------------------------------------------------------- loading helpers


@dataclass(frozen=True)
class LoadSummary:
    """What a load wrote: the graphs replaced, the stale graphs dropped, the triples written."""

    graphs: tuple[str, ...]
    dropped: tuple[str, ...]
    triples: int


def file_graph_iri(name: str) -> URIRef:
    """The named graph that receives the default-graph triples of a file (Turtle, N-Triples)."""
    return URIRef(f"{ID}graph/file/{quote(name, safe='')}")


def named_graph_items(ds: Dataset, name: str = "dataset") -> Iterator[tuple[URIRef, Graph]]:
    """Each non-empty graph of ``ds`` with the name a load stores it under: its own, or for the
    default graph and blank-node graphs the file graph of ``name``. Nothing is copied."""
    for g in ds.graphs():
        if not len(g):
            continue
        ident = g.identifier
        if ident == DATASET_DEFAULT_GRAPH_ID or not isinstance(ident, URIRef):
            ident = file_graph_iri(name)
        yield ident, g


CONTENT_PREDICATES: Final = frozenset(str(p) for p in RELATIONS.values())
"""The relation predicates of a claim's content, which only a claim's graph may assert."""


def asserted_content_error(source: str, graph: str, triple: Sequence[str]) -> ValidationError:
    """The error of a load whose input asserts a claim's content outside a claim graph."""
    return ValidationError(
        f"{source}: asserts a claim's content outside a claim graph (in {graph}): "
        f"{' '.join(triple)} . A store never holds claim content outside its claim graph; a flat "
        "file carries it reified (build it again). Nothing was loaded."
    )


def refuse_asserted_content(source: str, ident: URIRef, g: Graph) -> None:
    """Raise :func:`asserted_content_error` if ``g``, to be stored as ``ident``, asserts a
    claim's content and is not a claim graph."""
    if is_claim_graph_iri(str(ident)):
        return
    for p in RELATIONS.values():
        for s, _, o in g.triples((None, p, None)):
            raise asserted_content_error(source, str(ident), [t.n3() for t in (s, p, o)])


def merge_for_load(parts: Iterable[tuple[str, Dataset]]) -> dict[URIRef, Graph]:
    """Named graphs of parsed files, ready to load; default-graph triples get a per-file graph.

    A file asserting a claim's content outside a claim graph is refused (``ValidationError``)."""
    graphs: dict[URIRef, Graph] = {}
    for name, ds in parts:
        for ident, g in named_graph_items(ds, name):
            refuse_asserted_content(name, ident, g)
            target = graphs.setdefault(ident, Graph(identifier=ident))
            for triple in g:
                target.add(triple)
    return graphs


def graphs_to_drop(existing: Iterable[str], incoming: Iterable[str]) -> list[str]:
    """Stored graphs a load replaces: the incoming graphs, and stale graphs of their documents.

    A document graph ``id:graph/{doc}`` owns every graph under ``id:graph/{doc}/`` (its analyst
    graph and claim graphs); loading a new version drops those the new version no longer has.
    """
    incoming = set(incoming)
    prefixes = tuple(g + "/" for g in incoming if _is_document_graph(g))
    drop = set(incoming)
    drop.update(g for g in existing if g.startswith(prefixes) and prefixes)
    return sorted(drop)


def _is_document_graph(iri: str) -> bool:
    base = f"{ID}graph/"
    return iri.startswith(base) and "/" not in iri[len(base):] and iri != base


def dataset_graphs(dataset: Dataset | Mapping[URIRef, Graph]) -> dict[URIRef, Graph]:
    """Named, non-empty graphs of a dataset (a mapping passes through, checked as
    :func:`merge_for_load` checks files)."""
    if isinstance(dataset, Mapping):
        for ident, g in dataset.items():
            refuse_asserted_content("dataset", ident, g)
        return dict(dataset)
    return merge_for_load([("dataset", dataset)])


# --------------------------------------------------------------------------- the interface


@runtime_checkable
class Store(Protocol):
    """What every backend does. Implementations: :mod:`graph.stores`."""

    spec: str

    def query(self, text: str, bindings: Bindings | None = None) -> QueryResult:
        """Run a read-only query; ``bindings`` fill its ``# @values`` line."""
        ...

    def replace_graphs(self, dataset: Dataset | Mapping[URIRef, Graph]) -> LoadSummary:
        """Replace each named graph of ``dataset`` whole (drop, then insert), or change nothing."""
        ...

    def named_graphs(self) -> list[str]:
        """IRIs of the named graphs the store holds (servers may add their own)."""
        ...

    def close(self) -> None:
        """Release files and connections."""
        ...


def open_store(
    spec: str = "memory",
    *,
    update_url: str | None = None,
    graph_store_url: str | None = None,
    dataset: Dataset | None = None,
    max_rows: int = 10000,
) -> Store:
    """Open a store by its spec: ``memory``, ``oxigraph:PATH`` or ``http(s)://...``.

    ``dataset`` fills a memory store (default: the bundled article). ``update_url`` is where an
    HTTP store sends updates when its server takes them elsewhere, ``graph_store_url`` its Graph
    Store Protocol endpoint (used for loads when given); ``max_rows`` is the server's
    known row cap (a result that long is refused as possibly truncated).
    """
    if spec == "memory":
        from .stores.memory import MemoryStore

        return MemoryStore(dataset)
    if spec.startswith("oxigraph:"):
        from .stores.oxigraph import OxigraphStore

        path = spec[len("oxigraph:"):]
        if not path:
            raise StoreError("oxigraph: needs a folder, e.g. oxigraph:data/store")
        return OxigraphStore(path)
    if spec.startswith(("http://", "https://")):
        from .stores.sparql_http import HttpStore

        return HttpStore(
            spec, update_url=update_url, graph_store_url=graph_store_url, max_rows=max_rows
        )
    raise StoreError(
        f"unknown store {spec!r}: use memory, oxigraph:PATH or http://HOST:PORT/PATH"
    )
