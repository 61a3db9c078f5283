"""`claimgraph build` and `claimgraph validate`: outputs, exit codes, one-line errors."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from graph.cli import main
from graph.errors import AnnotationError, RDFSyntaxError, ValidationError

EXAMPLE = Path(__file__).parent / "data" / "example"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    """The installed console script, as a user runs it."""
    script = Path(sys.executable).parent / "claimgraph"
    return subprocess.run([str(script), *args], capture_output=True, text=True, check=False)


def test_build_writes_every_output(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", "--no-views", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "built 54 claims" in result.output
    for name in ("graph.trig", "graph.ttl", "graph.nt", "graph.jsonld", "report.md"):
        assert (out / name).stat().st_size > 1000, name
    report = (out / "report.md").read_text(encoding="utf-8")
    assert "## Claims by source kind" in report and "| author-voice |" in report


def test_build_of_a_corpus_folder(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", str(EXAMPLE), "--no-views", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "built 3 claims from 1 document" in result.output
    # The count is of what a user opens; the cache the next build reuses is named apart.
    opened = [f for f in out.rglob("*") if f.is_file() and "cache" not in f.relative_to(out).parts]
    assert f"({len(opened)} files, and its build cache)" in result.output
    assert len(opened) < sum(1 for f in out.rglob("*") if f.is_file())


def test_bad_annotation_is_one_line_and_its_exit_code(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(EXAMPLE, corpus)
    yaml_file = corpus / "interview.yaml"
    yaml_file.write_text(
        yaml_file.read_text(encoding="utf-8").replace("mode: denial", "mode: rebuttal"),
        encoding="utf-8",
    )
    out = tmp_path / "out"
    done = run("build", str(corpus), "--out", str(out))
    assert done.returncode == AnnotationError.exit_code
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1, done.stderr
    assert "interview.yaml:" in done.stderr and "claims[2].mode" in done.stderr
    assert "Traceback" not in done.stderr
    assert not out.exists()


def test_validate_accepts_the_build(tmp_path: Path) -> None:
    out = tmp_path / "out"
    CliRunner().invoke(main, ["build", "--no-views", "--out", str(out)])
    for name in ("graph.trig", "graph.ttl", "graph.nt", "graph.jsonld"):
        result = CliRunner().invoke(main, ["validate", str(out / name)])
        assert result.exit_code == 0, (name, result.output)
        assert "valid" in result.output


def test_validate_names_file_and_line_of_a_syntax_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text(
        '@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:a ex:b "open .\n',
        encoding="utf-8",
    )
    done = run("validate", str(bad))
    assert done.returncode == RDFSyntaxError.exit_code
    assert f"{bad}:3" in done.stderr or f"{bad}:" in done.stderr
    assert "Traceback" not in done.stderr


def test_validate_reports_each_break_of_the_model(tmp_path: Path) -> None:
    out = tmp_path / "out"
    CliRunner().invoke(main, ["build", "--no-views", "--out", str(out)])
    nt = (out / "graph.nt").read_text(encoding="utf-8").splitlines()
    kept = [line for line in nt if "/c02> <https://schema.org/text>" not in line]
    assert len(kept) == len(nt) - 1
    broken = tmp_path / "broken.nt"
    broken.write_text("\n".join(kept) + "\n", encoding="utf-8")
    done = run("validate", str(broken))
    assert done.returncode == ValidationError.exit_code
    assert "claim 'c02' of 'thebl-organ-harvesting'" in done.stderr


def test_unknown_file_type_is_an_input_error(tmp_path: Path) -> None:
    odd = tmp_path / "graph.xyz"
    odd.write_text("x", encoding="utf-8")
    done = run("validate", str(odd))
    assert done.returncode == 2 and "unknown RDF file type" in done.stderr
