"""Direct quotes found by their marks in the raw text, before any parsing.

Straight, curly and single marks are paired; an apostrophe (it's, can’t, analysts') is not a
mark. A quote that reaches the end of its paragraph unclosed continues when the next paragraph
opens with a mark (the news convention for a quote over several paragraphs); the pieces become
one quote.

>>> [q.text for q in find_quotes('“We will win,” she said. “Nobody doubts it.”')]
['We will win', 'Nobody doubts it.']
>>> [q.text for q in find_quotes("The analysts' view: it's 'a very long road ahead'.")]
['a very long road ahead']
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Quote", "find_quotes"]

_OPEN_DOUBLE = "“„«"
_CLOSE_DOUBLE = "”»"
_OPEN_SINGLE = "‘"
_CLOSE_SINGLE = "’"
_BEFORE_OPEN = " \t\n([{—–-/:;,"  # what may stand before an opening straight mark


@dataclass(frozen=True)
class Quote:
    """The content of one quote, ``text == article[start:end]``, marks excluded.

    ``open_at``/``close_at`` are the offsets of the first opening and last closing mark
    (``close_at`` is ``end`` when the quote ran to a paragraph end unclosed).
    """

    start: int
    end: int
    open_at: int
    close_at: int
    text: str
    single: bool = False
    paragraphs: int = 1


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Strip spaces, and the comma that closes a quoted sentence before its attribution."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] == ","):
        end -= 1
    return start, end


def _paragraph_end(text: str, at: int) -> int:
    nl = text.find("\n", at)
    return len(text) if nl == -1 else nl


def _opens_paragraph_with_mark(text: str, at: int) -> int | None:
    """Offset of an opening mark that starts the paragraph after offset ``at``, if any."""
    i = at
    while i < len(text) and text[i].isspace():
        i += 1
    if i < len(text) and (text[i] in _OPEN_DOUBLE or text[i] == '"'):
        return i
    return None


def _is_word(c: str) -> bool:
    return c.isalnum()


def find_quotes(text: str) -> list[Quote]:
    """Every direct quote of ``text`` in order; pieces over paragraphs are merged."""
    pieces: list[
        tuple[int, int, int, int, bool, bool]
    ] = []  # open, close, start, end, single, runs on
    open_double: int | None = None
    open_single: int | None = None
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        prev = text[i - 1] if i > 0 else "\n"
        nxt = text[i + 1] if i + 1 < n else "\n"
        if c == "\n":
            if open_double is not None:
                following = _opens_paragraph_with_mark(text, i)
                # Unclosed at a paragraph end: a quote that runs on, or a stray mark to drop.
                if following is not None:
                    pieces.append((open_double, i, open_double + 1, i, False, True))
                open_double = None
            open_single = None
        elif c in _OPEN_DOUBLE:
            open_double, open_single = i, None
        elif c in _CLOSE_DOUBLE or (c == '"' and open_double is not None):
            if open_double is not None:
                pieces.append((open_double, i, open_double + 1, i, False, False))
                open_double = None
        elif c == '"':
            if prev in _BEFORE_OPEN and not nxt.isspace():
                open_double, open_single = i, None
        elif open_double is not None:
            pass  # a quote inside a quote is part of the outer one
        elif c == _OPEN_SINGLE or (
            c == "'" and prev in _BEFORE_OPEN and _is_word(nxt) and not nxt.isdigit()  # '90s
        ):
            if not (_is_word(prev) and _is_word(nxt)):
                open_single = i
        elif (
            c in (_CLOSE_SINGLE, "'")
            and open_single is not None
            and not _is_word(nxt)
            and not prev.isspace()
        ):
            pieces.append((open_single, i, open_single + 1, i, True, False))
            open_single = None
        i += 1
    return _merge(text, pieces)


def _merge(text: str, pieces: list[tuple[int, int, int, int, bool, bool]]) -> list[Quote]:
    quotes: list[Quote] = []
    run: list[tuple[int, int, int, int, bool, bool]] = []
    for piece in pieces:
        run.append(piece)
        if piece[5]:  # runs on into the next paragraph
            continue
        first, last = run[0], run[-1]
        start, end = _trim(text, first[2], last[3])
        if start < end:
            quotes.append(Quote(start, end, first[0], last[1], text[start:end], last[4], len(run)))
        run = []
    if run:  # the last paragraph opened a quote and the text ended
        first, last = run[0], run[-1]
        start, end = _trim(text, first[2], last[3])
        if start < end:
            quotes.append(Quote(start, end, first[0], last[1], text[start:end], False, len(run)))
    return quotes
