"""The verdict on a query text without rdflib's parse, when no parse is needed to give it.

rdflib's grammar takes milliseconds of CPU time per new text (``BENCHMARKS-endpoint.md``),
most of what a new query costs the endpoint. What the full check
(:func:`graph.sparql.safety.check_query`) refuses in a text that Oxigraph reads as a query is a
``SERVICE`` call or a dataset clause (``FROM``); updates, ``LOAD`` included, are not queries, and
the engine's query parser does not accept them. Both need a keyword, and the text the engine runs
is the normalised one (:func:`graph.sparql.safety.normalise`: escapes expanded, line ends made
``\\n``), in which no escape is left to spell one. So a normalised text holding neither
``service`` nor ``from`` anywhere (case folded: in a string, an IRI, a name or a comment too) can
hold neither keyword, whatever the two parsers think of its strings and comments.

Such a text gets its verdict here: its form read from its first keyword after the prologue
(``PREFIX``/``BASE`` declarations and comments). Any other text, or one whose first keyword is
not a query form, gets the full check. A text that does not parse is then refused by the engine
(400), as the check would have refused it.
"""

from __future__ import annotations

import re
from typing import Final

from graph.errors import QueryError
from graph.sparql.safety import QueryForm, SafeQuery, normalise

__all__ = [
    "quick_verdict",
]
_KEYWORDS: Final = ("service", "from")  # what the full check exists to find in a query
# Whitespace and comments, matched one way only (a comment runs to its line's end, atomically):
# no backtracking into them, so every match below takes time linear in the text.
_GAP: Final = r"(?>(?:[ \t\n]|#[^\n]*(?:\n|\Z))*)"
_IRI: Final = r"<[^<>\"{}|^`\\\x00-\x20]*>"
_SPACE: Final = re.compile(_GAP)
_DECLARATION: Final = re.compile(
    rf"(?i:prefix){_GAP}[^\s:<>#]*:{_GAP}{_IRI}|(?i:base){_GAP}{_IRI}")
_FORM: Final = re.compile(r"(?i:(select|ask|construct|describe))(?![A-Za-z0-9_])")


def quick_verdict(text: str) -> SafeQuery | None:
    """The verdict on ``text`` when it holds neither keyword (the module's docstring); ``None``:
    the full check must decide.

    >>> quick_verdict("PREFIX s: <https://schema.org/> # claims\\nSELECT * { ?c a s:Claim }")
    SafeQuery(text='PREFIX s: <https://schema.org/> # claims\\nSELECT * { ?c a s:Claim }', \
form='select', explosive=False)
    >>> quick_verdict("ASK { FILTER(\\"\\\\u0053ERVICE\\" = ?x) }") is None  # an escaped keyword
    True
    >>> quick_verdict("INSERT DATA { <urn:a> <urn:b> <urn:c> }") is None  # not a query form
    True
    """
    try:
        normalised = normalise(text)
    except QueryError:
        return None  # the full check says what is wrong with it
    folded = normalised.casefold()
    if any(word in folded for word in _KEYWORDS):
        return None
    form = _leading_form(normalised)
    return SafeQuery(normalised, form) if form is not None else None


def _leading_form(text: str) -> QueryForm | None:
    """The query form named by the first keyword after the prologue, or ``None``."""
    position = _SPACE.match(text, 0)
    at = position.end() if position else 0
    while True:
        declaration = _DECLARATION.match(text, at)
        if declaration is None:
            break
        position = _SPACE.match(text, declaration.end())
        at = position.end() if position else declaration.end()
    form = _FORM.match(text, at)
    if form is None:
        return None
    word = form.group(1).lower()
    if word == "select":
        return "select"
    if word == "ask":
        return "ask"
    if word == "construct":
        return "construct"
    return "describe"
