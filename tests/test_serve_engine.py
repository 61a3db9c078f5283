"""``serve --engine oxigraph``: Oxigraph's own server behind ``/sparql``, with real processes.

Each test runs ``claimgraph serve`` and the ``oxigraph`` program it starts: the answers are the
pool's, the time limit stops the child's query, a SERVICE call never leaves, the child dies with
the server and is restarted when it dies alone.
"""

from __future__ import annotations

import contextlib
import http.server
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest
import requests
from conftest import start_endpoint

from graph.serve.oxigraph_child import oxigraph_executable
from graph.sparql.library import get_query, list_queries

pytestmark = pytest.mark.skipif(
    not Path(sys.executable).with_name("oxigraph").is_file(),
    reason="needs Oxigraph's server: pip install oxigraph",
)
PRODUCT = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n ?o }"
PATH_QUERY = ("PREFIX prov: <http://www.w3.org/ns/prov#> "
              "SELECT ?c ?u WHERE { ?c prov:wasDerivedFrom+ ?u }")


def _stop(process: subprocess.Popen[str]) -> None:
    if process.poll() is None:
        process.terminate()
        process.wait(timeout=15)
    if process.stderr is not None:
        process.stderr.close()


def _children_named(pid: int, name: str) -> list[int]:
    """Live children of ``pid`` running the program ``name``."""
    out = []
    for entry in Path("/proc").iterdir():
        with contextlib.suppress(OSError):
            stat = (entry / "stat").read_text()
            fields = stat.rsplit(")", 1)[-1].split()
            if entry.name.isdigit() and fields[1] == str(pid) and fields[0] != "Z" \
                    and (entry / "comm").read_text().strip() == name:
                out.append(int(entry.name))
    return out


def _running(pid: int) -> bool:
    """Whether a process exists and is not a zombie."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[-1].split()[0] != "Z"
    except OSError:
        return False


def _child(pid: int, seconds: float = 15.0) -> int:
    """The one Oxigraph server ``serve`` (``pid``) runs, waiting while it starts."""
    until = time.monotonic() + seconds
    while time.monotonic() < until:
        found = _children_named(pid, "oxigraph")
        if len(found) == 1:
            return found[0]
        time.sleep(0.05)
    raise AssertionError(f"serve {pid} runs no single oxigraph child")


def _child_port(child: int) -> int:
    argv = Path(f"/proc/{child}/cmdline").read_bytes().split(b"\0")
    return int(argv[argv.index(b"--bind") + 1].rsplit(b":", 1)[1])


@pytest.fixture(scope="module")
def relay() -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """``serve --engine oxigraph`` over the bundled article, 2 s limit."""
    process, base = start_endpoint("--engine", "oxigraph", "--timeout", "2")
    yield base, process
    _stop(process)


def _normalised(payload: dict[str, Any]) -> Any:
    """SPARQL JSON results as a sorted list of rows, blank node labels left out."""
    if "boolean" in payload:
        return payload["boolean"]
    rows = []
    for binding in payload["results"]["bindings"]:
        rows.append(sorted(
            (var, term["type"], "" if term["type"] == "bnode" else term["value"],
             term.get("datatype", ""), term.get("xml:lang", ""))
            for var, term in binding.items()))
    return sorted(rows)


def test_the_library_is_answered_the_same_by_either_engine(
        relay: tuple[str, subprocess.Popen[str]]) -> None:
    from rdflib import Graph
    from rdflib.compare import isomorphic

    pool, pool_base = start_endpoint("--timeout", "5")
    try:
        compared = 0
        for named in list_queries():
            params = {p.name: p.example for p in named.params}
            graph_form = get_query(named.name).form in ("construct", "describe")
            accept = "application/n-triples" if graph_form else "application/sparql-results+json"
            answers = [requests.get(f"{base}queries/{named.name}", params=params, timeout=30,
                                    headers={"Accept": accept}) for base in (pool_base, relay[0])]
            assert [a.status_code for a in answers] == [200, 200], (named.name, answers[1].text)
            if graph_form:
                graphs = [Graph().parse(data=a.text, format="nt") for a in answers]
                assert len(graphs[0]) > 0 and isomorphic(graphs[0], graphs[1]), named.name
            else:
                assert _normalised(answers[0].json()) == _normalised(answers[1].json()), named.name
            compared += 1
        assert compared == len(list_queries()) >= 16
    finally:
        _stop(pool)


def test_every_format_and_the_row_cap(relay: tuple[str, subprocess.Popen[str]]) -> None:
    base, _ = relay
    text = "SELECT ?s WHERE { ?s a ?t } ORDER BY ?s LIMIT 3"
    for accept, marker in [("text/csv", "s\r\n"), ("text/tab-separated-values", "?s\n"),
                           ("application/sparql-results+xml", "<sparql"),
                           ("application/sparql-results+json", '"vars"')]:
        r = requests.post(base + "sparql", data={"query": text}, headers={"Accept": accept},
                          timeout=10)
        assert r.status_code == 200 and marker in r.text, (accept, r.text)
        assert r.headers["Content-Type"].startswith(accept)
    r = requests.post(base + "sparql", timeout=10, data={
        "query": "SELECT * WHERE { ?s ?p ?o . ?x a ?t } LIMIT 10001"})
    assert r.status_code == 400 and "more than 10000 rows" in r.text, r.text[:200]
    r = requests.post(base + "sparql", timeout=10, data={
        "query": "SELECT * WHERE { ?s ?p ?o . ?x a ?t } LIMIT 10000"})
    assert r.status_code == 200 and len(r.json()["results"]["bindings"]) == 10000


def test_a_query_past_the_time_limit_is_stopped_and_the_next_answers(
        relay: tuple[str, subprocess.Popen[str]]) -> None:
    base, process = relay
    child = _child(process.pid)
    started = time.monotonic()
    r = requests.post(base + "sparql", data={"query": PRODUCT + " # limit"}, timeout=30)
    seconds = time.monotonic() - started
    assert r.status_code == 503 and "time limit of 2 s" in r.text, r.text
    assert 2.0 <= seconds < 4.0  # the limit, then the kill (as the pool's test allows)
    for _ in range(50):  # the child running it was killed: its CPU time is not spent on
        if not _running(child):
            break
        time.sleep(0.1)
    assert not _running(child)
    r = requests.post(base + "sparql", data={"query": "ASK { ?s ?p ?o }"}, timeout=30)
    assert r.status_code == 200 and "true" in r.text
    assert _child(process.pid) != child


class _Listener(http.server.BaseHTTPRequestHandler):
    seen: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        self.seen.append(self.path)
        body = b'{"head":{"vars":["a"]},"results":{"bindings":[]}}'
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_POST = do_GET

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet."""


def test_service_to_a_local_listener_receives_nothing_through_sparql(
        relay: tuple[str, subprocess.Popen[str]]) -> None:
    base, process = relay
    listener = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Listener)
    threading.Thread(target=listener.serve_forever, daemon=True).start()
    port = listener.server_address[1]
    _Listener.seen.clear()
    try:
        texts = [
            f"SELECT ?a WHERE {{ SERVICE <http://127.0.0.1:{port}/plain> {{ ?s ?p ?a }} }}",
            # the check bypass of issue 17: rdflib read a closed string and a comment
            'SELECT ?a WHERE { VALUES ?o0 {1} FILTER(?o0 != "x\\u0022) } #") '
            f"SERVICE <http://127.0.0.1:{port}/escaped> {{ ?s ?p ?a }} }}",
            f"SELECT ?a WHERE {{ \\u0053ERVICE <http://127.0.0.1:{port}/keyword> {{ ?s ?p ?a }} }}",
            f"LOAD <http://127.0.0.1:{port}/load>",
        ]
        for text in texts:
            for send in (lambda t: requests.post(base + "sparql", data={"query": t}, timeout=10),
                         lambda t: requests.get(base + "sparql", params={"query": t}, timeout=10)):
                r = send(text)  # refused, or (the escape closes the string) no SERVICE at all
                assert r.status_code in (200, 400, 403), (text, r.status_code, r.text)
                assert "bindings" not in r.text or '"bindings":[{}]' in r.text, r.text
        assert _Listener.seen == []
        # A text sent to the child directly does reach the listener: the check in front is
        # what keeps SERVICE out.
        child_port = _child_port(_child(process.pid))
        r = requests.post(f"http://127.0.0.1:{child_port}/query", data=texts[0], timeout=10,
                          headers={"Content-Type": "application/sparql-query"})
        assert _Listener.seen == ["/plain"], (r.status_code, r.text)
    finally:
        listener.shutdown()
        listener.server_close()


def test_eight_concurrent_clients_of_a_library_query_all_get_200(
        relay: tuple[str, subprocess.Popen[str]]) -> None:
    base, _ = relay
    text = get_query("direct-quotes").text
    statuses: list[int] = []

    def client(index: int) -> None:
        with requests.Session() as session:
            for n in range(25):  # by name, as a repeated text and as a new text, in turn
                if n % 3 == 0:
                    r = session.get(base + "queries/direct-quotes", timeout=30)
                else:
                    query = text if n % 3 == 1 else f"{text}\n# {index} {n}"
                    r = session.post(base + "sparql", data={"query": query}, timeout=30)
                statuses.append(r.status_code)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses.count(200) == len(statuses) == 200, sorted(set(statuses))


def test_a_crash_of_the_child_is_survived(relay: tuple[str, subprocess.Popen[str]]) -> None:
    base, process = relay
    child = _child(process.pid)
    os.kill(child, signal.SIGKILL)
    statuses = []
    for _ in range(20):
        r = requests.post(base + "sparql", data={"query": PATH_QUERY}, timeout=30)
        statuses.append(r.status_code)
        if r.status_code == 200:
            break
        assert r.status_code == 503 and "try again" in r.text, r.text
        time.sleep(0.2)
    assert statuses[-1] == 200 and len(statuses) <= 2, statuses
    assert _child(process.pid) != child


@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGKILL])
def test_no_oxigraph_server_outlives_serve(how: signal.Signals) -> None:
    process, base = start_endpoint("--engine", "oxigraph")
    child = _child(process.pid)
    workers = _children_named(process.pid, "python")  # the pool's, which check the texts
    assert workers
    argv = Path(f"/proc/{child}/cmdline").read_bytes().split(b"\0")
    copy = Path(os.fsdecode(argv[argv.index(b"--location") + 1]))
    assert requests.get(base + "queries/direct-quotes", timeout=30).status_code == 200
    process.send_signal(how)
    process.wait(timeout=20)
    if process.stderr is not None:
        process.stderr.close()
    for _ in range(100):
        if not _running(child):
            break
        time.sleep(0.1)
    assert not _running(child), f"oxigraph {child} outlived serve ({how.name})"
    for _ in range(50):  # an idle worker looks for its server once a second
        if not any(_running(w) for w in workers):
            break
        time.sleep(0.1)
    assert not [w for w in workers if _running(w)], f"workers outlived serve ({how.name})"
    if how == signal.SIGTERM:  # stopped in order: the copy of the memory store is gone too
        assert not copy.exists()
    else:  # nothing ran to remove it: remove what serve wrote
        import shutil

        shutil.rmtree(copy.parent, ignore_errors=True)


def test_without_the_oxigraph_program_serve_says_what_to_install(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    from graph.errors import StoreError

    monkeypatch.setattr(sys, "executable", str(tmp_path / "python"))
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(StoreError, match="pip install"):
        oxigraph_executable()
