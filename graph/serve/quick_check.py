"""The verdict on a query text without rdflib's parse, when no parse is needed to give it.

rdflib's grammar takes milliseconds of CPU time per new text (``BENCHMARKS-endpoint.md``),
most of what a new query costs the endpoint. What the full check
(:func:`graph.sparql.safety.check_query`) refuses in a text that Oxigraph reads as a query is a
``SERVICE`` call or a dataset clause (``FROM``); updates, ``LOAD`` included, are not queries, and
the engine's query parser does not accept them. Both need a keyword, and the text the engine runs
is the normalised one (:func:`graph.sparql.safety.normalise`: escapes expanded, line ends made
``\\n``), in which no escape is left to spell one.

So the keywords are looked for in the normalised text, in two steps:

* a text holding neither ``service`` nor ``from`` anywhere, in any case (``ſ`` and ``ı`` too,
  which rdflib upper-cases to ``S`` and ``I``), can hold neither keyword;
* in a text that does, the prologue's declarations are data (read below as both parsers read
  them), and the rest is read by a conservative lexer (:mod:`graph.serve.query_lexer`, whose
  docstring says why it is safe): if every occurrence of either word is in a comment, a string,
  an IRI, a variable's name, a blank node label or the local part of a prefixed name
  (``prov:wasDerivedFrom``), the text holds no keyword. Any doubt of the lexer (an unterminated
  string, a backslash outside a string, a ``<`` that may be less-than before a ``#``, a
  character it does not know) leaves the text to the full check.

Such a text gets its verdict here: its form read from its first keyword after the prologue
(``PREFIX``/``BASE`` declarations and comments). Any other text, or one whose first keyword is
not a query form, gets the full check. A text that does not parse is then refused by the engine
(400), as the check would have refused it.
"""

from __future__ import annotations

import functools
import re
from typing import Final

from graph.errors import QueryError
from graph.serve.query_lexer import holds_keyword, keywords_hidden
from graph.sparql.safety import CACHE_MAX_CHARS, QueryForm, SafeQuery, normalise

__all__ = [
    "quick_verdict",
]
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
    >>> quick_verdict("ASK { ?c ?p \\"from\\" }").form  # a word in a string is data
    'ask'
    >>> quick_verdict("ASK { \\\\u0053ERVICE <http://127.0.0.1:9/> {} }") is None  # escaped
    True
    >>> quick_verdict("INSERT DATA { <urn:a> <urn:b> <urn:c> }") is None  # not a query form
    True
    """
    return _cached_verdict(text) if len(text) <= CACHE_MAX_CHARS else _verdict(text)


def _verdict(text: str) -> SafeQuery | None:
    try:
        normalised = normalise(text)
    except QueryError:
        return None  # the full check says what is wrong with it
    leading = _leading_form(normalised)
    if leading is None:
        return None
    form, body = leading
    # The prologue's declarations (read by _leading_form as both parsers read them) are data.
    if holds_keyword(normalised) and not keywords_hidden(normalised, body):
        return None
    return SafeQuery(normalised, form)


# A text sent again is not lexed again (the endpoint keeps only the verdicts its workers gave).
_cached_verdict = functools.lru_cache(maxsize=512)(_verdict)


def _leading_form(text: str) -> tuple[QueryForm, int] | None:
    """The query form named by the first keyword after the prologue, and where that keyword
    starts; ``None`` when it is not a query form."""
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
        return "select", at
    if word == "ask":
        return "ask", at
    if word == "construct":
        return "construct", at
    return "describe", at
