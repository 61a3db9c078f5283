"""The query library: every file parses and declares its parameters; binding is data only."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Literal, URIRef
from rdflib.plugins.sparql.parser import parseQuery

from graph.cli import main
from graph.errors import NotFoundError, QueryError
from graph.sparql.binding import bind_values
from graph.sparql.library import get_query, list_queries, run_query
from graph.stores import Store

QUERIES = list_queries()
HOSTILE = 'x" } ?s ?p ?o # { "'


def test_library_has_a_dozen_questions() -> None:
    assert len(QUERIES) >= 12
    assert {q.form for q in QUERIES} >= {"select", "ask", "construct"}


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: q.name)
def test_every_query_parses_and_declares_its_parameters(query: object) -> None:
    from graph.sparql.library import NamedQuery

    assert isinstance(query, NamedQuery)
    parseQuery(query.text)
    assert query.title and query.description
    body = "\n".join(line for line in query.text.splitlines() if not line.startswith("#"))
    for param in query.params:
        assert re.search(rf"\?{param.name}\b", body), f"?{param.name} is not used"
        assert param.example
    bound = bind_values(query.text, {p.name: Literal("v") for p in query.params})
    parseQuery(bound)


# The bundled article is one document: the story queries' examples are checked on a story
# corpus in tests/test_story_cli.py.
@pytest.mark.parametrize(
    "query", [q for q in QUERIES if q.params and not q.name.startswith("story-")],
    ids=lambda q: q.name,
)
def test_examples_give_answers(query: object, memory_store: Store) -> None:
    from graph.sparql.library import NamedQuery

    assert isinstance(query, NamedQuery)
    result = run_query(query, {p.name: p.example for p in query.params}, store=memory_store)
    assert result.rows or result.triples or result.boolean


@pytest.mark.parametrize("query", [q for q in QUERIES if q.params], ids=lambda q: q.name)
def test_hostile_value_cannot_change_a_querys_shape(query: object, memory_store: Store) -> None:
    from graph.sparql.library import NamedQuery

    assert isinstance(query, NamedQuery)
    try:
        result = run_query(query, {p.name: HOSTILE for p in query.params}, store=memory_store)
    except (QueryError, NotFoundError) as exc:
        assert "parse" not in str(exc)
        return
    assert not result.rows and not result.triples and not result.boolean


def test_claim_ids_resolve_and_unknown_ids_are_not_found(memory_store: Store) -> None:
    short = run_query("reporting-chain", {"claim": "c03"}, store=memory_store)
    full = run_query(
        "reporting-chain",
        {"claim": "https://w3id.org/claimgraph/id/claim/thebl-organ-harvesting/c03"},
        store=memory_store,
    )
    assert short == full and short.rows
    with pytest.raises(NotFoundError):
        run_query("reporting-chain", {"claim": "c999"}, store=memory_store)
    with pytest.raises(QueryError, match="missing parameter"):
        run_query("reporting-chain", {}, store=memory_store)
    with pytest.raises(QueryError, match="no query named"):
        get_query("no-such-query")


def test_asking_again_gives_the_same_answer_and_each_error_again(memory_store: Store) -> None:
    """Binding and parameter parsing are memoised: a second call answers the same, and a wrong
    call raises at every call, never only the first time."""
    from graph.errors import QueryRefusedError
    from graph.sparql.binding import check_bound
    from graph.sparql.library import Param, parse_value

    first = run_query("reporting-chain", {"claim": "c03"}, store=memory_store)
    assert first.rows
    assert run_query("reporting-chain", {"claim": "c03"}, store=memory_store) == first
    refused = ("SELECT * WHERE {\n  # @values\n"
               "  SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o }\n}\n")
    for _ in range(2):
        with pytest.raises(QueryError, match=r"unknown parameter.*nope"):
            run_query("reporting-chain", {"claim": "c03", "nope": "x"}, store=memory_store)
        with pytest.raises(QueryError, match="takes a whole number"):
            parse_value(Param("n", "integer", "a count", "3"), "ten")
        with pytest.raises(QueryRefusedError, match="SERVICE"):
            check_bound(refused, {"s": URIRef("urn:cg:s")})


@pytest.mark.parametrize("markers", [0, 1, 2])
def test_a_query_with_parameters_needs_one_values_line(markers: int) -> None:
    from graph.sparql.library import parse_query_text

    text = ("# title: Mine\n# param: claim (claim) — the claim. example: c03\n"
            "SELECT ?text WHERE {\n" + "  # @values\n" * markers
            + "  ?claim <https://schema.org/text> ?text .\n}\n")
    if markers == 1:
        assert [p.name for p in parse_query_text(text, "mine").params] == ["claim"]
        return
    with pytest.raises(QueryError, match="needs one '# @values' line"):
        parse_query_text(text, "mine")


def test_dataframe(memory_store: Store) -> None:
    frame = run_query("quantities", store=memory_store).to_dataframe()
    assert list(frame.columns)[:2] == ["claim", "id"] and len(frame) > 0


# --------------------------------------------------------------------------- CLI


def test_cli_list() -> None:
    out = CliRunner().invoke(main, ["query", "--list"])
    assert out.exit_code == 0, out.output
    assert all(q.name in out.output for q in QUERIES)


@pytest.mark.parametrize("fmt", ["table", "csv", "tsv", "json"])
def test_cli_query_formats(fmt: str) -> None:
    args = ["query", "claims-by-claimant", "--param", "agent=russell-strong", "--format", fmt]
    out = CliRunner().invoke(main, args)
    assert out.exit_code == 0, out.output
    assert "c03" in out.output
    if fmt == "json":
        import json

        assert json.loads(out.stdout)["head"]["vars"][0] == "claim"


def test_cli_construct_ask_and_errors(tmp_path: object) -> None:
    runner = CliRunner()
    out = runner.invoke(main, ["query", "claim-description", "--param", "claim=c03"])
    assert out.exit_code == 0 and "@prefix" in out.output
    out = runner.invoke(main, ["query", "is-contested", "--param", "claim=c17"])
    assert out.stdout.strip() == "true"
    out = runner.invoke(main, ["query", "-"], input="LOAD <http://example.org/>")
    assert out.exit_code == 9 and "refused" in out.output
    out = runner.invoke(main, ["query", "reporting-chain", "--param", "claim=c999"])
    assert out.exit_code == 12


def test_a_query_asked_about_new_values_is_not_parsed_again(
    oxigraph_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The template is checked once; each new claim id only fills its VALUES block."""
    import rdflib.plugins.sparql.parser as parser

    query = get_query("claim-description")
    ids = [str(row[0]) for row in oxigraph_store.query(
        "PREFIX dcterms: <http://purl.org/dc/terms/> PREFIX schema: <https://schema.org/> "
        "SELECT ?id WHERE { ?c a schema:Claim ; dcterms:identifier ?id } ORDER BY ?id LIMIT 8"
    ).rows]
    assert len(ids) == 8
    run_query(query, {"claim": ids[0]}, store=oxigraph_store)  # the template's check is cached
    calls: list[str] = []
    real = parser.parseQuery
    monkeypatch.setattr(parser, "parseQuery", lambda text: calls.append(text) or real(text))
    answers = [run_query(query, {"claim": i}, store=oxigraph_store) for i in ids[1:]]
    assert calls == []
    assert query.form == "construct" and all(a.triples for a in answers)
    assert len({frozenset(a.triples) for a in answers}) == len(answers)  # each about its claim


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(value=st.text(max_size=40))
def test_a_bound_template_checks_like_its_template(value: str) -> None:
    """Why checking the template is enough: any bound value leaves a query of the same form that
    passes the full check (no update, SERVICE or FROM can come in through a value)."""
    from graph.sparql.binding import check_bound
    from graph.sparql.safety import check_query

    for query in (q for q in QUERIES if q.params):
        bound = check_bound(query.text, {p.name: Literal(value) for p in query.params})
        assert check_query(bound.text).form == bound.form == query.form
