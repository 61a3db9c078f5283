"""Text from articles and annotation files made inert in markdown.

``report.md`` is read in editors and renderers that pass HTML through: a claim text holding
``<script>`` or ``[x](javascript:…)`` must show as text, never become markup or a link.
"""

from __future__ import annotations

from typing import Final

__all__ = ["md_text"]

# One pass over the text: each HTML character as its entity, each markdown punctuation mark
# escaped (no entity holds one of them, so the order of the two does not matter).
_INERT: Final = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;",
                               **{c: "\\" + c for c in "\\`*_[]|#~!"}})


def md_text(value: object) -> str:
    """One line of inert markdown: HTML characters as entities, markdown punctuation escaped.

    ``|`` is escaped too, so the result is also safe as a table cell.

    >>> md_text('<img src=x onerror="alert(1)"> [a](javascript:x) *b*')
    '&lt;img src=x onerror="alert(1)"&gt; \\\\[a\\\\](javascript:x) \\\\*b\\\\*'
    """
    return " ".join(str(value).split()).translate(_INERT)
