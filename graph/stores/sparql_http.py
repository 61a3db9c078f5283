"""A remote store: any SPARQL 1.1 server, spoken to by the protocol.

Queries are POSTed as form data to the query URL; updates to ``update_url`` (the same URL unless
told otherwise; Virtuoso takes authenticated updates at ``/sparql-auth``). Credentials come only
from the environment — ``CLAIMGRAPH_STORE_USER``, ``CLAIMGRAPH_STORE_PASSWORD`` and
``CLAIMGRAPH_STORE_AUTH=digest|basic`` (default ``digest``) — never from a command-line
argument, where other users of the machine could read them.

The default graph is named where the server's own one would assert claims. A server's default
graph, when a query names none, is its own choice — Virtuoso's is the union of every graph it
holds, claim graphs and its system graphs included; ``claimgraph serve``'s holds no claim graph
(and it refuses dataset parameters). So the store first asks the server whether its own default
graph holds a claim's content (one ``ASK`` of the relation predicates); if it does, every query is
sent with a ``default-graph-uri`` (SPARQL 1.1 Protocol) for each graph claimgraph loaded that is
not a claim graph: its document, analyst, file and ontology graphs. A claim's content is then
reached only with ``GRAPH ?g``, as in the local stores. Virtuoso still lets ``GRAPH ?g`` range over
every graph it holds when only ``default-graph-uri`` is given (tested); a server that, as the
protocol allows, then offers no named graphs would answer the library's ``GRAPH`` queries with
nothing. This is decided once per store object (and again after each of its loads); a store
opened before another process loaded into the server decides on what it saw then.

Truncation is refused, never passed on: Virtuoso cuts results at ``ResultSetMaxRows`` and says so
only in an ``X-SPARQL-MaxRows`` header, so that header, or a row count equal to the known cap
(``max_rows``), raises :class:`~graph.errors.TruncatedResultError`.

A load replaces graph by graph. With a graph store URL (SPARQL 1.1 Graph Store Protocol;
Virtuoso: ``/sparql-graph-crud-auth``), each graph is one ``PUT`` of N-Triples, which the server
applies atomically per graph, and each stale graph one ``DELETE``. Without one, each graph is one
update request, ``DROP SILENT GRAPH`` then ``INSERT { ... } WHERE { }`` (Virtuoso refuses blank
nodes in ``INSERT DATA``, and refuses long update texts: use its graph store URL). Every file is
parsed before the first request, so a bad file never reaches the server; what the protocol cannot
give is one transaction over several graphs: a server failure part-way through a load leaves the
graphs before it replaced and those after it as they were (run the load again to finish it).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from typing import Any, Self

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.term import Node

from graph.errors import QueryError, StoreError, TruncatedResultError
from graph.rdf.vocab import ID, ONTOLOGY_IRI, RELATIONS, is_claim_graph_iri
from graph.sparql.binding import Bindings, check_bound
from graph.sparql.results import QueryResult
from graph.stores._convert import normalize_term
from graph.stores.loading import LoadSummary, dataset_graphs, graphs_to_drop
from graph.stores.oxigraph import insert_update

__all__ = ["HttpStore"]

# Whether the server's own default graph (no dataset named) asserts some claim's content.
_OWN_DEFAULT_ASSERTS = (
    "ASK { VALUES ?p { " + " ".join(f"<{p}>" for p in sorted(RELATIONS.values())) + " } ?s ?p ?o }"
)

_RDF_TYPES = {
    "application/n-triples": "nt",
    "text/plain": "nt",
    "text/ntriples": "nt",
    "text/turtle": "turtle",
    "application/x-turtle": "turtle",
    "application/rdf+xml": "xml",
}


def _auth() -> Any:
    user = os.environ.get("CLAIMGRAPH_STORE_USER")
    if not user:
        return None
    password = os.environ.get("CLAIMGRAPH_STORE_PASSWORD", "")
    kind = os.environ.get("CLAIMGRAPH_STORE_AUTH", "digest").lower()
    import requests.auth

    if kind == "digest":
        return requests.auth.HTTPDigestAuth(user, password)
    if kind == "basic":
        return requests.auth.HTTPBasicAuth(user, password)
    raise StoreError(f"CLAIMGRAPH_STORE_AUTH must be digest or basic, not {kind!r}")


def _json_term(value: Mapping[str, str]) -> Node:
    kind = value.get("type")
    text = value.get("value", "")
    if kind == "uri":
        return URIRef(text)
    if kind == "bnode":
        return BNode(text)
    if kind in ("literal", "typed-literal"):
        lang = value.get("xml:lang") or value.get("lang")
        if lang:
            return Literal(text, lang=lang)
        datatype = value.get("datatype")
        term = Literal(text, datatype=URIRef(datatype)) if datatype else Literal(text)
        return normalize_term(term) or term
    raise StoreError(f"unknown term type in a SPARQL JSON result: {kind!r}")


class HttpStore:
    """A SPARQL 1.1 server at ``url``; see the module docstring for auth and truncation."""

    def __init__(
        self,
        url: str,
        *,
        update_url: str | None = None,
        graph_store_url: str | None = None,
        max_rows: int = 10000,
        timeout: float = 60.0,
    ) -> None:
        import requests

        self.spec = url
        self.url = url
        self.update_url = update_url or url
        self.graph_store_url = graph_store_url
        self.max_rows = max_rows
        self.timeout = timeout
        self._session = requests.Session()
        self._session.auth = _auth()
        self._default: list[str] | None = None  # the default graph's graphs, listed when needed

    def default_graphs(self) -> list[str]:
        """The graphs every query names as its default graph: none when the server's own default
        graph holds no claim content, else those claimgraph loaded (under ``id:graph/``, and the
        ontology) that are not claim graphs (see the module docstring)."""
        if self._default is None:
            if not self._query(_OWN_DEFAULT_ASSERTS, None, []).boolean:
                self._default = []
            else:
                held = self._select_graphs()
                ours = {g for g in held
                        if g.startswith(f"{ID}graph/") and not is_claim_graph_iri(g)}
                self._default = sorted(ours | {str(ONTOLOGY_IRI)})
        return self._default

    def _post(self, url: str, data: dict[str, str] | list[tuple[str, str]], accept: str) -> Any:
        import requests

        try:
            response = self._session.post(
                url, data=data, headers={"Accept": accept}, timeout=self.timeout
            )
        except requests.RequestException as exc:
            raise StoreError(f"{url}: {exc}") from None
        if response.status_code >= 400:
            message = " ".join(response.text.split())[:300]
            if response.status_code in (400,) and "update" not in dict(data):
                raise QueryError(f"{url} refused the query (HTTP 400): {message}")
            raise StoreError(f"{url} answered HTTP {response.status_code}: {message}")
        return response

    def query(self, text: str, bindings: Bindings | None = None) -> QueryResult:
        """Send a checked, bound query with its default graph named (see the module docstring);
        parse the answer; refuse a truncated one."""
        return self._query(text, bindings, self.default_graphs())

    def _query(self, text: str, bindings: Bindings | None, default: list[str]) -> QueryResult:
        safe = check_bound(text, bindings)
        data = [("query", safe.text)] + [("default-graph-uri", g) for g in default]
        if safe.form in ("construct", "describe"):
            response = self._post(self.url, data, "application/n-triples, text/turtle;q=0.9")
            self._check_truncation(response)
            kind = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
            rdf_format = _RDF_TYPES.get(kind)
            if rdf_format is None:
                raise StoreError(f"{self.url} answered a CONSTRUCT with {kind!r}")
            graph = Graph()
            graph.parse(data=response.text, format=rdf_format)
            triples = tuple((s, p, normalize_term(o) or o) for s, p, o in graph)
            if len(triples) >= self.max_rows:
                raise TruncatedResultError(self._cap_message(len(triples)))
            return QueryResult(safe.form, triples=triples)
        response = self._post(self.url, data, "application/sparql-results+json")
        self._check_truncation(response)
        try:
            payload = response.json()
        except ValueError:
            raise StoreError(f"{self.url} did not answer with SPARQL results JSON") from None
        if safe.form == "ask":
            return QueryResult("ask", boolean=bool(payload.get("boolean")))
        variables = tuple(payload["head"].get("vars", ()))
        rows = tuple(
            tuple(_json_term(b[v]) if v in b else None for v in variables)
            for b in payload["results"]["bindings"]
        )
        if len(rows) >= self.max_rows:
            raise TruncatedResultError(self._cap_message(len(rows)))
        return QueryResult("select", variables=variables, rows=rows)

    def _cap_message(self, count: int) -> str:
        return (
            f"{self.url} returned {count} rows, the server's row cap: the answer may be cut "
            "short; narrow the query (or raise the cap on the server)"
        )

    def _check_truncation(self, response: Any) -> None:
        cap = response.headers.get("X-SPARQL-MaxRows")
        if cap is not None:
            raise TruncatedResultError(
                f"{self.url} cut the answer at {cap} rows (X-SPARQL-MaxRows); narrow the query"
            )

    def update(self, text: str) -> None:
        """Send one SPARQL update request to the update URL."""
        self._post(self.update_url, {"update": text}, "application/sparql-results+json, */*")

    def replace_graphs(
        self, dataset: Dataset | Mapping[URIRef, Graph], *, drop: Iterable[str] = ()
    ) -> LoadSummary:
        """Replace each incoming graph whole, one request per graph (see the module docstring),
        and drop the graphs ``drop`` names."""
        incoming = dataset_graphs(dataset)
        self._default = None  # the graphs change: list them again at the next query
        held = self.named_graphs()
        also = set(drop) & set(held)
        dropping = sorted(set(graphs_to_drop(held, [str(g) for g in incoming])) | also)
        stale = [d for d in dropping if URIRef(d) not in incoming]
        for ident, graph in incoming.items():
            if self.graph_store_url:
                self._graph_store("PUT", str(ident), graph.serialize(format="nt"))
            else:
                self.update(insert_update([str(ident)], {ident: graph}, data=False))
        for iri in stale:
            if self.graph_store_url:
                self._graph_store("DELETE", iri, None)
            else:
                self.update(insert_update([iri], {}))
        count = sum(len(g) for g in incoming.values())
        return LoadSummary(tuple(str(i) for i in incoming), tuple(stale), count)

    def _graph_store(self, method: str, graph: str, body: str | None) -> None:
        import requests

        url = self.graph_store_url or ""
        try:
            response = self._session.request(
                method,
                url,
                params={"graph": graph},
                data=None if body is None else body.encode("utf-8"),
                headers={"Content-Type": "application/n-triples"},
                timeout=self.timeout,
            )
        except requests.RequestException as exc:
            raise StoreError(f"{url}: {exc}") from None
        if response.status_code >= 400 and not (method == "DELETE" and response.status_code == 404):
            message = " ".join(response.text.split())[:300]
            raise StoreError(f"{url} answered HTTP {response.status_code} to {method}: {message}")

    def named_graphs(self) -> list[str]:
        """Named graphs holding at least one triple (servers may list their own system graphs)."""
        return self._select_graphs()

    def _select_graphs(self) -> list[str]:
        result = self._query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g",
                             None, [])
        return [str(row[0]) for row in result.rows if row[0] is not None]

    def close(self) -> None:
        """Close the HTTP session."""
        self._session.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

