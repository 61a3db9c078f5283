"""What ``build`` writes besides the RDF exports: analysis findings and HTML views.

Looked up lazily, so building the RDF never imports networkx or pyvis.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .pipeline import Build, OutputWriter

__all__ = ["extra_outputs"]


Findings = Callable[[Build], str | None]


def extra_outputs(*, views: bool = True) -> tuple[Findings, list[OutputWriter]]:
    """The report's findings section renderer, and the writers for extra files."""

    def findings(result: Build) -> str | None:
        from .analysis import analyze, dependency_graph, render_findings

        G = dependency_graph(result.dataset)
        return render_findings(G, analyze(G))

    def write_views(result: Build, staging: Path) -> list[Path]:
        from .views import write_views as write

        return write(result.dataset, staging / "views")

    return findings, [write_views] if views else []
