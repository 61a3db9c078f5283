"""What ``build`` writes besides the RDF exports: analysis findings and HTML views.

Looked up lazily, so building the RDF never imports networkx or pyvis.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from graph.pipeline.run import Build, OutputWriter

__all__ = [
    "Findings",
    "extra_outputs",
]


Findings = Callable[[Build], str | None]


def extra_outputs(*, views: bool = True) -> tuple[Findings, list[OutputWriter]]:
    """The report's findings section renderer, and the writers for extra files."""

    # The findings and the views read the same projection and analysis: run them once per build.
    last: list[tuple[Build, Any, Any]] = []

    def analysis_of(result: Build) -> tuple[Any, Any]:
        if not last or last[0][0] is not result:
            from graph.analysis import analyze
            from graph.rdf.projection import dependency_graph

            G = dependency_graph(result.projection)
            last[:] = [(result, G, analyze(G))]
        return last[0][1], last[0][2]

    def findings(result: Build) -> str | None:
        from graph.report.findings import render_findings

        return render_findings(*analysis_of(result))

    def write_views(result: Build, staging: Path) -> list[Path]:
        from graph.views import write_views as write

        G, summary = analysis_of(result)
        return write(result.projection, staging / "views", G=G, summary=summary)

    def write_story_view(result: Build, staging: Path) -> list[Path]:
        if result.story is None or not result.story.clusters:
            return []
        from graph.views.story import story_view

        return [story_view(result.story).save(staging / "views" / "story.html")]

    return findings, [write_views, write_story_view] if views else []
