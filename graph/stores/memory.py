"""The memory store: an rdflib ``Dataset`` in this process (the default, for one article).

rdflib's engine reaches the network on its own: ``FROM <url>`` loads graphs (switched off here
with ``rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False``, process-wide, when this module is
imported) and ``SERVICE`` sends requests (no switch exists: the parsed algebra is inspected and
such a query refused before it is evaluated).
"""

from __future__ import annotations

import contextlib
import warnings
from collections.abc import Iterator, Mapping

import rdflib.plugins.sparql
from rdflib import Dataset, Graph, URIRef
from rdflib.term import Node

from ..errors import QueryRefusedError
from ..sparql_safety import walk_tree
from ..store import Bindings, LoadSummary, QueryResult, check_bound, dataset_graphs, graphs_to_drop
from ._convert import rdflib_result

__all__ = ["MemoryStore"]

rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """rdflib 7 warns about its own internal use of deprecated Dataset members."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", r"Dataset\.\w+ is deprecated", DeprecationWarning)
        yield


def _union_copy(source: Dataset) -> Dataset:
    ds = Dataset(default_union=True)
    for prefix, ns in source.namespaces():
        ds.bind(prefix, ns, override=True, replace=True)
    for ident, g in dataset_graphs(source).items():
        target = ds.graph(ident)
        for triple in g:
            target.add(triple)
    return ds


class MemoryStore:
    """An in-memory store; without a dataset, the bundled article built on the fly."""

    def __init__(self, dataset: Dataset | None = None) -> None:
        if dataset is None:
            from ..annotations import load_corpus
            from ..build import build_dataset
            from ..corpus import bundled_corpus_dir

            dataset = build_dataset(load_corpus([bundled_corpus_dir()]))
        self._ds = _union_copy(dataset)
        self.spec = "memory"
        self.lookups: dict[str, tuple[Node, ...]] = {}  # see graph.queries.resolve_params

    @property
    def dataset(self) -> Dataset:
        """The dataset queries run over (default graph = union of the named graphs)."""
        return self._ds

    def query(self, text: str, bindings: Bindings | None = None) -> QueryResult:
        """Run a read-only query with rdflib, after refusing SERVICE in its parsed algebra."""
        from rdflib.plugins.sparql.algebra import translateQuery
        from rdflib.plugins.sparql.parser import parseQuery
        from rdflib.plugins.sparql.parserutils import CompValue

        safe = check_bound(text, bindings)
        prepared = translateQuery(parseQuery(safe.text))
        for node in walk_tree(prepared.algebra):
            if isinstance(node, CompValue) and node.name == "ServiceGraphPattern":
                raise QueryRefusedError("SERVICE is refused: a query may not make requests")
        with _quiet():
            return rdflib_result(safe.form, self._ds.query(prepared))

    def replace_graphs(self, dataset: Dataset | Mapping[URIRef, Graph]) -> LoadSummary:
        """Replace each incoming graph whole; stale graphs of the same documents are dropped."""
        self.lookups.clear()
        with _quiet():
            return self._replace(dataset)

    def _replace(self, dataset: Dataset | Mapping[URIRef, Graph]) -> LoadSummary:
        incoming = dataset_graphs(dataset)
        existing = [str(g.identifier) for g in self._ds.graphs() if len(g)]
        drop = graphs_to_drop(existing, [str(g) for g in incoming])
        for iri in drop:
            self._ds.remove_graph(URIRef(iri))
        count = 0
        for ident, g in incoming.items():
            target = self._ds.graph(ident)
            for triple in g:
                target.add(triple)
            count += len(g)
        stale = tuple(d for d in drop if URIRef(d) not in incoming)
        return LoadSummary(tuple(str(i) for i in incoming), stale, count)

    def named_graphs(self) -> list[str]:
        """Non-empty named graphs, sorted."""
        return sorted(str(g.identifier) for g in self._ds.graphs() if len(g))

    def close(self) -> None:
        """Nothing to release."""
