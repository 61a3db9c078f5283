"""Benchmark of a growing corpus: full build and load, then an edit, a reload and ten new
documents, each as a ratio to the full build of the same corpus in the same run.

Run through ``scripts/bench.py --incremental N[,N...]``. For each size, N + 10 documents are
generated (``scripts/make_corpus.py``); ten that no other document refers to are kept apart, and
the other N are built whole into a fresh folder
(``full_build_s``: :func:`graph.pipeline.build` and :func:`graph.pipeline.write_build`, no
views unless ``--views``) and loaded whole into a new Oxigraph folder (``full_load_s``, the load
of a build's parts); pyoxigraph's own ``bulk_load`` of the build's ``graph.nq`` into another new
folder is the reference (``raw_load_s``). Then, each timed on its own:

* ``edit_build_s``: one document's annotation changed (a claim's note, which no other document
  reads) and the folder built again, incrementally;
* ``edit_load_s``: that build loaded into the store again (one document replaced);
* ``title_build_s``: the first document's headline changed (the projections read it: the
  findings and the views are made again, and the documents citing it are built again) and the
  folder built again; ``title_load_s``: that build loaded;
* ``add_build_s``: ten more generated documents added and the folder built again;
* ``add_load_s``: that build loaded again;
* ``same_build_s``: the folder built again with nothing changed.

``stages`` splits the incremental edit build by step. The load average (1 minute) is taken
before and after each size: the machine is shared.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

__all__ = ["bench_incremental", "render_incremental"]


@contextmanager
def _timed(out: dict[str, float], key: str) -> Iterator[None]:
    started = time.perf_counter()
    yield
    out[key] = round(time.perf_counter() - started, 3)


def _build(corpus: Path, out: Path, *, incremental: bool, views: bool, story: bool,
           stages: dict[str, float] | None = None) -> Any:
    from graph import pipeline
    from graph.pipeline.outputs import extra_outputs

    times: dict[str, float] = {}
    with _timed(times, "build_validate_s"):
        result = pipeline.build([corpus], previous=out if incremental else None, story=story)
    findings, writers = extra_outputs(views=views)
    with _timed(times, "findings_s"):
        text = findings(result)
    with _timed(times, "write_s"):
        pipeline.write_build(result, out, findings=text, writers=writers)
    if stages is not None:
        stages.update(times)
    return result


def _load(out: Path, store_dir: Path) -> Any:
    from graph.pipeline.published import build_parts
    from graph.stores.incremental import load_build
    from graph.stores.oxigraph import OxigraphStore

    parts = build_parts([out / "graph.nq"])
    if parts is None:
        raise RuntimeError(f"{out}: not a build's output")
    with OxigraphStore(store_dir) as store:
        plan, _summary = load_build(store, parts.digests, parts.nquads)
    return plan


def _raw_load(nquads: Path, folder: Path) -> None:
    import pyoxigraph

    store = pyoxigraph.Store(str(folder))
    store.bulk_load(path=str(nquads), format=pyoxigraph.RdfFormat.N_QUADS)
    store.flush()


def _edit_note(path: Path) -> None:
    """Change the note of the document's first claim that has one, or give its first claim one."""
    lines = path.read_text(encoding="utf-8").split("\n")
    for i, line in enumerate(lines):
        if line.startswith("  note: "):
            lines[i] = "  note: edited for the benchmark"
            break
    else:
        i = next(i for i, line in enumerate(lines) if line.startswith("- id: c"))
        lines.insert(i + 1, "  note: edited for the benchmark")
    path.write_text("\n".join(lines), encoding="utf-8")


def _retitle(path: Path) -> None:
    """Change the document's headline."""
    lines = path.read_text(encoding="utf-8").split("\n")
    i = next(i for i, line in enumerate(lines) if line.startswith("  title: "))
    lines[i] = "  title: 'A headline corrected for the benchmark'"
    path.write_text("\n".join(lines), encoding="utf-8")


def _leaves(files: dict[str, str], count: int) -> set[str]:
    """``count`` documents no other document refers to (cites, relays or links to), taken one at
    a time from the end: the corpus without them still loads, and they can be added to it."""
    docs = sorted({name.rsplit(".", 1)[0] for name in files})
    mentions = {d: set(re.findall(r"doc-\d{4}", files[f"{d}.yaml"])) - {d} for d in docs}
    remaining = set(docs)
    chosen: set[str] = set()
    while len(chosen) < count:
        leaf = next((d for d in sorted(remaining, reverse=True)
                     if not any(d in mentions[o] for o in remaining if o != d)), None)
        if leaf is None:
            raise RuntimeError(f"only {len(chosen)} documents can be added on their own")
        chosen.add(leaf)
        remaining.discard(leaf)
    return chosen


def _one_size(documents: int, seed: int, views: bool, story: bool,
              make: Callable[[int, int], dict[str, str]],
              write: Callable[[dict[str, str], Path], Any]) -> dict[str, Any]:
    from graph.rdf.rdfio import count_quads

    result: dict[str, Any] = {"documents": documents, "load_before": os.getloadavg()[0]}
    work = Path(tempfile.mkdtemp(prefix="bench-incremental-"))
    try:
        every = make(documents + 10, seed)
        later = _leaves(every, 10)
        first = {n: t for n, t in every.items() if n.rsplit(".", 1)[0] not in later}
        corpus = work / "corpus"
        write(first, corpus)
        out = work / "out"
        times: dict[str, float] = {}
        with _timed(times, "full_build_s"):
            built = _build(corpus, out, incremental=False, views=views, story=story)
        result["triples"] = count_quads(built.dataset)
        del built
        with _timed(times, "raw_load_s"):
            _raw_load(out / "graph.nq", work / "raw")
        with _timed(times, "full_load_s"):
            _load(out, work / "store")
        _edit_note(corpus / sorted(n for n in first if n.endswith(".yaml"))[-1])
        stages: dict[str, float] = {}
        with _timed(times, "edit_build_s"):
            edited = _build(corpus, out, incremental=True, views=views, story=story,
                            stages=stages)
        result["edit_documents_read"] = edited.documents_read()
        del edited
        with _timed(times, "edit_load_s"):
            plan = _load(out, work / "store")
        result["edit_load_replaced"] = len(plan.replaced)
        # A correction the projections read (a headline: the views and the findings name the
        # document, and the documents citing it hold its title): every claim analysed again.
        _retitle(corpus / sorted(n for n in first if n.endswith(".yaml"))[0])
        title_stages: dict[str, float] = {}
        with _timed(times, "title_build_s"):
            retitled = _build(corpus, out, incremental=True, views=views, story=story,
                              stages=title_stages)
        result["title_documents_made"] = sum(1 for k in retitled.cache.keys
                                             if k not in retitled.cache.reused)
        del retitled
        with _timed(times, "title_load_s"):
            plan = _load(out, work / "store")
        result["title_load_replaced"] = len(plan.replaced)
        result["title_stages"] = title_stages
        write({n: t for n, t in every.items() if n not in first}, corpus)
        with _timed(times, "add_build_s"):
            added = _build(corpus, out, incremental=True, views=views, story=story)
        result["add_documents_read"] = added.documents_read()
        del added
        with _timed(times, "add_load_s"):
            _load(out, work / "store")
        with _timed(times, "same_build_s"):  # nothing changed: everything reused or linked
            same = _build(corpus, out, incremental=True, views=views, story=story)
        result["same_documents_read"] = same.documents_read()
        del same
        result.update(times)
        result["edit_stages"] = stages
        full = times["full_build_s"]
        for key in ("edit_build_s", "title_build_s", "add_build_s", "same_build_s",
                    "edit_load_s", "title_load_s", "add_load_s", "raw_load_s"):
            result[f"ratio_{key[:-2]}_vs_full_build"] = round(times[key] / full, 4)
        result["ratio_full_build_load_vs_raw"] = round(
            (full + times["full_load_s"]) / times["raw_load_s"], 2)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    result["load_after"] = os.getloadavg()[0]
    return result


def bench_incremental(sizes: list[int], *, seed: int = 1, views: bool = False,
                      story: bool = True) -> dict[str, Any]:
    """Each size measured in turn (see the module docstring); the growth between sizes."""
    import importlib.util
    import sys

    script = Path(__file__).resolve().parent / "make_corpus.py"
    spec = importlib.util.spec_from_file_location("make_corpus", script)
    if spec is None or spec.loader is None:
        raise RuntimeError(f"{script}: cannot be imported")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("make_corpus", module)
    spec.loader.exec_module(module)
    runs = [_one_size(n, seed, views, story, module.generate_corpus, module.write_corpus)
            for n in sizes]
    return {"views": views, "story": story, "runs": runs}


def render_incremental(result: dict[str, Any]) -> str:
    """A markdown table of :func:`bench_incremental`'s runs, with growth exponents."""
    import itertools
    import math

    runs = result["runs"]
    keys = ["full_build_s", "full_load_s", "raw_load_s", "edit_build_s", "edit_load_s",
            "title_build_s", "title_documents_made", "title_load_s", "add_build_s",
            "add_load_s", "same_build_s", "ratio_edit_build_vs_full_build",
            "ratio_edit_load_vs_full_build",
            "ratio_title_build_vs_full_build", "ratio_add_build_vs_full_build",
            "ratio_full_build_load_vs_raw"]
    head = "| | " + " | ".join(f"{r['documents']} docs, {r['triples']:,} triples" for r in runs)
    lines = [head + " |", "|---" * (len(runs) + 1) + "|"]
    lines.append("| load average before / after | " + " | ".join(
        f"{r['load_before']:.1f} / {r['load_after']:.1f}" for r in runs) + " |")
    for key in keys:
        lines.append(f"| {key} | " + " | ".join(str(r[key]) for r in runs) + " |")
    for kind, label in (("edit_stages", "edit"), ("title_stages", "title")):
        for stage in runs[0][kind]:
            lines.append(f"| {label}: {stage} | "
                         + " | ".join(str(r[kind][stage]) for r in runs) + " |")
    for key in ("full_build_s", "edit_build_s", "title_build_s", "edit_load_s", "add_build_s"):
        growth = []
        for a, b in itertools.pairwise(runs):
            exponent = math.log(b[key] / a[key]) / math.log(b["triples"] / a["triples"])
            growth.append(f"{exponent:.2f}" if a[key] > 0 and b[key] > 0 else "—")
        if growth:
            lines.append(f"| growth of {key} | — | " + " | ".join(growth) + " |")
    return "\n".join(lines)
