"""Loading a build into a store it was loaded into before replaces only what changed, and the
store then holds exactly what a fresh load of the same build gives."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from graph.pipeline.published import build_parts
from graph.stores import Store
from graph.stores.incremental import LOAD_RECORD_GRAPH, LoadPlan, load_build
from graph.stores.memory import MemoryStore
from graph.stores.oxigraph import OxigraphStore
from tests.test_incremental_build import _retitle, run_build

_EVERYTHING = "SELECT ?g ?s ?p ?o WHERE { { GRAPH ?g { ?s ?p ?o } } UNION { ?s ?p ?o } }"


def contents(store: Store) -> set[tuple[str, ...]]:
    """Every quad of the store, its default graph's triples included (with no graph)."""
    return {tuple(str(t) for t in row) for row in store.query(_EVERYTHING).rows}


def load(store: Store, out: Path) -> LoadPlan:
    parts = build_parts([out / "graph.nq"])
    assert parts is not None
    plan, _summary = load_build(store, parts.digests, parts.nquads)
    return plan


def test_incremental_loads_equal_fresh_loads(generated: Path, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for doc in ("doc-0001", "doc-0002", "doc-0003", "doc-0004"):
        for suffix in (".yaml", ".txt"):
            shutil.copy(generated / f"{doc}{suffix}", corpus)
    out = tmp_path / "out"
    run_build(corpus, out, incremental=True)
    oxigraph = OxigraphStore(tmp_path / "store")
    memory = MemoryStore()
    try:
        for store in (oxigraph, memory):
            first = load(store, out)
            # four documents, the ontology and the story; a new store may hold the ontology
            assert len(first.added) + len(first.replaced) == 4 + 2
            assert {k for k in first.added if ":" not in k} == {f"doc-000{i}" for i in range(1, 5)}
            assert not first.removed

        def step() -> list[LoadPlan]:
            run_build(corpus, out, incremental=True)
            plans = []
            for n, store in enumerate((oxigraph, memory)):
                plans.append(load(store, out))
                fresh: Store = (OxigraphStore(tmp_path / f"fresh-{n}") if store is oxigraph
                                else MemoryStore())
                try:
                    load(fresh, out)
                    assert contents(store) == contents(fresh)
                finally:
                    fresh.close()
                    shutil.rmtree(tmp_path / f"fresh-{n}", ignore_errors=True)
            assert plans[0] == plans[1]
            return plans

        _retitle(corpus / "doc-0004.yaml", "A corrected headline")
        edited = step()[0]
        assert "doc-0004" in edited.replaced and "doc-0001" in edited.unchanged
        for suffix in (".yaml", ".txt"):
            shutil.copy(generated / f"doc-0005{suffix}", corpus)
        added = step()[0]
        assert added.added == ("doc-0005",) and "doc-0001" in added.unchanged
        (corpus / "doc-0005.yaml").unlink()
        removed = step()[0]
        assert removed.removed == ("doc-0005",) and not removed.added
        assert not [g for g in oxigraph.named_graphs() if "/graph/doc-0005" in g]
    finally:
        oxigraph.close()
        memory.close()


def test_the_command_line_says_what_it_replaced(generated: Path, tmp_path: Path) -> None:
    corpus = shutil.copytree(generated, tmp_path / "corpus")
    out = tmp_path / "out"
    run_build(corpus, out, incremental=True)
    store = f"oxigraph:{tmp_path / 'store'}"

    def claimgraph(*args: str) -> subprocess.CompletedProcess[str]:
        done = subprocess.run([sys.executable, "-m", "graph.cli", *args], capture_output=True,
                              text=True, check=False)
        assert done.returncode == 0, done.stderr
        return done

    claimgraph("load", str(out / "graph.trig"), "--store", store)
    _retitle(corpus / "doc-0005.yaml", "A corrected headline")
    run_build(corpus, out, incremental=True)
    again = claimgraph("load", str(out / "graph.trig"), "--store", store)
    lines = again.stderr.splitlines()
    assert lines[:4] == ["claimgraph: 1 document(s) replaced", "claimgraph: 0 document(s) added",
                         "claimgraph: 0 document(s) removed",
                         "claimgraph: 4 document(s) unchanged"]
    # A plain file load cannot say what it changed: it drops the record, and the next load of
    # the build replaces every document.
    claimgraph("load", str(out / "graph.nt"), "--store", store)
    with OxigraphStore(tmp_path / "store") as opened:
        assert str(LOAD_RECORD_GRAPH) not in opened.named_graphs()
    last = claimgraph("load", str(out / "graph.trig"), "--store", store)
    assert "claimgraph: 5 document(s) replaced" in last.stderr.splitlines()
