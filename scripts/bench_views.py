"""Benchmark the HTML views at scale: file size, what they draw, and how fast Chromium shows them.

Usage::

    python scripts/bench_views.py                          # bundled article, 100, 300, 690 docs
    python scripts/bench_views.py --documents 100 --json   # one size, JSON lines

For the bundled article (the reference) and for each generated corpus (``scripts/make_corpus.py``,
the same seed), the corpus is built without validation (the views read the dataset; validation
is measured by ``scripts/bench.py``) and without the story's graph (computed apart for the story
view: its copy edges between claims make the chain enumeration of the analysis run for minutes
past a few hundred documents) and analysed (four chains per claim, what the views
show), then the provenance, entity, claim (the default claim) and story views are rendered and
saved. Each page is opened in Debian's headless
``chromium`` through playwright, offline, in a fresh context: *first paint* is when the network
first drew itself and *interactive* when its layout settled and the page answers clicks (the
page records both, in ms since it was opened; ``claimgraphView.timing``); *wall* is playwright's
own clock from ``goto`` to interactive. For an overview, *open part* is the time from a click's
call to the largest part drawn. Each figure is also given as a ratio to the same figure for the
bundled article in the same run, and the load average is printed with every row (the machine is
shared; figures are only comparable at a similar load).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from make_corpus import generate_corpus, write_corpus  # noqa: E402

__all__ = ["main", "measure_page", "render_views"]

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
VIEWS = ("provenance", "entities", "claim", "story")


def load() -> str:
    """The 1-, 5- and 15-minute load averages, as printed next to every figure."""
    return "/".join(f"{x:.1f}" for x in os.getloadavg())


def render_views(sources: Sequence[Path] | None, folder: Path,
                 wanted: Sequence[str] = VIEWS) -> dict[str, Any]:
    """Build ``sources`` (default: the bundled article), render and save the ``wanted`` views
    into ``folder``; the corpus size and each view's size, counts and render time. The story
    view alone needs no dataset: only the corpus is read (triples are then not counted)."""
    import graph
    from graph.analysis import analyze
    from graph.rdf.projection import dependency_graph, entity_graph
    from graph.story.model import compute_story
    from graph.views import claim_view, default_claim, entity_view, provenance_view
    from graph.views.story import story_view

    if set(wanted) <= {"story"}:
        return _render_story(sources, folder)
    started = time.perf_counter()
    built = graph.build(sources, validate=False, story=False)
    ds = built.dataset
    triples = len(ds)  # counted as scripts/bench.py counts them
    G = dependency_graph(ds)
    # the four chains a claim's hover shows: enumerating twenty per claim (analyze's default)
    # takes minutes on corpora whose copies and relays form long cycles
    summary = analyze(G, max_chains=4)
    prepared = time.perf_counter() - started
    # the story is computed apart and not added to the dataset: its copy edges between claims
    # make analyze()'s chain enumeration run for minutes at 300 generated documents
    story = compute_story(built.corpus) if len(built.corpus.files) > 1 else None
    makers = {
        "provenance": lambda: provenance_view(G, summary),
        "entities": lambda: entity_view(entity_graph(ds), G),
        "claim": lambda: claim_view(G, default_claim(G, summary) or ""),
        "story": (lambda: story_view(story)) if story is not None else None,
    }
    views: dict[str, Any] = {}
    for name, make in makers.items():
        if make is None or name not in wanted:
            continue
        began = time.perf_counter()
        view = make()
        path = view.save(folder / f"{name}.html")
        views[name] = {"path": str(path), "bytes": path.stat().st_size,
                       "nodes": view.node_count, "edges": view.edge_count,
                       "overview": 'id="cg-parts"' in view.html,
                       "render_s": round(time.perf_counter() - began, 3)}
    return {"documents": len(built.corpus.files), "triples": triples,
            "claims": sum(1 for _n, d in G.nodes(data=True) if d.get("type") == "claim"),
            "prepare_s": round(prepared, 2), "views": views}


def _render_story(sources: Sequence[Path] | None, folder: Path) -> dict[str, Any]:
    import graph
    from graph.story.model import compute_story
    from graph.views.story import story_view

    corpus = graph.load_corpus(list(sources) if sources else [graph.bundled_corpus_dir()])
    views: dict[str, Any] = {}
    story = compute_story(corpus) if len(corpus.files) > 1 else None
    if story is not None:
        began = time.perf_counter()
        view = story_view(story)
        path = view.save(folder / "story.html")
        views["story"] = {"path": str(path), "bytes": path.stat().st_size,
                          "nodes": view.node_count, "edges": view.edge_count,
                          "overview": False, "render_s": round(time.perf_counter() - began, 3)}
    return {"documents": len(corpus.files), "triples": 0,
            "claims": len(story.claims) if story else 0, "prepare_s": 0.0, "views": views}


@contextmanager
def _browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def measure_page(browser: Any, path: Path, *, timeout_s: float = 120) -> dict[str, Any]:
    """Open one saved view offline: first paint, interactive, wall time, and opening a part."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    context.set_offline(True)
    errors: list[str] = []
    try:
        page = context.new_page()
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        began = time.perf_counter()
        page.goto(path.as_uri(), timeout=timeout_s * 1000)
        try:
            page.wait_for_function(
                "() => window.claimgraphView && claimgraphView.stable === true",
                timeout=timeout_s * 1000)
        except Exception as exc:  # a page that never settles is a figure too, not a crash
            return {"errors": [*errors, f"not interactive within {timeout_s:.0f} s: {exc}"],
                    "load": load()}
        wall = time.perf_counter() - began
        timing = page.evaluate("() => claimgraphView.timing")
        out: dict[str, Any] = {
            "first_paint_s": round((timing["painted"] or timing["settled"]) / 1000, 3),
            "interactive_s": round(timing["settled"] / 1000, 3),
            "wall_s": round(wall, 3), "load": load(),
        }
        hub = page.evaluate("""() => {
            const v = claimgraphView;
            if (!v.raw.parts) { return null; }
            const hubs = v.nodes.get({filter: n => Object.hasOwn(v.raw.parts, n.id)});
            hubs.sort((a, b) => (b.claims || b.entities || 0) - (a.claims || a.entities || 0));
            return hubs.length ? hubs[0].id : null;
        }""")
        if hub is not None:
            began = time.perf_counter()
            shown = page.evaluate("(hub) => claimgraphView.toggle(hub)", hub)
            page.evaluate("() => new Promise(r => requestAnimationFrame(() => r()))")
            out["open_part_s"] = round(time.perf_counter() - began, 3)
            out["part_nodes"] = len(shown)
        out["errors"] = errors
        return out
    finally:
        context.close()


def _ratio(value: float | None, reference: float | None) -> str:
    if not value or not reference:
        return "—"
    return f"{value / reference:.1f}×"


def _row(label: str, name: str, r: dict[str, Any], ref: dict[str, Any] | None) -> str:
    v, b = r["views"][name], r["browser"].get(name, {})
    rb = (ref or {}).get("browser", {}).get(name, {})
    size = f"{v['bytes'] / 1e6:.2f} MB"
    paint = b.get("first_paint_s")
    return (f"| {label} | {name}{' (overview)' if v['overview'] else ''} | {size} "
            f"({_ratio(v['bytes'], (ref or {}).get('views', {}).get(name, {}).get('bytes'))}) | "
            f"{v['nodes']:,} / {v['edges']:,} | {v['render_s']:.2f} | "
            f"{paint if paint is not None else '—'} ({_ratio(paint, rb.get('first_paint_s'))})"
            f" | {b.get('interactive_s', '—')} | {b.get('wall_s', '—')} | "
            f"{b.get('open_part_s', '—')} | {b.get('load', '—')} |")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, nargs="*", default=[100, 300, 690])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", action="store_true", help="one JSON object per corpus")
    parser.add_argument("--views", nargs="*", choices=VIEWS, default=list(VIEWS),
                        help="the views to measure (default: all)")
    args = parser.parse_args(argv)
    if not CHROMIUM.exists():
        print("needs Debian's chromium: apt-get install chromium", file=sys.stderr)
        return 2
    results: list[tuple[str, dict[str, Any]]] = []
    with tempfile.TemporaryDirectory() as tmp, _browser() as browser:
        for size in [0, *args.documents]:
            folder = Path(tmp) / f"views-{size}"
            folder.mkdir()
            sources = None
            if size:
                corpus = Path(tmp) / f"corpus-{size}"
                write_corpus(generate_corpus(size, args.seed), corpus)
                sources = [corpus]
            print(f"# {'bundled article' if not size else f'{size} documents'}: building and "
                  f"rendering (load {load()})", file=sys.stderr, flush=True)
            result = render_views(sources, folder, args.views)
            result["browser"] = {}
            for name, view in result["views"].items():
                result["browser"][name] = measure_page(browser, Path(view["path"]))
            label = "bundled article" if not size else f"{size} documents"
            results.append((label, result))
            if args.json:
                print(json.dumps({"corpus": label, **result}), flush=True)
                continue
            if len(results) == 1:
                print("| corpus | view | file (× article) | nodes / edges drawn | render s | "
                      "first paint s (× article) | interactive s | wall s | open part s | "
                      "load 1/5/15 |")
                print("|---|---|---|---|---|---|---|---|---|---|")
            name_label = f"{label}: {result['triples']:,} triples, {result['claims']:,} claims"
            for name in VIEWS:
                if name in result["views"]:
                    print(_row(name_label, name, result, results[0][1]), flush=True)
    errors = [(label, name, b["errors"]) for label, r in results
              for name, b in r["browser"].items() if b["errors"]]
    for label, name, found in errors:
        print(f"{label} {name}: page errors {found}", file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
