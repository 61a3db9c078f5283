"""Loading into an Oxigraph folder at the speed of pyoxigraph's own parser and bulk loader.

Reading: TriG, N-Quads, Turtle and N-Triples files are parsed by pyoxigraph (Rust; it never
fetches anything), not by rdflib; JSON-LD and RDF/XML go through :func:`graph.rdfio.read_rdf`,
which refuses remote contexts. Either way the result is one :class:`IncomingQuads`: quads in named
graphs, a file's default-graph triples (and triples in a blank-node graph) moved to the file's own
graph (:func:`graph.store.file_graph_iri`), as :func:`graph.store.merge_for_load` does for rdflib.

Writing has two paths, both all-or-nothing (see :mod:`graph.stores.oxigraph` for the default graph):

* **transaction** — one ``Store.load`` (nothing to drop) or one ``Store.update`` (graphs replaced);
  pyoxigraph holds the whole change in memory, which costs about 2.5× its bulk loader;
* **bulk** — a checkpoint of the store (``Store.backup``: hard links, no copy) in a folder beside
  it, the replaced graphs dropped there, the incoming quads and the default graph written with
  ``bulk_extend``, then the folder swapped in with one atomic rename (:mod:`graph.atomic`). A kill
  before the swap leaves the store as it was; the leftover folder is removed by the next load.

``auto`` takes the bulk path from :data:`BULK_QUADS` incoming quads on.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Literal

from ..errors import InputError, RDFSyntaxError
from ..gc_pause import without_gc
from ..limits import MAX_RDF_BYTES, check_size, read_utf8
from ..rdfio import format_for, read_rdf
from ..store import file_graph_iri, sparql_term

if TYPE_CHECKING:
    from rdflib import Dataset, Graph, URIRef

__all__ = [
    "BULK_QUADS",
    "IncomingQuads",
    "LoadMethod",
    "choose_bulk",
    "dataset_quads",
    "mapping_quads",
    "read_quads",
]

BULK_QUADS: Final = 100_000
LoadMethod = Literal["auto", "bulk", "transaction"]
_NATIVE: Final = {"trig": "TRIG", "nquads": "N_QUADS", "turtle": "TURTLE", "nt": "N_TRIPLES"}


@dataclass(frozen=True)
class IncomingQuads:
    """Quads to load, every one in a named graph, and the names of those graphs."""

    quads: list[Any]  # pyoxigraph.Quad
    graphs: frozenset[str]

    def __len__(self) -> int:
        return len(self.quads)

    def with_default_copies(self) -> Iterator[Any]:
        """Each quad, then its triple in the default graph (the store keeps the union; a triple
        already there is no change)."""
        import pyoxigraph

        default = pyoxigraph.DefaultGraph()
        for quad in self.quads:
            yield quad
            yield pyoxigraph.Quad(quad.subject, quad.predicate, quad.object, default)


def _in_named_graphs(quads: Iterable[Any], name: str) -> Iterator[Any]:
    import pyoxigraph

    own: Any = None
    for quad in quads:
        if isinstance(quad.graph_name, pyoxigraph.NamedNode):
            yield quad
            continue
        if own is None:
            own = pyoxigraph.NamedNode(str(file_graph_iri(name)))
        yield pyoxigraph.Quad(quad.subject, quad.predicate, quad.object, own)


def _collect(parts: Iterable[tuple[str, Iterable[Any]]]) -> IncomingQuads:
    quads: list[Any] = []
    for name, parsed in parts:
        quads.extend(_in_named_graphs(parsed, name))
    return IncomingQuads(quads, frozenset(q.graph_name.value for q in quads))


def _parse_file(path: Path) -> list[Any]:
    """One file's quads, parsed whole before anything is written (an error loads nothing)."""
    import pyoxigraph

    rdf_format = format_for(path)
    native = _NATIVE.get(rdf_format)
    if native is None:  # JSON-LD, RDF/XML: rdflib's reader, with its checks
        nquads = read_rdf(path, rdf_format).serialize(format="nquads", encoding="utf-8")
        return list(pyoxigraph.parse(nquads, pyoxigraph.RdfFormat.N_QUADS, rename_blank_nodes=True))
    check_size(path, MAX_RDF_BYTES, "RDF file")
    try:  # read by pyoxigraph from the file: the text never sits in memory as a Python string
        # No base IRI: a relative IRI is an error, as it is for rdflib's reader.
        return list(pyoxigraph.parse(path=str(path), format=getattr(pyoxigraph.RdfFormat, native),
                                     rename_blank_nodes=True))
    except SyntaxError as exc:
        read_utf8(path, MAX_RDF_BYTES, "RDF file", RDFSyntaxError)  # not UTF-8: say so, and where
        line = exc.args[1][1] if len(exc.args) > 1 and isinstance(exc.args[1], tuple) else None
        message = str(exc.args[0]) if exc.args else str(exc)
        raise RDFSyntaxError(message, path=path, line=line) from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read the RDF file: {exc.strerror or exc}") from None


@without_gc
def read_quads(files: Iterable[str | Path]) -> IncomingQuads:
    """Parse RDF files for loading into Oxigraph (every file before anything is written)."""
    paths = [Path(f) for f in files]
    return _collect((p.name, _parse_file(p)) for p in paths)


@without_gc
def dataset_quads(dataset: Dataset, name: str = "dataset") -> IncomingQuads:
    """An rdflib dataset's quads for loading (default-graph triples go to ``name``'s graph)."""
    import warnings

    import pyoxigraph

    with warnings.catch_warnings():  # rdflib's serializer calls its own deprecated API
        warnings.simplefilter("ignore", DeprecationWarning)
        text = dataset.serialize(format="nquads", encoding="utf-8")
    parsed = pyoxigraph.parse(text, pyoxigraph.RdfFormat.N_QUADS, rename_blank_nodes=True)
    return _collect([(name, parsed)])


def mapping_quads(graphs: Mapping[URIRef, Graph]) -> IncomingQuads:
    """rdflib graphs by name, for loading."""
    import pyoxigraph

    lines: list[str] = []
    for ident, g in graphs.items():
        name = sparql_term(ident)
        lines.extend(f"{sparql_term(s)} {sparql_term(p)} {sparql_term(o)} {name} .\n"
                     for s, p, o in g)
    parsed = pyoxigraph.parse("".join(lines), pyoxigraph.RdfFormat.N_QUADS, rename_blank_nodes=True)
    return _collect([("dataset", parsed)])


def choose_bulk(method: LoadMethod, incoming: IncomingQuads) -> bool:
    """Whether a load takes the bulk path (see the module docstring)."""
    if method == "auto":
        return len(incoming) >= BULK_QUADS
    return method == "bulk"


def remove_dir_if_empty(path: Path) -> None:
    """``Store.backup`` wants to create its folder itself."""
    os.rmdir(path)
