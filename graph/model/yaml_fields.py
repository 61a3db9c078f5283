"""Reading an analyst's YAML with the line of every node, and typed field access whose errors
name the file, the line and the field. Knows nothing of claims: :mod:`graph.model.annotations` does.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Final

import yaml

from graph.errors import AnnotationError
from graph.model.words import is_valid_id
from graph.support.limits import MAX_YAML_NODES

__all__ = ["Fields", "Source", "WherePath", "get_at", "kind_of", "read_yaml"]

WherePath = tuple[str | int, ...]


# ---------------------------------------------------------------------------- YAML reading


class Source:
    """A parsed YAML tree plus the line of every node, for error messages."""

    def __init__(self, path: Path, data: Any, lines: dict[WherePath, int]) -> None:
        self.path = path
        self.data = data
        self.lines = lines

    def line(self, where: WherePath) -> int | None:
        while where:
            if where in self.lines:
                return self.lines[where]
            where = where[:-1]
        return self.lines.get(())

    def error(
        self, message: str, where: WherePath, cls: type[AnnotationError] = AnnotationError
    ) -> AnnotationError:
        return cls(message, path=self.path, line=self.line(where), field=_field_name(where))


def _field_name(where: WherePath) -> str | None:
    if not where:
        return None
    out = ""
    for part in where:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


def _plain(
    node: yaml.Node, where: WherePath, lines: dict[WherePath, int], budget: list[int]
) -> Any:
    budget[0] -= 1
    line = node.start_mark.line + 1
    if budget[0] < 0:
        raise _NodeError(f"the file expands to more than {MAX_YAML_NODES:,} YAML nodes", line)
    lines[where] = line
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise _NodeError(
                    "a mapping key must be a plain string", key_node.start_mark.line + 1
                )
            key = key_node.value
            if key in out:
                raise _NodeError(f"duplicate key '{key}'", key_node.start_mark.line + 1)
            lines[(*where, key)] = key_node.start_mark.line + 1
            out[key] = _plain(value_node, (*where, key), lines, budget)
            lines[(*where, key)] = key_node.start_mark.line + 1
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_plain(item, (*where, i), lines, budget) for i, item in enumerate(node.value)]
    # Scalars: the safe constructor keeps "1980" a string and 1980 an int; dates become text.
    try:
        value = _SCALARS.construct_object(node, deep=True)
    except (ValueError, yaml.YAMLError) as exc:
        raise _NodeError(_scalar_problem(node, exc), line, _field_name(where)) from None
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _scalar_problem(node: yaml.Node, exc: Exception) -> str:
    text = str(node.value)
    shown = repr(text if len(text) <= 40 else text[:39] + "…")
    if node.tag == "tag:yaml.org,2002:int":  # Python refuses ints of more than 4,300 digits
        return f"the number {shown} is too long ({len(text):,} characters); quote it if it is text"
    return f"cannot read the value {shown}: {' '.join(str(exc).split())}"


class _NodeError(Exception):
    """A problem at one node of the tree, with its line (and field, where it has one)."""

    def __init__(self, message: str, line: int, field: str | None = None) -> None:
        self.line = line
        self.field = field
        super().__init__(message)


_SCALARS: Final = yaml.constructor.SafeConstructor()
# libyaml's composer (C) when PyYAML was built with it: the same nodes and marks, far faster.
_LOADER: Final = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml(text: str, path: Path) -> Source:
    try:
        node = yaml.compose(text, Loader=_LOADER)
    except yaml.reader.ReaderError as exc:  # a character YAML forbids, such as NUL
        problem = f"unacceptable character #x{exc.character:04x}: {exc.reason}"
        at = _line_at(text, exc.position)
        raise AnnotationError(f"not valid YAML: {problem}", path=path, line=at) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = None if mark is None else mark.line + 1
        problem = exc.problem or exc.context or "invalid YAML"
        message = f"not valid YAML: {_one_line(problem)}"
        raise AnnotationError(message, path=path, line=line) from None
    except yaml.YAMLError as exc:
        raise AnnotationError(f"not valid YAML: {_one_line(str(exc))}", path=path) from None
    except UnicodeEncodeError as exc:  # a lone surrogate in text given directly, not from a file
        line = text[: exc.start].count("\n") + 1
        raise AnnotationError("not UTF-8 text", path=path, line=line) from None
    if node is None:
        raise AnnotationError("the file is empty", path=path, line=1)
    lines: dict[WherePath, int] = {}
    try:
        data = _plain(node, (), lines, [MAX_YAML_NODES])
    except _NodeError as exc:
        raise AnnotationError(str(exc), path=path, line=exc.line, field=exc.field) from None
    return Source(path, data, lines)


def _line_at(text: str, position: int) -> int:
    """The line of a reader error's position: characters for PyYAML's reader, bytes of UTF-8
    for libyaml's."""
    if _LOADER is yaml.SafeLoader:
        return text.count("\n", 0, position) + 1
    return text.encode("utf-8", "surrogatepass")[:position].count(b"\n") + 1


def _one_line(message: str) -> str:
    return " ".join(message.split())


# ------------------------------------------------------------------------- field checking


class Fields:
    """Typed access to one YAML mapping, with errors that name the field and line."""

    def __init__(self, src: Source, where: WherePath, allowed: Iterable[str]) -> None:
        self.src = src
        self.where = where
        value = get_at(src.data, where)
        if not isinstance(value, dict):
            raise src.error(f"expected a mapping, got {kind_of(value)}", where)
        self.data: dict[str, Any] = value
        unknown = sorted(set(value) - set(allowed))
        if unknown:
            raise src.error(
                f"unknown field '{unknown[0]}' (allowed: {', '.join(sorted(allowed))})",
                (*where, unknown[0]),
            )

    def at(self, key: str) -> WherePath:
        return (*self.where, key)

    def error(self, key: str, message: str) -> AnnotationError:
        return self.src.error(message, self.at(key))

    def string(self, key: str, *, required: bool = False, allow_empty: bool = False) -> str | None:
        if key not in self.data or self.data[key] is None:
            if required:
                raise self.src.error(
                    f"missing required field '{key}'",
                    self.at(key) if key in self.data else self.where,
                )
            return None
        value = self.data[key]
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise self.error(key, f"expected a string, got {kind_of(value)}")
        text = value if isinstance(value, str) else str(value)
        if not allow_empty and not text.strip():
            raise self.error(key, "must not be empty")
        return text

    def required(self, key: str) -> str:
        value = self.string(key, required=True)
        assert value is not None
        return value

    def ident(self, key: str, *, required: bool = False) -> str | None:
        value = self.string(key, required=required)
        if value is not None and not is_valid_id(value):
            raise self.error(key, f"'{value}' is not a valid id (lowercase letters, digits, . _ -)")
        return value

    def strings(self, key: str) -> tuple[str, ...]:
        """A string or a list of strings."""
        value = self.data.get(key)
        if value is None:
            return ()
        items = value if isinstance(value, list) else [value]
        out = []
        for i, item in enumerate(items):
            if isinstance(item, bool) or not isinstance(item, str | int | float):
                where = (*self.at(key), i) if isinstance(value, list) else self.at(key)
                raise self.src.error(f"expected a string, got {kind_of(item)}", where)
            if not str(item).strip():
                raise self.src.error("must not be empty", (*self.at(key), i))
            out.append(str(item))
        return tuple(out)

    def boolean(self, key: str) -> bool:
        value = self.data.get(key, False)
        if not isinstance(value, bool):
            raise self.error(key, f"expected true or false, got {kind_of(value)}")
        return value

    def number(self, key: str) -> float | None:
        value = self.data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.error(key, f"expected a number, got {kind_of(value)}")
        if value != value or value in (float("inf"), float("-inf")):
            raise self.error(key, "expected a finite number")
        return float(value)

    def choice(self, key: str, allowed: Iterable[str]) -> str:
        value = self.required(key)
        options = list(allowed)
        if value not in options:
            raise self.error(key, f"unknown value '{value}' (allowed: {', '.join(options)})")
        return value

    def items(self, key: str) -> list[WherePath]:
        value = self.data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.error(key, f"expected a list, got {kind_of(value)}")
        return [(*self.at(key), i) for i in range(len(value))]


def get_at(data: Any, where: WherePath) -> Any:
    for part in where:
        data = data[part]
    return data


def kind_of(value: Any) -> str:
    if value is None:
        return "nothing"
    return {dict: "a mapping", list: "a list", bool: "true/false", str: "a string"}.get(
        type(value), f"a {type(value).__name__}"
    )
