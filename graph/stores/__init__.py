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
``SERVICE`` and ``FROM`` are refused (:mod:`graph.sparql.safety`), and parameters are bound by a
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

from collections.abc import Mapping
from typing import Protocol, Self, runtime_checkable

from rdflib import Dataset, Graph, URIRef

from graph.errors import StoreError
from graph.sparql.binding import Bindings
from graph.sparql.results import QueryResult
from graph.stores.loading import LoadSummary

__all__ = ["Store", "open_store"]



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

    def __enter__(self) -> Self:
        """A store is a context manager: ``with open_store(spec) as store:`` closes it."""
        ...

    def __exit__(self, *exc_info: object) -> None:
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
        from graph.stores.memory import MemoryStore

        return MemoryStore(dataset)
    if spec.startswith("oxigraph:"):
        from graph.stores.oxigraph import OxigraphStore

        path = spec[len("oxigraph:"):]
        if not path:
            raise StoreError("oxigraph: needs a folder, e.g. oxigraph:data/store")
        return OxigraphStore(path)
    if spec.startswith(("http://", "https://")):
        from graph.stores.sparql_http import HttpStore

        return HttpStore(
            spec, update_url=update_url, graph_store_url=graph_store_url, max_rows=max_rows
        )
    raise StoreError(
        f"unknown store {spec!r}: use memory, oxigraph:PATH or http://HOST:PORT/PATH"
    )

