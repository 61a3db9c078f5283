"""The Oxigraph store: a pyoxigraph ``Store`` in a folder, kept across runs.

Queries see the union of the named graphs as their default graph
(``use_default_graph_as_union=True``). A load is one SPARQL update — ``DROP SILENT GRAPH`` for
every graph it replaces, then one ``INSERT DATA`` — which pyoxigraph applies in one transaction:
a failed load leaves the folder as it was. Only one process may open a folder at a time.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from rdflib import Dataset, Graph, URIRef

from ..errors import QueryError, StoreError
from ..sparql_safety import check_query
from ..store import (
    Bindings,
    LoadSummary,
    QueryResult,
    bind_values,
    dataset_graphs,
    graphs_to_drop,
    sparql_term,
)
from ._convert import oxigraph_result

__all__ = ["OxigraphStore", "insert_update"]


def insert_update(drop: list[str], graphs: Mapping[URIRef, Graph], *, data: bool = True) -> str:
    """One SPARQL update text: drop each graph, then insert every incoming graph.

    ``data=False`` writes ``INSERT { ... } WHERE { }`` instead of ``INSERT DATA``, for servers
    that refuse blank nodes in ``INSERT DATA`` (Virtuoso).
    """
    parts = [f"DROP SILENT GRAPH {sparql_term(URIRef(iri))} ;" for iri in drop]
    body = []
    for ident, g in graphs.items():
        body.append(f"GRAPH {sparql_term(ident)} {{")
        body.extend(f"{sparql_term(s)} {sparql_term(p)} {sparql_term(o)} ." for s, p, o in g)
        body.append("}")
    if body:
        parts.append("INSERT DATA {" if data else "INSERT {")
        parts.extend(body)
        parts.append("}" if data else "} WHERE { }")
    elif parts:
        parts[-1] = parts[-1].rstrip(" ;")
    return "\n".join(parts) + "\n"


class OxigraphStore:
    """A persistent pyoxigraph store in the folder ``path`` (created if missing)."""

    def __init__(self, path: str | Path, *, read_only: bool = False) -> None:
        import pyoxigraph

        self.path = Path(path)
        self.spec = f"oxigraph:{self.path}"
        try:
            if read_only:
                self._store: Any = pyoxigraph.Store.read_only(str(self.path))
            else:
                self.path.mkdir(parents=True, exist_ok=True)
                self._store = pyoxigraph.Store(str(self.path))
        except OSError as exc:
            raise StoreError(
                f"cannot open the Oxigraph store {self.path}: {exc} "
                "(is another process using it?)"
            ) from None

    @property
    def raw(self) -> Any:
        """The underlying ``pyoxigraph.Store``."""
        return self._store

    def query(self, text: str, bindings: Bindings | None = None) -> QueryResult:
        """Run a read-only query (checked by a parse first: no updates, SERVICE or FROM)."""
        text = bind_values(text, bindings)
        safe = check_query(text)
        try:
            result = self._store.query(safe.text, use_default_graph_as_union=True)
            return oxigraph_result(safe.form, result)
        except SyntaxError as exc:
            raise QueryError(f"the query does not parse: {exc}") from None
        except OSError as exc:
            raise StoreError(f"{self.spec}: {exc}") from None

    def replace_graphs(self, dataset: Dataset | Mapping[URIRef, Graph]) -> LoadSummary:
        """Replace each incoming graph whole, in one transaction."""
        incoming = dataset_graphs(dataset)
        drop = graphs_to_drop(self.named_graphs(), [str(g) for g in incoming])
        update = insert_update(drop, incoming)
        try:
            self._store.update(update)
            self._store.flush()
        except (OSError, SyntaxError, ValueError) as exc:
            raise StoreError(f"{self.spec}: the load failed and changed nothing: {exc}") from None
        stale = tuple(d for d in drop if URIRef(d) not in incoming)
        count = sum(len(g) for g in incoming.values())
        return LoadSummary(tuple(str(i) for i in incoming), stale, count)

    def named_graphs(self) -> list[str]:
        """Named graphs in the store, sorted."""
        return sorted(str(g.value) for g in self._store.named_graphs())

    def close(self) -> None:
        """Flush and drop the handle, releasing the folder's lock."""
        store = getattr(self, "_store", None)
        if store is not None:
            with contextlib.suppress(OSError):
                store.flush()
            del self._store
