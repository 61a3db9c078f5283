"""Used as a notebook uses it, the library leaves the process as it found it.

A fresh interpreter whose stderr is a terminal (a pseudo-terminal, so that a progress bar would
show) builds, validates, queries, analyses and draws the bundled article through the public API,
and reports what changed: bytes on stderr, calls that pause the collector, forks, rdflib's
settings, files under its home folder.
"""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

from graph.support import policy

NOTEBOOK = r"""
import gc, json, os, sys
import rdflib.plugins.sparql as rdflib_sparql

paused = []
real_disable = gc.disable
def counting_disable():
    paused.append(1)
    real_disable()
gc.disable = counting_disable
forks = []
os.register_at_fork(before=lambda: forks.append(1))
settings = (rdflib_sparql.SPARQL_LOAD_GRAPHS, gc.isenabled(), sys.getswitchinterval())

import graph
result = graph.build()
problems = graph.validate_dataset(result.dataset)
with graph.open() as cg:
    cg.query("claims-by-mode", mode="denial")
    cg.analyze()
    cg.view("provenance")
with graph.open(graph.bundled_corpus_dir()) as cg:
    cg.claims()

after = (rdflib_sparql.SPARQL_LOAD_GRAPHS, gc.isenabled(), sys.getswitchinterval())
print(json.dumps({"paused": len(paused), "forks": len(forks), "same": settings == after,
                  "problems": len(problems)}))
"""


def test_the_library_changes_nothing_in_a_notebook(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "CLAIMGRAPH_CACHE_DIR"}
    env.update(HOME=str(home), XDG_CACHE_HOME=str(home / ".cache"), TERM="xterm")
    leader, follower = pty.openpty()
    try:
        done = subprocess.run(
            [sys.executable, "-c", NOTEBOOK], stdout=subprocess.PIPE, stderr=follower,
            env=env, timeout=300, text=True, check=False,
        )
        os.close(follower)
        follower = -1
        os.set_blocking(leader, False)
        try:
            written = os.read(leader, 65536)
        except (BlockingIOError, OSError):
            written = b""
    finally:
        if follower >= 0:
            os.close(follower)
        os.close(leader)
    assert done.returncode == 0, done.stdout + written.decode(errors="replace")
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert written == b""
    assert report == {"paused": 0, "forks": 0, "same": True, "problems": 0}
    assert list(home.rglob("*")) == []


def test_the_command_line_turns_policy_on(monkeypatch: pytest.MonkeyPatch,
                                          tmp_path: Path) -> None:
    monkeypatch.setenv("CLAIMGRAPH_CACHE_DIR", str(tmp_path))
    chosen = policy.command_line()
    assert chosen.progress and chosen.pause_gc and chosen.cache_dir == tmp_path
    assert chosen.processes == (os.cpu_count() or 1)
    assert policy.current() == policy.Policy()
    with policy.use(chosen):
        assert policy.current() is chosen
    assert policy.current() == policy.Policy()
