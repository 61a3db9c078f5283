"""The views of a claim that comes from a document, and of relations written with schema.org and
a declared vocabulary, in Debian's headless chromium, offline (``tests/data/port-estimate``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import CHROMIUM

import graph
from graph.rdf.projection import dependency_graph, entity_graph
from graph.views import claim_view, entity_view, provenance_view

FIXTURE = Path(__file__).parent / "data" / "port-estimate"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(),
                       reason="needs Debian's chromium: apt-get install chromium"),
]


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[int, int, Path]]:
    ds = graph.build([FIXTURE]).dataset
    G = dependency_graph(ds)
    views = {"provenance": provenance_view(G), "claim": claim_view(G, "e1"),
             "entities": entity_view(entity_graph(ds), G)}
    folder = tmp_path_factory.mktemp("source-views")
    return {name: (v.node_count, v.edge_count, v.save(folder / f"{name}.html"))
            for name, v in views.items()}


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    context.set_offline(True)
    opened = context.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda e: errors.append(str(e)))
    opened.errors = errors
    yield opened
    context.close()


def _open(page: Any, path: Path) -> str:
    page.goto(path.as_uri())
    page.wait_for_function(
        "() => window.claimgraphView && window.claimgraphView.stable === true", timeout=20_000)
    page.click("#cg-list summary")
    page.wait_for_function(
        "() => document.getElementById('cg-list-items').children.length > 0", timeout=10_000)
    return str(page.evaluate("() => document.getElementById('cg-list-items').innerText"))


@pytest.mark.parametrize("name", ["provenance", "claim"])
def test_the_source_document_and_the_unnamed_authors_are_drawn(
    name: str, pages: dict[str, tuple[int, int, Path]], page: Any
) -> None:
    nodes, edges, path = pages[name]
    listed = _open(page, path)
    drawn = page.evaluate("() => [claimgraphView.network.body.data.nodes.length, "
                          "claimgraphView.network.body.data.edges.length]")
    assert drawn == [nodes, edges]
    assert "Leaked estimate of contraband through Kestrel Bay port" in listed
    assert "the unnamed author(s) of “Leaked estimate" in listed
    assert page.errors == []


def test_the_entity_view_lists_the_new_predicates_with_who_claims_them(
    pages: dict[str, tuple[int, int, Path]], page: Any
) -> None:
    _nodes, edges, path = pages["entities"]
    listed = _open(page, path)
    assert "Mira Olsen" in listed and "Tomas Brandt" in listed
    drawn = page.evaluate(
        "() => claimgraphView.network.body.data.edges.get().map(e => JSON.stringify(e))")
    assert len(drawn) == edges
    shown = " ".join(drawn)
    for words in ("knows", "colleague", "alumni of", "funder"):
        assert words in shown, words
    assert "Olsen has worked with inspector Tomas Brandt" in shown  # who claims it, and how
    assert page.errors == []
