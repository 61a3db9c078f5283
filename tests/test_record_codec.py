"""The build cache's records read back as the records they were written from, and a cached file
that does not fit the records' fields is not used."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from graph.corpus import bundled_corpus_dir
from graph.model.annotations import annotation_paths, load_corpus
from graph.model.records import AnnotationFile, Entity
from graph.pipeline.cache import record_bytes
from graph.pipeline.record_codec import (
    RecordDecodeError,
    decode_entry,
    decode_record,
    encode_record,
)


def _corpus_files(folder: Path) -> list[AnnotationFile]:
    return list(load_corpus(annotation_paths([folder])).files)


@pytest.mark.parametrize("which", ["bundled", "generated"])
def test_every_record_reads_back_as_written(which: str, generated: Path) -> None:
    folder = bundled_corpus_dir() if which == "bundled" else generated
    for record in _corpus_files(folder):
        data = record_bytes(record, "text.txt")
        back, text = decode_entry(data)
        assert text == "text.txt"
        assert back == record.__class__(**{**record.__dict__, "path": Path(".")})


def _entry(record: AnnotationFile) -> dict[str, object]:
    return json.loads(record_bytes(record, "text.txt"))


@pytest.mark.parametrize("damage", ["a string for an int", "a field missing", "an extra field",
                                    "not JSON", "a list for a record"])
def test_a_record_that_does_not_fit_is_refused(damage: str) -> None:
    record = _corpus_files(bundled_corpus_dir())[0]
    entry = _entry(record)
    claim = entry["record"]["claims"][0]  # type: ignore[index]
    if damage == "a string for an int":
        claim["start"] = "12"
    elif damage == "a field missing":
        del claim["text"]
    elif damage == "an extra field":
        entry["unexpected"] = 1
    elif damage == "a list for a record":
        entry["record"]["document"] = []  # type: ignore[index]
    data = b"{" if damage == "not JSON" else json.dumps(entry).encode("utf-8")
    with pytest.raises(RecordDecodeError):
        decode_entry(data)


def test_decode_record_checks_types() -> None:
    ana = Entity("a", "person", "Ana", names=("Ana R.",))
    assert decode_record(Entity, encode_record(ana)) == ana
    with pytest.raises(RecordDecodeError):
        decode_record(Entity, {**encode_record(ana), "names": "Ana R."})
