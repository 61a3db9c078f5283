"""Drift: what changed from a cluster's earliest version to each later one, by kind.

Kinds (``DRIFT_KINDS``):

* ``attribution`` — the speaker or source replaced, dropped for the outlet's own voice, made vague
  or agentless, or moved to another claim of the later version; the cue that names the outlet
  changed or dropped;
* ``mode`` — reported speech ↔ direct quote, a quote turned author voice, a hedge added or dropped;
* ``scope`` — a sweeping word or a stronger modal added or removed ("ban the entry" → "ban all");
* ``number`` — a value, range, unit or counted thing changed (annotated quantities, else the
  figures written in the text);
* ``date`` — the dates a claim gives (annotated, else years and decades in the text);
* ``only-here`` — a claim of a story's document that no other document carries.

Every item names the earlier and the later span (document, claim, offsets); an ``only-here`` item
has only the later one. Drift describes how texts differ, never which is right.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Final

from graph.model.records import Quantity
from graph.story.align import Cluster
from graph.story.inputs import StoryClaim, StoryDoc
from graph.story.text import TextMemo, words

__all__ = [
    "DRIFT_KINDS",
    "DriftItem",
    "Span",
    "compare_claims",
    "find_drift",
]

DRIFT_KINDS: Final = ("attribution", "mode", "scope", "number", "date", "only-here")

# Words that widen a claim's reach, and modals by strength: "should" → "must" strengthens.
_SWEEPING: Final = frozenset(
    "all every any entire whole total totally completely always never outright only".split()  # noqa: SIM905 (a word list reads better as text)
)
_MODALS: Final = {"may": 1, "might": 1, "could": 1, "should": 2, "ought": 2, "must": 3, "will": 3}
_VAGUE: Final = frozenset({"vague-collective", "anonymous"})
_VAGUE_CUE: Final = re.compile(
    r"\b(local media|media reports?|reports?|reportedly|it is (said|claimed|reported)|said to|"
    r"sources?|some)\b",
    re.IGNORECASE,
)
_EVERY_TIME: Final = re.compile(r"\bevery (year|month|week|day)\b", re.IGNORECASE)
_DATE_IN_TEXT: Final = re.compile(r"\b(?:(?:early|mid|late)[- ])?\d{4}s?\b", re.IGNORECASE)


@dataclass(frozen=True)
class Span:
    """A claim's text in one document: ``text == document_text[start:end]``."""

    claim: str  # document#claim
    document: str
    start: int
    end: int
    text: str

    @classmethod
    def of(cls, claim: StoryClaim) -> Span:
        return cls(claim.key, claim.document, claim.start, claim.end, claim.text)


@dataclass(frozen=True)
class DriftItem:
    """One change between two versions of a claim (or a claim only one version carries)."""

    cluster: str | None
    kind: str  # one of DRIFT_KINDS
    change: str  # a short name: "source dropped", "reported-speech → direct-quote", …
    earlier: Span | None
    later: Span
    before: str = ""  # what the earlier version says on this point
    after: str = ""  # what the later version says


def _attribution(e: StoryClaim, lat: StoryClaim, memo: _Memo) -> Iterable[tuple[str, str, str]]:
    who_e, who_l = ", ".join(e.claimants), ", ".join(lat.claimants)
    own_voice = e.source_kind == lat.source_kind == "author-voice"  # each outlet speaks for itself
    if not own_voice and (
        lat.source_kind != e.source_kind or set(lat.claimants) != set(e.claimants)
    ):
        if lat.source_kind == "author-voice" and e.source_kind != "author-voice":
            change = "source dropped: now the outlet's own voice"
        elif lat.source_kind == "anonymous" and e.source_kind != "anonymous":
            change = "source made agentless"
        elif lat.source_kind in _VAGUE and e.source_kind not in _VAGUE:
            change = "source made vague"
        else:
            change = "source replaced"
        yield change, f"{who_e} ({e.source_kind})", f"{who_l} ({lat.source_kind})"
    if e.relayed_from and not lat.relayed_from:  # the same speaker, but no longer through whom
        yield "relay dropped", "; ".join(e.relayed_from), ""
    cue_e, cue_l = "; ".join(e.cues), "; ".join(lat.cues)
    if cue_e and not cue_l:
        yield "cue dropped", cue_e, ""
    elif (
        lat.source_kind == e.source_kind
        and cue_l != cue_e
        and _VAGUE_CUE.search(cue_l)
        and not _VAGUE_CUE.search(cue_e)
    ):
        yield "outlet replaced by a vague source", cue_e, cue_l


def _mode(e: StoryClaim, lat: StoryClaim, memo: _Memo) -> Iterable[tuple[str, str, str]]:
    if lat.mode != e.mode:
        quoted = e.mode in ("direct-quote", "reported-speech")
        if quoted and lat.mode == "author-assertion":
            yield "attributed words turned author voice", e.mode, lat.mode
        else:
            yield f"{e.mode} → {lat.mode}", e.mode, lat.mode
    he, hl = set(e.hedges), set(lat.hedges)
    if he and not hl:
        yield "hedge dropped", ", ".join(sorted(he)), ""
    elif hl and not he:
        yield "hedge added", "", ", ".join(sorted(hl))


def _scope(e: StoryClaim, lat: StoryClaim, memo: _Memo) -> Iterable[tuple[str, str, str]]:
    we, wl = memo.scope_words(e.text), memo.scope_words(lat.text)
    added, dropped = (wl - we) & _SWEEPING, (we - wl) & _SWEEPING
    if added:
        yield "scope widened", ", ".join(sorted(dropped)), ", ".join(sorted(added))
    elif dropped:
        yield "scope narrowed", ", ".join(sorted(dropped)), ""
    modal_e = max((w for w in we if w in _MODALS), key=_MODALS.__getitem__, default=None)
    modal_l = max((w for w in wl if w in _MODALS), key=_MODALS.__getitem__, default=None)
    if modal_e and modal_l and _MODALS[modal_l] != _MODALS[modal_e]:
        stronger = _MODALS[modal_l] > _MODALS[modal_e]
        yield ("modal strengthened" if stronger else "modal weakened"), modal_e, modal_l


class _Memo:
    """What drift reads of each claim text, computed once per text for one call: a cluster's
    earliest claim is compared with every later one. (Each item keeps spans of its own, as a
    pickled story always had.)"""

    def __init__(self, texts: TextMemo) -> None:
        self.texts = texts
        self._scope: dict[str, frozenset[str]] = {}
        self._figures: dict[str, frozenset[float]] = {}
        self._claimants: dict[str, frozenset[str]] = {}

    def scope_words(self, text: str) -> frozenset[str]:
        found = self._scope.get(text)
        if found is None:
            # "every year" is a rate, not a widening: drop "every" before a unit of time.
            if _EVERY_TIME.search(text):
                found = frozenset(words(_EVERY_TIME.sub(" ", text)))
            else:
                found = self.texts.word_set(text)
            self._scope[text] = found
        return found

    def claimants(self, document: str, claims: Sequence[StoryClaim]) -> frozenset[str]:
        """Everyone a document's claims name: a source lost elsewhere can only have moved to one
        of them."""
        found = self._claimants.get(document)
        if found is None:
            found = self._claimants[document] = frozenset(
                who for c in claims for who in c.claimants
            )
        return found

    def figures(self, text: str) -> frozenset[float]:
        """The numbers of a text that are not years."""
        found = self._figures.get(text)
        if found is None:
            found = self._figures[text] = self.texts.numbers(text) - _years(text)
        return found


def _amount(number: float) -> str:
    """A number as a reader writes it (``:g`` wrote ``2.4e+08``).

    >>> _amount(240000000.0), _amount(2.5)
    ('240,000,000', '2.5')
    """
    return f"{number:,.0f}" if float(number).is_integer() else f"{number:,}"


def _quantity_text(q: Quantity) -> str:
    if q.value is not None:
        amount = _amount(q.value)
    else:
        low = "" if q.minimum is None else _amount(q.minimum)
        high = "" if q.maximum is None else _amount(q.maximum)
        amount = f"{low}–{high}"
    per = f" per {q.per}" if q.per else ""
    return f"{amount} {q.unit}{per}"


def _numbers(e: StoryClaim, lat: StoryClaim, memo: _Memo) -> Iterable[tuple[str, str, str]]:
    if e.quantities or lat.quantities:
        qe, ql = e.quantities, lat.quantities
        for a, b in zip(qe, ql, strict=False):
            if (a.value, a.minimum, a.maximum) != (b.value, b.minimum, b.maximum):
                range_e, range_l = a.value is None, b.value is None
                change = "range → single value" if range_e and not range_l else "value changed"
                if range_l and not range_e:
                    change = "single value → range"
                yield change, _quantity_text(a), _quantity_text(b)
            if a.unit != b.unit:
                yield "counted thing or unit changed", _quantity_text(a), _quantity_text(b)
            elif a.per != b.per:
                yield "rate changed", _quantity_text(a), _quantity_text(b)
        for a in qe[len(ql) :]:
            yield "number dropped", _quantity_text(a), ""
        for b in ql[len(qe) :]:
            yield "number added", "", _quantity_text(b)
        return
    ne, nl = memo.figures(e.text), memo.figures(lat.text)
    if ne != nl:
        fmt = ", ".join
        yield "figures changed", fmt(f"{n:,g}" for n in sorted(ne)), fmt(
            f"{n:,g}" for n in sorted(nl)
        )


def _years(text: str) -> frozenset[float]:
    return frozenset(float(m.group()[-5:-1] if m.group().endswith("s") else m.group()[-4:])
                     for m in _DATE_IN_TEXT.finditer(text))


def _dates(e: StoryClaim, lat: StoryClaim, memo: _Memo) -> Iterable[tuple[str, str, str]]:
    if e.dates or lat.dates:
        if set(e.dates) != set(lat.dates):
            yield "date changed", ", ".join(e.dates), ", ".join(lat.dates)
        return
    de = [m.group().lower() for m in _DATE_IN_TEXT.finditer(e.text)]
    dl = [m.group().lower() for m in _DATE_IN_TEXT.finditer(lat.text)]
    if de != dl:
        yield "date changed", ", ".join(de), ", ".join(dl)


_CHECKS: Final = (
    ("attribution", _attribution),
    ("mode", _mode),
    ("scope", _scope),
    ("number", _numbers),
    ("date", _dates),
)


def compare_claims(
    cluster: str | None,
    e: StoryClaim,
    lat: StoryClaim,
    neighbours: Sequence[StoryClaim] = (),
) -> list[DriftItem]:
    """Every drift item from the earlier claim ``e`` to the later claim ``lat``; ``neighbours``
    are the later document's other claims, where a dropped source may have moved."""
    return _compare(cluster, e, lat, neighbours, _Memo(TextMemo()))


def _compare(
    cluster: str | None,
    e: StoryClaim,
    lat: StoryClaim,
    neighbours: Sequence[StoryClaim],
    memo: _Memo,
) -> list[DriftItem]:
    items = []
    for kind, check in _CHECKS:
        for change, before, after in check(e, lat, memo):
            items.append(DriftItem(cluster, kind, change, Span.of(e), Span.of(lat), before, after))
    lost = set(e.claimants) - set(lat.claimants)
    if lost and e.source_kind != "author-voice" and lost & memo.claimants(lat.document,
                                                                           neighbours):
        for other in neighbours:
            if other.key != lat.key and lost & set(other.claimants):
                who = ", ".join(sorted(lost & set(other.claimants)))
                items.append(DriftItem(cluster, "attribution", "source moved to another claim",
                                       Span.of(e), Span.of(lat), who,
                                       f"{who}: “{other.text}” ({other.key})"))
    return items


def find_drift(
    docs: Sequence[StoryDoc], claims: Sequence[StoryClaim], clusters: Sequence[Cluster]
) -> list[DriftItem]:
    """Drift in every cluster (earliest member against each later one), then claims of the story's
    documents that no other document carries."""
    return _find_drift(docs, claims, clusters, TextMemo())


def _find_drift(
    docs: Sequence[StoryDoc],
    claims: Sequence[StoryClaim],
    clusters: Sequence[Cluster],
    texts: TextMemo,
) -> list[DriftItem]:
    memo = _Memo(texts)
    by_key = {c.key: c for c in claims}
    by_doc: dict[str, list[StoryClaim]] = {}
    for c in claims:
        by_doc.setdefault(c.document, []).append(c)
    items: list[DriftItem] = []
    clustered: set[str] = set()
    story_docs: set[str] = set()
    for cluster in clusters:
        keys = cluster.claims
        clustered.update(keys)
        story_docs.update(by_key[k].document for k in keys)
        first = by_key[keys[0]]
        for k in keys[1:]:
            later = by_key[k]
            if later.document != first.document:
                items.extend(_compare(cluster.id, first, later, by_doc[later.document], memo))
    order = {d.id: i for i, d in enumerate(docs)}
    alone = [c for c in claims if c.document in story_docs and c.key not in clustered]
    alone.sort(key=lambda c: (order.get(c.document, len(order)), c.start))
    items.extend(DriftItem(None, "only-here", "in this version only", None, Span.of(c))
                 for c in alone)
    return items
