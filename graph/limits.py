"""Sizes claimgraph refuses up front, before reading a byte more than it must.

They are generous for news work (the bundled article is 5 KB, its annotation file ~40 KB) and
small enough that a hostile file cannot exhaust memory.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Final

from .errors import InputError, InputTooLargeError

__all__ = [
    "MAX_ANNOTATION_BYTES",
    "MAX_RDF_BYTES",
    "MAX_TEXT_BYTES",
    "MAX_YAML_NODES",
    "check_size",
    "read_utf8",
]

MAX_ANNOTATION_BYTES: Final = 8 * 1024 * 1024
MAX_TEXT_BYTES: Final = 8 * 1024 * 1024
MAX_RDF_BYTES: Final = 2 * 1024 * 1024 * 1024
# YAML aliases can expand a small file into a huge tree ("billion laughs"); we stop counting here.
MAX_YAML_NODES: Final = 500_000


def read_utf8(path: Path, limit: int, what: str, error: Callable[..., Exception]) -> str:
    """A user's file as text: size-checked first, and a non-UTF-8 byte reported with its line.

    ``error(message, path=..., line=...)`` builds the exception to raise (the caller's own kind).
    """
    check_size(path, limit, what)
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise error("not UTF-8 text", path=path, line=line) from None


def check_size(path: Path, limit: int, what: str) -> int:
    """Return the file's size, or raise ``InputTooLargeError`` naming it and the limit."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(f"{path}: cannot read {what}: {exc.strerror}") from exc
    if size > limit:
        raise InputTooLargeError(
            f"{path}: {what} is {size:,} bytes, over the limit of {limit:,} bytes"
        )
    return size
