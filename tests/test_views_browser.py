"""The views in a real browser: Debian's headless chromium, driven by playwright, offline.

Each page is opened from a ``file://`` URL with the network off and every other request
aborted; it must raise no JavaScript error, draw exactly the graph's nodes and edges, paint a
non-blank picture, and show the hostile fixture's payloads as text without running any of them,
also while every node is hovered.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import CHROMIUM

import graph
from graph.rdf.projection import dependency_graph, entity_graph
from graph.views import View, claim_view, default_claim, entity_view, provenance_view

HOSTILE = Path(__file__).parent / "data" / "hostile-corpus"
PAYLOADS = [
    '<img src=x onerror="window.__pwned=1">',
    "</script><script>window.__pwned=1</script>",
    '"><svg onload=window.__pwned=1>',
    '<a href="javascript:window.__pwned=1">',
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(),
                       reason="needs Debian's chromium: apt-get install chromium"),
]


def _views() -> dict[str, View]:
    ds = graph.build_bundled()
    G = dependency_graph(ds)
    hostile = graph.build([HOSTILE]).dataset
    H = dependency_graph(hostile)
    return {
        "provenance": provenance_view(G),
        "entities": entity_view(entity_graph(ds), G),
        "claim": claim_view(G, "c24"),
        "default-claim": claim_view(G, default_claim(G) or ""),
        "hostile-provenance": provenance_view(H),
        "hostile-entities": entity_view(entity_graph(hostile), H),
        "hostile-claim": claim_view(H, "c5"),
    }


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[View, Path]]:
    folder = tmp_path_factory.mktemp("views")
    return {name: (view, view.save(folder / f"{name}.html")) for name, view in _views().items()}


class Opened:
    """A page loaded offline, with every error and attempted request recorded."""

    def __init__(self, browser: Any, path: Path, height: int = 900,
                 timeout_ms: int = 20_000) -> None:
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.context = browser.new_context(viewport={"width": 1400, "height": height})
        self.context.set_offline(True)
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))
        self.page.on("console", lambda m: self.errors.append(f"console: {m.text}")
                     if m.type == "error" else None)
        self.page.on("request", lambda r: None if r.url.startswith("file:")
                     else self.requests.append(r.url))
        self.page.goto(path.as_uri())
        self.page.wait_for_function(
            "() => window.claimgraphView && window.claimgraphView.stable === true",
            timeout=timeout_ms)

    def _route(self, route: Any) -> None:
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            self.requests.append(route.request.url)
            route.abort()

    def eval(self, script: str, arg: Any = None) -> Any:
        # functions, not strings: the page's CSP forbids eval, which string predicates use
        return self.page.evaluate(script, arg)

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def opened(browser: Any) -> Iterator[Any]:
    pages: list[Opened] = []

    def open_page(path: Path, height: int = 900) -> Opened:
        pages.append(Opened(browser, path, height))
        return pages[-1]

    yield open_page
    for page in pages:
        page.close()


def _distinct_colours(png: bytes) -> int:
    image = pytest.importorskip("PIL.Image").open(io.BytesIO(png)).convert("RGB")
    colours = image.resize((350, 225)).getcolors(maxcolors=350 * 225)
    return len(colours or [])


@pytest.mark.parametrize("name", ["provenance", "entities", "claim"])
def test_view_loads_offline_and_draws_the_graph(
    name: str, pages: dict[str, tuple[View, Path]], opened: Any, tmp_path: Path
) -> None:
    view, path = pages[name]
    page = opened(path)
    drawn = page.eval("() => [claimgraphView.network.body.data.nodes.length, "
                      "claimgraphView.network.body.data.edges.length]")
    assert drawn == [view.node_count, view.edge_count]
    assert view.node_count > 1
    # physics is off once settled: positions stay put
    before = page.eval("() => claimgraphView.network.getPositions()")
    page.page.wait_for_timeout(300)
    assert page.eval("() => claimgraphView.network.getPositions()") == before
    shot = page.page.screenshot(path=str(tmp_path / f"{name}.png"))
    assert _distinct_colours(shot) > 20
    legend = page.eval("() => document.querySelector('.cg-legend').innerText")
    assert "Legend" in legend
    assert page.errors == [] and page.requests == []


def test_drawn_counts_match_networkx() -> None:
    ds = graph.build_bundled()
    G = dependency_graph(ds)
    E = entity_graph(ds)
    assert entity_view(E, G).edge_count == E.number_of_edges()
    assert provenance_view(G).node_count == G.number_of_nodes()


def test_search_and_filters(pages: dict[str, tuple[View, Path]], opened: Any) -> None:
    page = opened(pages["provenance"][1])
    found = page.eval("() => claimgraphView.search('Squid Game')")
    assert len(found) >= 1
    page.page.uncheck("input[data-field='kind'][value='claim']")
    hidden = page.eval("() => claimgraphView.nodes.get({filter: n => n.hidden}).length")
    claims = page.eval("() => claimgraphView.nodes.get({filter: n => n.kind === 'claim'}).length")
    assert hidden == claims > 0
    assert page.errors == []


@pytest.mark.parametrize("name", ["hostile-provenance", "hostile-entities", "hostile-claim"])
def test_hostile_payloads_show_as_text_and_never_run(
    name: str, pages: dict[str, tuple[View, Path]], opened: Any
) -> None:
    view, path = pages[name]
    page = opened(path)
    assert page.eval("() => window.__pwned") is None
    points = page.eval("""() => {
        const v = window.claimgraphView, box = v.network.body.container.getBoundingClientRect();
        const pos = v.network.getPositions();
        return Object.keys(pos).map(id => {
            const p = v.network.canvasToDOM(pos[id]);
            return [box.left + p.x, box.top + p.y];
        });
    }""")
    assert len(points) == view.node_count
    tips = []
    for x, y in points:
        page.page.mouse.move(x, y)
        page.page.wait_for_timeout(220)
        tips.append(page.eval("""() => {
            const t = document.querySelector('div.vis-tooltip');
            return t && t.style.visibility !== 'hidden' ? t.innerText : '';
        }"""))
        assert page.eval("() => window.__pwned") is None
    assert all(tips), "every node shows a hover panel"
    page.page.click("#cg-list summary")
    text = page.eval("() => document.body.innerText") + "\n".join(tips)
    shown = [p for p in PAYLOADS if p in text]
    assert shown, "the payloads are shown literally"
    if name == "hostile-provenance":
        assert shown == PAYLOADS
    assert page.eval("() => document.querySelectorAll('svg').length") == page.eval(
        "() => document.querySelectorAll('.cg-legend svg').length")
    assert page.eval("() => document.scripts.length") == 3
    assert page.eval("() => document.querySelectorAll('img, iframe, a').length") == 0
    assert page.eval("() => window.__pwned") is None
    assert page.errors == [] and page.requests == []


# Every label drawn at the first sight of the page, as a box in page pixels: node labels, and
# edge labels where the zoom draws them (vis-network's own visible() test).
_LABEL_BOXES = """() => {
    const net = window.claimgraphView.network, out = [];
    const add = (kind, id, label) => {
        if (!label || !label.lines || !label.visible() || !label.size.width) { return; }
        const s = label.size, a = net.canvasToDOM({x: s.left, y: s.top});
        const b = net.canvasToDOM({x: s.left + s.width, y: s.top + s.height});
        out.push({kind: kind, id: String(id), text: String(label.elementOptions.label),
                  x0: a.x, y0: a.y, x1: b.x, y1: b.y});
    };
    for (const [id, n] of Object.entries(net.body.nodes)) {
        if (!n.options.hidden) { add("node", id, n.labelModule); }
    }
    for (const [id, e] of Object.entries(net.body.edges)) {
        if (net.body.edgeIndices.includes(id)) { add("edge", id, e.labelModule); }
    }
    return out;
}"""


def _overprints(boxes: list[dict[str, Any]]) -> list[tuple[str, str, float, float]]:
    """Pairs of label boxes that share more than a pixel in both directions."""
    found = []
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            dx = min(a["x1"], b["x1"]) - max(a["x0"], b["x0"])
            dy = min(a["y1"], b["y1"]) - max(a["y0"], b["y0"])
            if dx > 1 and dy > 1:
                found.append((a["text"], b["text"], round(dx), round(dy)))
    return found


@pytest.mark.parametrize("name", ["provenance", "entities", "claim", "default-claim"])
def test_no_two_labels_overprint(
    name: str, pages: dict[str, tuple[View, Path]], opened: Any
) -> None:
    view, path = pages[name]
    page = opened(path, height=1000)
    page.page.wait_for_timeout(200)
    boxes = page.eval(_LABEL_BOXES)
    nodes = [b for b in boxes if b["kind"] == "node"]
    assert len(nodes) == view.node_count  # every node's label is drawn, none hidden
    assert _overprints(boxes) == []
    assert page.errors == []
