"""Reading a user's RDF file: pyoxigraph's linear parser, the formats the README lists, errors
with file and line, a bound on what is read into memory, and an empty file that is not "valid"."""

from __future__ import annotations

import subprocess
import sys
import warnings
from pathlib import Path
from types import FrameType
from typing import Any

import pytest
from rdflib import BNode, Dataset, Literal, URIRef
from rdflib.compare import isomorphic

import graph
import graph.rdf.rdfio as rdfio
from graph.errors import InputError, InputTooLargeError, RDFSyntaxError, ValidationError
from graph.rdf.rdfio import count_quads, read_rdf
from graph.rdf.vocab import XSD


def python_calls(path: Path) -> int:
    """How many Python-level calls reading the file makes (a count, so it cannot flake)."""
    calls = 0

    def profile(frame: FrameType, event: str, arg: Any) -> None:
        nonlocal calls
        if event in ("call", "c_call"):
            calls += 1

    sys.setprofile(profile)
    try:
        read_rdf(path)
    finally:
        sys.setprofile(None)
    return calls


LONG_LITERALS = {
    # N-Triples: escapes the parser must decode, one per few characters
    ".nt": ('<http://e/a> <http://e/b> "', '\\n\\u00e9\\"', '" .\n'),
    # Turtle: a long multi-line literal with escapes and quotes inside
    ".ttl": ('<http://e/a> <http://e/b> """', 'line \\t "x"\n', '""" .\n'),
    ".trig": ('<http://e/g> { <http://e/a> <http://e/b> """', 'line \\t "x"\n', '""" . }\n'),
}


@pytest.mark.parametrize("suffix", sorted(LONG_LITERALS))
def test_a_long_escaped_literal_costs_no_python_work_per_character(
    tmp_path: Path, suffix: str
) -> None:
    """rdflib's parsers do Python work per escape and are quadratic on such literals; the
    native parser makes the same calls for a literal ten times as long."""
    head, unit, tail = LONG_LITERALS[suffix]
    files = {}
    for repeat in (2_000, 20_000):
        files[repeat] = tmp_path / f"long{repeat}{suffix}"
        files[repeat].write_text(head + unit * repeat + tail, encoding="utf-8")
    python_calls(files[2_000])  # first use: imports and caches
    small, large = python_calls(files[2_000]), python_calls(files[20_000])
    assert large <= small * 1.1, (small, large)


def test_escapes_are_decoded(tmp_path: Path) -> None:
    path = tmp_path / "e.nt"
    path.write_text('<http://e/a> <http://e/b> "' + '\\n\\u00e9\\"' * 1000 + '" .\n', "utf-8")
    ((_, _, value, _),) = read_rdf(path).quads((None, None, None, None))
    assert value == Literal('\né"' * 1000)


def test_terms_are_what_rdflib_reads(tmp_path: Path) -> None:
    path = tmp_path / "t.trig"
    path.write_text(
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
        '<http://e/s> <http://e/p> "x"@en-GB , "01"^^xsd:integer , "plain" , _:b .\n'
        '_:g { <http://e/s> <http://e/p> "in a blank graph" }\n'
        '<http://e/g> { <http://e/s> <http://e/p> "typed"^^<http://e/t> }\n',
        encoding="utf-8",
    )
    ds = read_rdf(path)
    sizes = sorted((type(g.identifier).__name__, len(g)) for g in ds.graphs() if len(g))
    assert sizes == [("BNode", 1), ("URIRef", 1), ("URIRef", 4)]
    objects = {o for _, _, o, _ in ds.quads((None, None, None, None))}
    assert Literal("x", lang="en-gb") in objects
    assert Literal("1", datatype=XSD.integer) in objects  # normalised, as rdflib's parser does
    assert Literal("plain") in objects
    assert Literal("typed", datatype=URIRef("http://e/t")) in objects
    assert any(isinstance(o, BNode) for o in objects)
    default = ds.default_graph
    assert len(default) == 4


WRITERS = {
    "graph.trig": graph.rdf.export.to_trig,
    "graph.ttl": graph.rdf.export.to_turtle,
    "graph.nt": graph.rdf.export.to_ntriples,
    "graph.jsonld": graph.rdf.export.to_jsonld,
}


@pytest.fixture(scope="module")
def bundled() -> Dataset:
    return graph.build_bundled()


@pytest.mark.parametrize("name", sorted(WRITERS))
def test_every_export_reads_as_rdflib_reads_it(tmp_path: Path, bundled: Dataset, name: str) -> None:
    path = tmp_path / name
    path.write_text(WRITERS[name](bundled), encoding="utf-8")
    reference = Dataset()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        reference.parse(path, format=rdfio.format_for(path))
    theirs = {str(g.identifier): g for g in reference.graphs() if len(g)}
    mine = {str(g.identifier): g for g in read_rdf(path).graphs() if len(g)}
    assert sorted(mine) == sorted(theirs)
    for name_of_graph, g in mine.items():
        assert isomorphic(g, theirs[name_of_graph]), name_of_graph


def test_a_syntax_error_names_the_file_and_its_line_in_one_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.nt"
    path.write_text('<http://e/a> <http://e/b> "c" .\n' * 2 + '<http://e/a> <http://e/b> "c .\n')
    with pytest.raises(RDFSyntaxError) as info:
        read_rdf(path)
    assert info.value.line == 3
    assert str(info.value).startswith(f"{path}:3: ") and "\n" not in str(info.value)


def test_a_remote_jsonld_context_is_refused_by_the_reader(tmp_path: Path) -> None:
    path = tmp_path / "remote.jsonld"
    path.write_text('{"@context": {"@import": "http://127.0.0.1:9/c"}, "@id": "http://e/a"}')
    with pytest.raises(RDFSyntaxError, match="contexts must be inline"):
        read_rdf(path)


ENTITIES = """<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [
<!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://e/">
  <rdf:Description rdf:about="http://e/a"><ex:b>&c;</ex:b></rdf:Description>
</rdf:RDF>
"""


@pytest.mark.parametrize("suffix", [".rdf", ".owl", ".xml"])
def test_rdf_xml_is_refused_before_it_is_parsed(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"entities{suffix}"
    path.write_text(ENTITIES, encoding="utf-8")
    with pytest.raises(InputError, match="RDF/XML is not read") as info:
        read_rdf(path)
    assert str(info.value).startswith(str(path))
    for command in (["validate", str(path)], ["load", str(path), "--store", "memory"]):
        done = subprocess.run(
            [sys.executable, "-m", "graph.cli", *command],
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )
        assert done.returncode == InputError.exit_code, done.stderr
        assert done.stderr.count("\n") == 1 and "RDF/XML is not read" in done.stderr


def test_more_statements_than_memory_takes_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(rdfio, "MAX_DATASET_QUADS", 5)
    path = tmp_path / "many.nt"
    lines = [f'<http://e/a> <http://e/b> "{i}" .\n' for i in range(6)]
    path.write_text("".join(lines[:5]), encoding="utf-8")
    assert count_quads(read_rdf(path)) == 5
    path.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(InputTooLargeError, match="more than 5 statements") as info:
        read_rdf(path)
    assert str(info.value).startswith(str(path)) and "oxigraph:" in str(info.value)


@pytest.mark.parametrize(
    ("suffix", "content"),
    [
        (".ttl", ""),
        (".nt", "# only a comment\n"),
        (".trig", "@prefix ex: <http://example.org/> .\n"),
        (".jsonld", "{}"),
        (".jsonld", "[]"),
    ],
)
def test_validate_refuses_a_file_with_no_triples(tmp_path: Path, suffix: str, content: str) -> None:
    path = tmp_path / f"empty{suffix}"
    path.write_text(content, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "graph.cli", "validate", str(path)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == ValidationError.exit_code, done.stderr
    assert done.stdout == "" and "valid (" not in done.stderr
    expected = f"claimgraph: error: {path}: holds no triples; there is nothing to validate\n"
    assert done.stderr == expected


def test_a_term_longer_than_the_parser_buffer_is_too_large(tmp_path: Path) -> None:
    """pyoxigraph holds at most 16 MiB of one term; past it the file is refused, by name."""
    path = tmp_path / "long.nt"
    path.write_text('<http://e/a> <http://e/b> "' + "x" * (17 * 1024 * 1024) + '" .\n', "utf-8")
    with pytest.raises(InputTooLargeError, match="single term") as info:
        read_rdf(path)
    assert str(info.value).startswith(str(path))
    done = subprocess.run(
        [sys.executable, "-m", "graph.cli", "load", str(path), "--store", f"oxigraph:{tmp_path}/s"],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == InputTooLargeError.exit_code, done.stderr
    assert done.stderr.count("\n") == 1 and "single term" in done.stderr


def test_load_reads_jsonld_as_it_reads_trig(tmp_path: Path, bundled: Dataset) -> None:
    """JSON-LD goes to Oxigraph through pyoxigraph's parser as the other formats do."""
    from graph.stores.oxigraph_load import read_quads

    incoming = {}
    for name in ("graph.trig", "graph.jsonld"):
        path = tmp_path / name
        path.write_text(WRITERS[name](bundled), encoding="utf-8")
        incoming[name] = read_quads([path])
    trig, jsonld = incoming["graph.trig"], incoming["graph.jsonld"]
    assert len(jsonld) == len(trig) == count_quads(bundled)
    assert jsonld.graphs == trig.graphs
