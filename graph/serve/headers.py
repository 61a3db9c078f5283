"""Request headers read without the ``email`` package.

``http.server`` parses every request's headers with ``email.parser``, a general MIME parser: it
took a measurable share of the server's CPU time per query (``BENCHMARKS-endpoint.md``). The
endpoint needs a few fields by name, so the header block is read line by line into a
dictionary, with the same limits as ``http.client`` (65,536 bytes per line, 100 lines).
"""

from __future__ import annotations

from typing import Final, Protocol

__all__ = [
    "MAX_HEADERS",
    "MAX_LINE",
    "Headers",
    "HeadersTooLarge",
    "read_headers",
]
MAX_LINE: Final = 65536
MAX_HEADERS: Final = 100


class _Lines(Protocol):
    def readline(self, size: int | None = -1, /) -> bytes: ...


class HeadersTooLarge(Exception):
    """A header line over :data:`MAX_LINE` bytes, or more than :data:`MAX_HEADERS` lines."""


class Headers:
    """Header fields by case-insensitive name, each with every value it was given, in order.

    >>> h = Headers([("Content-Type", "text/plain"), ("content-length", "1"),
    ...              ("Content-Length", "2")])
    >>> h.get("content-type"), h.get_all("Content-Length"), h.get("Accept", "")
    ('text/plain', ['1', '2'], '')
    """

    def __init__(self, fields: list[tuple[str, str]]) -> None:
        self._values: dict[str, list[str]] = {}
        for name, value in fields:
            self._values.setdefault(name.lower(), []).append(value)

    def get(self, name: str, default: str | None = None) -> str | None:
        """The first value of ``name``, or ``default``."""
        values = self._values.get(name.lower())
        return values[0] if values else default

    def get_all(self, name: str, default: list[str] | None = None) -> list[str] | None:
        """Every value of ``name``, or ``default``."""
        return list(self._values.get(name.lower(), [])) or default


def read_headers(stream: _Lines) -> Headers:
    """Read a header block up to its empty line (ISO-8859-1, as HTTP/1.1 defines field bytes).

    A line that starts with a space or a tab continues the previous field (obsolete line
    folding, replaced by a space as RFC 9112 allows); a line without a colon is not a field and
    is skipped.
    """
    fields: list[tuple[str, str]] = []
    for _ in range(MAX_HEADERS + 1):
        line = stream.readline(MAX_LINE + 1)
        if len(line) > MAX_LINE:
            raise HeadersTooLarge("header line")
        if line in (b"\r\n", b"\n", b""):
            return Headers(fields)
        text = line.decode("iso-8859-1").rstrip("\r\n")
        if text[:1] in (" ", "\t"):
            if fields:
                name, value = fields[-1]
                fields[-1] = (name, f"{value} {text.strip()}")
            continue
        name, colon, value = text.partition(":")
        if colon:
            fields.append((name.strip(), value.strip()))
    raise HeadersTooLarge(f"more than {MAX_HEADERS} header lines")
