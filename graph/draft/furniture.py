"""Page furniture: paragraphs that are the page's, not the article's ("Sign up …", subheads).

>>> text = "A man said so.\\n\\nFact surpass fiction\\n\\nIt rained.\\n\\nSign up for news!"
>>> [text[s:e] for s, e in find_furniture(text)]
['Fact surpass fiction', 'Sign up for news!']
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from graph.draft.cues import FURNITURE_STARTS

__all__ = ["find_furniture", "paragraphs"]

_SUBHEAD_WORDS = 8
_BYLINE = re.compile(
    r"^\(?(by|editing by|photo:|image:|source:|credit:|getty images|reporting by)\b", re.I
)
_END = ".!?:;”\"’'…)"


def paragraphs(text: str) -> Iterator[tuple[int, int]]:
    """``(start, end)`` of each non-blank line of ``text``, spaces trimmed."""
    at = 0
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped:
            start = at + line.index(stripped[0])
            yield start, start + len(stripped)
        at += len(line) + 1


def find_furniture(text: str, *, skip_first: bool = True) -> list[tuple[int, int]]:
    """Spans of paragraphs that are furniture: site prompts, bylines, short subheads.

    A short line without closing punctuation is a subhead; the first paragraph is left alone
    when ``skip_first`` (it is the headline or the lead, not furniture).
    """
    found: list[tuple[int, int]] = []
    for i, (start, end) in enumerate(paragraphs(text)):
        para = text[start:end]
        lower = para.lower()
        if (
            lower.startswith(FURNITURE_STARTS)
            or _BYLINE.match(para)
            or ((i > 0 or not skip_first) and _is_subhead(para))
        ):
            found.append((start, end))
    return found


def _is_subhead(para: str) -> bool:
    words = para.split()
    return 0 < len(words) <= _SUBHEAD_WORDS and para[-1] not in _END and '"' not in para
