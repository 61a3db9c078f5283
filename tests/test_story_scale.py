"""The story analysis does not grow with the square of the corpus, even on templated text.

Counts, not timings: the pairs compared are bounded by a constant times the number of texts or
documents, where comparing everything would give the square."""

from __future__ import annotations

from graph.story.align import _BANDS, _WINDOW, _candidate_pairs, _Text, align_claims
from graph.story.copies import WINDOW, _shared_ngrams, find_copies
from graph.story.inputs import StoryClaim, StoryDoc

PLACES = [f"{a}{b}" for a in ("Vel", "Orr", "Kast", "Lum", "Mor", "Tarn", "Ald", "Cray", "Dun",
                                "Eld") for b in
          ("mont", "haven", "moor", "ford", "wick", "port", "dale", "mere", "holm", "gard")]


def _claim(doc: str, i: int, text: str) -> StoryClaim:
    return StoryClaim(f"{doc}#c{i}", doc, f"c{i}", text, 0, len(text), ("Someone",),
                      "named-person", "reported-speech")


def _template_texts(n: int) -> list[_Text]:
    """``n`` distinct texts of one sentence frame: to MinHash, every pair looks alike."""
    frames = ((p, q) for p in PLACES for q in PLACES)
    texts = []
    for i, (p, q) in enumerate(frames):
        if i == n:
            break
        texts.append(_Text.of(_claim("d", i, f"The {p} bridge was closed for repairs in March "
                                              f"by the {q} board")))
    return texts


def test_a_template_shared_by_many_texts_is_not_compared_pairwise() -> None:
    small, large = _template_texts(1000), _template_texts(4000)
    pairs_small = sum(1 for _ in _candidate_pairs(small, seed=1))
    pairs_large = sum(1 for _ in _candidate_pairs(large, seed=1))
    assert pairs_large <= _BANDS * _WINDOW * len(large)
    assert pairs_large < len(large) ** 2 / 2 / 8  # far from every pair
    # four times the texts, about four times the pairs (comparing all would give sixteen)
    assert pairs_large / pairs_small < 4 * 1.3


def test_templated_claims_still_align_within_their_story() -> None:
    docs = [StoryDoc(f"d{i}", "t", "x", f"2024-01-{i + 1:02d}", None, frozenset())
            for i in range(3)]
    claims = [_claim(f"d{i}", 1, f"The {p} bridge was closed for repairs in March")
              for i in range(3) for p in PLACES[:40]]
    clusters = align_claims(docs, claims)
    # each place's claim is one cluster across the three documents; near-identical frames of
    # other places are near-copies too (the texts differ by one word): what matters here is
    # that all 120 claims are placed and nothing fails at this size
    assert sum(len(c.members) for c in clusters) == 120


def test_a_phrase_shared_by_every_document_costs_a_window_per_document() -> None:
    boilerplate = "Sign up to receive our latest news and analysis every single morning. "
    docs = [
        StoryDoc(f"d{i:03d}", "t", f"Report {i}. " + boilerplate,
                 f"2024-{1 + i // 28:02d}-{1 + i % 28:02d}", None, frozenset())
        for i in range(300)
    ]
    _spans, compared = _shared_ngrams(docs, 8, WINDOW)
    assert len(compared) <= WINDOW * len(docs)  # not 300 * 299 / 2 = 44,850
    copies = find_copies(docs)
    # the copies kept name each document's nearest source of the phrase
    assert all(c.ordered and c.passages[0].words >= 8 for c in copies)
