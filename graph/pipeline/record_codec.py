"""An annotation file's checked records as JSON, and back: what the build cache keeps of a
document it need not read again.

JSON, not pickle: a cache file in an output folder is data, and reading it runs no code. The
codec follows the records' own type hints, so it needs no change when a record gains a field; a
cache written with other fields simply does not decode, and the document is read again.

>>> from graph.model.records import Entity
>>> ana = Entity("a", "person", "Ana", names=("Ana R.",))
>>> decode_record(Entity, encode_record(ana)) == ana
True
"""

from __future__ import annotations

import dataclasses
import hashlib
import types
import typing
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any, TypeVar, Union, get_args, get_origin, get_type_hints

from graph.model.records import AnnotationFile

__all__ = ["RecordDecodeError", "decode_record", "encode_record", "record_schema"]

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


_Decoder = Callable[[Any], Any]


@cache
def _decoder(hint: Any) -> _Decoder:
    """The function that decodes a value of type ``hint``: the hints are read once per type, not
    once per value (a corpus's records hold hundreds of thousands of values)."""
    origin = get_origin(hint)
    if origin in (Union, types.UnionType):
        options = [o for o in get_args(hint) if o is not type(None)]
        optional = len(options) < len(get_args(hint))
        first = _decoder(options[0])

        def union(value: Any) -> Any:
            return None if value is None and optional else first(value)
        return union
    if origin is tuple:
        item = _decoder(get_args(hint)[0])

        def sequence(value: Any) -> Any:
            if not isinstance(value, list):
                raise RecordDecodeError(f"expected a list, found {type(value).__name__}")
            return tuple(item(v) for v in value)
        return sequence
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return _record_decoder(hint)
    if hint is Path:
        return Path
    if hint in (str, int, float, bool):
        def checked(value: Any) -> Any:
            if hint is float and isinstance(value, int) and not isinstance(value, bool):
                return float(value)
            if not isinstance(value, hint):
                raise RecordDecodeError(f"expected {hint.__name__}, found {type(value).__name__}")
            return value
        return checked
    return lambda value: value


@cache
def _record_decoder(cls: type) -> _Decoder:
    hints = _hints(cls)
    names = frozenset(f.name for f in dataclasses.fields(cls))
    fields = [(name, _decoder(hints[name])) for name in sorted(names)]

    def record(data: Any) -> Any:
        if not isinstance(data, dict):
            raise RecordDecodeError(f"{cls.__name__}: expected an object")
        if data.keys() != names:
            raise RecordDecodeError(f"{cls.__name__}: fields differ")
        return cls(**{name: decode(data[name]) for name, decode in fields})
    return record


def decode_record(cls: type[_T], data: Any) -> _T:
    """The record of type ``cls`` that :func:`encode_record` gave ``data``; raise
    ``RecordDecodeError`` when ``data`` does not fit its fields."""
    return typing.cast(_T, _record_decoder(typing.cast(type, cls))(data))


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
