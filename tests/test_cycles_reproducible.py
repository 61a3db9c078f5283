"""Which relay cycles the report lists, when there are more than it lists, depends on the graph
only: two processes with different string hashing list the same ones."""

from __future__ import annotations

import os
import subprocess
import sys

SCRIPT = """
import networkx as nx
from graph.analysis.cycles import cycles
G = nx.gnp_random_graph(60, 0.08, seed=5, directed=True)
G = nx.relabel_nodes(G, {i: f"claim-{(i * 7919) % 1000:03d}" for i in G})
print(cycles(G, max_cycles=50))
"""


def _listed(seed: str) -> str:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    done = subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True,
                          text=True, check=True, timeout=120)
    return done.stdout


def test_the_cycles_listed_past_the_bound_do_not_depend_on_string_hashing() -> None:
    first = _listed("1")
    assert first.count("[") > 50  # the bound was reached: a subset was chosen
    assert _listed("2") == first and _listed("3") == first
