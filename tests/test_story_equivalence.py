"""The array versions of the candidate pairs and of copy detection give what the plain loops they
replaced gave: the same pairs in the same order (alignment's pruning by already-joined texts
depends on it) and the same copies, passages and sources."""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterator, Sequence

from graph.story.align import _BANDS, _ROWS, _candidate_pairs, _Text
from graph.story.copies import Copy, Passage, _direction, find_copies
from graph.story.inputs import StoryClaim, StoryDoc
from graph.story.text import word_spans

_VOCABULARY = "bridge council harbour trawler ban closed repairs march board mayor said would river"
WORDS = (_VOCABULARY + " fleet quota catch report minister port north south").split()


def _loop_pairs(texts: Sequence[_Text], seed: int, window: int) -> Iterator[tuple[int, int]]:
    """The banding loop as it was written before numpy."""
    from datasketch import MinHash

    feats = [t.features() for t in texts]
    sketches = MinHash.bulk(feats, num_perm=_BANDS * _ROWS, seed=seed)
    seen: set[tuple[int, int]] = set()
    for band in range(_BANDS):
        buckets: dict[bytes, list[int]] = defaultdict(list)
        for i, sketch in enumerate(sketches):
            if feats[i]:
                buckets[sketch.hashvalues[band * _ROWS : (band + 1) * _ROWS].tobytes()].append(i)
        for members in buckets.values():
            if len(members) > window:
                members.sort(key=lambda i: texts[i].sorted_words)
            for x, i in enumerate(members):
                for j in members[x + 1 : x + 1 + window]:
                    pair = (i, j) if i < j else (j, i)
                    if pair not in seen:
                        seen.add(pair)
                        yield pair


def _texts(n: int, rng: random.Random) -> list[_Text]:
    texts = []
    for i in range(n):
        # few words from a small vocabulary: many shared buckets, some oversized, some ties in
        # word order, and an empty text now and then
        text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(0, 5)))
        claim = StoryClaim(f"d#c{i}", "d", f"c{i}", text, 0, len(text), ("X",), "named-person",
                           "reported-speech")
        texts.append(_Text.of(claim))
    return texts


def test_candidate_pairs_come_in_the_order_of_the_loop() -> None:
    rng = random.Random(7)
    for window in (1, 3, 50):
        texts = _texts(400, rng)
        pairs = list(_candidate_pairs(texts, seed=1, window=window))
        assert pairs and pairs == list(_loop_pairs(texts, 1, window))


def _loop_copies(docs: Sequence[StoryDoc], n: int, window: int) -> list[Copy]:
    """Copy detection as it was written before numpy: string n-grams, sets of offsets."""
    docs = sorted(docs, key=lambda d: d.order_key)
    index: dict[str, dict[int, list[int]]] = defaultdict(dict)
    spans = []
    for k, doc in enumerate(docs):
        found = list(word_spans(doc.text))
        spans.append([(s, e) for _, s, e in found])
        toks = [w for w, _, _ in found]
        grams: dict[str, list[int]] = defaultdict(list)
        for i in range(len(toks) - n + 1):
            grams[" ".join(toks[i : i + n])].append(i)
        for gram, positions in grams.items():
            index[gram][k] = positions
    hits: dict[tuple[int, int], list[tuple[int, int]]] = defaultdict(list)
    for postings in index.values():
        holders = list(postings)
        for x, kb in enumerate(holders):
            for ka in holders[max(0, x - window) : x]:
                hits[ka, kb].extend((pa, pb) for pa in postings[ka] for pb in postings[kb])
    found_copies = []
    for (ka, kb), pair_hits in hits.items():
        by_diagonal: dict[int, list[int]] = defaultdict(list)
        for i, j in pair_hits:
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
        copy, source, ordered = _direction(docs[ka], docs[kb])
        kc, ks = (ka, kb) if copy is docs[ka] else (kb, ka)
        passages = []
        for i, j, w in runs:
            ic, js = (i, j) if kc == ka else (j, i)
            passages.append(Passage(spans[kc][ic][0], spans[kc][ic + w - 1][1],
                                    spans[ks][js][0], spans[ks][js + w - 1][1], w))
        passages.sort(key=lambda p: p.copy_start)
        found_copies.append(Copy(copy.id, source.id, tuple(passages), source.id in copy.cites,
                                 ordered))
    by_id = {d.id: d for d in docs}
    by_copy: dict[str, list[Copy]] = defaultdict(list)
    for c in found_copies:
        by_copy[c.copy].append(c)
    kept = []
    for candidates in by_copy.values():
        candidates.sort(key=lambda c: (c.words, by_id[c.source].order_key), reverse=True)
        covered: set[int] = set()
        for c in candidates:
            chars: set[int] = set()
            for p in c.passages:
                chars.update(range(p.copy_start, p.copy_end))
            if len(chars - covered) >= n * 4:
                kept.append(c)
                covered |= chars
    kept.sort(key=lambda c: (by_id[c.copy].order_key, by_id[c.source].order_key))
    return kept


def test_copies_are_those_of_the_loop() -> None:
    rng = random.Random(11)
    phrases = [" ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 14))) for _ in range(30)]
    docs = []
    for i in range(60):
        # documents stitched from shared phrases (repeated ones too), some on the same day,
        # some undated, some citing an earlier one
        text = ". ".join(rng.choice(phrases) for _ in range(rng.randint(2, 12))) + "."
        date = rng.choice([None, f"2024-01-{1 + i // 6:02d}"])
        cites = frozenset({f"d{rng.randrange(i):02d}"}) if i and rng.random() < 0.3 else frozenset()
        docs.append(StoryDoc(f"d{i:02d}", "t", text, date, None, cites))
    for n, window in ((8, 10), (5, 2), (3, 1)):
        found = find_copies(docs, min_words=n, window=window)
        assert any(not c.ordered for c in found) and len(found) > len(docs)
        assert found == _loop_copies(docs, n, window)
