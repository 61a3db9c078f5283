"""`claimgraph draft` end to end: the bundled article's draft builds and validates unchanged, a
draft is deterministic, folders are never overwritten by surprise, and the evaluation script
prints every figure it promises."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph.cli import main
from graph.corpus import bundled_corpus_dir
from graph.model.annotations import load_corpus

ARTICLE = bundled_corpus_dir() / "article.txt"
ROOT = Path(__file__).resolve().parent.parent


def _draft(tmp: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["draft", str(ARTICLE), "--out", str(tmp), *args])
    return result.exit_code, result.output


def test_the_bundled_articles_draft_builds_and_validates(tmp_path: Path) -> None:
    code, output = _draft(tmp_path / "drafts", "--publisher", "The BL", "--date", "2021")
    assert code == 0, output
    assert "claims" in output and "without a speaker" in output and "entities" in output
    folder = tmp_path / "drafts" / "article"
    assert (folder / "article.txt").read_bytes() == ARTICLE.read_bytes()
    built = CliRunner().invoke(
        main, ["build", str(folder), "--out", str(tmp_path / "out"), "--no-views"]
    )
    assert built.exit_code == 0, built.output
    checked = CliRunner().invoke(main, ["validate", str(tmp_path / "out" / "graph.trig")])
    assert checked.exit_code == 0, checked.output


def test_two_drafts_build_together_with_their_unnamed_sources_apart(tmp_path: Path) -> None:
    """Two outlets' articles, each with "a spokesperson for the council" and "campaigners":
    drafted apart, they build together, and the two articles' unnamed sources stay two (one
    id for both would make one root of two sources nobody has shown to be one)."""
    texts = {
        "echo": "Campaigners said the council hid the flood report. A spokesperson for the "
                "council said the report \"was never hidden\". According to a leaked estimate, "
                "repairs would cost 5 million pounds.\n",
        "gazette": "Campaigners claim the Ridgeford council suppressed a report. A spokesperson "
                   "for the council said the report would be published next month. According to "
                   "a leaked estimate, repairs would cost 5 million pounds.\n",
    }
    for name, text in texts.items():
        (tmp_path / f"{name}.txt").write_text(text, encoding="utf-8")
        drafted = CliRunner().invoke(main, ["draft", str(tmp_path / f"{name}.txt"), "--out",
                                            str(tmp_path / "d"), "--publisher", name.title()])
        assert drafted.exit_code == 0, drafted.output
    folders = [str(tmp_path / "d" / name) for name in texts]
    built = CliRunner().invoke(main, ["build", *folders, "--out", str(tmp_path / "out"),
                                      "--no-views", "--no-story"])
    assert built.exit_code == 0, built.output
    corpus = load_corpus(folders)
    vague = [e for e in corpus.entities.values() if e.vague]
    assert {e.id.partition(".")[0] for e in vague} == set(texts)
    for name in texts:
        assert any(e.id.startswith(f"{name}.") and "spokesperson" in e.id for e in vague), name
    leaks = {c.source_document for c in corpus.claims.values() if c.source_document}
    assert leaks == {"echo.a-leaked-estimate-doc", "gazette.a-leaked-estimate-doc"}
    # the story names who a document-sourced claim is attributed to, as the report does
    compared = CliRunner().invoke(main, ["compare", *folders])
    assert compared.exit_code == 0, compared.output
    assert "repairs would cost 5 million pounds.” (the unnamed author(s) of “a leaked estimate" \
        in compared.output


def test_a_draft_is_deterministic(tmp_path: Path) -> None:
    assert _draft(tmp_path / "one")[0] == 0
    assert _draft(tmp_path / "two")[0] == 0
    one = (tmp_path / "one" / "article" / "annotations.yaml").read_bytes()
    two = (tmp_path / "two" / "article" / "annotations.yaml").read_bytes()
    assert one == two


def test_a_reviewed_folder_is_not_overwritten_without_force(tmp_path: Path) -> None:
    assert _draft(tmp_path)[0] == 0
    assert _draft(tmp_path)[0] == 0  # an unreviewed draft may be redrafted
    annotations = tmp_path / "article" / "annotations.yaml"
    reviewed = annotations.read_text(encoding="utf-8").split("\n", 1)[1]
    annotations.write_text(reviewed, encoding="utf-8")  # the reviewer removed the draft mark
    code, output = _draft(tmp_path)
    assert code == 2 and "--force" in output
    assert annotations.read_text(encoding="utf-8") == reviewed
    assert _draft(tmp_path, "--force")[0] == 0


def test_a_file_the_draft_did_not_write_is_never_deleted(tmp_path: Path) -> None:
    """Even with --force, a folder holding anything but the draft's two files is left whole."""
    assert _draft(tmp_path)[0] == 0
    notes = tmp_path / "article" / "review-notes.md"
    notes.write_text("checked c03 against the interview\n", encoding="utf-8")
    for args in ((), ("--force",)):
        code, output = _draft(tmp_path, *args)
        assert code == 2 and "review-notes.md" in output, output
        assert notes.read_text(encoding="utf-8") == "checked c03 against the interview\n"


def test_bad_options_are_one_clear_line(tmp_path: Path) -> None:
    code, output = _draft(tmp_path, "--date", "24 Oct 2021")
    assert code == 2 and "YYYY" in output and "Traceback" not in output
    not_utf8 = tmp_path / "latin1.txt"
    not_utf8.write_bytes("caf\xe9".encode("latin-1"))
    result = CliRunner().invoke(main, ["draft", str(not_utf8), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2 and "not UTF-8" in result.output


def test_eval_draft_prints_every_figure() -> None:
    proc = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "eval_draft.py"), "--articles", "2", "--json"],
        capture_output=True, text=True, check=False, timeout=300,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert set(result["bundled"]) >= {
        "claims_covered", "same_claimant", "same_source_kind", "entity_recall", "claim_precision",
    }  # fmt: skip
    assert set(result["quotes"]["attribution"]) == {"precision", "recall", "f1"}
    assert set(result["quotes"]["content"]) == {"precision", "recall", "f1"}
    assert set(result["quotes_baseline"]["attribution"]) == {"precision", "recall", "f1"}
    assert set(result["speed"]) >= {"ratio_draft_vs_spacy", "peak_rss_mb", "articles"}


def test_spacy_is_not_imported_by_import_graph_or_the_cli() -> None:
    code = (
        "import sys, graph, graph.cli, graph.draft; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('spacy', 'thinc')))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert done.stdout.strip() == "[]"


def test_drafting_never_reaches_the_network(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[str] = []

    def refuse(*args: object, **kwargs: object) -> None:
        seen.append(repr(args[1:]))
        raise OSError("network blocked by the test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    code, output = _draft(tmp_path)
    assert code == 0, output
    assert seen == []


def test_an_article_longer_than_the_model_reads_is_one_clear_error(tmp_path: Path) -> None:
    from graph.draft import SpacyExtractor

    limit = SpacyExtractor().nlp.max_length
    long_text = tmp_path / "long.txt"
    long_text.write_text("The council met. " * (limit // 17 + 2), encoding="utf-8")
    result = CliRunner().invoke(main, ["draft", str(long_text), "--out", str(tmp_path / "o")])
    assert result.exit_code == 5, result.output
    assert "characters" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "o" / "long").exists()
