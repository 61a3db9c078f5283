"""Benchmark independence groups: what contracting affiliated roots costs the path analysis.

Usage::

    python scripts/bench_groups.py --claims 2000 --agents 400 --affiliations 200

On a generated dependency graph (each claim rests on its claimant and on a few supporting
claims, each with a claimant of its own; ``--affiliations`` random pairs of agents affiliated),
it times, in one process and on the same graph:

* ``corroboration_s``: :func:`graph.analysis.corroboration` of every claim (the reference);
* ``groups_s``: :func:`graph.analysis.groups.independent_groups` of every claim, the groups
  computed once; ``ratio_groups_vs_corroboration`` is the two divided;
* ``analyze_s`` and ``analyze_plain_s``: :func:`graph.analysis.analyze` with the affiliations,
  and of the same graph with none (what the analysis cost before them); and their ratio.

Each is run ``--repeat`` times in turn after one warm-up, and the best time is kept. It prints
one JSON object with the figures and the load average, which the figures depend on
on a shared machine.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import time
from typing import Any

import networkx as nx

from graph.analysis import analyze, corroboration
from graph.analysis.groups import group_of, independent_groups


def generated(claims: int, agents: int, affiliations: int, seed: int) -> nx.DiGraph:
    """A dependency graph of ``claims`` claims over ``agents`` agents, with affiliations."""
    rng = random.Random(seed)
    G = nx.DiGraph()
    names = [f"agent-{i}" for i in range(agents)]
    for name in names:
        G.add_node(name, type="agent", label=name)
    for i in range(claims):
        claim = f"claim-{i}"
        G.add_node(claim, type="claim", claim_id=claim, text=claim, source_kind="named-person")
        G.add_edge(claim, rng.choice(names), relation="attributed_to")
        for j in rng.sample(range(i), min(i, rng.randint(0, 3))):
            G.add_edge(claim, f"claim-{j}", relation="supported_by")
    pairs = [rng.sample(names, 2) for _ in range(affiliations)]
    G.graph["affiliations"] = [
        {"subject": s, "object": o, "subject_label": s, "object_label": o,
         "relation": "member-of", "relation_label": "member of", "origin": "analyst",
         "id": f"a{k}", "asserted_by": ["the analyst"], "note": "generated"}
        for k, (s, o) in enumerate(pairs)]
    return G


def _timed(run: Any) -> tuple[float, Any]:
    started = time.perf_counter()
    result = run()
    return time.perf_counter() - started, result


def _best(pairs: list[tuple[float, Any]]) -> tuple[float, Any]:
    return min(t for t, _r in pairs), pairs[0][1]


def bench(
    claims: int, agents: int, affiliations: int, seed: int = 1, repeat: int = 3
) -> dict[str, Any]:
    G = generated(claims, agents, affiliations, seed)
    nodes = [n for n, d in G.nodes(data=True) if d["type"] == "claim"]
    plain = G.copy()
    plain.graph["affiliations"] = []

    def with_groups() -> list[int]:
        groups = group_of(G)
        return [independent_groups(G, c, groups=groups) for c in nodes]

    analyze(G)  # a first run warms caches for both; then each pair runs in turn, best of each
    runs: dict[str, list[tuple[float, Any]]] = {k: [] for k in ("c", "g", "a", "p")}
    for _ in range(repeat):
        runs["c"].append(_timed(lambda: [corroboration(G, c) for c in nodes]))
        runs["g"].append(_timed(with_groups))
        # analyze's answers are dropped at once: kept, they would slow the runs after them
        runs["a"].append((_timed(lambda: analyze(G))[0], None))
        runs["p"].append((_timed(lambda: analyze(plain))[0], None))
    corroboration_s, counts = _best(runs["c"])
    groups_s, grouped = _best(runs["g"])
    analyze_s, _ = _best(runs["a"])
    analyze_plain_s, _ = _best(runs["p"])
    return {
        "claims": claims, "agents": agents, "affiliations": affiliations,
        "claims_with_fewer": sum(1 for a, b in zip(counts, grouped, strict=True) if b < a),
        "corroboration_s": round(corroboration_s, 3), "groups_s": round(groups_s, 3),
        "ratio_groups_vs_corroboration": round(groups_s / corroboration_s, 2),
        "analyze_s": round(analyze_s, 3), "analyze_plain_s": round(analyze_plain_s, 3),
        "ratio_analyze_vs_plain": round(analyze_s / analyze_plain_s, 2),
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=2000)
    parser.add_argument("--agents", type=int, default=400)
    parser.add_argument("--affiliations", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each; the best is kept")
    args = parser.parse_args()
    print(json.dumps(bench(args.claims, args.agents, args.affiliations, args.seed, args.repeat),
                     indent=1))


if __name__ == "__main__":
    main()
