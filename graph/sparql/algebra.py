"""Walking a SPARQL parse tree: shared by the safety check and the cost check."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

__all__ = ["walk_tree"]


def walk_tree(node: Any) -> Iterator[Any]:
    """Every node of a pyparsing/rdflib parse tree, depth first, without recursion."""
    from rdflib.plugins.sparql.parserutils import CompValue

    stack = [node]
    while stack:
        item = stack.pop()
        yield item
        if isinstance(item, CompValue):
            stack.extend(item.values())
        elif isinstance(item, list | tuple) or type(item).__name__ == "ParseResults":
            stack.extend(item)
