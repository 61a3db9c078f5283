"""The annotation loader: the documented example loads, and each refusal names file, line, field."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
import yaml

from graph.corpus import bundled_corpus_dir
from graph.errors import AnnotationError, InputError, InputTooLargeError, TextMismatchError
from graph.model.annotations import find_span, load_annotation_file, load_corpus

EXAMPLE = Path(__file__).parent / "data" / "example"


@pytest.fixture
def example(tmp_path: Path) -> Path:
    """A writable copy of the documented example corpus."""
    target = tmp_path / "example"
    shutil.copytree(EXAMPLE, target)
    return target


def edit(folder: Path, old: str, new: str) -> Path:
    path = folder / "interview.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture edit target {old!r} missing"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def line_of(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(needle)


def refused(path: Path) -> AnnotationError:
    with pytest.raises(AnnotationError) as info:
        load_corpus([path.parent])
    return info.value


def test_documented_example_loads_with_offsets_that_slice_the_text() -> None:
    corpus = load_corpus([EXAMPLE])
    doc = corpus.files[0].document
    assert doc.text is not None
    assert [c.id for c in corpus.files[0].claims] == ["c1", "c2", "c3"]
    for claim in corpus.files[0].claims:
        assert doc.text[claim.start : claim.end] == claim.text


def test_documented_example_is_the_one_in_the_docs() -> None:
    docs = (Path(__file__).parent.parent / "docs" / "annotation-format.md").read_text(
        encoding="utf-8"
    )
    ours = yaml.safe_load((EXAMPLE / "interview.yaml").read_text(encoding="utf-8"))
    start = docs.index("```yaml\n", docs.index("`corpus/example/interview.yaml`")) + len(
        "```yaml\n"
    )
    documented = yaml.safe_load(docs[start : docs.index("```", start)])
    documented["document"]["sha256"] = ours["document"]["sha256"]
    assert documented == ours


def test_every_bundled_claim_slices_its_own_text() -> None:
    corpus = load_corpus([bundled_corpus_dir()])
    (file,) = corpus.files
    assert file.document.text is not None
    assert len(file.claims) >= 40
    for claim in file.claims:
        assert file.document.text[claim.start : claim.end] == claim.text, claim.id


def test_quote_not_in_text_is_refused_with_line_and_field(example: Path) -> None:
    path = edit(example, 'text: "the clinic opened in 1999"', 'text: "the clinic opened in 2001"')
    error = refused(path)
    assert error.path == path
    assert error.line == line_of(path, "opened in 2001")
    assert error.field == "claims[0].text"
    assert "not found" in str(error)


def test_quote_found_twice_needs_a_prefix(example: Path) -> None:
    path = edit(example, 'text: "the clinic opened in 1999"', 'text: "said"')
    error = refused(path)
    assert "found 2 times" in str(error) and "prefix" in str(error)
    assert error.line == line_of(path, 'text: "said"')


def test_prefix_picks_one_occurrence(example: Path) -> None:
    path = edit(
        example, 'text: "the clinic opened in 1999"', 'text: "said"\n    prefix: "week,\\" she "'
    )
    claim = load_annotation_file(path).claims[0]
    text = load_annotation_file(path).document.text
    assert text is not None
    assert (claim.text, claim.start) == ("said", text.rindex("said"))


def test_prefix_that_matches_nothing_is_refused(example: Path) -> None:
    path = edit(
        example, 'text: "the clinic opened in 1999"', 'text: "said"\n    prefix: "nowhere "'
    )
    assert "after the given prefix" in str(refused(path))


def test_unknown_entity_id_is_refused(example: Path) -> None:
    path = edit(example, "claimant: officials", "claimant: the-officials")
    error = refused(path)
    assert "unknown entity id 'the-officials'" in str(error)
    assert error.field == "claims[2].claimant"
    assert error.line == line_of(path, "claimant: the-officials")


def test_unknown_claim_id_is_refused(example: Path) -> None:
    path = edit(example, "denies: [c1]", "denies: [c9]")
    error = refused(path)
    assert "unknown claim id 'c9'" in str(error)
    assert error.field == "claims[2].denies[0]"


def test_unknown_relayed_document_is_refused(example: Path) -> None:
    path = edit(example, "relayed_from: example-radio-interview", "relayed_from: no-such-doc")
    assert "unknown document 'no-such-doc'" in str(refused(path))


def test_duplicate_entity_id_is_refused(example: Path) -> None:
    path = edit(example, "  - id: the-clinic\n", "  - id: ana-ruiz\n")
    error = refused(path)
    assert "duplicate id 'ana-ruiz'" in str(error)
    assert error.field == "entities[1].id"


def test_duplicate_claim_id_is_refused(example: Path) -> None:
    path = edit(example, "  - id: c2\n", "  - id: c1\n")
    assert "duplicate id 'c1'" in str(refused(path))


def test_unknown_source_kind_is_refused(example: Path) -> None:
    path = edit(example, "source_kind: vague-collective", "source_kind: rumour-mill")
    error = refused(path)
    assert "unknown value 'rumour-mill'" in str(error) and "vague-collective" in str(error)
    assert error.field == "claims[2].source_kind"


def test_unknown_mode_is_refused(example: Path) -> None:
    path = edit(example, "mode: denial", "mode: rebuttal")
    error = refused(path)
    assert "unknown value 'rebuttal'" in str(error)
    assert error.field == "claims[2].mode"


def test_changed_text_is_refused_by_its_hash(example: Path) -> None:
    text = example / "interview.txt"
    text.write_text(text.read_text(encoding="utf-8").replace("1999", "1998"), encoding="utf-8")
    with pytest.raises(TextMismatchError) as info:
        load_corpus([example])
    assert info.value.field == "document.sha256"
    assert hashlib.sha256(text.read_bytes()).hexdigest() in str(info.value)


def test_unknown_field_is_refused_not_ignored(example: Path) -> None:
    path = edit(example, '    cue: "denied"', '    cue: "denied"\n    claimnt: officials')
    error = refused(path)
    assert "unknown field 'claimnt'" in str(error)


def test_unknown_relation_predicate_is_refused(example: Path) -> None:
    path = edit(example, "cg:established", "cg:owns")
    assert "unknown relation predicate 'cg:owns'" in str(refused(path))


def test_invalid_yaml_names_the_line(example: Path) -> None:
    path = edit(example, "  - id: c3\n", "  - id: [c3\n")
    error = refused(path)
    assert "not valid YAML" in str(error)
    assert error.line is not None


def test_wrong_type_is_refused(example: Path) -> None:
    path = edit(example, "vague: true", "vague: sometimes")
    assert "expected true or false" in str(refused(path))


def test_group_without_descriptor_is_refused(example: Path) -> None:
    path = edit(example, '    descriptor: "Officials"', "    # no descriptor")
    assert "descriptor" in str(refused(path))


def test_quantity_phrase_must_be_inside_the_claim(example: Path) -> None:
    path = edit(example, 'text: "200 patients a week"', 'text: "300 patients a week"')
    assert "not inside the claim's text" in str(refused(path))


def test_nbsp_is_respected_in_offsets() -> None:
    text = "a\u00a0b a b"
    assert find_span(text, "a b", None) == [4]
    assert find_span(text, "a\u00a0b", None) == [0]


def test_alias_bomb_is_refused(tmp_path: Path) -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [
        f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 8) + "]"
        for i in range(1, 9)
    ]
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(AnnotationError, match="YAML nodes"):
        load_annotation_file(path)


def test_oversized_file_is_refused_up_front(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import graph.model.annotations as annotations

    monkeypatch.setattr(annotations, "MAX_ANNOTATION_BYTES", 10)
    path = tmp_path / "big.yaml"
    path.write_text("format: 1\n" * 5, encoding="utf-8")
    with pytest.raises(InputTooLargeError, match="over the limit"):
        load_annotation_file(path)


def test_missing_corpus_folder_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        load_corpus([tmp_path / "nowhere"])
