"""Sizes claimgraph refuses up front, and reading a user's file so that they hold.

They are generous for news work (the bundled article is 5 KB, its annotation file ~40 KB) and
small enough that a hostile file cannot exhaust memory. A size from ``stat`` is only a promise
for a regular file: ``/dev/zero`` and a FIFO say 0 and then never end (or never start), so every
input is opened without blocking, must be a regular file, and is read no further than its limit.

An RDF file read into memory (``validate``, ``analyze``, ``view``, ``paths``, ``query`` on the
memory store) becomes an rdflib dataset, which costs far more than the file: it is refused past
:data:`MAX_DATASET_BYTES` or :data:`MAX_DATASET_QUADS`. A ``load`` into an Oxigraph folder streams
the file through pyoxigraph and keeps nothing, so it takes files up to :data:`MAX_RDF_BYTES`.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO, Final

from graph.errors import InputError, InputTooLargeError

__all__ = [
    "MAX_ANNOTATION_BYTES",
    "MAX_DATASET_BYTES",
    "MAX_DATASET_QUADS",
    "MAX_QUERY_BYTES",
    "MAX_RDF_BYTES",
    "MAX_TEXT_BYTES",
    "MAX_YAML_NODES",
    "check_size",
    "open_input",
    "read_capped",
    "read_utf8",
]

MAX_ANNOTATION_BYTES: Final = 8 * 1024 * 1024
MAX_TEXT_BYTES: Final = 8 * 1024 * 1024
MAX_RDF_BYTES: Final = 2 * 1024 * 1024 * 1024
MAX_DATASET_BYTES: Final = 512 * 1024 * 1024
MAX_QUERY_BYTES: Final = 1024 * 1024  # a SPARQL query file, as serve caps a request body
MAX_DATASET_QUADS: Final = 2_000_000
# YAML aliases can expand a small file into a huge tree ("billion laughs"); we stop counting here.
MAX_YAML_NODES: Final = 500_000


def open_input(path: Path, limit: int, what: str) -> BinaryIO:
    """A user's file opened for reading, once it is known to be a regular file within ``limit``.

    ``O_NONBLOCK`` lets a FIFO be opened (and refused) instead of waiting for a writer; the
    checks use the opened file itself, so the file cannot be swapped between check and read.
    """
    nonblocking = getattr(os, "O_NONBLOCK", 0)  # POSIX; elsewhere there are no FIFOs to open
    try:
        fd = os.open(path, os.O_RDONLY | nonblocking | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        raise InputError(f"{path}: cannot read {what}: {exc.strerror or exc}") from None
    try:
        info = os.fstat(fd)
        _check_regular(path, info.st_mode, what)
        _check_limit(path, info.st_size, limit, what)
        if nonblocking:
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_capped(path: Path, limit: int, what: str) -> bytes:
    """A regular file's bytes; never more than ``limit`` of them are read, whatever it claims."""
    with open_input(path, limit, what) as handle:
        try:
            data = handle.read(limit + 1)
        except OSError as exc:
            raise InputError(f"{path}: cannot read {what}: {exc.strerror or exc}") from None
    if len(data) > limit:  # it grew after it was measured
        raise InputTooLargeError(f"{path}: {what} is over the limit of {limit:,} bytes")
    return data


def read_utf8(path: Path, limit: int, what: str, error: Callable[..., Exception]) -> str:
    """A user's file as text: size-checked first, and a non-UTF-8 byte reported with its line.

    ``error(message, path=..., line=...)`` builds the exception to raise (the caller's own kind).
    """
    raw = read_capped(path, limit, what)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise error("not UTF-8 text", path=path, line=line) from None


def check_size(path: Path, limit: int, what: str) -> int:
    """Return the size of a regular file, or raise ``InputTooLargeError`` naming it and the limit
    (``InputError`` for a folder, a device, a FIFO or a socket)."""
    try:
        info = path.stat()
    except OSError as exc:
        raise InputError(f"{path}: cannot read {what}: {exc.strerror}") from exc
    _check_regular(path, info.st_mode, what)
    _check_limit(path, info.st_size, limit, what)
    return info.st_size


def _check_regular(path: Path, mode: int, what: str) -> None:
    if not stat.S_ISREG(mode):
        raise InputError(f"{path}: cannot read {what}: it is {_kind(mode)}, not a regular file")


def _check_limit(path: Path, size: int, limit: int, what: str) -> None:
    if size > limit:
        raise InputTooLargeError(
            f"{path}: {what} is {size:,} bytes, over the limit of {limit:,} bytes"
        )


def _kind(mode: int) -> str:
    kinds = (
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISFIFO, "a FIFO (named pipe)"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    )
    return next((name for test, name in kinds if test(mode)), "a special file")
