"""Reading a user's RDF file safely: pyoxigraph's parser, size-checked, never touching the network.

Every format is parsed by pyoxigraph (Rust): linear in the size of the file, where rdflib's
Turtle and N-Triples parsers are quadratic on long escaped or multi-line literals; it never
fetches anything (a JSON-LD context given by URL or file name is refused: there is no loader).
RDF/XML is not read: its DTD entities can expand a small file without bound, so a ``.rdf`` or
``.owl`` file is refused with a hint to convert it. Each file is parsed into a fresh dataset,
so a file that fails leaves nothing behind, and every failure is an ``RDFSyntaxError`` naming
the file and the line.

Files are read as :mod:`graph.support.limits` says: regular files only, streamed from disk, and one
read
into an rdflib dataset is refused past ``MAX_DATASET_BYTES`` or ``MAX_DATASET_QUADS``. One term
longer than pyoxigraph's 16 MiB buffer is refused too (``InputTooLargeError``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from rdflib import BNode, Dataset, Literal, URIRef
from rdflib.graph import Graph
from rdflib.term import Node

from graph.errors import InputError, InputTooLargeError, RDFSyntaxError
from graph.support.limits import MAX_DATASET_BYTES, MAX_DATASET_QUADS, MAX_RDF_BYTES, open_input

if TYPE_CHECKING:
    import pyoxigraph

__all__ = [
    "FORMATS",
    "count_quads",
    "format_for",
    "parse_quads",
    "parse_rdf_text",
    "rdflib_term",
    "read_rdf",
]

FORMATS: Final = {
    ".trig": "trig",
    ".ttl": "turtle",
    ".nt": "nt",
    ".nq": "nquads",
    ".jsonld": "json-ld",
    ".json": "json-ld",
}
_NATIVE: Final = {
    "trig": "TRIG",
    "turtle": "TURTLE",
    "nt": "N_TRIPLES",
    "nquads": "N_QUADS",
    "json-ld": "JSON_LD",
}
_RDF_XML: Final = (".rdf", ".owl", ".xml")
_XSD_STRING: Final = "http://www.w3.org/2001/XMLSchema#string"


def format_for(path: Path) -> str:
    """The format name of a file (an rdflib name), by its suffix."""
    suffix = path.suffix.lower()
    if suffix in _RDF_XML:
        raise InputError(
            f"{path}: RDF/XML is not read (its entities can expand a small file without bound); "
            "convert it first, for example: rapper -i rdfxml -o ntriples FILE > FILE.nt"
        )
    try:
        return FORMATS[suffix]
    except KeyError:
        known = ", ".join(sorted(FORMATS))
        raise InputError(
            f"{path}: unknown RDF file type '{path.suffix}' (known: {known})"
        ) from None


def _native(rdf_format: str) -> Any:
    """pyoxigraph's name of a format this module reads."""
    import pyoxigraph

    if rdf_format not in _NATIVE:
        known = ", ".join(sorted(_NATIVE))
        raise InputError(f"RDF format '{rdf_format}' is not read (known: {known})")
    return getattr(pyoxigraph.RdfFormat, _NATIVE[rdf_format])


def parse_quads(
    path: Path, rdf_format: str | None = None, *, limit: int = MAX_RDF_BYTES
) -> Iterator[pyoxigraph.Quad]:
    """A user's RDF file as pyoxigraph quads, streamed from disk (blank nodes renamed apart).

    The file is opened, and checked to be a regular file of at most ``limit`` bytes, when
    iteration starts; a syntax error is an ``RDFSyntaxError`` with the file and line.
    """
    import pyoxigraph

    native = _native(rdf_format or format_for(path))
    with open_input(path, limit, "RDF file") as handle:
        try:  # no base IRI: a relative IRI is an error
            yield from pyoxigraph.parse(handle, native, rename_blank_nodes=True)
        except SyntaxError as exc:
            raise _syntax_error(exc, path) from None
        except MemoryError as exc:
            raise _too_long(exc, path) from None
        except OSError as exc:
            raise InputError(f"{path}: cannot read the RDF file: {exc.strerror or exc}") from None


def parse_rdf_text(data: str, rdf_format: str, *, path: Path | None = None) -> Dataset:
    """Parse RDF text into a new Dataset (named graphs kept); raise RDFSyntaxError on failure."""
    import pyoxigraph

    native = _native(rdf_format)

    def quads() -> Iterator[pyoxigraph.Quad]:
        try:
            yield from pyoxigraph.parse(data, native, rename_blank_nodes=True)
        except SyntaxError as exc:
            raise _syntax_error(exc, path) from None
        except MemoryError as exc:
            raise _too_long(exc, path) from None

    return _to_dataset(quads(), path)


def read_rdf(path: str | Path, rdf_format: str | None = None) -> Dataset:
    """Read an RDF file (Turtle, TriG, N-Triples, N-Quads, JSON-LD) into a Dataset."""
    path = Path(path)
    return _to_dataset(parse_quads(path, rdf_format, limit=MAX_DATASET_BYTES), path)


def _to_dataset(quads: Iterable[pyoxigraph.Quad], path: Path | None = None) -> Dataset:
    """pyoxigraph quads as a new rdflib Dataset: the default graph stays rdflib's default graph.

    More than ``MAX_DATASET_QUADS`` is refused as soon as the count passes it.
    """
    import pyoxigraph

    ds = Dataset()
    graphs: dict[Any, Graph] = {}

    def added() -> Iterator[tuple[Node, Node, Node, Graph]]:
        for count, quad in enumerate(quads, 1):
            if count > MAX_DATASET_QUADS:
                where = f"{path}: " if path is not None else ""
                raise InputTooLargeError(
                    f"{where}holds more than {MAX_DATASET_QUADS:,} statements, more than is "
                    "read into memory; load it into an Oxigraph folder "
                    "(claimgraph load FILE --store oxigraph:DIR) and query it there"
                )
            name = quad.graph_name
            context = graphs.get(name)
            if context is None:
                default = isinstance(name, pyoxigraph.DefaultGraph)
                context = ds.default_graph if default else ds.graph(_graph_name(name))
                graphs[name] = context
            yield _term(quad.subject), _term(quad.predicate), _term(quad.object), context

    ds.addN(added())
    return ds


def _graph_name(term: Any) -> URIRef | BNode:
    import pyoxigraph

    return BNode(term.value) if isinstance(term, pyoxigraph.BlankNode) else URIRef(term.value)


def _term(term: Any) -> Node:
    """A term read from a file; an RDF 1.2 triple term is refused (rdflib 7 has none)."""
    converted = rdflib_term(term)
    if converted is None:
        raise RDFSyntaxError(f"an RDF 1.2 triple term is not supported here: {term}")
    return converted


def rdflib_term(term: Any) -> Node | None:
    """A pyoxigraph term as the rdflib term rdflib's own parsers make of it (a plain literal stays
    untyped); None for what rdflib 7 cannot hold (an RDF 1.2 triple term).

    >>> import pyoxigraph
    >>> rdflib_term(pyoxigraph.Literal("x")), rdflib_term(pyoxigraph.NamedNode("http://e/a"))
    (rdflib.term.Literal('x'), rdflib.term.URIRef('http://e/a'))
    """
    import pyoxigraph

    if isinstance(term, pyoxigraph.NamedNode):
        return URIRef(term.value)
    if isinstance(term, pyoxigraph.BlankNode):
        return BNode(term.value)
    if isinstance(term, pyoxigraph.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == _XSD_STRING:  # a plain "text" in the file; rdflib keeps it untyped
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype))
    return None


def _syntax_error(exc: SyntaxError, path: Path | None) -> RDFSyntaxError:
    """pyoxigraph's ``SyntaxError`` (``args[1]`` is ``(file, line, column, ...)``), in one line."""
    message = " ".join(str(exc.args[0] if exc.args else exc).split())
    position = exc.args[1] if len(exc.args) > 1 and isinstance(exc.args[1], tuple) else ()
    line = position[1] if len(position) > 1 and isinstance(position[1], int) else None
    if "Invalid UTF-8" in message:
        message = "not UTF-8 text"
    elif "LoadDocumentCallback" in message or "remote context" in message:
        message = (
            "JSON-LD contexts must be inline; a context given by URL or file name "
            "would be fetched, so it is refused"
        )
    if len(message) > 300:
        message = message[:297] + "..."
    return RDFSyntaxError(message, path=path, line=line)


def _too_long(exc: MemoryError, path: Path | None) -> Exception:
    """pyoxigraph refuses a single term (a literal, an IRI) longer than its 16 MiB buffer."""
    if "buffer maximal size" not in str(exc):
        return exc
    where = f"{path}: " if path is not None else ""
    return InputTooLargeError(
        f"{where}a single term (literal or IRI) is over the parser's limit of 16 MiB"
    )


def count_quads(ds: Dataset) -> int:
    """The number of statements in all graphs (``len(Dataset)`` counts graph bookkeeping too)."""
    return sum(1 for _ in ds.quads((None, None, None, None)))
