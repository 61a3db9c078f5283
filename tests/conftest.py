"""Shared fixtures."""

from __future__ import annotations

# --------------------------------------------------------------------------- stores, query library,
# endpoint and Virtuoso (tests/test_queries.py, test_stores.py, test_serve.py, test_virtuoso.py)
import importlib.util
import os
import re
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from rdflib import Dataset

from graph.sparql.binding import Bindings, check_bound
from graph.sparql.results import QueryResult
from graph.stores import Store, open_store

SCRIPTS = Path(__file__).resolve().parent.parent / "scripts"


def run_clients(client: Callable[[int], None], count: int = 8) -> None:
    """``client(0)`` … ``client(count - 1)``, each on its own thread at once; returns when all
    end."""
    threads = [threading.Thread(target=client, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def load_script(name: str) -> ModuleType:
    """A script of scripts/ imported as a module (once per process), to test its functions."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, SCRIPTS / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Five generated documents (scripts/make_corpus.py, seed 3); later ones relay claims of
    earlier ones."""
    folder = tmp_path_factory.mktemp("generated")
    make = load_script("make_corpus")
    make.write_corpus(make.generate_corpus(5, 3), folder)
    return folder


@pytest.fixture(scope="session", autouse=True)
def _shacl_record(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The record of documents that passed SHACL lives in a folder of this session, never in the
    user's cache (subprocesses inherit it through the environment)."""
    before = os.environ.get("CLAIMGRAPH_CACHE_DIR")
    os.environ["CLAIMGRAPH_CACHE_DIR"] = str(tmp_path_factory.mktemp("claimgraph-cache"))
    yield
    if before is None:
        os.environ.pop("CLAIMGRAPH_CACHE_DIR", None)
    else:
        os.environ["CLAIMGRAPH_CACHE_DIR"] = before


@pytest.fixture(scope="session")
def bundled_dataset() -> Dataset:
    """The bundled article's dataset (not SHACL-validated: that is the build's test)."""
    import graph

    return graph.build_dataset(graph.load_corpus([graph.bundled_corpus_dir()]))


@pytest.fixture(scope="session")
def memory_store(bundled_dataset: Dataset) -> Store:
    return open_store("memory", dataset=bundled_dataset)


class RdflibEngine:
    """rdflib's own SPARQL engine over a dataset whose default graph is the union of its named
    graphs (a set, by rdflib's definition): the reference the stores' answers are compared with.
    No store answers with it (:mod:`graph.stores.memory`), so it checks them from outside."""

    spec = "rdflib"

    def __init__(self, dataset: Dataset) -> None:
        self.dataset = Dataset(store=dataset.store, default_union=True)
        self.lookups: dict[str, object] = {}

    def query(self, text: str, bindings: Bindings | None = None) -> QueryResult:
        import warnings

        from graph.stores._convert import rdflib_result

        safe = check_bound(text, bindings)
        with warnings.catch_warnings():  # rdflib's engine calls its own deprecated Dataset API
            warnings.simplefilter("ignore", DeprecationWarning)
            return rdflib_result(safe.form, self.dataset.query(safe.text))


@pytest.fixture(scope="session")
def rdflib_engine(bundled_dataset: Dataset) -> RdflibEngine:
    return RdflibEngine(bundled_dataset)


@pytest.fixture(scope="session")
def oxigraph_store(
    bundled_dataset: Dataset, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Store]:
    yield from loaded_oxigraph(bundled_dataset, tmp_path_factory.mktemp("oxigraph"))


def loaded_oxigraph(dataset: Dataset, folder: Path) -> Iterator[Store]:
    """An Oxigraph store in ``folder`` holding ``dataset``, closed when the fixture ends."""
    store = open_store(f"oxigraph:{folder / 'store'}")
    store.replace_graphs(dataset)
    yield store
    store.close()


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    """One throwaway Virtuoso per session (loopback, dba/dba); skips when not installed."""
    from virtuoso_server import start_virtuoso, virtuoso_available

    if virtuoso_available() is None:
        pytest.skip("Virtuoso is not installed; enable with: apt-get install virtuoso-opensource")
    server = start_virtuoso(tmp_path_factory.mktemp("virtuoso"))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def virtuoso_store(virtuoso: object, bundled_dataset: Dataset) -> Iterator[Store]:
    """The bundled graph loaded into Virtuoso through the graph store protocol (Digest auth)."""
    from virtuoso_server import VirtuosoServer

    assert isinstance(virtuoso, VirtuosoServer)
    user, password = virtuoso.credentials
    old = {k: os.environ.get(k) for k in ("CLAIMGRAPH_STORE_USER", "CLAIMGRAPH_STORE_PASSWORD")}
    os.environ["CLAIMGRAPH_STORE_USER"], os.environ["CLAIMGRAPH_STORE_PASSWORD"] = user, password
    try:
        store = open_store(
            virtuoso.query_url,
            update_url=virtuoso.update_url,
            graph_store_url=f"{virtuoso.base}/sparql-graph-crud-auth",
        )
    finally:
        for key, value in old.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    store.replace_graphs(bundled_dataset)
    yield store
    store.close()


def start_endpoint(*args: str) -> tuple[subprocess.Popen[str], str]:
    """``python -m graph.cli serve --port 0 ARGS``; returns the process and its base URL."""
    process = subprocess.Popen(
        [sys.executable, "-m", "graph.cli", "serve", "--port", "0", *args],
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert process.stderr is not None
    line = process.stderr.readline()
    match = re.search(r"(http://\S+/)sparql", line)
    if not match:
        process.kill()
        raise RuntimeError(f"serve did not start: {line}{process.stderr.read()}")
    return process, match.group(1)


@pytest.fixture(scope="session")
def endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Our endpoint over the bundled article: 2 workers, 2 s limit, 500 rows, a views folder."""
    views = tmp_path_factory.mktemp("views")
    (views / "provenance.html").write_text("<!doctype html><p>view</p>", encoding="utf-8")
    (views.parent / "secret.txt").write_text("secret", encoding="utf-8")
    process, base = start_endpoint(
        "--timeout", "2", "--max-rows", "500", "--workers", "2", "--views", str(views)
    )
    yield base
    process.terminate()
    process.wait(timeout=10)
    if process.stderr is not None:
        process.stderr.close()


# Debian's chromium, driven by playwright with no browser download (the browser tests' one launch).
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
