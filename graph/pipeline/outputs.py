"""What ``build`` writes besides the RDF exports: analysis findings and HTML views.

Looked up lazily, so building the RDF never imports networkx or pyvis; taken from the previous
build when the projection they are drawn from has not changed (:mod:`graph.pipeline.derived`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from graph.pipeline.derived import (
    findings_record,
    link_previous,
    previous_findings,
    previous_views,
    views_record,
)
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

    texts: list[tuple[Build, str | None]] = []

    def findings(result: Build) -> str | None:
        text = previous_findings(result)
        if text is None:
            from graph.report.findings import render_findings

            text = render_findings(*analysis_of(result))
        texts[:] = [(result, text)]
        return text

    def record_findings(result: Build, staging: Path) -> list[Path]:
        text = texts[0][1] if texts and texts[0][0] is result else findings(result)
        return findings_record(result, staging, text)

    def write_views(result: Build, staging: Path) -> list[Path]:
        reused = previous_views(result)
        if reused is not None:
            return link_previous(reused, staging)
        from graph.views import write_views as write

        G, summary = analysis_of(result)
        written = write(result.projection, staging / "views", G=G, summary=summary)
        return written + views_record(result, staging, written)

    def write_story_view(result: Build, staging: Path) -> list[Path]:
        if result.story is None or not result.story.clusters:
            return []
        from graph.views.story import story_view

        return [story_view(result.story).save(staging / "views" / "story.html")]

    writers: list[OutputWriter] = [record_findings]
    if views:
        writers += [write_views, write_story_view]
    return findings, writers
