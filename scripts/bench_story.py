"""Benchmark the comparison across documents (graph.story) on generated corpora of growing size.

Usage::

    python scripts/bench_story.py --documents 125,250,500,1000          # a table, with growth
    python scripts/bench_story.py --documents 1000 --json                # one JSON object

For each size a corpus is generated (``scripts/make_corpus.py``, the same seed) and loaded; then
each stage is timed on its own: the inputs taken from the records (``inputs_s``), claim alignment
with MinHash LSH blocking (``align_s``), copy detection (``copies_s``) and drift (``drift_s``);
``story_s`` is their sum, what ``claimgraph compare`` and a build of several documents add. Between
two sizes the growth exponent ``log(t2/t1) / log(n2/n1)`` says how the time grows with the number
of documents (1.0 linear, 2.0 quadratic). Generating and loading the corpus is not counted.
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from make_corpus import generate_corpus, write_corpus  # noqa: E402

from graph.model.annotations import load_corpus  # noqa: E402
from graph.story.align import align_claims  # noqa: E402
from graph.story.copies import find_copies  # noqa: E402
from graph.story.drift import find_drift  # noqa: E402
from graph.story.inputs import story_inputs  # noqa: E402

__all__ = ["growth", "main", "run_size"]

STAGES = ("inputs_s", "align_s", "copies_s", "drift_s")


def growth(n1: float, t1: float, n2: float, t2: float) -> float | None:
    """``log(t2/t1) / log(n2/n1)``; None when it cannot be computed.

    >>> growth(100, 1.0, 1000, 10.0)
    1.0
    """
    if min(n1, n2, t1, t2) <= 0 or n1 == n2:
        return None
    return round(math.log(t2 / t1) / math.log(n2 / n1), 2)


def run_size(documents: int, seed: int) -> dict[str, Any]:
    """Every stage's time on a generated corpus of ``documents`` documents."""
    with tempfile.TemporaryDirectory() as tmp:
        write_corpus(generate_corpus(documents, seed), Path(tmp))
        corpus = load_corpus([Path(tmp)])
    gc.collect()
    result: dict[str, Any] = {"documents": documents}
    t = time.perf_counter()
    docs, claims = story_inputs(corpus)
    result["inputs_s"] = time.perf_counter() - t
    t = time.perf_counter()
    clusters = align_claims(docs, claims)
    result["align_s"] = time.perf_counter() - t
    t = time.perf_counter()
    copies = find_copies(docs)
    result["copies_s"] = time.perf_counter() - t
    t = time.perf_counter()
    drift = find_drift(docs, claims, clusters)
    result["drift_s"] = time.perf_counter() - t
    result["story_s"] = sum(result[k] for k in STAGES)
    for key in (*STAGES, "story_s"):
        result[key] = round(result[key], 3)
    result |= {
        "claims": len(claims),
        "clusters": len(clusters),
        "clustered_claims": sum(len(c.members) for c in clusters),
        "copies": len(copies),
        "drift_items": len(drift),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    return result


def _table(runs: list[dict[str, Any]]) -> str:
    head = "| documents | claims | inputs s | align s | copies s | drift s | story s | growth | " \
           "clusters | copies | peak MB |"
    lines = [head, "|" + "---|" * 11]
    for i, r in enumerate(runs):
        g = None
        if i:
            p = runs[i - 1]
            g = growth(p["documents"], p["story_s"], r["documents"], r["story_s"])
        lines.append(
            f"| {r['documents']} | {r['claims']} | {r['inputs_s']} | {r['align_s']} | "
            f"{r['copies_s']} | {r['drift_s']} | {r['story_s']} | {g if g is not None else '—'} | "
            f"{r['clusters']} | {r['copies']} | {r['peak_rss_mb']} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--documents", default="125,250,500,1000",
                        help="comma-separated corpus sizes (default 125,250,500,1000)")
    parser.add_argument("--seed", type=int, default=1, help="corpus seed (default 1)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    try:
        sizes = sorted({int(s) for s in args.documents.split(",") if s.strip()})
    except ValueError:
        parser.error("--documents takes whole numbers separated by commas")
    if not sizes or sizes[0] < 2:
        parser.error("each size must be at least 2 documents")
    runs = []
    for n in sizes:
        runs.append(run_size(n, args.seed))
        print(f"{n} documents: story {runs[-1]['story_s']} s", file=sys.stderr)
    if args.json:
        print(json.dumps({"seed": args.seed, "runs": runs}, indent=1))
    else:
        print(_table(runs))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
