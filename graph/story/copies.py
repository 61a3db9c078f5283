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
from operator import itemgetter
from typing import Any, Final

from graph.story.inputs import StoryDoc
from graph.story.text import word_offsets, words

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


def _words(docs: Sequence[StoryDoc]) -> tuple[list[list[tuple[int, int]]], list[list[int]]]:
    """Each document's word spans, and its words as integer ids (one id per distinct word)."""
    vocabulary: dict[str, int] = {}
    spans, ids = [], []
    for doc in docs:
        spans.append(word_offsets(doc.text))
        ids.append([vocabulary.setdefault(w, len(vocabulary)) for w in words(doc.text)])
    return spans, ids


def _shared_ngrams(
    docs: Sequence[StoryDoc], min_words: int, window: int
) -> tuple[list[list[tuple[int, int]]], dict[tuple[int, int], list[tuple[int, int, int]]]]:
    """Each document's word spans, and for each compared pair of documents (earlier, later) by
    index the maximal runs ``(i, j, words)`` of shared n-grams, in order.

    Each n-gram is one integer (see :func:`_ngram_ids`), and only
    n-grams two documents hold are paired, all at once with numpy: the words are read in Python
    once, the n-grams never are.
    """
    import numpy as np

    spans, ids = _words(docs)
    n = min_words
    lengths = np.array([len(w) for w in ids], dtype=np.int64)
    counts = np.maximum(lengths - n + 1, 0)
    if counts.sum() == 0:
        return spans, {}
    flat = np.fromiter((w for doc_ids in ids for w in doc_ids), dtype=np.int64,
                       count=int(lengths.sum()))
    starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
    doc = np.repeat(np.arange(len(ids)), counts)
    pos = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    gram = _ngram_ids(flat, n)[starts[doc] + pos]
    # occurrences by n-gram, then document (date order), then position
    order = np.lexsort((pos, doc, gram))
    gram, doc, pos = gram[order], doc[order], pos[order]
    # a holder: one document's occurrences of one n-gram
    new_holder = np.ones(len(gram), dtype=bool)
    new_holder[1:] = (gram[1:] != gram[:-1]) | (doc[1:] != doc[:-1])
    first = np.nonzero(new_holder)[0]
    taken = np.diff(np.append(first, len(gram)))
    holder_gram, holder_doc = gram[first], doc[first]
    pairs_a, pairs_b = [], []
    for step in range(1, window + 1):
        here = np.nonzero(holder_gram[:-step] == holder_gram[step:])[0]
        if not len(here):
            break  # no n-gram has more than ``step`` holders
        pairs_a.append(here)
        pairs_b.append(here + step)
    if not pairs_a:
        return spans, {}
    ha, hb = np.concatenate(pairs_a), np.concatenate(pairs_b)
    # every occurrence in the earlier holder with every occurrence in the later one
    # (32-bit where it fits: these arrays hold every hit, the largest of the comparison)
    combos = taken[ha] * taken[hb]
    pick = np.repeat(np.arange(len(ha), dtype=np.int32), combos)
    t = np.arange(combos.sum()) - np.repeat(np.cumsum(combos) - combos, combos)
    ka = holder_doc[ha].astype(np.int32)[pick]
    kb = holder_doc[hb].astype(np.int32)[pick]
    width = taken[hb][pick]
    pa = pos[first[ha][pick] + t // width].astype(np.int32)
    pb = pos[first[hb][pick] + t % width].astype(np.int32)
    del pick, t, width
    return spans, _runs(ka, kb, pa, pb, n)


def _ngram_ids(words: Any, n: int) -> Any:
    """For each position of ``words`` (integer ids), an id of the ``n`` words from there: equal
    ids for equal n-grams. Ids of 1, 2, 4, ... words are each made from two of the half length,
    then the powers of two that sum to ``n`` are joined the same way."""
    import numpy as np

    def joined(left: Any, right: Any) -> Any:
        # the pair (left, right) as one integer, then made dense
        return np.unique(left * (int(right.max()) + 1) + right, return_inverse=True)[1].ravel()

    levels = {1: words}
    size = 1
    while size * 2 <= n:
        levels[size * 2] = joined(levels[size][:-size], levels[size][size:])
        size *= 2
    ids, covered = levels[size], size
    for part in sorted(levels, reverse=True):
        if covered + part <= n:
            tail = levels[part][covered:]
            ids = joined(ids[: len(tail)], tail)
            covered += part
    return ids


def _runs(
    ka: Any, kb: Any, pa: Any, pb: Any, n: int
) -> dict[tuple[int, int], list[tuple[int, int, int]]]:
    """Merge n-gram hits ``(i, j)`` of each document pair into maximal runs ``(i, j, words)``
    along each diagonal, each pair's runs in order."""
    import numpy as np

    diagonal = pb - pa
    order = np.lexsort((pa, diagonal, kb, ka))
    ka, kb, pa, diagonal = ka[order], kb[order], pa[order], diagonal[order]
    opens = np.ones(len(pa), dtype=bool)
    opens[1:] = ((ka[1:] != ka[:-1]) | (kb[1:] != kb[:-1]) | (diagonal[1:] != diagonal[:-1])
                 | (pa[1:] != pa[:-1] + 1))
    first = np.nonzero(opens)[0]
    last = np.append(first[1:], len(pa)) - 1
    ra, rb, ri, rd = ka[first], kb[first], pa[first], diagonal[first]
    words = pa[last] - ri + n
    order = np.lexsort((words, ri + rd, ri, rb, ra))
    ra, rb = ra[order], rb[order]
    rows = list(zip(ri[order].tolist(), (ri + rd)[order].tolist(), words[order].tolist(),
                    strict=True))
    pair_opens = np.ones(len(ra), dtype=bool)
    pair_opens[1:] = (ra[1:] != ra[:-1]) | (rb[1:] != rb[:-1])
    bounds = np.append(np.nonzero(pair_opens)[0], len(ra)).tolist()
    pairs = zip(ra[pair_opens].tolist(), rb[pair_opens].tolist(), strict=True)
    return {pair: rows[bounds[x] : bounds[x + 1]] for x, pair in enumerate(pairs)}


def find_copies(
    docs: Sequence[StoryDoc], *, min_words: int = MIN_WORDS, window: int = WINDOW
) -> list[Copy]:
    """Copies between the documents, each with its shared passages, in the copies' date order."""
    docs = sorted(docs, key=lambda d: d.order_key)  # an index is then a place in date order
    spans, runs = _shared_ngrams(docs, min_words, window)
    # Candidates stay plain tuples: most are dropped by the choice of sources, and only the
    # copies kept become dataclasses.
    by_copy: dict[int, list[_Candidate]] = defaultdict(list)
    for (ka, kb), pair_runs in runs.items():
        copy, _source, ordered = _direction(docs[ka], docs[kb])
        kc, ks = (ka, kb) if copy is docs[ka] else (kb, ka)
        in_copy, in_source = spans[kc], spans[ks]
        if kc != ka:
            pair_runs = [(j, i, n) for i, j, n in pair_runs]
        passages = [(in_copy[i][0], in_copy[i + n - 1][1], in_source[j][0],
                     in_source[j + n - 1][1], n) for i, j, n in pair_runs]
        passages.sort(key=itemgetter(0))
        by_copy[kc].append((sum(p[4] for p in passages), ks, passages, ordered))
    kept = []
    for kc, candidates in by_copy.items():
        copy = docs[kc]
        for _words, ks, passages, ordered in _nearest_sources(candidates, docs, min_words):
            source = docs[ks]
            kept.append(Copy(copy.id, source.id, tuple(Passage(*p) for p in passages),
                             source.id in copy.cites, ordered))
    by_id = {d.id: d for d in docs}
    kept.sort(key=lambda c: (by_id[c.copy].order_key, by_id[c.source].order_key))
    return kept


# (words, source's index, passages as Passage fields, ordered)
_Candidate = tuple[int, int, list[tuple[int, int, int, int, int]], bool]


def _nearest_sources(
    candidates: list[_Candidate], docs: Sequence[StoryDoc], min_words: int
) -> list[_Candidate]:
    """Keep, of one copy's sources, those that explain passages no other kept source explains."""
    # The source sharing most text first (a copy of a copy shares more with its immediate
    # source, which adds text of its own); among equals, the closest earlier one.
    candidates.sort(key=lambda c: (c[0], docs[c[1]].order_key), reverse=True)
    covered = bytearray(max(p[1] for c in candidates for p in c[2]))  # 1: a kept source's
    kept = []
    for c in candidates:
        chars = _merged(c[2])
        new = sum(end - start - covered.count(1, start, end) for start, end in chars)
        if new >= min_words * 4:  # about min_words words of new text
            kept.append(c)
            for start, end in chars:
                covered[start:end] = b"\x01" * (end - start)
    return kept


def _merged(passages: list[tuple[int, int, int, int, int]]) -> list[tuple[int, int]]:
    """The characters of the copy that passages (sorted by start) cover, as disjoint spans."""
    out: list[tuple[int, int]] = []
    for start, end, *_ in passages:
        if out and start <= out[-1][1]:
            if end > out[-1][1]:
                out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out
