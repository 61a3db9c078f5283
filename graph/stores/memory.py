"""The memory store: the dataset in this process, answered by pyoxigraph in memory (the default).

It holds an rdflib ``Dataset`` (:attr:`MemoryStore.dataset`, for rdflib code in a notebook) and
answers queries from an in-memory pyoxigraph copy of it, its default graph kept the set union of
the named graphs except the claim graphs, as an ``oxigraph:PATH`` folder keeps it
(:mod:`graph.stores.oxigraph`): a claim's content is reached only with ``GRAPH ?g``. rdflib's
own engine answered before, orders of magnitude slower per library query, and on larger
corpora some library queries did not finish (BENCHMARKS.md). The answers are the same
(``tests/test_stores.py`` compares every library query with rdflib's engine).

The copy is made again after each load: a memory store is for an article or a small corpus (at
80,000 triples a copy takes about 1 s); a corpus belongs in ``oxigraph:PATH``.

rdflib's engine reaches the network on its own (``FROM <url>`` loads graphs). This module does
not use it and leaves its settings alone; code that queries :attr:`MemoryStore.dataset` with
rdflib should first set ``rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False`` (the command line and
the server do, at start).
"""

from __future__ import annotations

import contextlib
import itertools
import warnings
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, Self

from rdflib import Dataset, Graph, URIRef
from rdflib.term import Node

from graph.errors import QueryError, StoreError
from graph.sparql.binding import Bindings, check_bound
from graph.sparql.results import QueryResult
from graph.stores.loading import LoadSummary, dataset_graphs, graphs_to_drop, named_graph_items
from graph.stores.oxigraph import answer, in_memory_store
from graph.stores.oxigraph_load import nquads_text

__all__ = ["MemoryStore", "oxigraph_copy"]


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """rdflib 7 warns about its own internal use of deprecated Dataset members."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", r"Dataset\.\w+ is deprecated", DeprecationWarning)
        yield


def oxigraph_copy(dataset: Dataset) -> Any:
    """An in-memory pyoxigraph store of ``dataset``'s graphs, its default graph the set union of
    those that are not claim graphs."""
    return _copy_of(named_graph_items(dataset))


def _copy_of(graphs: Iterable[tuple[URIRef, Graph]]) -> Any:
    try:
        return in_memory_store(nquads_text(graphs))
    except (QueryError, SyntaxError, ValueError) as exc:  # a term rdflib keeps, RDF does not allow
        raise StoreError(f"memory: pyoxigraph refused the data, nothing was changed: {exc}"
                         ) from None


def _union_copy(source: Dataset) -> Dataset:
    ds = Dataset(default_union=True)
    for prefix, ns in source.namespaces():
        ds.bind(prefix, ns, override=True, replace=True)
    for ident, g in named_graph_items(source):
        target = ds.graph(ident)
        for triple in g:
            target.add(triple)
    return ds


class MemoryStore:
    """An in-memory store; without a dataset, the bundled article built on the fly."""

    def __init__(self, dataset: Dataset | None = None) -> None:
        if dataset is None:
            from graph.corpus import bundled_corpus_dir
            from graph.model.annotations import load_corpus
            from graph.rdf.dataset import build_dataset

            dataset = build_dataset(load_corpus([bundled_corpus_dir()]))
        self._ds = _union_copy(dataset)
        self._engine = oxigraph_copy(self._ds)
        self.spec = "memory"
        self.lookups: dict[str, tuple[Node, ...]] = {}  # see graph.sparql.library.resolve_params

    @property
    def dataset(self) -> Dataset:
        """The rdflib dataset the store holds, its named graphs as loaded.

        Its default graph is rdflib's union of *every* named graph, claim graphs included: an
        rdflib query on it without ``GRAPH`` does see a claim's content. :meth:`query` keeps the
        promise (claim graphs only through ``GRAPH ?g``); query through it. Queries run on a copy
        made at each :meth:`replace_graphs`: change the data through it, not by adding to this
        dataset."""
        return self._ds

    def query(self, text: str, bindings: Bindings | None = None) -> QueryResult:
        """Run a read-only query (checked by a parse first: no updates, SERVICE or FROM)."""
        return answer(self._engine, check_bound(text, bindings), self.spec)

    def replace_graphs(
        self, dataset: Dataset | Mapping[URIRef, Graph], *, drop: Iterable[str] = ()
    ) -> LoadSummary:
        """Replace each incoming graph whole; stale graphs of the same documents are dropped.

        All or nothing: the copy queries run on is made first, from the graphs kept and the
        incoming ones, and the dataset changes only once pyoxigraph has taken them."""
        self.lookups.clear()
        incoming = dataset_graphs(dataset)
        held = self.named_graphs()
        also = set(drop) & set(held)  # graphs of documents a load removes
        drop = sorted(set(graphs_to_drop(held, [str(g) for g in incoming])) | also)
        dropped = set(drop)
        kept = (item for item in named_graph_items(self._ds) if str(item[0]) not in dropped)
        engine = _copy_of(itertools.chain(kept, incoming.items()))
        with _quiet():
            summary = self._replace(incoming, drop)
        self._engine = engine
        return summary

    def _replace(self, incoming: Mapping[URIRef, Graph], drop: list[str]) -> LoadSummary:
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

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
