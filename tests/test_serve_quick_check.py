"""The endpoint's quick verdict (no rdflib parse) never lets through what the full check refuses,
and what it lets through reaches no socket when Oxigraph runs it: the fuzzing property of
``tests/test_sparql_fuzz.py``, on the quick path, and on texts that put the two keywords in and
right beside comments, strings, IRIs and names."""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Sequence

import pytest
import requests
from conftest import start_endpoint
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from test_sparql_fuzz import (
    PORT,
    URL,
    Listener,
    _engine_runs,
    _wait_quiet,
    hidden_services,
    hostile_queries,
    listener,
)

from graph.errors import QueryError, QueryRefusedError
from graph.serve.query_lexer import holds_keyword, keywords_hidden
from graph.serve.quick_check import quick_verdict
from graph.sparql.binding import bind_values
from graph.sparql.library import list_queries, resolve_params
from graph.sparql.safety import check_query
from graph.stores.memory import MemoryStore

__all__ = ["listener"]  # the fuzz module's listening socket, as a fixture here too


@settings(max_examples=400, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(text=hostile_queries(URL))
@example(text=hidden_services(URL)["escaped-quote"])
@example(text=hidden_services(URL)["carriage-return"])
def test_no_text_the_quick_verdict_accepts_reaches_a_socket(listener: Listener,
                                                            text: str) -> None:
    verdict = quick_verdict(text)
    try:
        check_query(text)
    except QueryRefusedError:
        assert verdict is None, text  # what the full check refuses is never let through
    except QueryError:
        pass  # a text that does not parse: the engine refuses it too
    if verdict is None:
        return
    before = listener.connections
    _engine_runs(verdict.text)
    time.sleep(0.005)
    assert listener.connections == before, text


def test_every_library_text_gets_the_full_checks_verdict_without_a_parse() -> None:
    """As written, bound with its example, and made new by a comment (as a client's text)."""
    store = MemoryStore()
    for named in list_queries():
        bound = bind_values(named.text,
                            resolve_params(named, {p.name: p.example for p in named.params},
                                           store))
        for text in (named.text, bound, f"{bound}\n# fresh 1 from a client"):
            verdict = quick_verdict(text)
            assert verdict is not None, (named.name, text)
            checked = check_query(text)
            assert verdict == checked, named.name


@pytest.mark.parametrize("text", [
    "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
    "SELECT * WHERE { \\u0053ERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
    "SELECT * WHERE { \\u005Cu0053ERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
    "SELECT * WHERE { ſervice <http://127.0.0.1:9/> { ?s ?p ?o } }",  # folds to "service"
    "ASKFROM <http://127.0.0.1:9/> {}",
    "SELECT * FROM NAMED <http://127.0.0.1:9/> WHERE { ?s ?p ?o }",
    "LOAD <http://127.0.0.1:9/x>",
    "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
    "PREFIX x: <urn:x> # SELECT\nDELETE WHERE { ?s ?p ?o }",
    "SELECT * { FILTER(\"a\\uD800\" = ?x) }",  # an escape of no character: the check says so
])
def test_texts_that_need_the_full_check(text: str) -> None:
    assert quick_verdict(text) is None


def test_the_prologue_is_read_in_linear_time() -> None:
    started = time.monotonic()
    for text in ["PREFIX " + "# a " * 200_000 + "x", "PREFIX x: " + "#" * 200_000,
                 "PREFIX x: <urn:" + "a" * 500_000, "BASE " * 100_000]:
        assert quick_verdict(text) is None
    assert time.monotonic() - started < 10.0  # a regex that backtracks would not return


# ----------------------------------------------------------- the keywords beside names and marks

SERVER = f"http://127.0.0.1:{PORT}/"  # the listener's root: ":sparql" names URL
KEYWORDS = ["SERVICE", "service", "FROM", "from", "ſervice", "SERVıCE", "\\u0053ERVICE",
            "FR\\u004FM", "\\u005Cu0046ROM"]
CALLS = [f"SERVICE <{URL}> {{ ?s ?p ?a }}", "service:sparql { ?s ?p ?a }",
         f"SERVıCE <{URL}> {{ }}", f"\\u0053ERVICE SILENT <{URL}> {{ }}", "SERVICE:sparql{}"]
DATASETS = ["", "", f"FROM <{URL}> ", "from:sparql ", "FROM NAMED :sparql ",
            f"FR\\u004FM <{URL}> ", "# FROM :sparql\n", "FROM<x#> "]
# Where a keyword is data, if the lexer and both parsers agree on where each region ends.
HIDERS = ["?s ?p '{k}' .", '?s ?p "{k}" .', '?s ?p """a\n{k}""" .', "?s ?p '''{k}''' .",
          "?s ?p <urn:x#{k}> .", "?{k} ?p ?o .", "?s ?p ${k} .", "?s :{k} ?o .", "?s ex:a-{k} ?o .",
          "_:{k} ?p ?o .", "# {k} <urn:x>\n", "FILTER(?o = <urn:{k}>)", "FILTER(?o<<urn:x#{k}>)",
          "FILTER(?o IN (<urn:x#{k}>, ?o))", "?s :a:{k} ?o ."]
# What a keyword is put right beside: names, and marks that open or close a region.
BESIDE = ["?", "$", "_:", ":", "ex:", "ex:a.", "<", ">", "<urn:x#", "#", '"', "'", '"""', "\\",
          "\\u0022", "\\u003E", "\\u0023", "(", ")", "{", "}", ".", "@", "?a<", "?a<1)", "1#>",
          "\n", " ", ""]
AFTER = [f" <{URL}> {{ ?s ?p ?a }}", ":sparql { ?s ?p ?a }", "", "#>\n", "'", '"', ">", "\n"]
# Less-than or an IRI, after an operand ({o}): a "#" or a "'" in it ends the line or opens a
# string for one reading only.
TWO_READINGS = ["FILTER({o}<1){k}#>\n<" + URL + ">{{?s ?p ?o}}",
                'FILTER({o}<1#>"""\n) {k} <' + URL + '> {{ }} FILTER(""">"")\n',
                'FILTER({o}<1#>"""\n) {k} <' + URL + '> {{ ?s ?p ?o }}\n#""")\n',
                "FILTER({o}<1')'>) {k} <" + URL + "> {{ }} FILTER(?b>'x')"]
OPERANDS = ["?a", "ex:a-", "1", "'x'", "?a -"]
PROLOGUES = ["", f"PREFIX : <{SERVER}> PREFIX ex: <{SERVER}> ",
             f"PREFIX from: <{SERVER}> PREFIX service: <{SERVER}> PREFIX : <{SERVER}>\n"
             f"PREFIX ex: <{SERVER}>\n"]


def near_miss(pick: Callable[[Sequence[str]], str]) -> str:
    """A query with a dataset clause or none and one to three parts, each a call, a keyword
    hidden in a name, a string, an IRI or a comment, or a keyword right beside such a mark."""
    parts = [pick(PROLOGUES), pick(["SELECT * ", "ASK ", "SELECT ?a "]), pick(DATASETS),
             "WHERE { "]
    for _ in range(int(pick(["1", "2", "3"]))):
        kind = pick(["triple", "call", "hidden", "hidden", "beside", "two readings",
                     "two readings"])
        if kind == "triple":
            parts.append("?s ?p ?o .")
        elif kind == "call":
            parts.append(pick(CALLS))
        elif kind == "hidden":
            parts.append(pick(HIDERS).format(k=pick(KEYWORDS)))
        elif kind == "beside":
            parts += [pick(BESIDE), pick(KEYWORDS), pick(BESIDE), pick(AFTER)]
        else:
            parts.append(pick(TWO_READINGS).format(k=pick(KEYWORDS), o=pick(OPERANDS)))
        parts.append(pick([" ", "\n", ""]))
    return "".join([*parts, " }"])


@st.composite
def near_misses(draw: st.DrawFn) -> str:
    return near_miss(lambda options: draw(st.sampled_from(options)))


def _quick_agrees(listener: Listener, text: str) -> tuple[bool, bool]:
    """The property on ``text``: refused by the full check, never let through; let through,
    nothing reaches the listener. Whether the check refused it, and whether the quick verdict
    let through a text holding a keyword's letters (one the lexer read)."""
    verdict = quick_verdict(text)
    refused = False
    try:
        check_query(text)
    except QueryRefusedError:
        refused = True
        assert verdict is None, text
    except QueryError:
        pass
    if verdict is not None:
        before = listener.connections
        _engine_runs(verdict.text)
        assert _wait_quiet(listener, before), text
    return refused, verdict is not None and holds_keyword(verdict.text)


@settings(max_examples=300, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(text=near_misses())
def test_keywords_beside_names_and_marks_are_never_let_through(listener: Listener,
                                                                text: str) -> None:
    _quick_agrees(listener, text)


def test_the_near_misses_reach_both_sides(listener: Listener) -> None:
    """The same texts drawn at random (seeded): the property holds, and the draw is not idle:
    the full check refuses some of them, and the quick verdict lets through some that hold a
    keyword's letters."""
    rng = random.Random(17)
    refused = quick = 0
    for _ in range(250):
        text = near_miss(rng.choice)
        was_refused, was_quick = _quick_agrees(listener, text)
        refused += was_refused
        quick += was_quick
    assert refused >= 25 and quick >= 10, (refused, quick)


SERVICE_CALL = f"SERVICE <{URL}> {{ ?s ?p ?a }}"


@pytest.mark.parametrize("text", [
    # a prefix is not a region: Oxigraph matches keywords with no word boundary
    f"PREFIX : <{SERVER}> SELECT * from:sparql WHERE {{ ?s ?p ?o }}",
    f"PREFIX : <{SERVER}> SELECT*from:sparql{{?s ?p ?o}}",
    f"PREFIX : <{SERVER}> SELECT * WHERE {{ service:sparql {{ ?s ?p ?o }} }}",
    f"PREFIX : <{SERVER}> SELECT * WHERE {{ ?s ?p ?o . service:sparql{{?s ?p ?a}} }}",
    # "ı" and "ſ": rdflib upper-cases keywords ("SERVıCE" is SERVICE to it)
    f"SELECT * WHERE {{ SERVıCE <{URL}> {{ ?s ?p ?o }} }}",
    f"SELECT * WHERE {{ ſervice <{URL}> {{ ?s ?p ?o }} }}",
    # a "<" that may be less-than: its "#" starts a comment, and the call is on the next line
    f"SELECT * WHERE {{ FILTER(?a<1)SERVICE#>\n<{URL}>{{?s ?p ?o}} }}",
    f'SELECT * WHERE {{ FILTER(?a<1#>"""\n) {SERVICE_CALL} FILTER(""">"")\n}}',
    f"SELECT * WHERE {{ FILTER(?a<1')'>) {SERVICE_CALL} FILTER(?b>'x') }}",
    # the same after a local name ending with "-" (an operand: "ex:a-" is one prefixed name)
    f'PREFIX ex: <{SERVER}> SELECT * WHERE {{ FILTER(ex:a-<1#>"""\n) {SERVICE_CALL}\n#""")\n}}',
    # a name ends where a "." or a "%" begins
    f"PREFIX ex: <{SERVER}> SELECT * WHERE {{ ?s ex:a.from ?o }}",
    f"PREFIX ex: <{SERVER}> SELECT * WHERE {{ ?s ex:a%20from ?o }}",
    # strings both parsers may end apart, or that do not end
    f"SELECT * WHERE {{ ?s ?p 'a''b' }} {SERVICE_CALL}",
    "SELECT * WHERE { ?s ?p '''a'from''' }",
    f"SELECT * WHERE {{ ?s ?p 'a\\\"b' {SERVICE_CALL} }}",
    "SELECT * WHERE { ?s ?p 'from }",
    "SELECT * WHERE { ?s ?p ?o } \\ # from",
    'SELECT * WHERE { ?s ?p ?o FILTER("x"@from) }',
    # IRIs after an operand in parentheses, with a "#": a collection, less-than
    "SELECT * WHERE { ?s ?p ( <urn:x#a> <urn:y#from> ) }",
    "SELECT * WHERE { ?s ?p ?o FILTER(?o<urn:from#x>) }",
    # what the lexer does not know, or brackets that do not close
    "SELECT * WHERE { ?s ?p ?o } ORDER BY ?o $ # from",
    "SELECT * WHERE { ?s ?p ?o . FILTER(?o = 1) ) # from",
])
def test_near_misses_the_quick_verdict_leaves_to_the_full_check(text: str) -> None:
    assert quick_verdict(text) is None


@pytest.mark.parametrize("text", [
    "SELECT ?from WHERE { ?from ?p $service }",
    "SELECT * WHERE { _:from ?p ?o . ?s ?p _:service }",
    f"PREFIX from: <{SERVER}> PREFIX service: <{SERVER}> SELECT * WHERE {{ ?s ?p ?o }}",
    "PREFIX prov: <http://www.w3.org/ns/prov#> SELECT * { ?c prov:wasDerivedFrom+ ?u }",
    "PREFIX ex: <urn:ex:> SELECT * { ?s ex:a:from ?o . ?s ex:service-from ?o }",
    "SELECT * WHERE { ?s ?p 'from' . ?s ?p \"service\" . ?s ?p '''a\nfrom''' }",
    'SELECT * WHERE { ?s ?p """SERVICE <http://127.0.0.1:9/> { }""" }',
    "SELECT * WHERE { ?s ?p 'it\\'s from' }",
    "SELECT * WHERE { ?s ?p ?o } # FROM <http://127.0.0.1:9/>",
    "SELECT * WHERE { ?s ?p <http://from.example/service#from> }",
    "SELECT * WHERE { ?s ?p ?o FILTER(?o = <urn:x#from> || ?o < <urn:y#service>) }",
    "SELECT * WHERE { ?s ?p ?o FILTER(?o IN (<urn:x#from>, <urn:y#from>)) }",
    "SELECT * WHERE { ?s ?p ?o FILTER(?o<<urn:x#from>) }",
    "SELECT * WHERE { ?s ?p \"\\u0053ERVICE\" }",  # an escape inside a string
])
def test_words_only_in_names_strings_iris_and_comments_get_the_quick_verdict(
        text: str) -> None:
    verdict = quick_verdict(text)
    assert verdict is not None, text
    checked = check_query(text)  # the quick verdict does not say whether it is explosive
    assert (verdict.text, verdict.form) == (checked.text, checked.form)


def test_the_listener_sees_a_prefixed_service(listener: Listener) -> None:
    """The harness can fail on the near misses: Oxigraph calls ``service:sparql`` (SERVICE
    :sparql, no word boundary) when given the text unchecked."""
    before = listener.connections
    _engine_runs(f"PREFIX : <{SERVER}> SELECT * WHERE {{ service:sparql {{ ?s ?p ?a }} }}")
    time.sleep(0.1)
    assert listener.connections > before


def test_the_endpoint_refuses_the_near_misses_and_reaches_nothing(listener: Listener) -> None:
    process, base = start_endpoint("--timeout", "5")
    try:
        refused = [f"PREFIX : <{SERVER}> SELECT * WHERE {{ service:sparql {{ ?s ?p ?a }} }}",
                   f"PREFIX : <{SERVER}> SELECT*from:sparql{{?s ?p ?o}}",
                   f"SELECT * WHERE {{ SERVıCE <{URL}> {{ ?s ?p ?o }} }}",
                   f"SELECT * WHERE {{ FILTER(?a<1)SERVICE#>\n<{URL}>{{?s ?p ?o}} }}",
                   f"SELECT * WHERE {{ ?s ?p 'from' }} {SERVICE_CALL}"]
        answered = [*hidden_services(URL).values(),  # normalised: the call is in a comment
                    "SELECT * WHERE { ?s ?p 'from' . ?s ?p ?o } # from"]
        for text in refused + answered:
            before = listener.connections
            r = requests.post(base + "sparql", data={"query": text}, timeout=10)
            expected = (400, 403) if text in refused else (200, 400, 403)
            assert r.status_code in expected, (text, r.status_code, r.text)
            assert _wait_quiet(listener, before), text
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stderr is not None:
            process.stderr.close()


def test_the_lexer_is_linear_on_hostile_texts() -> None:
    """Long texts of what makes a lexer backtrack or rescan: "<" without ">", quotes, names,
    brackets, comments; each read well within seconds (a quadratic scan would take hours)."""
    n = 200_000
    for text in ["SELECT * { " + "<a" * n + " from", "SELECT * { " + "?a " * n + "from",
                 "SELECT * { " + "'a' " * n + "'from", "SELECT * { " + '"""from' + "a" * n,
                 "SELECT * { " + "ex:a" * n + " from", "SELECT * { " + "(" * n + ")" * n + "from",
                 "SELECT * { " + "# from\n" * n, "SELECT * { " + "<urn:x#from> " * n + "}",
                 "SELECT * { " + "\"from\\\"" * n]:
        started = time.monotonic()
        keywords_hidden(text)
        quick_verdict(text)
        assert time.monotonic() - started < 5.0, text[:40]
