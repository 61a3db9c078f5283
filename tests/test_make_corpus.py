"""scripts/make_corpus.py: deterministic, loadable, valid, and as varied as real reporting."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest
import yaml

import graph
from graph.model.records import Corpus
from tests.conftest import load_script

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "make_corpus.py"


def _module() -> ModuleType:
    return load_script("make_corpus")


make_corpus = _module()


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


@pytest.fixture(scope="module")
def corpus_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("corpus3")
    make_corpus.write_corpus(make_corpus.generate_corpus(3, 11), out)
    return out


@pytest.fixture(scope="module")
def larger(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    out = tmp_path_factory.mktemp("corpus40")
    make_corpus.write_corpus(make_corpus.generate_corpus(40, 5), out)
    return graph.load_corpus([out])


def test_same_seed_same_bytes_different_seed_different_bytes() -> None:
    first = make_corpus.generate_corpus(3, 7)
    assert first == make_corpus.generate_corpus(3, 7)
    other = make_corpus.generate_corpus(3, 8)
    assert sorted(first) == sorted(other)
    assert all(first[name] != other[name] for name in first)


def test_same_bytes_across_processes_whatever_the_hash_seed(tmp_path: Path) -> None:
    """Set iteration order changes with PYTHONHASHSEED; the output must not."""
    digests = []
    for hash_seed in ("1", "2"):
        out = tmp_path / hash_seed
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        subprocess.run([sys.executable, str(SCRIPT), "--documents", "4", "--seed", "3",
                        "--out", str(out)], check=True, env=env, capture_output=True)
        digests.append(_digest(out))
    assert digests[0] == digests[1]
    assert len(digests[0]) == 8


def test_files_are_the_annotation_format(corpus_dir: Path) -> None:
    names = sorted(p.name for p in corpus_dir.iterdir())
    assert names == [f"doc-000{i}.{ext}" for i in (1, 2, 3) for ext in ("txt", "yaml")]
    data = yaml.safe_load((corpus_dir / "doc-0002.yaml").read_text(encoding="utf-8"))
    text = (corpus_dir / "doc-0002.txt").read_bytes()
    assert data["format"] == 1
    assert data["document"]["sha256"] == hashlib.sha256(text).hexdigest()
    assert 30 <= len(data["claims"]) <= 50


def test_output_loads_and_every_claim_is_anchored_once(corpus_dir: Path) -> None:
    corpus = graph.load_corpus([corpus_dir])
    assert len(corpus.files) == 3
    for f in corpus.files:
        text = f.document.text
        assert text is not None
        for claim in f.claims:
            assert text.count(claim.text) == 1
            assert text[claim.start : claim.end] == claim.text


def test_cli_builds_and_validates_the_output(corpus_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build = subprocess.run(
        [sys.executable, "-m", "graph.cli", "build", str(corpus_dir), "--no-views", "--out",
         str(out)], capture_output=True, text=True, check=False,
    )
    assert build.returncode == 0, build.stderr
    assert "from 3 document(s)" in build.stdout
    check = subprocess.run(
        [sys.executable, "-m", "graph.cli", "validate", str(out / "graph.trig")],
        capture_output=True, text=True, check=False,
    )
    assert check.returncode == 0, check.stderr
    assert "valid" in check.stdout


def test_sources_are_as_varied_as_real_reporting(larger: Corpus) -> None:
    claims = list(larger.claims.values())
    kinds = Counter(c.source_kind for c in claims)
    modes = Counter(c.mode for c in claims)
    for kind in ("named-person", "named-organization", "document", "vague-collective",
                 "anonymous", "author-voice", "official-statement"):
        assert kinds[kind] > 0, kind
    for mode in ("direct-quote", "reported-speech", "author-assertion", "hedged", "denial",
                 "inference"):
        assert modes[mode] > 0, mode
    assert 35 <= len(claims) / len(larger.files) <= 45
    assert any(c.quantities for c in claims) and any(c.relations for c in claims)
    assert any(c.dates for c in claims)
    assert any(c.denies for c in claims) and any(c.contradicts for c in claims)
    assert any(c.supports for c in claims) and any(c.inferred_from for c in claims)


def test_author_voice_is_the_publisher(larger: Corpus) -> None:
    for f in larger.files:
        for claim in f.claims:
            if claim.source_kind == "author-voice":
                assert claim.claimants == (f.document.metadata.publisher,)


def test_relays_point_at_earlier_documents_with_a_few_cycles(larger: Corpus) -> None:
    documents = {f.document.id for f in larger.files}
    claim_relays = [(c.document, r) for c in larger.claims.values() for r in c.relayed_from
                    if "#" in r]
    cited = {d.id for f in larger.files for d in f.cited_documents}
    document_relays = [r for c in larger.claims.values() for r in c.relayed_from
                       if "#" not in r]
    assert len(claim_relays) > 100
    assert document_relays and set(document_relays) <= cited
    assert cited.isdisjoint(documents)  # cited reports have no text in the corpus
    forward = [(d, r) for d, r in claim_relays if r.partition("#")[0] > d]
    assert 0 < len(forward) < len(claim_relays) / 10  # mostly earlier documents
    pairs = {(c.key, r) for c in larger.claims.values() for r in c.relayed_from if "#" in r}
    assert any((r, k) in pairs for k, r in pairs)  # two claims relaying each other
    # Outlets relay each other: chains longer than one hop.
    by_key = larger.claims
    assert any(
        "#" in r and any("#" in up for up in by_key[r].relayed_from)
        for c in by_key.values() for r in c.relayed_from
    )
    # Many outlets relay a few originals.
    interviews = [f for f in larger.files if f.document.type == "interview"]
    assert 0 < len(interviews) < len(larger.files) / 4
    publishers = {f.document.metadata.publisher for f in larger.files}
    assert len(publishers) >= 5


def test_entities_are_corpus_wide_and_invented(larger: Corpus) -> None:
    seen: dict[str, tuple[str, str]] = {}
    for f in larger.files:
        for e in f.entities:
            assert seen.setdefault(e.id, (e.type, e.label)) == (e.type, e.label)
    types = Counter(t for t, _ in seen.values())
    for kind in ("person", "organization", "group", "place", "topic"):
        assert types[kind] > 0, kind
    groups = [e for f in larger.files for e in f.entities if e.type == "group"]
    assert all(e.descriptor and e.descriptor in (f.document.text or "")
               for f in larger.files for e in f.entities if e.type == "group")
    assert groups


def test_rejects_an_empty_corpus() -> None:
    with pytest.raises(ValueError):
        make_corpus.generate_corpus(0, 1)
