"""Escaping for the HTML views: text from articles and annotation files is data, never markup.

Three contexts, one function each:

* :func:`script_json` — a value embedded as JSON inside a ``<script>`` element. ``<``, ``>`` and
  ``&`` become ``\\u003c``/``\\u003e``/``\\u0026`` so no ``</script>`` or ``<!--`` can end or bend
  the element; U+2028 and U+2029 are escaped because older JavaScript parsers end lines there.
* :func:`html_text` — text placed in HTML element content or a quoted attribute.
* :func:`srcdoc` — a whole page placed in an ``<iframe srcdoc="...">`` attribute.

Labels and hover texts are further passed through :func:`plain_text`, which drops control
characters and bounds their length; the page script builds hover panels with ``textContent``.
"""

from __future__ import annotations

import html
import json
import re
from typing import Any, Final

__all__ = ["html_text", "plain_text", "script_json", "shorten", "srcdoc"]

_SCRIPT_JSON_ESCAPES: Final = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}
_SCRIPT_JSON_PATTERN: Final = re.compile("[<>&\u2028\u2029]")
# C0 and C1 controls except tab and newline, and the bidirectional overrides that can make
# a label read differently from what it holds.
_CONTROL: Final = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def script_json(value: Any) -> str:
    """JSON for a ``<script>`` element: cannot close the element or start a comment in it.

    >>> script_json({"label": "</script><img src=x>"})
    '{"label":"\\\\u003c/script\\\\u003e\\\\u003cimg src=x\\\\u003e"}'
    >>> import json; json.loads(script_json(["a & b", "\\u2028"])) == ["a & b", "\\u2028"]
    True
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return _SCRIPT_JSON_PATTERN.sub(lambda m: _SCRIPT_JSON_ESCAPES[m.group(0)], text)


def html_text(value: object) -> str:
    """Text for HTML element content or a double- or single-quoted attribute value.

    >>> html_text('<img src=x onerror="alert(1)">')
    '&lt;img src=x onerror=&quot;alert(1)&quot;&gt;'
    """
    return html.escape(str(value), quote=True)


def srcdoc(page: str) -> str:
    """A complete HTML page as the value of an iframe's ``srcdoc`` attribute (double-quoted)."""
    return html.escape(page, quote=True)


def plain_text(value: object, limit: int = 2000) -> str:
    """Text safe to show as plain text: control and bidi-override characters removed, bounded.

    >>> plain_text("a\\x00b\\u202ec")
    'abc'
    """
    return shorten(_CONTROL.sub("", str(value)), limit)


def shorten(text: str, width: int) -> str:
    """``text`` on one line, cut to ``width`` characters with an ellipsis.

    >>> shorten("Illegal organ harvesting in China", 20)
    'Illegal organ harve…'
    """
    text = " ".join(text.split())
    if len(text) <= width:
        return text
    return text[: max(width - 1, 0)].rstrip() + "…"
