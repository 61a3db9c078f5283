"""Reviewing is quick: every problem of a file at once, and a mistyped quote shown beside the
span it nearly matches, with the characters that differ."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from graph.errors import AnnotationError
from graph.model.annotations import load_annotation_file

ARTICLE = "The mayor said: “it’s over”. The  council  denied it.\n"


def _file(tmp_path: Path, claims: str, entities: str = "", article: str = ARTICLE) -> Path:
    (tmp_path / "a.txt").write_text(article, encoding="utf-8")
    sha = hashlib.sha256(article.encode("utf-8")).hexdigest()
    (tmp_path / "a.yaml").write_text(
        "format: 1\n"
        f"document: {{id: a, text: a.txt, sha256: '{sha}', title: A}}\n"
        "entities:\n"
        "  - {id: mayor, type: person, label: the mayor}\n"
        "  - {id: council, type: organization, label: the council}\n"
        f"{entities}"
        f"claims:\n{claims}",
        encoding="utf-8",
    )
    return tmp_path / "a.yaml"


CLAIM = "  - {{id: {id}, text: \"{text}\", claimant: {who}, source_kind: {kind}, mode: {mode}}}\n"


def test_every_problem_of_a_file_is_reported_at_once(tmp_path: Path) -> None:
    claims = (
        CLAIM.format(id="c1", text="it’s over", who="mayor", kind="named-persn",
                     mode="direct-quote")
        + CLAIM.format(id="c2", text="it was over", who="mayor", kind="named-person",
                       mode="direct-quote")
        + CLAIM.format(id="c3", text="denied it", who="council", kind="official-statement",
                       mode="denail")
    )
    entities = "  - {id: nobody, type: person, label: Nobody, names: [Nobody]}\n"
    with pytest.raises(AnnotationError) as info:
        load_annotation_file(_file(tmp_path, claims, entities))
    problems = info.value.problems
    assert [(p.line, p.field) for p in problems] == [
        (6, "entities[2].names[0]"), (8, "claims[0].source_kind"), (9, "claims[1].text"),
        (10, "claims[2].mode"),
    ]
    assert str(info.value).startswith(f"{tmp_path / 'a.yaml'}: 4 problems:\n")
    assert info.value.exit_code == 3 and info.value.line == 6


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("it's over", "the file has \"'\" (U+0027 APOSTROPHE) where the article has '’' "
                      "(U+2019 RIGHT SINGLE QUOTATION MARK)"),
        ("The council denied it.", "the file has nothing where the article has ' ' (U+0020 "
                                   "SPACE)"),
    ],
    ids=["straight apostrophe for a curly one", "one space for two"],
)
def test_a_mistyped_quote_names_the_closest_span_and_what_differs(
    tmp_path: Path, typed: str, says: str
) -> None:
    claims = CLAIM.format(id="c1", text=typed, who="mayor", kind="named-person",
                          mode="direct-quote")
    with pytest.raises(AnnotationError) as info:
        load_annotation_file(_file(tmp_path, claims))
    message = str(info.value)
    assert "not found in the article" in message and "closest in the article (line 1" in message
    assert says in message, message
    assert "\n" not in message  # one problem: one line


def test_a_cue_must_stand_near_its_claim(tmp_path: Path) -> None:
    far = "\n" + "Filler sentence. " * 40
    claims = ("  - {id: c1, text: The council denied it., claimant: council,\n"
              "     source_kind: official-statement, mode: denial, cue: said}\n")
    _file(tmp_path, claims, article=f"The mayor said it was over.{far}The council denied it.\n")
    with pytest.raises(AnnotationError) as info:
        load_annotation_file(tmp_path / "a.yaml")
    assert info.value.field == "claims[0].cue" and info.value.line == 8
    assert "cue 'said' occurs only" in str(info.value) and "within 500 characters" in str(
        info.value)
