"""Claim alignment: which claims in different documents report the same thing.

Blocking keeps it sub-quadratic in documents: claims with the same normal form are one group
(verbatim copies, however many outlets print them), and only the distinct texts go through
MinHash LSH (datasketch's MinHash, banded here so that an oversized bucket is bounded) over
their content words, entities and numbers. Each candidate pair is
then scored (two claims whose annotated entities are disjoint are never the same claim): the same
normal form is ``verbatim``; a character similarity of at least
``NEAR_COPY`` (rapidfuzz) is a ``near-copy``; otherwise a ``paraphrase`` score mixes word overlap
(rapidfuzz's token set ratio), entity overlap and shared numbers.

Pairs above the threshold join clusters strongest first (a denial never joins what it denies);
a join is skipped when it would put two claims the analyst placed in different clusters
together. The analyst's ``cluster`` field wins: claims with the same value are one cluster
(``analyst`` method), claims with different values are never merged, and a machine alignment
stays marked as one until the analyst confirms it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Final

from graph.story.inputs import StoryClaim, StoryDoc
from graph.story.text import TextMemo

__all__ = ["NEAR_COPY", "THRESHOLD", "Cluster", "Member", "align_claims", "score_pair"]

THRESHOLD: Final = 0.6  # the least paraphrase score that aligns two claims
NEAR_COPY: Final = 0.9  # character similarity from which a pair is a near-copy
_PARAPHRASE_MAX: Final = 0.95  # a paraphrase never outranks a verbatim copy
_BANDS: Final = 20  # LSH bands of the MinHash signature ...
_ROWS: Final = 3  # ... of this many rows each: pairs proposed from a Jaccard of about 0.37
_WINDOW: Final = 50  # the texts a text is paired with in an oversized bucket
_CHUNK: Final = 1 << 16  # pairs turned into Python integers at a time


@dataclass(frozen=True)
class Member:
    """A claim's place in a cluster: the best score found for it against another member (a pair
    already joined through others is not scored again), and how."""

    claim: str  # document#claim
    score: float
    method: str  # verbatim | near-copy | paraphrase | analyst


@dataclass(frozen=True)
class Cluster:
    """Claims in two or more documents that report the same thing."""

    id: str  # the analyst's cluster value, or the earliest member's document/claim
    members: tuple[Member, ...]  # in date order of their documents
    confirmed: bool  # every member placed by the analyst

    @property
    def claims(self) -> tuple[str, ...]:
        return tuple(m.claim for m in self.members)


@dataclass(frozen=True)
class _Text:
    """What scoring reads of a claim, computed once per distinct text."""

    form: str
    words: frozenset[str]
    sorted_words: str
    numbers: frozenset[float]
    entities: frozenset[str]
    denial: bool

    @classmethod
    def of(cls, claim: StoryClaim, memo: TextMemo | None = None) -> _Text:
        memo = memo or TextMemo()
        words = memo.content_words(claim.text)
        return cls(memo.normal_form(claim.text), words, " ".join(sorted(words)),
                   memo.numbers(claim.text), claim.entities, claim.mode == "denial")

    def features(self) -> list[bytes]:
        found = set(self.words) | {f"e:{e}" for e in self.entities}
        found |= {f"n:{n:g}" for n in self.numbers}
        return [f.encode() for f in sorted(found)]


def score_pair(a: StoryClaim, b: StoryClaim) -> tuple[float, str]:
    """How alike two claims are (0–1) and by which method.

    >>> from graph.story.inputs import StoryClaim
    >>> def c(text, *entities):
    ...     return StoryClaim("d#c", "d", "c", text, 0, len(text), ("X",), "named-person",
    ...                       "reported-speech", entities=frozenset(entities))
    >>> score_pair(c("The bridge closed in March."), c("the bridge closed in march"))
    (1.0, 'verbatim')
    >>> s, how = score_pair(c("The council should ban trawlers", "council"),
    ...                     c("Trawlers ought to be banned by the council", "council"))
    >>> how
    'paraphrase'
    """
    return _score(_Text.of(a), _Text.of(b), 0.0)


def _score(a: _Text, b: _Text, threshold: float) -> tuple[float, str]:
    """The score of two texts; (0.0, "") as soon as the pair cannot reach ``threshold``."""
    if a.form == b.form:
        return 1.0, "verbatim"
    if a.entities and b.entities and not a.entities & b.entities:
        return 0.0, ""  # both say what they are about, and it is not the same thing
    union = a.words | b.words
    jaccard = len(a.words & b.words) / len(union) if union else 0.0
    shared_number = 0.1 if a.numbers & b.numbers else 0.0
    entity = None
    if a.entities and b.entities:
        entity = len(a.entities & b.entities) / len(a.entities | b.entities)
    # Word overlap caps what a paraphrase can score; near-copies need most of the characters.
    best = (0.35 + 0.35 * jaccard + 0.3 * entity) if entity is not None else 0.5 + 0.5 * jaccard
    if best + shared_number < threshold and jaccard < 0.5:
        return 0.0, ""
    from rapidfuzz import fuzz  # only here: most pairs stop before it

    ratio = fuzz.ratio(a.form, b.form) / 100
    if ratio >= NEAR_COPY:
        return round(ratio, 3), "near-copy"
    tokens = fuzz.token_set_ratio(a.sorted_words, b.sorted_words) / 100
    if entity is not None:
        score = 0.35 * tokens + 0.35 * jaccard + 0.3 * entity
    else:
        score = 0.5 * tokens + 0.5 * jaccard
    # a shared figure is strong evidence; a changed one is drift, not a penalty
    return round(min(score + shared_number, _PARAPHRASE_MAX), 3), "paraphrase"


def _root(parent: list[int], k: int) -> int:
    while parent[k] != k:
        parent[k] = parent[parent[k]]
        k = parent[k]
    return k


class _Partition:
    """Union-find that refuses to join two different analyst clusters."""

    def __init__(self, labels: dict[str, str | None]) -> None:
        self.parent = {k: k for k in labels}
        self.label = dict(labels)

    def find(self, k: str) -> str:
        while self.parent[k] != k:
            self.parent[k] = self.parent[self.parent[k]]
            k = self.parent[k]
        return k

    def union(self, a: str, b: str) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return False
        la, lb = self.label[ra], self.label[rb]
        if la is not None and lb is not None and la != lb:
            return False
        self.parent[rb] = ra
        self.label[ra] = la if la is not None else lb
        return True


def _candidate_pairs(
    texts: Sequence[_Text], *, seed: int, window: int = _WINDOW
) -> Iterable[tuple[int, int]]:
    """Pairs of texts sharing a band of their MinHash signatures (datasketch's MinHash).

    ``_BANDS`` bands of ``_ROWS`` rows propose pairs from an estimated Jaccard similarity of
    about ``(1 / _BANDS) ** (1 / _ROWS)`` (0.37). A bucket larger than ``window`` (a sentence
    template shared by thousands of claims) pairs each text only with the ``window`` texts after
    it in word order, so the pairs grow with the number of texts, never with its square.

    Pairs come band by band, each bucket in the order of its first text, each text with the
    texts after it in the bucket, and each pair once: the order alignment joins them in.
    """
    low, high = _candidate_arrays(texts, seed=seed, window=window)
    for start in range(0, len(low), _CHUNK):
        yield from zip(low[start : start + _CHUNK].tolist(),
                       high[start : start + _CHUNK].tolist(), strict=True)


def _candidate_arrays(texts: Sequence[_Text], *, seed: int, window: int) -> tuple[Any, Any]:
    """The pairs of :func:`_candidate_pairs`, in its order, as arrays of the lower and the
    higher index."""
    import numpy as np
    from datasketch import MinHash

    feats = [t.features() for t in texts]
    sketches = MinHash.bulk(feats, num_perm=_BANDS * _ROWS, seed=seed)
    hashed = np.array([i for i, f in enumerate(feats) if f], dtype=np.int64)
    if len(hashed) < 2:
        empty = np.empty(0, dtype=np.int64)
        return empty, empty
    values = np.stack([sketches[i].hashvalues for i in hashed])
    del sketches
    # an oversized bucket is taken in word order, ties in text order (a stable sort of the texts)
    by_words = sorted(range(len(texts)), key=lambda i: texts[i].sorted_words)
    rank = np.empty(len(texts), dtype=np.int64)
    rank[by_words] = np.arange(len(texts))
    seen = np.empty(0, dtype=np.int64)  # pairs of earlier bands, as low * len(texts) + high
    lows, highs = [], []
    for band in range(_BANDS):
        low, high = _band_pairs(values[:, band * _ROWS : (band + 1) * _ROWS], hashed,
                                rank[hashed], window)
        # within a band a text is in one bucket: a pair comes at most once, and new ones are
        # those no earlier band gave
        codes = low * len(texts) + high
        at = np.minimum(np.searchsorted(seen, codes), max(len(seen) - 1, 0))
        new = seen[at] != codes if len(seen) else np.ones(len(codes), dtype=bool)
        lows.append(low[new])
        highs.append(high[new])
        seen = np.sort(np.concatenate((seen, codes[new])))
    return np.concatenate(lows), np.concatenate(highs)


def _band_pairs(
    keys: Any, ids: Any, ranks: Any, window: int
) -> tuple[Any, Any]:
    """The pairs one band proposes, as arrays of the lower and the higher text index, in the
    order: bucket by its first text, then each member with the ``window`` members after it."""
    import numpy as np

    # rows with equal hash values, by a stable sort of the columns (a bucket's first sorted row
    # is then its first row)
    by_keys = np.lexsort(keys.T)
    ordered = keys[by_keys]
    opens = np.ones(len(keys), dtype=bool)
    opens[1:] = (ordered[1:] != ordered[:-1]).any(axis=1)
    bucket = np.empty(len(keys), dtype=np.int64)
    bucket[by_keys] = np.cumsum(opens) - 1
    first = by_keys[opens]
    size = np.bincount(bucket)[bucket]
    shared = np.nonzero(size > 1)[0]
    opened = first[bucket[shared]]  # a bucket's place: the row of its first text
    within = np.where(size[shared] > window, ranks[shared], shared)
    order = np.lexsort((within, opened))
    members, opened = ids[shared[order]], opened[order]
    places, steps = [], []
    for step in range(1, window + 1):
        here = np.nonzero(opened[:-step] == opened[step:])[0]
        if not len(here):
            break  # no bucket holds more than ``step`` texts
        places.append(here)
        steps.append(np.full(len(here), step))
    if not places:
        empty = np.empty(0, dtype=np.int64)
        return empty, empty
    place, step_of = np.concatenate(places), np.concatenate(steps)
    order = np.lexsort((step_of, place))
    a, b = members[place[order]], members[place[order] + step_of[order]]
    return np.minimum(a, b), np.maximum(a, b)


def align_claims(
    docs: Sequence[StoryDoc],
    claims: Sequence[StoryClaim],
    *,
    threshold: float = THRESHOLD,
    seed: int = 1,
) -> list[Cluster]:
    """Claim clusters spanning two or more documents, in the date order of their first member."""
    return _align(docs, claims, threshold, seed, TextMemo())


def _align(
    docs: Sequence[StoryDoc],
    claims: Sequence[StoryClaim],
    threshold: float,
    seed: int,
    memo: TextMemo,
) -> list[Cluster]:
    import numpy as np

    order = {d.id: i for i, d in enumerate(sorted(docs, key=lambda d: d.order_key))}
    # one canonical order, so the same corpus gives the same clusters, scores and methods
    claims = sorted((c for c in claims if c.document in order),
                    key=lambda c: (order[c.document], c.start, c.key))
    by_key = {c.key: c for c in claims}
    by_form: dict[str, list[StoryClaim]] = defaultdict(list)
    for c in claims:
        by_form[memo.normal_form(c.text)].append(c)
    groups = list(by_form.values())
    texts = [_Text.of(g[0], memo) for g in groups]

    edges: list[tuple[float, str, str, str]] = []  # (score, method, a, b)
    for group in groups:
        first = group[0]
        edges.extend((1.0, "verbatim", first.key, other.key) for other in group[1:])
    # Texts already joined through accepted pairs need no score of their own (in a corpus of
    # templated sentences most candidate pairs are such); texts an analyst placed are always
    # scored, since their clusters may refuse a join.
    joined = list(range(len(texts)))  # union-find of texts: no analyst labels at this level
    decided = [any(c.cluster is not None for c in g) for g in groups]
    denial = [t.denial for t in texts]
    # the one document a text is in, or None when it is in several: a pair within a single
    # document is no second outlet
    only_in = [g[0].document if all(c.document == g[0].document for c in g) else None
               for g in groups]
    low, high = _candidate_arrays(texts, seed=seed, window=_WINDOW)
    # Pairs that can never count (a denial against a claim, or two texts of one document only)
    # are dropped before the loop: the rest keep their order.
    keep = np.array(denial)[low] == np.array(denial)[high]
    single = np.array([-1 if d is None else order[d] for d in only_in], dtype=np.int64)
    keep &= (single[low] < 0) | (single[low] != single[high])
    low, high = low[keep], high[keep]
    for start in range(0, len(low), _CHUNK):
        for i, j in zip(low[start : start + _CHUNK].tolist(),
                        high[start : start + _CHUNK].tolist(), strict=True):
            if not (decided[i] or decided[j]) and _root(joined, i) == _root(joined, j):
                continue
            score, method = _score(texts[i], texts[j], threshold)
            if score >= threshold:
                edges.append((score, method, groups[i][0].key, groups[j][0].key))
                ri, rj = _root(joined, i), _root(joined, j)
                if ri != rj:
                    joined[rj] = ri

    part = _Partition({c.key: c.cluster for c in claims})
    analyst: dict[str, list[str]] = defaultdict(list)
    for c in claims:
        if c.cluster is not None:
            analyst[c.cluster].append(c.key)
    for keys in analyst.values():
        for k in keys[1:]:
            part.union(keys[0], k)
    best: dict[str, tuple[float, str]] = {}
    for score, method, a, b in sorted(edges, key=lambda e: (-e[0], e[2], e[3])):
        if by_key[a].document == by_key[b].document and method == "verbatim":
            continue  # a claim repeated within one document is not a second outlet
        if part.union(a, b) or part.find(a) == part.find(b):
            for k in (a, b):
                if score > best.get(k, (-1.0, ""))[0]:
                    best[k] = (score, method)

    members: dict[str, list[str]] = defaultdict(list)
    for c in claims:
        members[part.find(c.key)].append(c.key)
    clusters = []
    for root, keys in members.items():
        if len({by_key[k].document for k in keys}) < 2:
            continue
        keys.sort(key=lambda k: (order[by_key[k].document], k))
        label = part.label[root]
        out = []
        for k in keys:
            if by_key[k].cluster is not None:
                out.append(Member(k, 1.0, "analyst"))
            else:
                score, method = best.get(k, (0.0, "paraphrase"))
                out.append(Member(k, score, method))
        first = by_key[keys[0]]
        cid = label if label is not None else f"{first.document}/{first.id}"
        confirmed = all(m.method == "analyst" for m in out)
        clusters.append(Cluster(cid, tuple(out), confirmed))
    clusters.sort(key=lambda c: (order[by_key[c.members[0].claim].document], c.members[0].claim))
    return clusters
