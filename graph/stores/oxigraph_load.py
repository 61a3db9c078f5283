"""Loading into an Oxigraph folder at the speed of pyoxigraph's own parser and bulk loader.

Reading: every file is parsed by pyoxigraph (Rust; it never fetches anything), not by rdflib,
through :func:`graph.rdf.rdfio.parse_quads` (regular files only, within ``MAX_RDF_BYTES``). The
result is one :class:`IncomingQuads`: quads in named graphs, a file's default-graph triples (and
triples in a blank-node graph) moved to the file's own graph (:func:`graph.stores.file_graph_iri`),
as :func:`graph.stores.merge_for_load` does for rdflib.

Writing has two paths, both all-or-nothing (see :mod:`graph.stores.oxigraph` for the default graph):

* **transaction** — one ``Store.load`` (nothing to drop) or one ``Store.update`` (graphs replaced);
  pyoxigraph holds the whole change in memory, which costs a multiple of its bulk loader
  (BENCHMARKS.md);
* **bulk** — a checkpoint of the store (``Store.backup``: hard links, no copy) in a folder beside
  it, the replaced graphs dropped there, the incoming quads and the default graph written with
  ``bulk_extend``, then the folder swapped in with one atomic rename (:mod:`graph.support.atomic`).
  A kill
  before the swap leaves the store as it was; the leftover folder is removed by the next load.

``auto`` takes the bulk path from :data:`BULK_BYTES` of input on (about 100,000 quads).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Literal

from graph.rdf.rdfio import format_for, parse_quads
from graph.rdf.vocab import is_claim_graph_iri
from graph.sparql.binding import sparql_term
from graph.stores.loading import CONTENT_PREDICATES, asserted_content_error, file_graph_iri
from graph.support.gc_pause import without_gc
from graph.support.limits import MAX_RDF_BYTES, check_size

if TYPE_CHECKING:
    from rdflib import Dataset, Graph, URIRef

__all__ = [
    "BULK_BYTES",
    "IncomingQuads",
    "LoadMethod",
    "choose_bulk",
    "dataset_quads",
    "mapping_quads",
    "nquads_quads",
    "nquads_text",
    "read_quads",
    "remove_dir_if_empty",
]

BULK_BYTES: Final = 16 * 1024 * 1024  # N-Quads of ~100,000 claim-graph quads
LoadMethod = Literal["auto", "bulk", "transaction"]


class IncomingQuads:
    """Quads to load, every one in a named graph, parsed again from their source on each pass.

    Nothing keeps the parsed quads: a million pyoxigraph quads in a list take about 430 MB. The
    graph names and the count are known after the first full pass (:meth:`count_pass` makes one
    when they are needed before writing). A syntax error surfaces during a pass, before the
    write it feeds is committed.
    """

    def __init__(self, source: Callable[[], Iterator[Any]], size_bytes: int) -> None:
        self._source = source
        self.size_bytes = size_bytes  # of the input, to choose bulk or transaction cheaply
        self._graphs: frozenset[str] | None = None
        self._count: int | None = None

    def __iter__(self) -> Iterator[Any]:
        graphs: set[str] = set()
        count = 0
        for quad in self._source():
            graphs.add(quad.graph_name.value)
            count += 1
            yield quad
        self._graphs, self._count = frozenset(graphs), count

    def count_pass(self) -> None:
        """Read the source once to learn the graph names and the count, if not known yet."""
        if self._graphs is None:
            for _ in self:
                pass

    @property
    def graphs(self) -> frozenset[str]:
        self.count_pass()
        assert self._graphs is not None
        return self._graphs

    def __len__(self) -> int:
        self.count_pass()
        assert self._count is not None
        return self._count

    def with_default_copies(self) -> Iterator[Any]:
        """Each quad, then — unless it is in a claim graph — its triple in the default graph (the
        store keeps the union of the graphs that are not claim graphs; a triple already there is
        no change)."""
        import pyoxigraph

        default = pyoxigraph.DefaultGraph()
        claim_graph: dict[str, bool] = {}  # by graph name: a load has few graphs, many quads
        for quad in self:
            yield quad
            name = quad.graph_name.value
            if name not in claim_graph:
                claim_graph[name] = is_claim_graph_iri(name)
            if not claim_graph[name]:
                yield pyoxigraph.Quad(quad.subject, quad.predicate, quad.object, default)


def _in_named_graphs(quads: Iterable[Any], name: str) -> Iterator[Any]:
    """Each quad in a named graph (the file's own for its default graph); a claim's content
    outside a claim graph is refused (:func:`graph.stores.asserted_content_error`)."""
    import pyoxigraph

    own: Any = None
    claim_graph: dict[str, bool] = {}  # by graph name: a load has few graphs, many quads
    for quad in quads:
        if not isinstance(quad.graph_name, pyoxigraph.NamedNode):
            if own is None:
                own = pyoxigraph.NamedNode(str(file_graph_iri(name)))
            quad = pyoxigraph.Quad(quad.subject, quad.predicate, quad.object, own)
        if quad.predicate.value in CONTENT_PREDICATES:
            graph = quad.graph_name.value
            if graph not in claim_graph:
                claim_graph[graph] = is_claim_graph_iri(graph)
            if not claim_graph[graph]:
                raise asserted_content_error(
                    name, graph, [str(t) for t in (quad.subject, quad.predicate, quad.object)])
        yield quad


def _parse_nquads(data: bytes | str) -> Iterator[Any]:
    import pyoxigraph

    return iter(pyoxigraph.parse(data, pyoxigraph.RdfFormat.N_QUADS, rename_blank_nodes=True))


def _file_source(path: Path) -> tuple[Callable[[], Iterator[Any]], int]:
    """How to parse one file again on each pass, and its size."""
    rdf_format = format_for(path)
    size = check_size(path, MAX_RDF_BYTES, "RDF file")
    if rdf_format == "json-ld":  # read whole by its parser anyway: once, before a store opens
        import pyoxigraph

        quads = parse_quads(path, rdf_format)
        nquads = pyoxigraph.serialize(quads, format=pyoxigraph.RdfFormat.N_QUADS) or b""
        return (lambda: _in_named_graphs(_parse_nquads(nquads), path.name)), size
    return (lambda: _in_named_graphs(parse_quads(path, rdf_format), path.name)), size


def read_quads(files: Iterable[str | Path]) -> IncomingQuads:
    """RDF files to load into Oxigraph, parsed by pyoxigraph on each pass over them."""
    sources = [_file_source(Path(f)) for f in files]

    def every_file() -> Iterator[Any]:
        for source, _size in sources:
            yield from source()

    return IncomingQuads(every_file, sum(size for _, size in sources))


@without_gc
def dataset_quads(dataset: Dataset, name: str = "dataset") -> IncomingQuads:
    """An rdflib dataset's quads for loading (default-graph triples go to ``name``'s graph)."""
    import warnings

    with warnings.catch_warnings():  # rdflib's serializer calls its own deprecated API
        warnings.simplefilter("ignore", DeprecationWarning)
        text = dataset.serialize(format="nquads", encoding="utf-8")
    return IncomingQuads(lambda: _in_named_graphs(_parse_nquads(text), name), len(text))


def nquads_text(graphs: Iterable[tuple[URIRef, Graph]]) -> str:
    """N-Quads of rdflib graphs, each triple in the named graph it comes with."""
    lines: list[str] = []
    for ident, g in graphs:
        name = sparql_term(ident)
        lines.extend(f"{sparql_term(s)} {sparql_term(p)} {sparql_term(o)} {name} .\n"
                     for s, p, o in g)
    return "".join(lines)


def nquads_quads(text: bytes) -> IncomingQuads:
    """N-Quads text (every quad in a named graph) for loading."""
    return IncomingQuads(lambda: _in_named_graphs(_parse_nquads(text), "dataset"), len(text))


def mapping_quads(graphs: Mapping[URIRef, Graph]) -> IncomingQuads:
    """rdflib graphs by name, for loading."""
    text = nquads_text(graphs.items())
    return IncomingQuads(lambda: _in_named_graphs(_parse_nquads(text), "dataset"), len(text))


def choose_bulk(method: LoadMethod, incoming: IncomingQuads) -> bool:
    """Whether a load takes the bulk path (see the module docstring)."""
    if method == "auto":
        return incoming.size_bytes >= BULK_BYTES
    return method == "bulk"


def remove_dir_if_empty(path: Path) -> None:
    """``Store.backup`` wants to create its folder itself."""
    os.rmdir(path)
