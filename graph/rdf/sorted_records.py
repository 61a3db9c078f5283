"""Export files as sorted records, changed by edits instead of written again.

Every export file is a head, a body of *records* in the order of their keys, apart by a separator,
and a tail: N-Quads and N-Triples lines (the key is the line), TriG blocks (one per named graph,
by IRI), JSON-LD entries (the same) and Turtle blocks (one per subject, in the order of the
subject's N-Triples term). A :class:`Layout` finds a record's start from any byte offset and reads
its key there, so a record is found by binary search in the file as it is, without an index.

:func:`edited_body` turns edits (a key's new record, or its removal) into the pieces of the new
body: ranges of the old file between the edits, and the new records. Writing them costs what
copying the file costs (the kernel copies the ranges); no record is parsed but the ~20 a search
reads per edit.

Keys compare as UTF-8 bytes, which is the order of their code points: the order the files are
sorted in (Python sorts ``str`` by code point).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Final

from graph.rdf.vocab import PREFIXES

__all__ = [
    "JSONLD",
    "LINES",
    "TRIG",
    "TURTLE",
    "Layout",
    "Piece",
    "RecordEditError",
    "edited_body",
    "has_record",
    "lines_with_prefix",
    "subject_key",
]

Piece = bytes | range  # a new record, or a run of the old file's bytes (start, stop)


class RecordEditError(ValueError):
    """The file is not what its edits expect (a record to remove is not there)."""


@dataclass(frozen=True)
class Layout:
    """How one export format lays out its records (see the module docstring)."""

    name: str
    separator: bytes
    head_marker: bytes  # the body starts after its first occurrence (b"": at offset 0)
    tail: bytes  # what the file ends with after its body
    start_pattern: re.Pattern[bytes]  # matches just before a record's start, ``lead`` bytes on
    lead: int

    def body(self, buf: bytes) -> tuple[int, int]:
        """The body's start and end offsets in ``buf``."""
        start = 0
        if self.head_marker:
            found = buf.find(self.head_marker)
            if found < 0:
                raise RecordEditError(f"{self.name}: no body")
            start = found + len(self.head_marker)
        end = len(buf) - len(self.tail)
        if end < start or not buf.endswith(self.tail):
            raise RecordEditError(f"{self.name}: not the tail it is written with")
        return start, end

    def next_start(self, buf: bytes, pos: int, body: tuple[int, int]) -> int:
        """The first record start at or after ``pos`` (the body's end if there is none)."""
        start, end = body
        if pos <= start:
            return start
        found = self.start_pattern.search(buf, pos - self.lead, end)
        return end if found is None else found.start() + self.lead

    def record_end(self, buf: bytes, at: int, body: tuple[int, int]) -> int:
        """Where the record starting at ``at`` ends (before its separator)."""
        following = self.next_start(buf, at + 1, body)
        return following - len(self.separator) if following < body[1] else body[1]

    def key(self, buf: bytes, at: int, body: tuple[int, int]) -> bytes:
        raise NotImplementedError


class _Lines(Layout):
    def next_start(self, buf: bytes, pos: int, body: tuple[int, int]) -> int:
        start, end = body
        if pos <= start:
            return start
        found = buf.find(b"\n", pos - 1, end)
        return end if found < 0 else found + 1

    def record_end(self, buf: bytes, at: int, body: tuple[int, int]) -> int:
        return buf.index(b"\n", at) + 1

    def key(self, buf: bytes, at: int, body: tuple[int, int]) -> bytes:
        return buf[at:buf.index(b"\n", at) + 1]


class _Trig(Layout):
    def key(self, buf: bytes, at: int, body: tuple[int, int]) -> bytes:
        return buf[at + 1:buf.index(b">", at)]


class _JsonLd(Layout):
    def record_end(self, buf: bytes, at: int, body: tuple[int, int]) -> int:
        return buf.index(b"\n  }", at) + len(b"\n  }")

    def key(self, buf: bytes, at: int, body: tuple[int, int]) -> bytes:
        close = buf.index(b"\n  }", at)
        line = buf[buf.rindex(b"\n", at, close) + 1:close].strip()
        if not line.startswith(b'"@id": '):
            raise RecordEditError(f"{self.name}: an entry without its @id last")
        iri = json.loads(line[len(b'"@id": '):].decode("utf-8"))
        return str(iri).encode("utf-8")


_NAMESPACES: Final = {prefix.encode(): ns.encode() for prefix, ns in PREFIXES.items()}


class _Turtle(Layout):
    def key(self, buf: bytes, at: int, body: tuple[int, int]) -> bytes:
        return subject_key(buf[at:buf.index(b"\n", at)])


def subject_key(written: bytes) -> bytes:
    """A Turtle block's subject as its N-Triples term and a space: the key of its block."""
    if written.startswith((b"<", b"_:")):
        return written + b" "
    prefix, _, local = written.partition(b":")
    return b"<" + _NAMESPACES[prefix] + local + b"> "


LINES: Final = _Lines("lines", b"", b"", b"", re.compile(b"\n"), 1)
TRIG: Final = _Trig("graph.trig", b"\n", b"\n\n", b"", re.compile(rb"\n<[^>\n]*> \{\n"), 1)
JSONLD: Final = _JsonLd("graph.jsonld", b",\n", b'\n "@graph": [\n', b"\n ]\n}",
                        re.compile(rb"\n  \{\n"), 1)
TURTLE: Final = _Turtle("graph.ttl", b"\n", b"\n\n", b"", re.compile(rb"\n\n"), 2)


def _lower_bound(layout: Layout, buf: bytes, key: bytes, body: tuple[int, int],
                 lo: int | None = None) -> int:
    """The start of the first record at or after ``lo`` whose key is ``key`` or after it (the
    body's end if none)."""
    best = body[1]
    lo, hi = body[0] if lo is None else lo, body[1]
    while lo < hi:
        mid = (lo + hi) // 2
        at = layout.next_start(buf, mid, body)
        if at >= hi:  # no record starts in [mid, hi)
            hi = mid
        elif layout.key(buf, at, body) >= key:
            best = hi = at
        else:
            lo = at + 1
    return best


def edited_body(layout: Layout, buf: bytes, edits: Mapping[bytes, bytes | None]
                ) -> list[Piece]:
    """The new body's records and runs of records, to be joined by the layout's separator: each
    key of ``edits`` replaced by its record, inserted, or (``None``) removed."""
    body = layout.body(buf)
    pieces: list[Piece] = []
    cursor = body[0]
    for key in sorted(edits):
        at = _lower_bound(layout, buf, key, body, cursor)
        found = at < body[1] and layout.key(buf, at, body) == key
        if at > cursor:  # the records before this one, without the separator that follows them
            pieces.append(range(cursor, at - len(layout.separator) if at < body[1] else at))
        record = edits[key]
        if record is None and not found:
            raise RecordEditError(f"{layout.name}: no record to remove")
        if record is not None:
            pieces.append(record)
        if found:
            end = layout.record_end(buf, at, body)
            cursor = layout.next_start(buf, end + len(layout.separator), body)
        else:
            cursor = at
    if cursor < body[1]:
        pieces.append(range(cursor, body[1]))
    return pieces


def has_record(layout: Layout, buf: bytes, key: bytes, body: tuple[int, int] | None = None
               ) -> bool:
    """Whether ``buf`` holds a record with ``key``."""
    body = layout.body(buf) if body is None else body
    at = _lower_bound(layout, buf, key, body)
    return at < body[1] and layout.key(buf, at, body) == key


def lines_with_prefix(buf: bytes, prefix: bytes) -> Iterator[bytes]:
    """The lines of a sorted N-Triples file that start with ``prefix``, in order."""
    body = LINES.body(buf)
    at = _lower_bound(LINES, buf, prefix, body)
    while at < body[1] and buf.startswith(prefix, at):
        end = buf.index(b"\n", at) + 1
        yield buf[at:end]
        at = end
