"""The story view in a real browser: Debian's headless chromium, driven by playwright, offline."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import CHROMIUM

from graph.model.annotations import load_corpus
from graph.story import compute_story
from graph.views.story import story_view

STORY = Path(__file__).parent / "data" / "story-selk"
PAYLOAD = '<img src=x onerror="window.__pwned=1">'

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(),
                       reason="needs Debian's chromium: apt-get install chromium"),
]


def _open(browser: Any, path: Path) -> tuple[Any, Any, list[str], list[str]]:
    errors: list[str] = []
    requests: list[str] = []
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.set_offline(True)

    def route(r: Any) -> None:
        if r.request.url.startswith("file:"):
            r.continue_()
        else:
            requests.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("pageerror", lambda e: errors.append(f"pageerror: {e}"))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(path.as_uri())
    page.wait_for_function(
        "() => window.claimgraphView && window.claimgraphView.stable === true", timeout=20_000)
    return context, page, errors, requests


def test_table_and_copy_graph(browser: Any, tmp_path: Path) -> None:
    story = compute_story(load_corpus([STORY]))
    view = story_view(story)
    context, page, errors, requests = _open(browser, view.save(tmp_path / "story.html"))
    try:
        heads = page.evaluate(
            "() => [...document.querySelectorAll('.cg-story thead th')].map(t => t.innerText)")
        # a first column for the claims, then one per document in date order
        assert [h.split("\n")[0] for h in heads[1:]] == [d.outlet for d in story.documents]
        rows = page.evaluate("() => [...document.querySelectorAll('.cg-story tbody tr')]"
                             ".map(r => [...r.children].map(c => c.innerText))")
        assert len(rows) == len(story.clusters) == 6
        call = rows[0]
        assert call[1] == "earliest"
        assert "scope: scope widened" in call[5] and "copied" not in call[5]  # the Sentinel
        assert call[4] == "—"  # the Valley Echo does not carry the call
        assert "copied" in call[2] and "mode: reported-speech → direct-quote" in call[2]
        drawn = page.evaluate("() => [claimgraphView.network.body.data.nodes.length, "
                              "claimgraphView.network.body.data.edges.length]")
        assert drawn == [view.node_count, view.edge_count] == [8, 7]
        labels = page.evaluate("() => claimgraphView.edges.get().map(e => e.label).sort()")
        assert "copied 34 words, uncited" in labels and labels.count("cites") == 3
        assert errors == [] and requests == []
    finally:
        context.close()


def test_hostile_outlet_and_title_show_as_text(browser: Any, tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    shutil.copytree(STORY, folder)
    path = folder / "gazette.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("label: The Selk Gazette", f"label: '{PAYLOAD}'")
    text = text.replace("title: Boats fish illegally in the Selk estuary, scientist says",
                        "title: '</script><script>window.__pwned=1</script>'")
    path.write_text(text, encoding="utf-8")
    view = story_view(compute_story(load_corpus([folder])))
    context, page, errors, _requests = _open(browser, view.save(tmp_path / "hostile.html"))
    try:
        assert page.evaluate("() => window.__pwned") is None
        heads = page.evaluate("() => document.querySelector('.cg-story thead').innerText")
        assert PAYLOAD in heads
        assert page.evaluate("() => document.querySelectorAll('img, iframe, a').length") == 0
        assert page.evaluate("() => document.scripts.length") == 3
        assert errors == []
    finally:
        context.close()
