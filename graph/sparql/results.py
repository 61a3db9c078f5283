"""What a query gives back, and its formats: table, CSV, TSV, JSON, XML, N-Triples, DataFrame."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape, quoteattr

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from graph.errors import QueryError
from graph.rdf.vocab import PREFIXES, XSD
from graph.sparql.binding import Triple, sparql_term
from graph.sparql.safety import QueryForm

if TYPE_CHECKING:
    import pandas


__all__ = ['QueryResult']





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


