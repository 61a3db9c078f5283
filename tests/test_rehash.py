"""``claimgraph rehash``: after a corrected text, the new SHA-256 is recorded (nothing else in the
file changes) and every claim the text no longer holds is listed."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from click.testing import CliRunner

from graph.cli import main
from graph.model.annotations import load_annotation_file

EXAMPLE = Path(__file__).parent / "data" / "example"


def test_rehash_records_the_new_sha_and_lists_what_no_longer_matches(tmp_path: Path) -> None:
    folder = tmp_path / "example"
    shutil.copytree(EXAMPLE, folder)
    text = folder / "interview.txt"
    text.write_text(text.read_text(encoding="utf-8").replace("1999", "2001"), encoding="utf-8")
    before = (folder / "interview.yaml").read_text(encoding="utf-8")
    done = CliRunner().invoke(main, ["rehash", str(folder)])
    assert done.exit_code == 3, done.output
    assert "1 problem(s) to review" in done.output
    assert "interview.yaml:45, field 'claims[0].text'" in done.output
    assert "'the clinic opened in 2001'" in done.output  # the closest span of the corrected text
    after = (folder / "interview.yaml").read_text(encoding="utf-8")
    old = hashlib.sha256((EXAMPLE / "interview.txt").read_bytes()).hexdigest()
    new = hashlib.sha256(text.read_bytes()).hexdigest()
    assert after == before.replace(old, new)  # the sha256 value only: comments and order kept
    # Fixing the claim is all that is left: the file then loads against the corrected text.
    (folder / "interview.yaml").write_text(
        after.replace('"the clinic opened in 1999"', '"the clinic opened in 2001"'),
        encoding="utf-8")
    assert load_annotation_file(folder / "interview.yaml").document.sha256 == new
    again = CliRunner().invoke(main, ["rehash", str(folder / "interview.yaml")])
    assert again.exit_code == 0 and "unchanged; no problem(s)" in again.output
