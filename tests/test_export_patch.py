"""The export files edited record by record are the files composed whole, byte for byte: for
every unit of a corpus taken out or put in, and for generated units that share subjects and
triples, with the characters that break lines elsewhere."""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Dataset, Literal, URIRef

import graph
from graph.pipeline.export_patch import Change, UnitRecords, export_index, patch_export_files
from graph.pipeline.file_identity import identity
from graph.rdf.export import export_parts
from graph.rdf.export_parts import ExportPart, compose
from graph.rdf.sorted_records import LINES, RecordEditError, edited_body, has_record
from graph.rdf.vocab import ID, SCHEMA

STORY = Path(__file__).parent / "data" / "story-selk"


def _write(parts: list[ExportPart], folder: Path) -> dict[str, str]:
    folder.mkdir(parents=True, exist_ok=True)
    digests = {}
    for name, text in compose(parts).items():
        data = text.encode("utf-8")
        (folder / name).write_bytes(data)
        digests[name] = hashlib.sha256(data).hexdigest()
    return digests


def _edited(before: list[ExportPart], after: list[ExportPart], folder: Path, jobs: int = 1
            ) -> dict[str, str]:
    """The files of ``after`` edited from those of ``before``; checked against the composed."""
    old = _write(before, folder / "old")
    expected = _write(after, folder / "expected")
    keys = sorted({p.key for p in before} | {p.key for p in after})
    by_key_before = {p.key: p for p in before}
    by_key_after = {p.key: p for p in after}
    changes = [Change(k, UnitRecords.of(by_key_before[k]) if k in by_key_before else None,
                      by_key_after.get(k))
               for k in keys if by_key_before.get(k) != by_key_after.get(k)]
    out = folder / "out"
    out.mkdir()
    # With one process the files are hashed; with two their recorded identities vouch for them.
    listed = {name: (digest, identity(os.stat(folder / "old" / name)) if jobs > 1 else None)
              for name, digest in old.items()}
    got, index = patch_export_files(folder / "old", listed, changes, export_index(before), out,
                                    jobs)
    assert got == expected
    for name in expected:
        assert (out / name).read_bytes() == (folder / "expected" / name).read_bytes(), name
    assert index == export_index(after)
    return got


@pytest.fixture(scope="module")
def story_parts() -> list[ExportPart]:
    return export_parts(graph.build([STORY]).dataset)


@pytest.mark.parametrize("drop", range(10))
def test_taking_out_or_putting_back_any_unit(story_parts: list[ExportPart], drop: int,
                                            tmp_path: Path) -> None:
    assert len(story_parts) == 10  # eight outlets, the story and the ontology
    less = [p for i, p in enumerate(story_parts) if i != drop]
    _edited(story_parts, less, tmp_path / "out")
    _edited(less, story_parts, tmp_path / "back", jobs=2 if drop == 0 else 1)


def test_a_file_changed_since_its_identity_was_recorded_is_hashed_and_refused(
    story_parts: list[ExportPart], tmp_path: Path
) -> None:
    """A recorded identity vouches for a file only while it holds: one byte changed in place
    (same size, a later modification time) sends the file to its sha256, which refuses it."""
    old = _write(story_parts, tmp_path / "old")
    listed = {name: (digest, identity(os.stat(tmp_path / "old" / name)))
              for name, digest in old.items()}
    nq = tmp_path / "old" / "graph.nq"
    time.sleep(0.05)  # past the file system clock's tick, as the build's record waits
    data = bytearray(nq.read_bytes())
    data[data.index(b"outlet")] = ord("O")
    nq.write_bytes(bytes(data))
    changes = [Change(story_parts[0].key, UnitRecords.of(story_parts[0]), None)]
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(RecordEditError, match=r"graph\.nq: not the file its manifest lists"):
        patch_export_files(tmp_path / "old", listed, changes, export_index(story_parts), out, 1)


def test_an_edit_that_does_not_fit_the_file_is_refused() -> None:
    lines = b"<a> <p> <o> .\n<b> <p> <o> .\n"
    with pytest.raises(RecordEditError):
        edited_body(LINES, lines, {b"<c> <p> <o> .\n": None})  # not there to remove
    assert has_record(LINES, lines, b"<b> <p> <o> .\n")
    assert not has_record(LINES, lines, b"<b> <p> <o2> .\n")


# Terms a few of which recur across units (shared subjects, shared triples), with characters
# that end lines for str.splitlines, quotes and backslashes.
_NASTY = st.sampled_from(["plain", "a\u2028b", "form\x0cfeed", 'quote"s', "back\\slash",
                          "line\nbreak", "tab\tx", "é", "\x85next", "}{", " .\n"])
_SUBJECTS = st.sampled_from([f"{ID}entity/e{i}" for i in range(4)]
                            + ["https://example.org/x y", f"{ID}entity/a/b"])
_TRIPLE = st.tuples(_SUBJECTS, st.sampled_from([SCHEMA.name, SCHEMA.description]), _NASTY)
_UNIT = st.lists(_TRIPLE, min_size=1, max_size=6)


def _parts_of(units: dict[str, list[tuple[str, URIRef, str]]]) -> list[ExportPart]:
    ds = Dataset()
    for key, triples in units.items():
        g = ds.graph(URIRef(f"{ID}graph/{key}"))
        for s, p, o in triples:
            g.add((URIRef(s.replace(" ", "%20")), p, Literal(o)))
    return export_parts(ds)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(before=st.dictionaries(st.sampled_from(["u1", "u2", "u3", "u1-x", "u10"]), _UNIT,
                              min_size=1, max_size=5),
       changed=st.dictionaries(st.sampled_from(["u1", "u2", "u3", "u1-x", "u10"]),
                               st.one_of(st.none(), _UNIT), min_size=1, max_size=3))
def test_generated_units_edit_to_the_composed_files(
    before: dict[str, list[tuple[str, URIRef, str]]],
    changed: dict[str, list[tuple[str, URIRef, str]] | None],
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    after = {k: v for k, v in {**before, **changed}.items() if v is not None}
    if not after:
        return
    _edited(_parts_of(before), _parts_of(after), tmp_path_factory.mktemp("edit"))
