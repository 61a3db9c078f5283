"""No silent wrong answers: parameters take the annotation format's words, and a value that names
nothing is an error; `query` reads a graph file; a command on the bundled article says so."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import requests
from click.testing import CliRunner

import graph
from graph.cli import main
from graph.errors import NotFoundError, QueryError
from graph.rdf.export import to_trig
from graph.rdf.vocab import MODES, SOURCE_KINDS
from graph.sparql.library import run_query
from graph.stores import Store, open_store

EXAMPLE = Path(__file__).parent / "data" / "example"
CLAIMGRAPH = Path(sys.executable).parent / "claimgraph"
NOTE = "claimgraph: no graph given; using the bundled article (thebl-organ-harvesting)"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(CLAIMGRAPH), *args], capture_output=True, text=True, check=False)


@pytest.fixture(scope="module")
def example_trig(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """tests/data/example, with its vague-collective denial made anonymous, built to TriG."""
    corpus = tmp_path_factory.mktemp("example") / "example"
    shutil.copytree(EXAMPLE, corpus)
    yaml_file = corpus / "interview.yaml"
    text = yaml_file.read_text(encoding="utf-8")
    yaml_file.write_text(text.replace("source_kind: vague-collective", "source_kind: anonymous"),
                         encoding="utf-8")
    path = corpus.parent / "graph.trig"
    path.write_text(to_trig(graph.build([corpus]).dataset), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def example_store(example_trig: Path) -> Store:
    from graph.rdf.rdfio import read_rdf

    return open_store("memory", dataset=read_rdf(example_trig))


@pytest.mark.parametrize(
    ("query", "param", "word", "forms"),
    [
        ("claims-by-source-kind", "kind", "anonymous",
         ["cg:Anonymous", str(SOURCE_KINDS["anonymous"]), f"<{SOURCE_KINDS['anonymous']}>"]),
        ("claims-by-mode", "mode", "denial",
         ["cg:Denial", str(MODES["denial"]), f"<{MODES['denial']}>"]),
        ("claims-by-mode", "mode", "direct-quote", ["cg:DirectQuote"]),
    ],
)
def test_annotation_words_give_the_rows_of_the_iri(
    example_store: Store, query: str, param: str, word: str, forms: list[str]
) -> None:
    by_word = run_query(query, {param: word}, store=example_store)
    assert by_word.rows, "the fixture holds such a claim"
    for form in forms:
        assert run_query(query, {param: form}, store=example_store) == by_word, form


def test_every_word_of_the_vocabularies_is_its_concept(example_store: Store) -> None:
    for query, param, words in (("claims-by-source-kind", "kind", SOURCE_KINDS),
                                ("claims-by-mode", "mode", MODES)):
        for word, iri in words.items():
            by_word = run_query(query, {param: word}, store=example_store)
            assert by_word == run_query(query, {param: str(iri)}, store=example_store), word


@pytest.mark.parametrize("value", ["nonsense", "Anonymous", "cg:Nonsense", "cg:Denial",
                                   "https://example.org/anonymous"])
def test_a_source_kind_outside_the_vocabulary_lists_the_allowed_words(
    example_store: Store, value: str
) -> None:
    with pytest.raises(QueryError) as caught:
        run_query("claims-by-source-kind", {"kind": value}, store=example_store)
    message = str(caught.value)
    assert repr(value) in message
    assert all(word in message for word in SOURCE_KINDS), message


@pytest.mark.parametrize(
    ("query", "param", "value", "what"),
    [
        ("claims-by-claimant", "agent", "nobody-here", "entity"),
        ("claims-by-claimant", "agent", "id:entity/nobody-here", "entity"),
        ("about-entity", "entity", "https://w3id.org/claimgraph/id/entity/nobody", "entity"),
        ("claims-resting-on-document", "document", "no-such-doc", "document"),
        ("reporting-chain", "claim", "example-interview/c9", "claim"),
        ("reporting-chain", "claim", "https://w3id.org/claimgraph/id/claim/x/c1", "claim"),
    ],
)
def test_a_value_naming_nothing_in_the_graph_is_not_found(
    example_store: Store, query: str, param: str, value: str, what: str
) -> None:
    with pytest.raises(NotFoundError, match=f"the graph holds no {what}"):
        run_query(query, {param: value}, store=example_store)


def test_ids_prefixed_names_and_iris_name_the_same_node(example_store: Store) -> None:
    by_id = run_query("claims-by-claimant", {"agent": "ana-ruiz"}, store=example_store)
    assert by_id.rows
    for form in ("id:entity/ana-ruiz", "https://w3id.org/claimgraph/id/entity/ana-ruiz"):
        assert run_query("claims-by-claimant", {"agent": form}, store=example_store) == by_id


@pytest.mark.parametrize("value", ["Ana Ruiz", "ana ruiz", 'x" } ?s ?p ?o # { "', "nope:x"])
def test_a_value_of_the_wrong_shape_says_what_the_parameter_takes(
    example_store: Store, value: str
) -> None:
    with pytest.raises(QueryError, match="takes an entity id"):
        run_query("claims-by-claimant", {"agent": value}, store=example_store)


# --------------------------------------------------------------------------- CLI


def test_cli_query_reads_a_graph_file(example_trig: Path) -> None:
    done = run("query", "claims-by-source-kind", str(example_trig), "--param", "kind=anonymous")
    assert done.returncode == 0, done.stderr
    assert "Officials denied the report." in done.stdout and "(1 row)" in done.stdout
    assert done.stderr == ""
    by_option = run("query", "claims-by-source-kind", "--graph", str(example_trig),
                    "--param", "kind=cg:Anonymous")
    assert by_option.returncode == 0 and by_option.stdout == done.stdout
    # The bundled article has no ana-ruiz: the answer is about the file given.
    done = run("query", "claims-by-claimant", str(example_trig), "--param", "agent=ana-ruiz",
               "--format", "csv")
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("\n") == 3 and "We treat 200 patients a week," in done.stdout


def test_cli_query_nonsense_kind_exits_8_listing_the_words(example_trig: Path) -> None:
    done = run("query", "claims-by-source-kind", str(example_trig), "--param", "kind=nonsense")
    assert done.returncode == QueryError.exit_code == 8
    assert done.stdout == "" and done.stderr.count("\n") == 1, done.stderr
    assert all(word in done.stderr for word in SOURCE_KINDS), done.stderr


def test_cli_query_unknown_entity_fails(example_trig: Path) -> None:
    done = run("query", "claims-by-claimant", str(example_trig), "--param", "agent=russell-strong")
    assert done.returncode == NotFoundError.exit_code, done.stderr
    assert "holds no entity 'russell-strong'" in done.stderr and str(example_trig) in done.stderr
    assert done.stdout == ""


def test_cli_query_takes_one_graph(example_trig: Path) -> None:
    result = CliRunner().invoke(main, ["query", "quantities", str(example_trig),
                                       "--store", "memory"])
    assert result.exit_code == 2 and "not both" in result.output


# --------------------------------------------------------------------------- the bundled note


@pytest.mark.parametrize(
    "args",
    [
        ["query", "claims-by-mode", "--param", "mode=denial"],
        ["paths", "c02"],
        ["analyze", "--json"],
        ["export-network", "--format", "json", "--out", "{tmp}/n.json"],
        ["view", "--kind", "entities", "--out", "{tmp}/v.html"],
        ["load", "--store", "memory"],
    ],
)
def test_a_command_on_the_bundled_article_says_so_on_stderr(tmp_path: Path, args: list[str]
                                                            ) -> None:
    done = run(*(a.format(tmp=tmp_path) for a in args))
    assert done.returncode == 0, done.stderr
    assert done.stderr.startswith(NOTE) and done.stderr.count("\n") == 1, done.stderr
    assert NOTE not in done.stdout


def test_serving_the_bundled_article_says_so_after_the_address() -> None:
    from conftest import start_endpoint

    process, base = start_endpoint("--workers", "1")
    try:
        assert process.stderr is not None
        assert process.stderr.readline().startswith(NOTE)
        assert requests.get(base + "queries", timeout=10).status_code == 200
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stderr is not None:
            process.stderr.close()


def test_no_note_when_a_graph_file_is_given(example_trig: Path) -> None:
    done = run("paths", "c1", str(example_trig))
    assert done.returncode == 0 and done.stderr == "", done.stderr


# --------------------------------------------------------------------------- the endpoint


def test_the_endpoint_binds_the_same_words_and_refuses_nonsense(endpoint: str) -> None:
    url = endpoint + "queries/claims-by-mode"
    by_word = requests.get(url, params={"mode": "denial"}, timeout=10)
    by_iri = requests.get(url, params={"mode": "cg:Denial"}, timeout=10)
    assert by_word.status_code == by_iri.status_code == 200
    rows = by_word.json()["results"]["bindings"]
    assert rows and rows == by_iri.json()["results"]["bindings"]
    bad = requests.get(url, params={"mode": "nonsense"}, timeout=10)
    assert bad.status_code == 400 and all(word in bad.text for word in MODES)
    missing = requests.get(endpoint + "queries/claims-by-claimant",
                           params={"agent": "nobody-here"}, timeout=10)
    assert missing.status_code == 404 and "holds no entity" in missing.text
