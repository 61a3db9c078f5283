"""What ``build`` writes besides the RDF exports: analysis findings and HTML views.

Looked up lazily, so building the RDF never imports networkx or pyvis.
"""

from __future__ import annotations

from collections.abc import Callable

from .pipeline import Build, OutputWriter

__all__ = ["extra_outputs"]


def extra_outputs(*, views: bool = True) -> tuple[Callable[[Build], str | None], list[OutputWriter]]:
    """The report's findings section renderer, and the writers for extra files."""

    def no_findings(_: Build) -> str | None:
        return None

    return no_findings, []
