"""The outlet's own voice: what is left of each sentence once quotes, reported speech, their
frames and page furniture are taken, when it still says something (a verb, four words)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from graph.draft.cues import HEDGES, INFERENCE_STARTS
from graph.draft.syntax import trim

if TYPE_CHECKING:
    from spacy.tokens import Doc

__all__ = ["author_runs", "find_hedges", "mode_of_author_claim"]

_MIN_WORDS = 4


def author_runs(doc: Doc, taken: set[int]) -> list[tuple[int, int]]:
    """Token ranges of author-voice statements, sentence by sentence."""
    runs: list[tuple[int, int]] = []
    for sent in doc.sents:
        start: int | None = None
        for i in range(sent.start, sent.end + 1):
            free = i < sent.end and i not in taken and "\n" not in doc[i].text
            if free and start is None:
                start = i
            elif not free and start is not None:
                span = trim(doc, start, i - 1)
                if span is not None and _says_something(doc, *span):
                    runs.append(span)
                start = None
    return runs


def _says_something(doc: Doc, first: int, last: int) -> bool:
    tokens = doc[first : last + 1]
    words = [t for t in tokens if t.is_alpha or t.like_num]
    return len(words) >= _MIN_WORDS and any(t.pos_ in ("VERB", "AUX") for t in tokens)


def find_hedges(text: str) -> tuple[str, ...]:
    """Hedging words as written in ``text``.

    >>> find_hedges("It could only be explained, allegedly.")
    ('allegedly', 'could only be explained')
    """
    lower = text.lower()
    found = []
    for hedge in HEDGES:
        at = lower.find(hedge)
        if at != -1 and (at == 0 or not lower[at - 1].isalpha()):
            end = at + len(hedge)
            if end == len(lower) or not lower[end].isalpha():
                found.append(text[at:end])
    return tuple(found)


def mode_of_author_claim(text: str) -> tuple[str, tuple[str, ...]]:
    """(mode, cues) of an author-voice statement: inference, hedged or a plain assertion."""
    lower = text.lower()
    for start in INFERENCE_STARTS:
        if lower.startswith(start) and (
            len(lower) == len(start) or not lower[len(start)].isalpha()
        ):
            return "inference", (text[: len(start)],)
    hedges = [h for h in find_hedges(text) if h.lower() not in ("i think", "in a way")]
    if hedges:
        return "hedged", (hedges[0],)
    return "author-assertion", ()
