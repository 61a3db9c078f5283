"""Documents that passed SHACL as they are now are not checked again; nothing else changes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Dataset, Literal, URIRef

import graph
import graph.validate.problems
import graph.validate.shacl
from graph.rdf.vocab import ID, RDFS, SCHEMA
from graph.support import policy
from graph.support.policy import default_cache_dir as cache_dir
from graph.validate.checks import validate_dataset
from graph.validate.shacl_cache import ConformanceRecord

ROOT = Path(__file__).resolve().parents[1]
RELAY = ROOT / "tests" / "data" / "relay-corpus"  # seven documents: one SHACL chunk
DOCS = {f"doc-{c}" for c in "abcdefg"}


@pytest.fixture()
def checked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A fresh record, kept where the policy says (the command line's, SHACL forked on every
    core); SHACL writes, to the yielded file, the documents of each check it runs (forked workers
    inherit the patched function, so their checks are seen too)."""
    monkeypatch.setenv("CLAIMGRAPH_CACHE_DIR", str(tmp_path / "cache"))
    log = tmp_path / "checked.txt"
    log.touch()
    real = graph.validate.shacl.check_shacl

    def logged(data: object) -> list[graph.validate.problems.Problem]:
        docs = sorted(str(o).rsplit("/", 1)[-1] for o in data.objects(None, SCHEMA.appearance))  # type: ignore[attr-defined]
        with log.open("a", encoding="utf-8") as out:
            out.write(" ".join(sorted(set(docs))) + "\n")
        return real(data)  # type: ignore[arg-type]

    monkeypatch.setattr(graph.validate.shacl, "check_shacl", logged)
    with policy.use(policy.command_line()):
        yield log


def _relay() -> Dataset:
    return graph.build([str(RELAY)]).dataset


def _runs(log: Path) -> list[set[str]]:
    return [set(line.split()) for line in log.read_text(encoding="utf-8").splitlines()]


def test_an_unchanged_document_is_not_checked_again(checked: Path, tmp_path: Path) -> None:
    dataset = _relay()  # the build's own validation fills the record
    assert _runs(checked) == [DOCS]
    # one record per document, and one for the story graph across them
    assert len(list((tmp_path / "cache" / "shacl").glob("*/*"))) == len(DOCS) + 1
    assert validate_dataset(dataset) == []
    assert _runs(checked) == [DOCS]  # nothing checked the second time

    doc_c = dataset.graph(URIRef(f"{ID}graph/doc-c"))
    doc_c.add((URIRef(f"{ID}doc/doc-c"), RDFS.comment, Literal("a note")))
    assert validate_dataset(dataset) == []
    assert _runs(checked)[1:] == [{"doc-c"}]  # the changed document only


def test_a_document_with_problems_is_checked_and_reported_every_time(checked: Path) -> None:
    dataset = _relay()
    doc_b = dataset.graph(URIRef(f"{ID}graph/doc-b"))
    claim = next(s for s, _, _ in doc_b.triples((None, SCHEMA.text, None)))
    doc_b.remove((claim, SCHEMA.text, None))
    first = validate_dataset(dataset)
    again = validate_dataset(dataset)
    assert first and first == again
    assert any("exactly one non-empty text" in p.message for p in first)
    assert _runs(checked)[1:] == [{"doc-b"}, {"doc-b"}]


def test_shapes_and_ontology_are_part_of_the_fingerprint(tmp_path: Path) -> None:
    dataset = _relay()
    ontology = [g for g in dataset.graphs() if "ontology" in str(g.identifier) and len(g)]
    record = ConformanceRecord(tmp_path, "context")
    other = ConformanceRecord(tmp_path, "another context")
    doc_a = [dataset.graph(URIRef(f"{ID}graph/doc-a"))]
    assert record.fingerprint(doc_a) == record.fingerprint(doc_a)
    assert record.fingerprint(doc_a) != other.fingerprint(doc_a)
    assert ConformanceRecord.open(ontology) is None  # the default policy keeps no record
    with policy.use(policy.Policy(cache_dir=tmp_path)):
        with_ontology, without = ConformanceRecord.open(ontology), ConformanceRecord.open([])
    assert with_ontology is not None and without is not None
    assert with_ontology.fingerprint(doc_a) != without.fingerprint(doc_a)


def test_the_record_can_be_turned_off(checked: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLAIMGRAPH_CACHE_DIR", "off")
    assert cache_dir() is None
    with policy.use(policy.command_line()):
        dataset = _relay()
        assert validate_dataset(dataset) == []
    assert _runs(checked) == [DOCS, DOCS]


def test_a_record_that_cannot_be_written_only_costs_checks(
    checked: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("CLAIMGRAPH_CACHE_DIR", str(blocked))
    with policy.use(policy.command_line()):
        dataset = _relay()
        assert validate_dataset(dataset) == []
    assert _runs(checked) == [DOCS, DOCS]
    assert blocked.read_text(encoding="utf-8") == "not a folder"


def test_the_default_place_follows_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("CLAIMGRAPH_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache_dir() == tmp_path / "claimgraph"


def test_the_counts_and_the_command_line_say_what_shacl_skipped(
    checked: Path, tmp_path: Path
) -> None:
    from click.testing import CliRunner

    from graph.cli import main
    from graph.validate.checks import check_dataset
    from graph.validate.problems import ShaclCounts

    runner = CliRunner()
    args = ["build", str(RELAY), "--out", str(tmp_path / "out"), "--no-views"]
    # --full: the second build validates every document again (an incremental one would not
    # validate what it reuses), and SHACL skips what passed
    first, second = runner.invoke(main, args), runner.invoke(main, [*args, "--full"])
    assert first.exit_code == 0 and "unchanged" not in first.output
    assert second.exit_code == 0, second.output
    # seven documents and the story graph across them
    assert "SHACL checked 0 document(s); 8 unchanged since they passed" in second.output
    valid = runner.invoke(main, ["validate", str(tmp_path / "out" / "graph.trig")])
    assert valid.exit_code == 0 and "8 unchanged since they passed" in valid.output
    dataset = _relay()
    dataset.graph(URIRef(f"{ID}graph/doc-e")).add(
        (URIRef(f"{ID}doc/doc-e"), RDFS.comment, Literal("a note")))
    assert check_dataset(dataset) == ([], ShaclCounts(checked=1, unchanged=7))


def test_shacl_checks_only_the_documents_named(checked: Path) -> None:
    """An incremental build names the documents it made again: the others are in the data for
    the contract only, and passed SHACL when their parts were made."""
    from graph.validate.checks import check_dataset

    dataset = _relay()
    doc_b = dataset.graph(URIRef(f"{ID}graph/doc-b"))
    claim = next(s for s, _, _ in doc_b.triples((None, SCHEMA.text, None)))
    doc_b.remove((claim, SCHEMA.text, None))
    problems, _counts = check_dataset(dataset, shacl_only={"doc-b"})
    assert any(p.check == "shacl" and "exactly one non-empty text" in p.message for p in problems)
    problems, _counts = check_dataset(dataset, shacl_only={"doc-c", "doc-d"})
    assert not [p for p in problems if p.check == "shacl"]
    assert all(run <= {"doc-b", "doc-c", "doc-d"} for run in _runs(checked)[1:])
    assert {"doc-b"} in _runs(checked)[1:]
