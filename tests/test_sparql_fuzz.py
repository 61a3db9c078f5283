"""The query check against the engine that runs the query: no text the check lets through makes
Oxigraph open a connection, however it hides ``SERVICE`` (escapes, comments, strings, IRIs, line
ends), through the endpoint, ``claimgraph query FILE`` and the local stores.

A real listening socket stands for the server a hostile query would reach; it must receive nothing.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from click.testing import CliRunner
from conftest import start_endpoint
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from rdflib import Dataset

from graph.cli import main
from graph.errors import QueryError
from graph.sparql.safety import check_query


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


PORT = _free_port()  # known when the strategies are built, so that examples can name it
URL = f"http://127.0.0.1:{PORT}/sparql"


class Listener:
    """A TCP server on 127.0.0.1 that counts the connections it accepts and closes them."""

    def __init__(self, port: int = 0) -> None:
        self.sock = socket.create_server(("127.0.0.1", port))
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self._stop = False
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        self.sock.settimeout(0.1)
        while not self._stop:
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.connections += 1
            conn.close()

    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/sparql"

    def close(self) -> None:
        self._stop = True
        self.thread.join(timeout=2)
        self.sock.close()


@pytest.fixture(scope="module")
def listener() -> Iterator[Listener]:
    server = Listener(PORT)
    yield server
    server.close()


def hidden_services(url: str) -> dict[str, str]:
    """Texts that passed the old check while Oxigraph called the service."""
    return {
        # rdflib expanded \u0022 and saw a closed string and a comment; Oxigraph a quote in a string
        "escaped-quote": 'SELECT ?a WHERE { VALUES ?o0 {1} FILTER(?o0 != "x\\u0022) } #") '
                         f"SERVICE <{url}> {{ ?s ?p ?a }} }}",
        # rdflib ended the comment at the line feed only; Oxigraph at the carriage return
        "carriage-return": f"SELECT ?a WHERE {{ VALUES ?o0 {{1}} # c\r SERVICE <{url}> "
                           "{ ?s ?p ?a } \n }",
    }


def _engine_runs(text: str) -> None:
    """``text`` as Oxigraph runs it, on an empty store; errors are fine, requests are not."""
    import pyoxigraph

    try:
        result = pyoxigraph.Store().query(text)
        if not isinstance(result, pyoxigraph.QueryBoolean):
            list(result)
    except (SyntaxError, OSError, ValueError, RuntimeError):
        pass


def _wait_quiet(listener: Listener, before: int) -> bool:
    """Whether the listener is still at ``before`` connections a moment later."""
    time.sleep(0.02)
    return listener.connections == before


def test_the_listener_sees_what_the_engine_sends(listener: Listener) -> None:
    """The harness can fail: the hidden SERVICE of each text does reach the socket when the text
    given to the engine is the one the user sent rather than the one the check read."""
    for name, text in hidden_services(listener.url()).items():
        before = listener.connections
        _engine_runs(text)
        time.sleep(0.1)
        assert listener.connections > before, name


@pytest.mark.parametrize("name", ["escaped-quote", "carriage-return"])
def test_hidden_services_reach_nothing_through_the_check(listener: Listener, name: str) -> None:
    text = hidden_services(listener.url())[name]
    before = listener.connections
    try:
        safe = check_query(text)
    except QueryError:
        pass  # refused: nothing runs
    else:
        _engine_runs(safe.text)
    assert _wait_quiet(listener, before)


@pytest.mark.parametrize("name", ["escaped-quote", "carriage-return"])
@pytest.mark.parametrize("store", ["memory", "oxigraph"])
def test_claimgraph_query_file_reaches_nothing(
    listener: Listener, bundled_dataset: Dataset, tmp_path: Path, name: str, store: str
) -> None:
    spec = "memory"
    if store == "oxigraph":
        from graph.stores.oxigraph import OxigraphStore

        folder = tmp_path / "store"
        opened = OxigraphStore(folder)
        opened.replace_graphs(bundled_dataset)
        opened.close()
        spec = f"oxigraph:{folder}"
    query = tmp_path / "hidden.rq"
    query.write_bytes(hidden_services(listener.url())[name].encode("utf-8"))
    before = listener.connections
    result = CliRunner().invoke(main, ["query", str(query), "--store", spec])
    assert result.exit_code in (0, 8, 9), result.output
    assert "Traceback" not in result.output
    assert _wait_quiet(listener, before)


def test_the_endpoint_reaches_nothing(listener: Listener) -> None:
    process, base = start_endpoint("--timeout", "5")
    try:
        for name, text in hidden_services(listener.url()).items():
            before = listener.connections
            r = requests.post(base + "sparql", data={"query": text}, timeout=10)
            assert r.status_code in (200, 400, 403), (name, r.status_code, r.text)
            assert str(listener.port) not in r.text  # no echo of what a local server said
            assert _wait_quiet(listener, before), name
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stderr is not None:
            process.stderr.close()


# --------------------------------------------------------------------------- the fuzzing property

BREAKERS = [
    '"', "'", '\\"', "\\'", "\\\\", ">", "<", "#", "}", ")", " ", "\t", "x",
    "\n", "\r", "\r\n",
    "\\u0022", "\\u0027", "\\u003E", "\\u003C", "\\u0023", "\\u000A", "\\u000D", "\\u005C",
    "\\u007D", "\\U00000022", "\\u005Cu0022",
    # a string or IRI closed early for one parser, and a comment for the rest of the line
    "\\u0022) #", "\\u0027) #", "\\u0022) } #", "\\u003E AS ?i) #", "\\u005C\\u0022) #",
]
LINE_ENDS = ["\n", "\r", "\r\n", "\\u000A", "\\u000D"]


def _payloads(url: str) -> list[str]:
    return [
        f"SERVICE <{url}> {{ ?s ?p ?a }}",
        f"SERVICE SILENT <{url}> {{ ?s ?p ?a }}",
        f"OPTIONAL {{ SERVICE <{url}> {{ ?s ?p ?a }} }}",
        f"}} FROM <{url}> WHERE {{",
        f"}} FROM NAMED <{url}> WHERE {{",
        f"}} ; LOAD <{url}> ; SELECT * {{",
        "} ; INSERT DATA { <urn:a> <urn:b> <urn:c> } ; SELECT * {",
        "} ; DROP ALL ; SELECT * {",
    ]


@st.composite
def escaped(draw: st.DrawFn, text: str) -> str:
    """``text`` with some characters written as ``\\uXXXX`` / ``\\UXXXXXXXX`` (some twice)."""
    out = []
    for char in text:
        how = draw(st.integers(0, 12))
        if how == 0:
            out.append(f"\\u{ord(char):04X}")
        elif how == 1:
            out.append(f"\\U{ord(char):08x}")
        elif how == 2:
            out.append(f"\\u005Cu{ord(char):04X}")  # an escaped backslash, then the escape
        else:
            out.append(char)
    return "".join(out)


@st.composite
def hidden(draw: st.DrawFn, url: str) -> str:
    """A payload (SERVICE, FROM, LOAD, an update), perhaps escaped, with breakers around it."""
    payload = draw(st.sampled_from(_payloads(url)))
    if draw(st.booleans()):
        payload = draw(escaped(payload))
    noise = st.lists(st.sampled_from(BREAKERS), max_size=3).map("".join)
    return draw(noise) + payload + draw(noise)


def breakers() -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(BREAKERS), min_size=1, max_size=3).map("".join)


@st.composite
def element(draw: st.DrawFn, url: str) -> str:
    """One part of a group: harmless, or a payload hidden in a string, a comment or an IRI."""
    kind = draw(st.sampled_from(["values", "string", "long", "comment", "iri", "bare", "triple",
                                 "after-string", "after-comment"]))
    if kind == "values":
        return "VALUES ?o {1}"
    if kind == "triple":
        return "?s ?p ?a ."
    if kind == "bare":
        return draw(hidden(url))
    if kind == "comment":
        return "# " + draw(st.one_of(hidden(url), breakers())) + draw(st.sampled_from(LINE_ENDS))
    if kind == "after-string":  # a string one parser may close early, the payload after it
        quote = draw(st.sampled_from(['"', "'", '"""']))
        return (f"FILTER(?o != {quote}x{draw(breakers())}{quote}) " + draw(hidden(url))
                + draw(st.sampled_from(LINE_ENDS)))
    if kind == "after-comment":  # a comment one parser may end early, the payload after it
        return ("# c" + draw(st.sampled_from([*LINE_ENDS, "", " "])) + draw(hidden(url))
                + draw(st.sampled_from(LINE_ENDS)))
    content = draw(st.one_of(hidden(url), breakers()))  # a payload inside, or only breakers
    if kind == "iri":
        return f"BIND(<urn:x:{content}> AS ?i)"
    quote = draw(st.sampled_from(['"', "'"])) * (3 if kind == "long" else 1)
    return f"FILTER(?o != {quote}{content}{quote})"


@st.composite
def hostile_queries(draw: st.DrawFn, url: str) -> str:
    parts = draw(st.lists(element(url), min_size=1, max_size=4))
    head = draw(st.sampled_from(["SELECT ?a WHERE { ", "ASK { ", "SELECT * { "]))
    ends = st.sampled_from([" ", "\n", "\r", " \n "])
    return head + "".join(p + draw(ends) for p in parts) + draw(st.sampled_from(["}", "\n}"]))


@settings(max_examples=400, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(text=hostile_queries(URL))
@example(text=hidden_services(URL)["escaped-quote"])
@example(text=hidden_services(URL)["carriage-return"])
def test_no_text_the_check_accepts_reaches_a_socket(listener: Listener, text: str) -> None:
    before = listener.connections
    try:
        safe = check_query(text)
    except QueryError:
        return  # refused (QueryRefusedError included): nothing runs
    _engine_runs(safe.text)
    assert listener.connections == before, text


def test_the_checked_text_is_the_normalised_one() -> None:
    """What the stores run is the text the check read: escapes expanded (SPARQL 1.1 §19.2),
    carriage returns made line feeds; an escape that names no character, or escapes nested
    deeper than a few rounds, are errors, not crashes."""
    safe = check_query('ASK { FILTER("caf\\u00E9" = "caf\\U000000e9") }\r\n# done\r')
    assert safe.text == 'ASK { FILTER("café" = "café") }\n# done\n'
    with pytest.raises(QueryError, match="not a Unicode character"):
        check_query('ASK { FILTER("\\uD800" = "") }')
    nested = "\\u005C" + "u005C" * 5 + "u0041"  # each round makes one more escape
    with pytest.raises(QueryError, match="nested"):
        check_query(f'ASK {{ FILTER("{nested}" = "") }}')
