"""Words, numbers and normal forms of a text, shared by alignment, copy and drift detection.

>>> words("Between 6,000 and 10,000 tonnes")
['between', '6,000', 'and', '10,000', 'tonnes']
>>> sorted(numbers("Between 6,000 and 10,000 tonnes, in 1988"))
[1988.0, 6000.0, 10000.0]
>>> normal_form(" “The  Council” should… ")
'the council should'
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Final

__all__ = [
    "STOPWORDS",
    "TextMemo",
    "content_words",
    "normal_form",
    "numbers",
    "word_offsets",
    "word_spans",
    "words",
]

# Digits with thousands separators and decimals stay one word, so "6,000" is one number.
_WORD: Final = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+(?:['’][^\W\d_]+)*", re.UNICODE)
_NUMBER: Final = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")

STOPWORDS: Final = frozenset(
    """a an the and or but of to in on at by for from with as is are was were be been being it
    its this that these those he she they them his her their we our you your i me my has have had
    do does did not no so than then there which who whom whose what when where how said says say
    told tells according also would will could should may might must can about into over after
    before while if because""".split()  # noqa: SIM905 (a word list reads better as text)
)


def word_spans(text: str) -> Iterator[tuple[str, int, int]]:
    """Each word of ``text``, lowercased, with its start and end offsets."""
    for m in _WORD.finditer(text):
        yield m.group().lower().replace("’", "'"), m.start(), m.end()


def words(text: str) -> list[str]:
    """The words of ``text``, lowercased (numbers kept whole)."""
    return [w.lower().replace("’", "'") for w in _WORD.findall(text)]


def word_offsets(text: str) -> list[tuple[int, int]]:
    """The start and end offsets of each word of ``text`` (the words of :func:`words`)."""
    return [m.span() for m in _WORD.finditer(text)]


def content_words(text: str) -> frozenset[str]:
    """The words that carry content: no stopwords, no numbers (those are compared apart)."""
    return frozenset(w for w in words(text) if w not in STOPWORDS and not w[0].isdigit())


def numbers(text: str) -> frozenset[float]:
    """The numbers written in digits in ``text``."""
    return frozenset(float(m.group().replace(",", "")) for m in _NUMBER.finditer(text))


def normal_form(text: str) -> str:
    """Lowercase words joined by single spaces: two texts equal here are verbatim copies."""
    return " ".join(words(text))


class TextMemo:
    """The words of each distinct text, computed once for one analysis and shared by alignment
    and drift (the same claim texts are read by both). It lives as long as the call that made
    it: nothing is kept between analyses."""

    def __init__(self) -> None:
        self._words: dict[str, tuple[str, ...]] = {}
        self._forms: dict[str, str] = {}
        self._word_sets: dict[str, frozenset[str]] = {}
        self._numbers: dict[str, frozenset[float]] = {}

    def words(self, text: str) -> tuple[str, ...]:
        found = self._words.get(text)
        if found is None:
            found = self._words[text] = tuple(words(text))
        return found

    def word_set(self, text: str) -> frozenset[str]:
        found = self._word_sets.get(text)
        if found is None:
            found = self._word_sets[text] = frozenset(self.words(text))
        return found

    def normal_form(self, text: str) -> str:
        found = self._forms.get(text)
        if found is None:
            found = self._forms[text] = " ".join(self.words(text))
        return found

    def content_words(self, text: str) -> frozenset[str]:
        return frozenset(w for w in self.words(text) if w not in STOPWORDS and not w[0].isdigit())

    def numbers(self, text: str) -> frozenset[float]:
        found = self._numbers.get(text)
        if found is None:
            found = self._numbers[text] = numbers(text)
        return found
