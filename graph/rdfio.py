"""Reading a user's RDF file safely: size-checked, transactional, never touching the network.

rdflib parsing is not transactional (triples before a syntax error stay), JSON-LD contexts given
as URLs are fetched, and error messages name ``<>`` instead of the file. Here each file is parsed
into a fresh dataset, a JSON-LD file with any non-inline context is refused before rdflib sees it,
and every failure becomes an ``RDFSyntaxError`` naming the file and, where known, the line.
"""

from __future__ import annotations

import json
import re
import warnings
from pathlib import Path
from typing import Any, Final

from rdflib import Dataset

from .errors import InputError, RDFSyntaxError
from .limits import MAX_RDF_BYTES, read_utf8

__all__ = ["FORMATS", "count_quads", "format_for", "parse_rdf_text", "read_rdf"]

FORMATS: Final = {
    ".trig": "trig",
    ".ttl": "turtle",
    ".nt": "nt",
    ".nq": "nquads",
    ".jsonld": "json-ld",
    ".json": "json-ld",
    ".rdf": "xml",
    ".owl": "xml",
}
_LINE = re.compile(r"(?:line|at line)\s+(\d+)", re.IGNORECASE)


def format_for(path: Path) -> str:
    """The rdflib format name for a file, by its suffix."""
    try:
        return FORMATS[path.suffix.lower()]
    except KeyError:
        known = ", ".join(sorted(FORMATS))
        raise InputError(
            f"{path}: unknown RDF file type '{path.suffix}' (known: {known})"
        ) from None


def _refuse_remote_contexts(value: Any, path: Path | None) -> None:
    """Walk a JSON-LD document; any @context or @import that is not an inline object is refused."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            for key, inner in item.items():
                if key in ("@context", "@import") and _names_a_location(inner):
                    raise RDFSyntaxError(
                        "JSON-LD contexts must be inline; a context given by URL or file name "
                        "would be fetched, so it is refused",
                        path=path,
                    )
                stack.append(inner)
        elif isinstance(item, list):
            stack.extend(item)


def _names_a_location(context: Any) -> bool:
    if isinstance(context, str):
        return True
    if isinstance(context, list):
        return any(_names_a_location(c) for c in context)
    return False


def parse_rdf_text(data: str, rdf_format: str, *, path: Path | None = None) -> Dataset:
    """Parse RDF text into a new Dataset (named graphs kept); raise RDFSyntaxError on failure."""
    if rdf_format == "json-ld":
        try:
            _refuse_remote_contexts(json.loads(data), path)
        except json.JSONDecodeError as exc:
            raise RDFSyntaxError(f"not valid JSON: {exc.msg}", path=path, line=exc.lineno) from None
    ds = Dataset()
    try:
        with warnings.catch_warnings():
            # rdflib's own parsers call its deprecated Dataset API; that is not the user's problem.
            warnings.simplefilter("ignore", DeprecationWarning)
            ds.parse(data=data, format=rdf_format, publicID="urn:claimgraph:input:")
    except RDFSyntaxError:
        raise
    except Exception as exc:  # rdflib raises many unrelated types for bad input
        raise RDFSyntaxError(_describe(exc), path=path, line=_line_of(exc)) from None
    return ds


def _line_of(exc: Exception) -> int | None:
    lines = getattr(exc, "lines", None)
    if isinstance(lines, int):
        return lines + 1  # BadSyntax.lines is 0-based
    match = _LINE.search(str(exc))
    return int(match.group(1)) if match else None


def _describe(exc: Exception) -> str:
    message = getattr(exc, "message", None) or str(exc) or type(exc).__name__
    message = " ".join(str(message).split())
    return message if len(message) < 300 else message[:297] + "..."


def count_quads(ds: Dataset) -> int:
    """The number of statements in all graphs (``len(Dataset)`` counts graph bookkeeping too)."""
    return sum(1 for _ in ds.quads((None, None, None, None)))


def read_rdf(path: str | Path, rdf_format: str | None = None) -> Dataset:
    """Read an RDF file (Turtle, TriG, N-Triples, N-Quads, JSON-LD, RDF/XML) into a Dataset."""
    path = Path(path)
    rdf_format = rdf_format or format_for(path)
    text = read_utf8(path, MAX_RDF_BYTES, "RDF file", RDFSyntaxError)
    return parse_rdf_text(text, rdf_format, path=path)
