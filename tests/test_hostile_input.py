"""Hostile and broken input: every case ends in one of claimgraph's own errors, never a crash,
a hang, a network request, or a partly written output."""

from __future__ import annotations

import contextlib
import hashlib
import json
import shutil
import socket
import string
import subprocess
import sys
import unicodedata
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import graph
from graph.errors import AnnotationError, ClaimgraphError, InputError, RDFSyntaxError
from graph.model.annotations import load_annotation_file, parse_annotation_text
from graph.rdf.rdfio import parse_rdf_text, read_rdf
from graph.validate.contract import check_contract

EXAMPLE = Path(__file__).parent / "data" / "example"
EXAMPLE_YAML = (EXAMPLE / "interview.yaml").read_text(encoding="utf-8")
EXAMPLE_TEXT = (EXAMPLE / "interview.txt").read_bytes()
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def parse(yaml_text: str, article: bytes = EXAMPLE_TEXT) -> Any:
    return parse_annotation_text(yaml_text, path=Path("fuzz.yaml"), read_text=lambda _: article)


@FUZZ
@given(st.text(max_size=400))
def test_random_text_as_annotation_file(text: str) -> None:
    try:
        parse(text)
    except AnnotationError as error:
        assert str(error).startswith("fuzz.yaml")


@FUZZ
@given(st.data())
def test_mutated_example_loads_or_is_refused_cleanly(data: st.DataObject) -> None:
    text = EXAMPLE_YAML
    for _ in range(data.draw(st.integers(1, 4))):
        at = data.draw(st.integers(0, len(text)))
        cut = data.draw(st.integers(0, 8))
        insert = data.draw(st.text(alphabet=string.printable + "“”\u00a0\u202e", max_size=6))
        text = text[:at] + insert + text[at + cut :]
    try:
        result = parse(text)
    except AnnotationError as error:
        assert error.path == Path("fuzz.yaml")
        return
    article = EXAMPLE_TEXT.decode("utf-8")
    for claim in result.claims:
        assert article[claim.start : claim.end] == claim.text


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=20,
)


@FUZZ
@given(
    st.dictionaries(
        st.sampled_from(["format", "document", "claims", "entities", "cited_documents"]),
        json_values,
    )
)
def test_wrong_types_in_every_section(top: dict[str, Any]) -> None:
    with pytest.raises(AnnotationError):
        parse(yaml.safe_dump(top))


@FUZZ
@given(
    key=st.sampled_from(
        [
            "text",
            "claimant",
            "source_kind",
            "mode",
            "cue",
            "about",
            "quantities",
            "dates",
            "relations",
            "denies",
            "prefix",
        ]
    ),
    value=json_values,
)
def test_wrong_values_in_a_claim_are_refused_or_valid(key: str, value: Any) -> None:
    data = yaml.safe_load(EXAMPLE_YAML)
    data["claims"][1][key] = value
    try:
        parse(yaml.safe_dump(data, allow_unicode=True))
    except AnnotationError as error:
        assert error.field is not None and error.field.startswith("claims[1]"), str(error)


def test_huge_and_empty_values() -> None:
    data = yaml.safe_load(EXAMPLE_YAML)
    data["claims"][0]["text"] = "x" * 200_000
    with pytest.raises(AnnotationError, match="not found"):
        parse(yaml.safe_dump(data))
    data["claims"][0]["text"] = ""
    with pytest.raises(AnnotationError, match=r"claims\[0\]\.text"):
        parse(yaml.safe_dump(data))
    with pytest.raises(AnnotationError, match="empty"):
        parse("")


def annotated(
    tmp_path: Path, article: str, quote: str, *, article_bytes: bytes | None = None
) -> Path:
    raw = article.encode("utf-8") if article_bytes is None else article_bytes
    (tmp_path / "a.txt").write_bytes(raw)
    doc = {
        "format": 1,
        "document": {
            "id": "a",
            "text": "a.txt",
            "sha256": hashlib.sha256(raw).hexdigest(),
            "title": "A",
        },
        "entities": [{"id": "p", "type": "person", "label": "P"}],
        "claims": [
            {
                "id": "c1",
                "text": quote,
                "claimant": "p",
                "source_kind": "named-person",
                "mode": "reported-speech",
            }
        ],
    }
    path = tmp_path / "a.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "article",
    [
        "Caf\u0065\u0301 owners said prices rose.",  # combining acute accent (NFD)
        "He said \u202eevil\u202c things happened.",  # right-to-left override
        "Rates rose\u00a0sharply, she said.",  # non-breaking space
        "Emoji \U0001f600 counted as one code point, he said.",
    ],
)
def test_unicode_tricks_keep_exact_offsets(tmp_path: Path, article: str) -> None:
    quote = article.split(" said")[0] if " said" in article else article[:10]
    claim = load_annotation_file(annotated(tmp_path, article, quote)).claims[0]
    assert article[claim.start : claim.end] == quote


def test_normalised_quote_of_decomposed_text_is_refused(tmp_path: Path) -> None:
    article = "Cafe\u0301 owners said prices rose."
    quote = unicodedata.normalize("NFC", "Cafe\u0301 owners")
    assert quote not in article
    with pytest.raises(AnnotationError, match="not found"):
        load_annotation_file(annotated(tmp_path, article, quote))


def test_nbsp_and_plain_space_are_different_text(tmp_path: Path) -> None:
    with pytest.raises(AnnotationError, match="not found"):
        load_annotation_file(annotated(tmp_path, "Rates rose\u00a0sharply.", "Rates rose sharply"))


def test_non_utf8_article_is_refused_with_its_byte(tmp_path: Path) -> None:
    path = annotated(tmp_path, "", "caf", article_bytes="café said".encode("latin-1"))
    with pytest.raises(AnnotationError, match="not UTF-8"):
        load_annotation_file(path)


def test_non_utf8_annotation_file_is_refused_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_bytes(b"format: 1\n# caf\xe9\n")
    with pytest.raises(AnnotationError) as info:
        load_annotation_file(path)
    assert info.value.line == 2


VALID_TTL = """@prefix ex: <http://example.org/> .
ex:a ex:b "c" ; ex:d ex:e .
"""


@FUZZ
@given(st.data(), st.sampled_from(["turtle", "trig", "nt", "nquads", "json-ld"]))
def test_mutated_rdf_parses_or_is_a_syntax_error(data: st.DataObject, rdf_format: str) -> None:
    base = {
        "turtle": VALID_TTL,
        "trig": "<http://example.org/g> {\n"
        + VALID_TTL.split("\n", 1)[1]
        .replace("ex:", "<http://example.org/")
        .replace(" <http://example.org/b>", "> <http://example.org/b>")
        + "}\n",
        "nt": '<http://example.org/a> <http://example.org/b> "c" .\n',
        "nquads": '<http://example.org/a> <http://example.org/b> "c" <http://example.org/g> .\n',
        "json-ld": json.dumps({"@id": "http://example.org/a", "http://example.org/b": "c"}),
    }[rdf_format]
    text = base
    for _ in range(data.draw(st.integers(1, 3))):
        at = data.draw(st.integers(0, len(text)))
        text = (
            text[:at]
            + data.draw(st.text(alphabet='<>"{}.;@#\\ :/x\n', max_size=4))
            + text[at + data.draw(st.integers(0, 3)) :]
        )
    with contextlib.suppress(RDFSyntaxError):
        parse_rdf_text(text, rdf_format)


@pytest.mark.parametrize(
    "context",
    [
        "http://example.org/context.jsonld",
        "file:///etc/passwd",
        ["https://schema.org/"],
        {"@import": "http://example.org/c"},
    ],
)
def test_jsonld_contexts_that_name_a_location_are_refused(context: Any) -> None:
    doc = {"@context": context, "@id": "http://example.org/a", "name": "x"}
    with pytest.raises(RDFSyntaxError, match="contexts must be inline"):
        parse_rdf_text(json.dumps(doc), "json-ld")


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Any attempt to open a connection is recorded and fails."""
    attempts: list[Any] = []

    def refuse(self: socket.socket, address: Any) -> None:
        attempts.append(address)
        raise OSError("network blocked by the test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", lambda *a, **k: attempts.append(a) or [])
    return attempts


def test_parsing_user_files_never_touches_the_network(
    no_network: list[Any], tmp_path: Path
) -> None:
    ttl = tmp_path / "imports.ttl"
    ttl.write_text(
        "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
        "<http://example.org/o> a owl:Ontology ; owl:imports <http://example.org/remote.ttl> .\n",
        encoding="utf-8",
    )
    read_rdf(ttl)
    remote = tmp_path / "remote.jsonld"
    remote.write_text(
        json.dumps({"@context": "http://example.org/ctx", "@id": "http://example.org/a"}),
        encoding="utf-8",
    )
    with pytest.raises(RDFSyntaxError):
        read_rdf(remote)
    graph.build(validate=True)
    assert no_network == []


def test_offsets_past_the_end_are_a_contract_problem_not_a_crash(tmp_path: Path) -> None:
    ds = graph.build_bundled()
    nt = graph.rdf.export.to_ntriples(ds)
    marker = '<http://www.w3.org/ns/oa#end> "'
    line = next(line for line in nt.splitlines() if marker in line)
    broken = nt.replace(
        line,
        line.split(marker)[0] + marker + '999999"^^<http://www.w3.org/2001/XMLSchema#integer> .',
    )
    problems = check_contract(parse_rdf_text(broken, "nt"))
    assert any("text[" in p.message for p in problems)


@pytest.mark.parametrize(
    "content",
    [
        b"\xff\xfe\x00garbage",
        b"<a> <b> .",
        b'{"@context": "http://x/"}',
        b"@prefix : <x> . :a :b [ :c",
        b"",
    ],
)
def test_validate_cli_never_shows_a_traceback(tmp_path: Path, content: bytes) -> None:
    for suffix in (".ttl", ".jsonld", ".nt", ".trig"):
        path = tmp_path / f"input{suffix}"
        path.write_bytes(content)
        done = subprocess.run(
            [sys.executable, "-m", "graph.cli", "validate", str(path)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert "Traceback" not in done.stderr, done.stderr
        assert done.returncode in (0, InputError.exit_code, RDFSyntaxError.exit_code, 7), (
            done.stderr
        )
        assert done.returncode == 0 or done.stderr.startswith("claimgraph: error: "), done.stderr


def test_errors_are_all_claimgraph_errors() -> None:
    with pytest.raises(ClaimgraphError):
        parse("format: 2\n")


def test_oversized_rdf_is_refused_before_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import graph.rdf.rdfio as rdfio

    monkeypatch.setattr(rdfio, "MAX_DATASET_BYTES", 100)
    big = tmp_path / "big.nt"
    big.write_text('<http://e/a> <http://e/b> "c" .\n' * 10, encoding="utf-8")
    with pytest.raises(graph.InputTooLargeError):
        read_rdf(big)


def test_copy_of_bundled_corpus_builds(tmp_path: Path) -> None:
    target = tmp_path / "corpus"
    shutil.copytree(graph.bundled_corpus_dir(), target)
    assert len(graph.build([target]).corpus.files[0].claims) == 54


@pytest.mark.parametrize(
    ("section", "value"),
    [
        ("url", "javascript:alert(1)"),
        ("url", "file:///etc/passwd"),
        ("same_as", "javascript:alert(1)"),
    ],
)
def test_only_web_addresses_are_accepted(section: str, value: str) -> None:
    data = yaml.safe_load(EXAMPLE_YAML)
    if section == "url":
        data["document"]["metadata"]["url"] = value
    else:
        data["entities"][0]["same_as"] = [value]
    with pytest.raises(AnnotationError, match="http"):
        parse(yaml.safe_dump(data))


def test_a_number_too_long_for_python_names_its_own_line_and_field() -> None:
    data = yaml.safe_load(EXAMPLE_YAML)
    data["claims"][1]["id"] = "BIGNUMBER"
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    line = next(i for i, row in enumerate(text.split("\n"), 1) if "BIGNUMBER" in row)
    assert line > 1
    with pytest.raises(AnnotationError) as info:
        parse(text.replace("BIGNUMBER", "9" * 5_000))
    assert info.value.line == line
    assert info.value.field == "claims[1].id"
    assert "too long" in str(info.value) and "\n" not in str(info.value)


@pytest.mark.parametrize("character", ["\x00", "\x07", "\ufffe"])
def test_a_character_yaml_forbids_is_one_line_with_its_line(character: str) -> None:
    with pytest.raises(AnnotationError) as info:
        parse(f"format: 1\n# café\ndocument: x{character}\n")
    assert info.value.line == 3
    assert str(info.value).startswith("fuzz.yaml:3: not valid YAML: unacceptable character")
    assert "\n" not in str(info.value)


def test_a_nul_byte_is_one_line_on_the_command_line(tmp_path: Path) -> None:
    (tmp_path / "nul.yaml").write_bytes(b"format: 1\ndocument:\n  id: a\x00\n")
    done = subprocess.run(
        [sys.executable, "-m", "graph.cli", "build", "nul.yaml", "--no-views", "--out", "out"],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
        cwd=tmp_path,
    )
    assert done.returncode == AnnotationError.exit_code
    assert done.stderr.startswith("claimgraph: error: nul.yaml:3: not valid YAML: ")
    assert done.stderr.count("\n") == 1, done.stderr


def test_an_ill_typed_literal_is_one_warning_line_not_a_traceback(tmp_path: Path) -> None:
    """rdflib logs ``"abc"^^xsd:integer`` with a traceback; the command shows one line."""
    xsd_integer = "http://www.w3.org/2001/XMLSchema#integer"
    (tmp_path / "ill.nt").write_text(f'<http://e/a> <http://e/b> "abc"^^<{xsd_integer}> .\n',
                                     encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "graph.cli", "validate", "ill.nt"],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
        cwd=tmp_path,
    )
    assert "Traceback" not in done.stderr, done.stderr
    assert done.stderr.startswith("claimgraph: warning: "), done.stderr
    assert done.stderr.count("\n") == 1, done.stderr
