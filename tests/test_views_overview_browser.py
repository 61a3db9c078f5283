"""The overview views in a real browser, at a generated size above the threshold.

Debian's headless chromium (conftest's shared launch) opens each overview offline: it must
settle with no JavaScript error and no request, draw the overview with the right counts, unfold a
document (or a group) on a real click and fold it again on another, find claims in folded
documents from the search box, keep labels from overprinting, and show hostile labels as text.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from conftest import CHROMIUM
from test_views_browser import _LABEL_BOXES, PAYLOADS, Opened, _overprints
from test_views_overview import claims_of, generated_graphs

from graph.views import View, entity_view, provenance_view

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(),
                       reason="needs Debian's chromium: apt-get install chromium"),
]


@pytest.fixture(scope="module")
def graphs(tmp_path_factory: pytest.TempPathFactory) -> tuple[nx.DiGraph, nx.DiGraph]:
    G, E = generated_graphs(tmp_path_factory.mktemp("corpus"))
    # hostile labels and texts, as an annotation file could hold them
    agents = sorted(n for n, d in G.nodes(data=True) if d.get("type") == "agent")
    claims = sorted(claims_of(G))
    for node, payload in zip([agents[0], claims[0], claims[1], agents[1]], PAYLOADS, strict=True):
        key = "text" if node in claims else "label"
        G.nodes[node][key] = payload + " " + str(G.nodes[node].get(key) or "")
    entity = sorted(E.nodes)[0]
    E.nodes[entity]["label"] = PAYLOADS[0]
    return G, E


@pytest.fixture(scope="module")
def pages(graphs: tuple[nx.DiGraph, nx.DiGraph],
          tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[View, Path]]:
    G, E = graphs
    folder = tmp_path_factory.mktemp("overview-views")
    views = {"provenance": provenance_view(G), "entities": entity_view(E, G, overview_above=20)}
    return {name: (view, view.save(folder / f"{name}.html")) for name, view in views.items()}


class Page(Opened):
    """An overview page open offline (a taller window, a longer wait for large pages), with
    every error and attempted request recorded, and a real mouse to click its nodes."""

    def __init__(self, browser: Any, path: Path) -> None:
        super().__init__(browser, path, height=1000, timeout_ms=30_000)

    def click_node(self, node: str) -> None:
        """A real mouse click at the node's place on the canvas."""
        x, y = self.eval("""(id) => {
            const v = window.claimgraphView, box = v.network.body.container
                .getBoundingClientRect();
            v.network.focus(id, {scale: 1.0, animation: false});
            const p = v.network.canvasToDOM(v.network.getPositions([id])[id]);
            return [box.left + p.x, box.top + p.y];
        }""", node)
        self.page.mouse.click(x, y)

    def drawn(self) -> list[dict[str, Any]]:
        return list(self.eval("() => claimgraphView.nodes.get().map(n => ({id: n.id, "
                              "kind: n.kind, claims: n.claims, entities: n.entities, "
                              "search: n.search}))"))


@pytest.fixture
def open_page(browser: Any) -> Iterator[Any]:
    opened: list[Page] = []

    def open_(path: Path) -> Page:
        opened.append(Page(browser, path))
        return opened[-1]

    yield open_
    for page in opened:
        page.close()


def test_provenance_overview_opens_with_the_right_counts(
    pages: dict[str, tuple[View, Path]], graphs: tuple[nx.DiGraph, nx.DiGraph], open_page: Any
) -> None:
    G, _E = graphs
    view, path = pages["provenance"]
    page = open_page(path)
    drawn = page.drawn()
    assert len(drawn) == view.node_count
    assert page.eval("() => claimgraphView.edges.length") == view.edge_count
    assert not [n for n in drawn if n["kind"] == "claim"]
    documents = Counter(str(G.nodes[c]["document"]) for c in claims_of(G))
    counts = {n["id"]: n["claims"] for n in drawn if n["claims"] is not None}
    assert counts == dict(documents) and sum(counts.values()) == len(claims_of(G))
    assert page.eval("() => document.getElementById('cg-status').textContent") == (
        "Click a document to open it")
    # hover panels are built when the pointer first reaches a node
    hub = sorted(documents)[0]
    x, y = page.eval("""(id) => {
        const v = window.claimgraphView, box = v.network.body.container.getBoundingClientRect();
        v.network.focus(id, {scale: 1.0, animation: false});
        const p = v.network.canvasToDOM(v.network.getPositions([id])[id]);
        return [box.left + p.x, box.top + p.y];
    }""", hub)
    page.page.mouse.move(x, y)
    page.page.wait_for_function("""() => {
        const t = document.querySelector('div.vis-tooltip');
        return t && t.style.visibility !== 'hidden' && t.innerText.includes('Claims in it');
    }""")
    assert page.errors == [] and page.requests == []


def test_a_click_unfolds_a_document_and_another_folds_it(
    pages: dict[str, tuple[View, Path]], graphs: tuple[nx.DiGraph, nx.DiGraph], open_page: Any
) -> None:
    G, _E = graphs
    page = open_page(pages["provenance"][1])
    before = (page.eval("() => claimgraphView.nodes.length"),
              page.eval("() => claimgraphView.edges.length"))
    documents = Counter(str(G.nodes[c]["document"]) for c in claims_of(G))
    hub = sorted(documents)[1]
    page.click_node(hub)
    page.page.wait_for_function("(h) => claimgraphView.expanded().includes(h)", arg=hub)
    shown = {n["id"] for n in page.drawn() if n["kind"] == "claim"}
    assert shown == {c for c in claims_of(G) if G.nodes[c]["document"] == hub}
    # its claims' own edges are drawn, each from a claim, to what it rests on
    froms = page.eval("() => claimgraphView.edges.get().map(e => e.from)")
    assert shown <= set(froms)
    assert page.eval("() => document.getElementById('cg-status').textContent") == ""
    page.click_node(hub)
    page.page.wait_for_function("() => claimgraphView.expanded().length === 0")
    assert (page.eval("() => claimgraphView.nodes.length"),
            page.eval("() => claimgraphView.edges.length")) == before
    assert page.errors == [] and page.requests == []


def test_search_finds_claims_in_folded_documents(
    pages: dict[str, tuple[View, Path]], graphs: tuple[nx.DiGraph, nx.DiGraph], open_page: Any
) -> None:
    G, _E = graphs
    page = open_page(pages["provenance"][1])
    claim = sorted(claims_of(G))[-1]
    text = str(G.nodes[claim]["text"])
    found = page.eval("(q) => claimgraphView.searchAll(q)", text)
    assert claim in found
    assert page.eval("() => claimgraphView.network.getSelectedNodes()") == found
    assert G.nodes[claim]["document"] in page.eval("() => claimgraphView.expanded()")
    assert "match" in page.eval("() => document.getElementById('cg-matches').textContent")
    assert page.errors == []


def test_filters_apply_to_unfolded_claims(
    pages: dict[str, tuple[View, Path]], graphs: tuple[nx.DiGraph, nx.DiGraph], open_page: Any
) -> None:
    G, _E = graphs
    page = open_page(pages["provenance"][1])
    page.page.uncheck("input[data-field='kind'][value='claim']")
    hub = str(G.nodes[sorted(claims_of(G))[0]]["document"])
    ids = page.eval("(h) => claimgraphView.expand(h)", hub)
    assert ids
    hidden = page.eval("() => claimgraphView.nodes.get({filter: n => n.hidden}).map(n => n.id)")
    assert set(hidden) == set(ids) - {n for n in ids if G.nodes[n].get("type") != "claim"}
    assert page.errors == []


@pytest.mark.parametrize("name", ["provenance", "entities"])
def test_no_two_labels_overprint_in_the_overview(
    name: str, pages: dict[str, tuple[View, Path]], open_page: Any
) -> None:
    view, path = pages[name]
    page = open_page(path)
    page.page.wait_for_timeout(200)
    boxes = page.eval(_LABEL_BOXES)
    assert len([b for b in boxes if b["kind"] == "node"]) == view.node_count
    assert _overprints(boxes) == []
    assert page.errors == []


@pytest.mark.parametrize("name", ["provenance", "entities"])
def test_hostile_labels_at_scale_show_as_text(
    name: str, pages: dict[str, tuple[View, Path]], open_page: Any
) -> None:
    page = open_page(pages[name][1])
    hubs = page.eval("() => Object.keys(claimgraphView.raw.parts)")
    page.eval("(hubs) => Promise.all(hubs.map(h => claimgraphView.expand(h)))", hubs)
    assert page.eval("() => window.__pwned") is None
    # every drawn item's hover panel, as the page builds it, and the list of items as text
    page.page.click("#cg-list summary")  # the list fills on the (asynchronous) toggle event
    page.page.wait_for_function("() => document.getElementById('cg-list-items')"
                                ".children.length === claimgraphView.nodes.length")
    text = page.eval("() => document.getElementById('cg-list-items').innerText")
    assert PAYLOADS[0] in text
    if name == "provenance":
        assert all(p in text for p in PAYLOADS)
    assert page.eval("() => document.querySelectorAll('img, iframe, a, svg:not(.cg-legend svg)')"
                     ".length") == 0
    assert page.eval("() => window.__pwned") is None
    assert page.errors == [] and page.requests == []


def test_entity_overview_opens_and_unfolds_a_group(
    pages: dict[str, tuple[View, Path]], graphs: tuple[nx.DiGraph, nx.DiGraph], open_page: Any
) -> None:
    _G, E = graphs
    view, path = pages["entities"]
    page = open_page(path)
    drawn = page.drawn()
    assert len(drawn) == view.node_count
    assert sum(n["entities"] for n in drawn) == E.number_of_nodes()
    group = max(drawn, key=lambda n: (n["entities"], n["id"]))
    page.click_node(group["id"])
    page.page.wait_for_function("(g) => claimgraphView.expanded().includes(g)", arg=group["id"])
    entities = [n for n in page.drawn() if n["id"] in E]
    assert len(entities) == group["entities"]
    assert page.errors == [] and page.requests == []


def test_story_view_of_many_documents_opens_without_a_layout_run(
    open_page: Any, tmp_path: Path
) -> None:
    from test_views_overview import make_corpus

    import graph
    from graph.views.story import story_view

    module = make_corpus()
    module.write_corpus(module.generate_corpus(14, 1), tmp_path / "corpus")
    story = graph.build([tmp_path / "corpus"], validate=False).story
    assert story is not None
    view = story_view(story, columns_max=5)
    page = open_page(view.save(tmp_path / "story.html"))
    assert page.eval("() => claimgraphView.nodes.length") == len(story.documents)
    # documents stand in date columns: a later date is never left of an earlier one
    dated = {d.id: d.date or "9999" for d in story.documents}
    places = page.eval("() => claimgraphView.network.getPositions()")
    ordered = sorted(places, key=lambda d: (places[d]["x"], dated[d]))
    assert [dated[d] for d in ordered] == sorted(dated[d] for d in ordered)
    assert page.errors == [] and page.requests == []
