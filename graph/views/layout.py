"""A layout for overviews, computed before the page opens: no physics in the browser.

Force-directed layout in the browser costs seconds per thousand nodes and tens of thousands of
edges; an overview has to paint in a moment at any size. Here each node gets a cell of a grid
sized for its label, so no two labels overprint from the start: the parts (documents, groups)
fill a square in their given order, with a free cell between neighbours, and every other node
takes the free cell nearest the mean place of the nodes it is linked to (a root source sits among
the documents that rest on it). Linear in the edges, and deterministic.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, Final

__all__ = ["CELL", "grid_layout"]

CELL: Final = (300.0, 110.0)
"""Width and height of a grid cell, in the page's canvas units (a label of 40 characters fits)."""


def _ring(cx: int, cy: int, r: int) -> Iterator[tuple[int, int]]:
    """The cells at Chebyshev distance ``r`` from ``(cx, cy)``."""
    if r == 0:
        yield cx, cy
        return
    for dx in range(-r, r + 1):
        yield cx + dx, cy - r
        yield cx + dx, cy + r
    for dy in range(-r + 1, r):
        yield cx - r, cy + dy
        yield cx + r, cy + dy


def grid_layout(
    parts: Sequence[str], others: Sequence[str], edges: Sequence[Mapping[str, Any]]
) -> dict[str, tuple[float, float]]:
    """Canvas positions of ``parts`` and ``others`` (node ids), one free grid cell each.

    >>> grid_layout(["a", "b"], ["r"], [{"from": "a", "to": "r"}, {"from": "b", "to": "r"}])
    {'a': (0.0, 0.0), 'b': (600.0, 0.0), 'r': (300.0, 0.0)}
    """
    side = max(1, math.ceil(math.sqrt(len(parts))))
    cell: dict[str, tuple[int, int]] = {}
    taken: set[tuple[int, int]] = set()
    for i, node in enumerate(parts):
        at = (2 * (i % side), 2 * (i // side))
        cell[node] = at
        taken.add(at)
    linked: dict[str, list[str]] = defaultdict(list)
    for e in edges:
        linked[str(e["from"])].append(str(e["to"]))
        linked[str(e["to"])].append(str(e["from"]))
    centre = (side - 1, side - 1)
    # the most linked first: they get the cells nearest their documents
    for node in sorted(others, key=lambda n: -len(linked[n])):
        placed = [cell[n] for n in linked[node] if n in cell]
        if placed:
            want = (sum(c[0] for c in placed) / len(placed),
                    sum(c[1] for c in placed) / len(placed))
        else:
            want = (float(centre[0]), float(centre[1]))
        cx, cy = round(want[0]), round(want[1])
        r = 0
        while True:
            free = [c for c in _ring(cx, cy, r) if c not in taken]
            if free:
                best = min(free, key=lambda c: ((c[0] - want[0]) ** 2 + (c[1] - want[1]) ** 2,
                                                c))
                cell[node] = best
                taken.add(best)
                break
            r += 1
    return {n: (c[0] * CELL[0], c[1] * CELL[1]) for n, c in cell.items()}
