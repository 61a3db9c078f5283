"""The Oxigraph store: a pyoxigraph ``Store`` in a folder, kept across runs.

The default graph is the *set* union of the named graphs except the claim graphs
(``id:graph/{doc}/claim/{claim}``, :func:`graph.rdf.vocab.is_claim_graph_iri`), kept in the store: a
claim's content is reached only with ``GRAPH ?g``, so a query over the default graph cannot
mistake an allegation for a finding. Document, analyst, ontology and file graphs are in it. One
triple may sit in several named graphs (an entity is described in every document graph that
names it); pyoxigraph's ``use_default_graph_as_union=True`` would see it once per graph (a bag),
and would include the claim graphs. So every load also maintains the default graph — it holds each
triple of some such graph exactly once — and queries run with ``use_default_graph_as_union=False``
(:data:`UNION_DEFAULT`).

What is atomic. pyoxigraph 0.5 has no transaction object; each of ``Store.update`` and
``Store.load`` is one transaction by itself (all or nothing). A load by transaction is therefore
exactly one of these calls (:func:`write_quads`):

* nothing to drop (every incoming graph is new, no stale graph): one ``Store.load`` of N-Quads
  holding the incoming named graphs and, for the default graph, each triple of those that are not
  claim graphs again (adding a triple the default graph has is no change, so it stays the union);
* graphs to replace: one ``Store.update`` — remove from the default graph the triples of the
  replaced graphs that no other graph kept in it holds, ``DROP SILENT GRAPH`` each replaced
  graph, ``INSERT DATA`` the incoming graphs, then copy the triples of those that are not claim
  graphs into the default graph.

A large load goes by bulk instead (:mod:`graph.stores.oxigraph_load`): the change is made with
pyoxigraph's bulk loader on a checkpoint copy of the folder, which then replaces the folder in
one atomic rename.

A failed or killed load leaves the folder as it was. Only one process may open a folder at a time.
A folder written before the default graph was kept (named graphs, empty default graph), or before
claim graphs were kept out of it (a claim's relation triple in the default graph), has its default
graph made again, in one update, when it is first opened read-write; read-only it is refused
until then.
"""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Final, Self

from rdflib import Dataset, Graph, URIRef
from rdflib.term import Node

from graph.errors import QueryError, StoreError
from graph.rdf.vocab import CLAIM_GRAPH_PATTERN, RELATIONS, is_claim_graph_iri
from graph.sparql.binding import Bindings, check_bound, sparql_term
from graph.sparql.results import QueryResult
from graph.sparql.safety import SafeQuery
from graph.stores._convert import oxigraph_result
from graph.stores.loading import LoadSummary, graphs_to_drop
from graph.stores.oxigraph_load import (
    IncomingQuads,
    LoadMethod,
    choose_bulk,
    dataset_quads,
    mapping_quads,
    remove_dir_if_empty,
)
from graph.support.atomic import replace_directory
from graph.support.gc_pause import without_gc

__all__ = [
    "BULK_BATCH",
    "INCREMENTAL_DROPS",
    "UNION_DEFAULT",
    "OxigraphStore",
    "answer",
    "default_graph_missing",
    "default_graph_stale",
    "fill_default_graph",
    "fill_default_update",
    "in_memory_store",
    "insert_update",
    "write_quads",
]

UNION_DEFAULT: Final = False
"""``use_default_graph_as_union`` for every query: the stored default graph is the (set) union."""

# A claim graph's IRI, for the updates that keep claim graphs out of the default graph.
_CLAIM_GRAPH_REGEX: Final = "^" + CLAIM_GRAPH_PATTERN.replace("\\", "\\\\") + "$"


def fill_default_update(graphs: Iterable[str]) -> str:
    """An update making the default graph again: the set union of ``graphs`` that are not claim
    graphs (the graphs the store will hold)."""
    kept = sorted(g for g in graphs if not is_claim_graph_iri(g))
    text = "DROP SILENT DEFAULT"
    if kept:
        text += (" ;\nINSERT { ?s ?p ?o } WHERE {\n"
                 f"  VALUES ?g {{ {_values(kept)} }}\n  GRAPH ?g {{ ?s ?p ?o }}\n}}")
    return text + "\n"

INCREMENTAL_DROPS: Final = 64


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


def _values(iris: list[str]) -> str:
    return " ".join(sparql_term(URIRef(i)) for i in iris)


def _replace_update(drop: list[str], insert: str, incoming: list[str], after: list[str]) -> str:
    """The update of a load that replaces graphs, keeping the default graph the set union of the
    graphs that are not claim graphs.

    ``insert`` is the ``INSERT DATA`` of the incoming graphs (or empty), ``incoming`` their names,
    ``after`` every graph the store holds once the update is done. Up to
    :data:`INCREMENTAL_DROPS` replaced graphs of the default graph's (claim graphs are not), the
    default graph is updated by the triples of the replaced and incoming graphs only; beyond, it
    is made again whole (:func:`fill_default_update`).
    """
    drops = insert_update(drop, {}).rstrip("\n")
    # Claim graphs are never in the default graph: only the others count, and are named below.
    in_default = [g for g in drop if not is_claim_graph_iri(g)]
    if len(in_default) > INCREMENTAL_DROPS:
        fill = fill_default_update(after).rstrip("\n")
        return " ;\n".join(p for p in (drops, insert, fill) if p) + "\n"
    parts = []
    if in_default:
        # A triple of a replaced graph leaves the default graph unless a graph kept in it holds it.
        parts.append(
            "DELETE { ?s ?p ?o } WHERE {\n"
            f"  VALUES ?g {{ {_values(in_default)} }}\n"
            "  GRAPH ?g { ?s ?p ?o }\n"
            "  FILTER NOT EXISTS {\n"
            "    GRAPH ?h { ?s ?p ?o }\n"
            f"    FILTER (?h NOT IN ({', '.join(sparql_term(URIRef(i)) for i in in_default)}))\n"
            f'    FILTER (!REGEX(STR(?h), "{_CLAIM_GRAPH_REGEX}"))\n'
            "  }\n"
            "}"
        )
    parts += [p for p in (drops, insert) if p]
    copied = [g for g in incoming if not is_claim_graph_iri(g)]
    if copied:
        parts.append(
            "INSERT { ?s ?p ?o } WHERE {\n"
            f"  VALUES ?g {{ {_values(copied)} }}\n"
            "  GRAPH ?g { ?s ?p ?o }\n"
            "}"
        )
    return " ;\n".join(parts) + "\n"


def _update_text(incoming: IncomingQuads) -> str:
    """``INSERT DATA`` of the incoming quads (pyoxigraph terms print as N-Triples)."""
    by_graph: dict[str, list[str]] = {}
    for q in incoming:
        by_graph.setdefault(str(q.graph_name), []).append(f"{q.subject} {q.predicate} {q.object} .")
    body = [f"GRAPH {name} {{\n" + "\n".join(lines) + "\n}" for name, lines in by_graph.items()]
    return "INSERT DATA {\n" + "\n".join(body) + "\n}" if body else ""


def write_quads(store: Any, drop: list[str], incoming: IncomingQuads,
                held: Iterable[str] | None = None) -> None:
    """Drop ``drop`` and write ``incoming`` into the pyoxigraph ``store`` in one transaction.

    The default graph stays the set union of the graphs that are not claim graphs (see the module
    docstring). ``held``: the named graphs the store holds, when the caller has listed them.
    """
    import pyoxigraph

    if not drop:
        data = pyoxigraph.serialize(incoming.with_default_copies(),
                                    format=pyoxigraph.RdfFormat.N_QUADS)
        if data:
            store.load(data, format=pyoxigraph.RdfFormat.N_QUADS)
        return
    insert = _update_text(incoming)
    listed = set(held) if held is not None else {str(g.value) for g in store.named_graphs()}
    after = sorted((listed - set(drop)) | incoming.graphs)
    store.update(_replace_update(drop, insert, sorted(incoming.graphs), after))


def answer(store: Any, safe: SafeQuery, spec: str) -> QueryResult:
    """A checked query's answer from a pyoxigraph store whose default graph is kept the union."""
    try:
        result = store.query(safe.text, use_default_graph_as_union=UNION_DEFAULT)
        return oxigraph_result(safe.form, result)
    except SyntaxError as exc:
        raise QueryError(f"the query does not parse: {exc}") from None
    except OSError as exc:
        raise StoreError(f"{spec}: {exc}") from None


def in_memory_store(nquads: str) -> Any:
    """A new in-memory pyoxigraph store of ``nquads`` (every quad in a named graph), its default
    graph the set union of those that are not claim graphs. The union is made by pyoxigraph
    (:func:`fill_default_graph`), faster than adding each quad's copy from Python."""
    import pyoxigraph

    store = pyoxigraph.Store()
    store.bulk_load(nquads, pyoxigraph.RdfFormat.N_QUADS)
    fill_default_graph(store)
    return store


BULK_BATCH: Final = 200_000


def _bulk_in_batches(store: Any, quads: Iterator[Any]) -> None:
    """``bulk_extend`` a batch at a time: pyoxigraph's bulk loader holds a whole call in memory
    (2M quads: about 2 GB; in batches of 200,000 the peak of a 740k-quad load fell from 817 MB to
    367 MB, and the load took 8% less time)."""
    while batch := list(itertools.islice(quads, BULK_BATCH)):
        store.bulk_extend(batch)


def default_graph_missing(store: Any) -> bool:
    """Whether ``store`` has quads in named graphs but an empty default graph (an older folder)."""
    import pyoxigraph

    if next(iter(store.quads_for_pattern(None, None, None, pyoxigraph.DefaultGraph())), None):
        return False
    return any(True for _ in store.quads_for_pattern(None, None, None, None))


def default_graph_stale(store: Any) -> bool:
    """Whether ``store``'s default graph holds a claim's content (a relation triple): a folder
    written when the default graph was the union of every graph, claim graphs included."""
    import pyoxigraph

    default = pyoxigraph.DefaultGraph()
    return any(
        next(iter(store.quads_for_pattern(None, pyoxigraph.NamedNode(str(p)), None, default)),
             None) is not None
        for p in RELATIONS.values()
    )


def fill_default_graph(store: Any) -> None:
    """Make the default graph again: the set union of the graphs that are not claim graphs."""
    store.update(fill_default_update(str(g.value) for g in store.named_graphs()))


class OxigraphStore:
    """A persistent pyoxigraph store in the folder ``path`` (created if missing)."""

    def __init__(self, path: str | Path, *, read_only: bool = False) -> None:
        import pyoxigraph

        self.path = Path(path)
        self.spec = f"oxigraph:{self.path}"
        self.read_only = read_only
        # Claim ids resolved by graph.sparql.library.resolve_params; only this handle writes the
        # folder.
        self.lookups: dict[str, tuple[Node, ...]] = {}
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
        self._ready()

    def _ready(self) -> None:
        """Make the default graph of a folder an older claimgraph wrote again (see the module)."""
        try:
            if not default_graph_missing(self._store) and not default_graph_stale(self._store):
                return
            if self.read_only:
                raise StoreError(
                    f"{self.spec} was written by an older claimgraph (its default graph is "
                    "missing or holds claim content); open it read-write once (e.g. claimgraph "
                    "query --store oxigraph:PATH) to update it"
                )
            fill_default_graph(self._store)
            self._store.flush()
        except OSError as exc:
            raise StoreError(f"{self.spec}: {exc}") from None

    @property
    def raw(self) -> Any:
        """The underlying ``pyoxigraph.Store``."""
        return self._store

    def query(self, text: str, bindings: Bindings | None = None) -> QueryResult:
        """Run a read-only query (checked by a parse first: no updates, SERVICE or FROM)."""
        return answer(self._store, check_bound(text, bindings), self.spec)

    def replace_graphs(
        self,
        dataset: Dataset | Mapping[URIRef, Graph],
        *,
        method: LoadMethod = "auto",
        drop: Iterable[str] = (),
    ) -> LoadSummary:
        """Replace each incoming graph whole, all or nothing (see the module docstring)."""
        try:
            if isinstance(dataset, Mapping):
                incoming = mapping_quads(dataset)
            else:
                incoming = dataset_quads(dataset)
        except QueryError as exc:  # a term rdflib keeps and RDF does not allow
            raise StoreError(f"{self.spec}: the load failed and changed nothing: {exc}") from None
        return self.replace_quads(incoming, method=method, drop=drop)

    @without_gc
    def replace_quads(
        self, incoming: IncomingQuads, *, method: LoadMethod = "auto", drop: Iterable[str] = (),
        held: Sequence[str] | None = None,
    ) -> LoadSummary:
        """Replace each graph of ``incoming`` whole, and drop the graphs ``drop`` names, by
        transaction or by bulk load and swap. ``held``: :meth:`named_graphs`, when the caller
        has just listed them (listing a large store's graphs is not free)."""
        self.lookups.clear()
        existing = list(held) if held is not None else self.named_graphs()
        also = set(drop)
        drop = []
        if existing:  # the incoming graph names are needed first: one more pass over the input
            there = set(existing)
            drop = sorted({d for d in graphs_to_drop(existing, incoming.graphs) if d in there}
                          | (also & there))
        try:
            if choose_bulk(method, incoming):
                self._bulk_replace(drop, incoming)
            else:
                write_quads(self._store, drop, incoming, existing)
                self._store.flush()
        except (OSError, SyntaxError, ValueError) as exc:
            raise StoreError(f"{self.spec}: the load failed and changed nothing: {exc}") from None
        stale = tuple(d for d in drop if d not in incoming.graphs)
        return LoadSummary(tuple(sorted(incoming.graphs)), stale, len(incoming))

    def _bulk_replace(self, drop: list[str], incoming: IncomingQuads) -> None:
        """Checkpoint, change the copy with pyoxigraph's bulk loader, swap it in (atomic rename)."""
        import pyoxigraph

        with replace_directory(self.path) as staging:
            remove_dir_if_empty(staging)
            self._store.backup(str(staging))
            copy = pyoxigraph.Store(str(staging))
            if drop:
                copy.update(insert_update(drop, {}).rstrip("\n") + " ;\nDROP SILENT DEFAULT\n")
            _bulk_in_batches(copy, incoming.with_default_copies())
            if drop:  # the default graph was cleared: the union of the graphs left, again
                default = pyoxigraph.DefaultGraph()
                kept = (pyoxigraph.Quad(q.subject, q.predicate, q.object, default)
                        for g in copy.named_graphs() if not is_claim_graph_iri(g.value)
                        for q in copy.quads_for_pattern(None, None, None, g))
                _bulk_in_batches(copy, kept)
            copy.flush()
            del copy
            del self._store  # the folder is swapped under this handle: reopen it after
        self._store = pyoxigraph.Store(str(self.path))

    def named_graphs(self) -> list[str]:
        """Named graphs in the store, sorted."""
        return sorted(str(g.value) for g in self._store.named_graphs())

    def close(self) -> None:
        """Flush and drop the handle, releasing the folder's lock."""
        store = getattr(self, "_store", None)
        if store is not None:
            if not self.read_only:  # a read-only handle has nothing to flush (and refuses to)
                with contextlib.suppress(OSError):
                    store.flush()
            del self._store

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
