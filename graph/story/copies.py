"""Who copied whom: passages two document texts share word for word, with their spans.

Every run of ``min_words`` words is indexed (a word n-gram); two documents sharing one are a
candidate pair. A document is paired, on each n-gram, with at most the ``window`` latest earlier
documents that hold it, so a phrase a thousand documents share (boilerplate, a template) costs a
thousand pairs, not half a million: the work grows with the text, not with the square of the
corpus. Shared n-grams on one diagonal merge into maximal passages.

A copy runs from the earlier document to the later one by publication date; on the same day (or
undated) the document that cites the other is the copy, and a pair still undecided is kept with
``ordered=False``. Of the documents a copy took text from, the one sharing most is kept, then any
other that explains a passage the kept ones do not: a copy of a copy names the copy it took from
(which adds text of its own), not every document upstream.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from graph.story.inputs import StoryDoc
from graph.story.text import word_spans

__all__ = ["MIN_WORDS", "WINDOW", "Copy", "Passage", "find_copies"]

MIN_WORDS: Final = 8
WINDOW: Final = 10  # earlier documents a document is compared with on one shared n-gram


@dataclass(frozen=True)
class Passage:
    """A passage of the copy found word for word in the source: ``[start, end)`` in each text."""

    copy_start: int
    copy_end: int
    source_start: int
    source_end: int
    words: int


@dataclass(frozen=True)
class Copy:
    """Text of ``source`` reused in ``copy``."""

    copy: str
    source: str
    passages: tuple[Passage, ...]
    cited: bool  # the copy names the source (cites it or relays a claim from it)
    ordered: bool  # False: neither date nor citation tells which came first

    @property
    def words(self) -> int:
        return sum(p.words for p in self.passages)


def _ngrams(doc: StoryDoc, n: int) -> tuple[list[tuple[int, int]], dict[str, list[int]]]:
    found = list(word_spans(doc.text))
    spans = [(s, e) for _, s, e in found]
    toks = [w for w, _, _ in found]
    grams: dict[str, list[int]] = defaultdict(list)
    for i in range(len(toks) - n + 1):
        grams[" ".join(toks[i : i + n])].append(i)
    return spans, grams


def _runs(hits: list[tuple[int, int]], n: int) -> list[tuple[int, int, int]]:
    """Merge n-gram hits ``(i, j)`` into maximal runs ``(i, j, words)`` along each diagonal."""
    by_diagonal: dict[int, list[int]] = defaultdict(list)
    for i, j in hits:
        by_diagonal[j - i].append(i)
    runs = []
    for d, starts in by_diagonal.items():
        starts.sort()
        first = prev = starts[0]
        for i in starts[1:]:
            if i > prev + 1:
                runs.append((first, first + d, prev - first + n))
                first = i
            prev = i
        runs.append((first, first + d, prev - first + n))
    runs.sort()
    return runs


def _direction(a: StoryDoc, b: StoryDoc) -> tuple[StoryDoc, StoryDoc, bool]:
    """(copy, source, ordered) for two documents sharing text."""
    if a.date and b.date and a.date != b.date:
        return (b, a, True) if a.date < b.date else (a, b, True)
    if b.id in a.cites and a.id not in b.cites:
        return a, b, True
    if a.id in b.cites and b.id not in a.cites:
        return b, a, True
    later, earlier = (b, a) if a.order_key < b.order_key else (a, b)
    return later, earlier, False


def _shared_ngrams(
    docs: Sequence[StoryDoc], min_words: int, window: int
) -> tuple[list[list[tuple[int, int]]], dict[tuple[int, int], list[tuple[int, int]]]]:
    """Each document's word spans, and for each compared pair of documents (earlier, later) by
    index the word positions ``(i, j)`` where they share an n-gram."""
    index: dict[str, dict[int, list[int]]] = defaultdict(dict)
    spans = []
    for k, doc in enumerate(docs):
        doc_spans, grams = _ngrams(doc, min_words)
        spans.append(doc_spans)
        for gram, positions in grams.items():
            index[gram][k] = positions
    hits: dict[tuple[int, int], list[tuple[int, int]]] = defaultdict(list)
    for postings in index.values():
        if len(postings) < 2:
            continue
        holders = list(postings)  # in date order: documents were added in that order
        for x, kb in enumerate(holders):
            for ka in holders[max(0, x - window) : x]:
                found_here = hits[ka, kb]
                for pa in postings[ka]:
                    found_here.extend((pa, pb) for pb in postings[kb])
    return spans, hits


def find_copies(
    docs: Sequence[StoryDoc], *, min_words: int = MIN_WORDS, window: int = WINDOW
) -> list[Copy]:
    """Copies between the documents, each with its shared passages, in the copies' date order."""
    docs = sorted(docs, key=lambda d: d.order_key)  # an index is then a place in date order
    spans, hits = _shared_ngrams(docs, min_words, window)
    found: list[Copy] = []
    for (ka, kb), pair_hits in hits.items():
        copy, source, ordered = _direction(docs[ka], docs[kb])
        kc, ks = (ka, kb) if copy is docs[ka] else (kb, ka)
        passages = []
        for i, j, n in _runs(pair_hits, min_words):
            ic, js = (i, j) if kc == ka else (j, i)
            cs, ce = spans[kc][ic][0], spans[kc][ic + n - 1][1]
            ss, se = spans[ks][js][0], spans[ks][js + n - 1][1]
            passages.append(Passage(cs, ce, ss, se, n))
        passages.sort(key=lambda p: p.copy_start)
        cited = source.id in copy.cites
        found.append(Copy(copy.id, source.id, tuple(passages), cited, ordered))
    return _nearest_sources(found, {d.id: d for d in docs}, min_words)


def _nearest_sources(found: list[Copy], docs: dict[str, StoryDoc], min_words: int) -> list[Copy]:
    """Keep, for each copy, the sources that explain passages no other kept source explains."""
    by_copy: dict[str, list[Copy]] = defaultdict(list)
    for c in found:
        by_copy[c.copy].append(c)
    kept = []
    for candidates in by_copy.values():
        # The source sharing most text first (a copy of a copy shares more with its immediate
        # source, which adds text of its own); among equals, the closest earlier one.
        candidates.sort(key=lambda c: (c.words, docs[c.source].order_key), reverse=True)
        covered: set[int] = set()
        for c in candidates:
            words: set[int] = set()
            for p in c.passages:
                words.update(range(p.copy_start, p.copy_end))
            if len(words - covered) >= min_words * 4:  # about min_words words of new text
                kept.append(c)
                covered |= words
    kept.sort(key=lambda c: (docs[c.copy].order_key, docs[c.source].order_key))
    return kept
