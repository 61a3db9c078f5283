"""Nothing claimgraph is asked to read or run reaches the network: with every connection refused
and recorded, remote queries and remote JSON-LD contexts are refused before any attempt."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from graph.cli import main
from graph.errors import QueryRefusedError
from graph.stores import Store

REMOTE_QUERIES = {
    "service": "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
    "service-silent": "SELECT * WHERE { SERVICE SILENT <http://example.org/sparql> { ?s ?p ?o } }",
    "load": "LOAD <http://example.org/x>",
    "load-into": "LOAD SILENT <http://example.org/x> INTO GRAPH <urn:cg:g>",
    "from": "SELECT * FROM <http://example.org/g> WHERE { ?s ?p ?o }",
    "from-named": "SELECT * FROM NAMED <http://example.org/g> WHERE { GRAPH ?g { ?s ?p ?o } }",
    "ask-from": "ASK FROM <http://example.org/g> { ?s ?p ?o }",
}


@pytest.fixture
def attempts(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[str, Any]]]:
    """Every connection and name lookup of this process, recorded and refused."""
    seen: list[tuple[str, Any]] = []

    def refuse(kind: str) -> Any:
        def blocked(*args: Any, **kwargs: Any) -> Any:
            seen.append((kind, args[1:] if kind != "getaddrinfo" else args))
            raise OSError(f"network blocked by the test ({kind})")

        return blocked

    monkeypatch.setattr(socket.socket, "connect", refuse("connect"))
    monkeypatch.setattr(socket.socket, "connect_ex", refuse("connect_ex"))
    monkeypatch.setattr(socket, "getaddrinfo", refuse("getaddrinfo"))
    yield seen


def test_the_block_records_attempts(attempts: list[tuple[str, Any]]) -> None:
    with pytest.raises(OSError, match="blocked"):
        socket.create_connection(("example.org", 80), timeout=1)
    assert attempts and attempts[0][0] == "getaddrinfo"
    attempts.clear()


@pytest.mark.parametrize("name", sorted(REMOTE_QUERIES))
@pytest.mark.parametrize("store_name", ["memory_store", "oxigraph_store"])
def test_remote_queries_are_refused_without_a_connection(
    request: pytest.FixtureRequest, attempts: list[tuple[str, Any]], store_name: str, name: str
) -> None:
    store: Store = request.getfixturevalue(store_name)
    with pytest.raises(QueryRefusedError):
        store.query(REMOTE_QUERIES[name])
    assert attempts == []


@pytest.mark.parametrize("store_name", ["memory_store", "oxigraph_store"])
def test_library_queries_still_answer_offline(
    request: pytest.FixtureRequest, attempts: list[tuple[str, Any]], store_name: str
) -> None:
    from graph.sparql.library import run_query

    store: Store = request.getfixturevalue(store_name)
    assert run_query("claims-by-claimant", {"agent": "russell-strong"}, store=store).rows
    assert attempts == []


def _remote_context_files(folder: Path) -> list[Path]:
    documents = {
        "context-url.jsonld": {
            "@context": "http://example.org/context.jsonld",
            "@id": "http://example.org/a",
            "name": "x",
        },
        "context-list.jsonld": {
            "@context": [{"schema": "https://schema.org/"}, "https://example.org/c.jsonld"],
            "@id": "http://example.org/a",
            "schema:name": "x",
        },
        "nested-context.json": {
            "@context": {"schema": "https://schema.org/"},
            "@graph": [{"@context": "http://example.org/inner", "@id": "http://example.org/b"}],
        },
        "import.jsonld": {
            "@context": {"@version": 1.1, "@import": "http://example.org/imported.jsonld"},
            "@id": "http://example.org/a",
        },
    }
    paths = []
    for name, document in documents.items():
        path = folder / name
        path.write_text(json.dumps(document), encoding="utf-8")
        paths.append(path)
    return paths


@pytest.mark.parametrize("command", ["validate", "load"])
def test_jsonld_with_a_remote_context_is_refused(
    tmp_path: Path, attempts: list[tuple[str, Any]], command: str
) -> None:
    runner = CliRunner()
    store = tmp_path / "store"
    for path in _remote_context_files(tmp_path):
        args = [command, str(path)]
        if command == "load":
            args += ["--store", f"oxigraph:{store}"]
        result = runner.invoke(main, args)
        assert result.exit_code == 6, (path.name, result.output)
        assert "context" in result.output.lower()
        assert attempts == [], path.name
    if store.exists():  # a refused file writes nothing
        import pyoxigraph

        assert len(pyoxigraph.Store.read_only(str(store))) == 0
