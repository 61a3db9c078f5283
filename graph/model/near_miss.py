"""Where a quote that is not in the article nearly is, and which characters differ.

An analyst who types a claim's text by hand mistypes the characters they cannot see: a straight
apostrophe for a curly one, one space for a no-break space or two. Saying "not found" sends them
hunting; naming the closest span and its differing characters ends the hunt.
"""

from __future__ import annotations

import difflib
import unicodedata
from dataclasses import dataclass

__all__ = ["NearMiss", "describe_near_miss", "near_miss"]

_MIN_SIMILARITY = 60.0  # below this the closest span is a different sentence, not a typo


@dataclass(frozen=True)
class NearMiss:
    """The closest span of the article, ``text[start:end]``, and what differs from the quote."""

    start: int
    end: int
    line: int
    differences: tuple[str, ...]


def _char(text: str) -> str:
    """Characters as a reader can tell them apart: ``'’' (U+2019 RIGHT SINGLE QUOTATION MARK)``."""
    if not text:
        return "nothing"
    shown = []
    for ch in text[:3]:
        name = unicodedata.name(ch, "")
        shown.append(f"{ch!r} (U+{ord(ch):04X}{' ' + name if name else ''})")
    return " ".join(shown) + (" …" if len(text) > 3 else "")


def near_miss(article: str, quote: str) -> NearMiss | None:
    """The span of ``article`` closest to ``quote``, or None when nothing is close.

    >>> miss = near_miss("She said: “it’s over”.", "it's over")
    >>> miss.start, miss.end
    (11, 20)
    >>> for part in miss.differences[0].split(" where "):
    ...     print(part)
    the file has "'" (U+0027 APOSTROPHE)
    the article has '’' (U+2019 RIGHT SINGLE QUOTATION MARK)
    """
    if not quote or not article:
        return None
    from rapidfuzz import fuzz

    found = fuzz.partial_ratio_alignment(quote, article)
    if found is None or found.score < _MIN_SIMILARITY:
        return None
    # The alignment is a window as long as the quote; what the quote really matches may be a
    # little shorter or longer (a doubled space, a dropped word): fit the span to the matching
    # characters of a window padded on both sides.
    pad = max(8, len(quote) // 4)
    lo, hi = max(0, found.dest_start - pad), min(len(article), found.dest_end + pad)
    blocks = [b for b in difflib.SequenceMatcher(None, quote, article[lo:hi], autojunk=False)
              .get_matching_blocks() if b.size]
    start, end = lo + blocks[0].b, lo + blocks[-1].b + blocks[-1].size
    span = article[start:end]
    differences = []
    matcher = difflib.SequenceMatcher(None, quote, span, autojunk=False)
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        if op == "equal":
            continue
        differences.append(f"the file has {_char(quote[a0:a1])} where the article has "
                           f"{_char(span[b0:b1])}")
    return NearMiss(start, end, article.count("\n", 0, start) + 1, tuple(differences[:3]))


def describe_near_miss(article: str, quote: str) -> str:
    """One clause for an error message: the closest span and its differences, or ``""``."""
    miss = near_miss(article, quote)
    if miss is None or not miss.differences:
        return ""
    span = article[miss.start:miss.end]
    shown = span if len(span) <= 60 else span[:59] + "…"
    more = "" if len(miss.differences) < 3 else "; …"
    return (f"; closest in the article (line {miss.line} of the text): {shown!r}; "
            + "; ".join(miss.differences) + more)
