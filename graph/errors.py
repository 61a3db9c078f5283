"""Every error claimgraph raises on purpose, and what it means.

The tree::

    ClaimgraphError                 base of all of them; the CLI turns each into one line
    ├── InputError                  a user's file cannot be read or is not what it should be
    │   ├── AnnotationError         an annotation file breaks the format (file, line, field)
    │   ├── TextMismatchError       an article's text no longer matches its recorded sha256
    │   ├── InputTooLargeError      a file is over the documented size limit
    │   └── RDFSyntaxError          an RDF file does not parse (file, line where known)
    ├── ValidationError             a graph breaks the SHACL shapes or the interop contract
    ├── QueryError                  a SPARQL query is unknown, malformed or missing a parameter
    │   └── QueryRefusedError       a query asks for what a read-only store never does
    │                               (updates, LOAD, SERVICE, remote FROM)
    ├── StoreError                  a store cannot be opened, read or written
    │   └── TruncatedResultError    a server cut a result short; we refuse half an answer
    ├── NotFoundError               a claim, entity or document id that the graph does not hold
    └── OutputRefusedError          an output folder a build will not replace: it is not a
                                    build's output, holds files no build wrote, or is, holds
                                    or is inside an input folder

Each class carries an ``exit_code``; the CLI exits with it (see the README's table).
"""

from __future__ import annotations

from pathlib import Path

__all__ = [
    "AnnotationError",
    "ClaimgraphError",
    "InputError",
    "InputTooLargeError",
    "NotFoundError",
    "OutputRefusedError",
    "QueryError",
    "QueryRefusedError",
    "RDFSyntaxError",
    "StoreError",
    "TextMismatchError",
    "TruncatedResultError",
    "ValidationError",
]


class ClaimgraphError(Exception):
    """Base class: a failure claimgraph recognises and can explain in one line."""

    exit_code: int = 1


class InputError(ClaimgraphError):
    """A user's file cannot be read, or is not what it should be."""

    exit_code = 2


def _where(path: str | Path | None, line: int | None, field: str | None) -> str:
    parts = []
    if path is not None:
        parts.append(str(path) + (f":{line}" if line is not None else ""))
    if field:
        parts.append(f"field '{field}'")
    return ", ".join(parts)


class AnnotationError(InputError):
    """An annotation file breaks the format. Names the file, the 1-based line and the field."""

    exit_code = 3

    def __init__(
        self,
        message: str,
        *,
        path: str | Path | None = None,
        line: int | None = None,
        field: str | None = None,
    ) -> None:
        self.message = message
        self.path = None if path is None else Path(path)
        self.line = line
        self.field = field
        self.problems: tuple[AnnotationError, ...] = (self,)
        where = _where(path, line, field)
        super().__init__(f"{where}: {message}" if where else message)

    @classmethod
    def several(cls, problems: list[AnnotationError], *, path: str | Path) -> AnnotationError:
        """Every problem of one file in one error (an analyst fixes them in one pass): one per
        line of the message, each in ``problems``; the first one's line and field."""
        if len(problems) == 1:
            return problems[0]
        listed = "\n".join(f"  {p}" for p in problems)
        combined = cls(f"{len(problems)} problems:\n{listed}", path=path)
        combined.line, combined.field = problems[0].line, problems[0].field
        combined.problems = tuple(problems)
        return combined


class TextMismatchError(AnnotationError):
    """The article's text changed since it was annotated: offsets would silently drift."""

    exit_code = 4


class InputTooLargeError(InputError):
    """A file is larger than claimgraph reads (see ``graph.support.limits``)."""

    exit_code = 5


class RDFSyntaxError(InputError):
    """An RDF file does not parse. Names the file and, where the parser says, the line."""

    exit_code = 6

    def __init__(self, message: str, *, path: str | Path | None = None, line: int | None = None):
        self.path = None if path is None else Path(path)
        self.line = line
        where = _where(path, line, None)
        super().__init__(f"{where}: {message}" if where else message)


class ValidationError(ClaimgraphError):
    """A graph breaks the SHACL shapes or the interop contract. ``problems`` lists each break."""

    exit_code = 7

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        self.problems = list(problems or [])
        super().__init__(message)


class QueryError(ClaimgraphError):
    """A SPARQL query is unknown, does not parse, or lacks a parameter it declares."""

    exit_code = 8


class QueryRefusedError(QueryError):
    """A query asks for what a read-only store never does (update, LOAD, SERVICE, FROM <url>)."""

    exit_code = 9


class StoreError(ClaimgraphError):
    """A store cannot be opened, read or written."""

    exit_code = 10


class TruncatedResultError(StoreError):
    """A SPARQL server cut a result short (Virtuoso's row cap); half an answer is refused."""

    exit_code = 11


class NotFoundError(ClaimgraphError):
    """A claim, entity or document that the graph does not hold."""

    exit_code = 12


class OutputRefusedError(ClaimgraphError):
    """An output folder a build will not replace, left exactly as it was (see
    ``graph.pipeline.manifest``): not a build's output, or it would destroy an input."""

    exit_code = 13
