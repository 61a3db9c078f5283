"""An annotation file's checked records as JSON, and back: what the build cache keeps of a
document it need not read again.

JSON, not pickle: a cache file in an output folder is data, and reading it runs no code. The
records are decoded by msgspec, which reads the JSON straight into the records' own dataclasses
from their type hints (every field's type checked) about twice as fast as ``json`` and a decoder
of ours; a record that gains a field needs no change here, and a cache written with other fields
does not match :func:`record_schema`, so the document is read again.

>>> from graph.model.records import Entity
>>> ana = Entity("a", "person", "Ana", names=("Ana R.",))
>>> decode_record(Entity, encode_record(ana)) == ana
True
"""

from __future__ import annotations

import dataclasses
import hashlib
import typing
from functools import cache
from pathlib import Path
from typing import Any, TypeVar, get_args, get_type_hints

import msgspec

from graph.model.records import AnnotationFile

__all__ = ["RecordDecodeError", "decode_entry", "decode_record", "encode_record", "record_schema"]

_T = TypeVar("_T")


class RecordDecodeError(ValueError):
    """Cached JSON that does not fit the records' fields: the cache entry is not used."""


def encode_record(value: Any) -> Any:
    """A record (a frozen dataclass, nested) as plain JSON values; a path as its text."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: encode_record(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, tuple | list):
        return [encode_record(v) for v in value]
    if isinstance(value, Path):
        return str(value)
    return value


@cache
def _hints(cls: type) -> dict[str, Any]:
    return get_type_hints(cls)


def _path(kind: type, value: Any) -> Any:
    if kind is Path and isinstance(value, str):
        return Path(value)
    raise NotImplementedError(f"no decoder for {kind!r}")


def decode_record(cls: type[_T], data: Any) -> _T:
    """The record of type ``cls`` that :func:`encode_record` gave ``data``; raise
    ``RecordDecodeError`` when ``data`` does not fit its fields."""
    try:
        return msgspec.convert(data, cls, dec_hook=_path)
    except msgspec.ValidationError as exc:
        raise RecordDecodeError(str(exc)) from None


@cache
def _entry_decoder() -> msgspec.json.Decoder[Any]:
    entry = msgspec.defstruct("CachedRecords", [("text", str), ("record", AnnotationFile)],
                              forbid_unknown_fields=True)
    return msgspec.json.Decoder(entry, dec_hook=_path)


def decode_entry(data: bytes) -> tuple[AnnotationFile, str]:
    """A cached records file's records and its text's name, parsed and checked in one pass;
    ``RecordDecodeError`` when it is not JSON or does not fit the records' fields."""
    try:
        entry = _entry_decoder().decode(data)
    except (msgspec.DecodeError, msgspec.ValidationError) as exc:
        raise RecordDecodeError(str(exc)) from None
    return entry.record, entry.text


def _shape(cls: Any, seen: set[str]) -> list[str]:
    """Field names and type hints of a record and of every record it holds."""
    if not (isinstance(cls, type) and dataclasses.is_dataclass(cls)) or cls.__name__ in seen:
        return [typing.get_origin(cls).__name__ if typing.get_origin(cls) else repr(cls)]
    seen.add(cls.__name__)
    out = [cls.__name__]
    for name, hint in _hints(cls).items():
        out.append(f"{name}:{hint!r}")
        for arg in (*get_args(hint), hint):
            if isinstance(arg, type) and dataclasses.is_dataclass(arg):
                out.extend(_shape(arg, seen))
    return out


def record_schema() -> str:
    """A fingerprint of the records' fields: a cache written for other fields is not read."""
    return hashlib.sha256("\n".join(_shape(AnnotationFile, set())).encode()).hexdigest()
