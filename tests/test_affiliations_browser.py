"""The claim view of a claim whose roots an affiliation joins, in Debian's headless chromium
(offline): the page says both counts and names the group, and the grouped roots' panels do."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import CHROMIUM
from test_views_browser import Opened

import graph
from graph.rdf.projection import dependency_graph
from graph.views import claim_view

ROOTS = Path(__file__).parent / "data" / "affiliated-roots"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(),
                       reason="needs Debian's chromium: apt-get install chromium"),
]


def test_claim_view_shows_the_independence_group(browser: Any, tmp_path: Path) -> None:
    G = dependency_graph(graph.build([ROOTS]).dataset)
    path = claim_view(G, "c1").save(tmp_path / "claim.html")
    page = Opened(browser, path)
    try:
        shown = page.eval("() => document.body.innerText")
        assert "3 roots, 2 independent once affiliations are taken into account" in shown
        assert ("Lena Okafor and the mayor's office count as one group — the mayor's office "
                "spokesperson for Lena Okafor (stated by Harbor Gazette, a1)") in shown
        grouped = page.eval(
            "() => claimgraphView.nodes.get().filter(n => (n.tip || []).some("
            "row => row[0] === 'Independence group')).map(n => n.search)")
        assert sorted(grouped) == ["Lena Okafor", "the mayor's office"]
        # the affiliation is drawn between the two roots it joins, saying who states it
        joins = page.eval(
            "() => claimgraphView.edges.get().filter(e => e.relation === 'affiliation')"
            ".map(e => [e.from.split('/').pop(), e.to.split('/').pop(), e.tip[0][1]])")
        assert joins == [["mayors-office", "lena-okafor", "the mayor's office spokesperson for "
                          "Lena Okafor (stated by Harbor Gazette, a1)"]]
        assert page.errors == [] and page.requests == []
    finally:
        page.close()
