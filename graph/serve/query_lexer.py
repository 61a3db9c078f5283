"""A conservative lexer for the quick verdict: are ``service`` and ``from`` only data here?

:func:`keywords_hidden` reads a *normalised* query text (:func:`graph.sparql.safety.normalise`:
escapes expanded, line ends made ``\\n``) and says whether every occurrence of either word is
inside a region where no keyword can stand: a comment, a string literal, an IRI, a variable's
name, a blank node label or the local part of a prefixed name (``prov:wasDerivedFrom``). Any
doubt is a no. A keyword that either parser (rdflib's, which checks; Oxigraph's, which runs)
reads begins where that parser begins a token. The lexer takes out only the insides of tokens
that both parsers read the same way, from the same first character, as long as it and they
agree on where tokens begin; so a keyword either parser reads lies wholly in what the lexer
leaves, where it is looked for.

Why each region is safe to take out, when the lexer reads it:

* **Comments** (``#`` to the line's end) and **strings** (``'…'``, ``"…"``, ``\'\'\'…\'\'\'``,
  ``\"\"\"…\"\"\"``): both parsers end them at the same character, given the restrictions
  here: only the escapes both accept (rdflib takes ``\\"`` in ``"…"`` strings only and ``\\'``
  in ``'…'`` strings only), no quote of the string's own kind inside a long string (where a
  greedy regular expression and a PEG could end it differently), and no quote of the same kind
  right after a string (rdflib refuses ``'a''b'``, Oxigraph reads two strings). An unterminated
  string is a doubt.
* **IRIs** (``<…>`` of IRIREF's characters): the same character class ends them for both. A
  ``<`` may instead be the less-than operator, which stands only between two operands, and every
  expression of SPARQL 1.1 is inside ``( … )``. So where the innermost open bracket is ``(`` and
  the token before could end an operand, the region is *ambiguous*: its inside is looked in for
  the words like the rest, and a ``#`` or ``'`` in it is a doubt (a comment or a string to a
  parser reading less-than, hiding from it what the lexer reads next, or the reverse). Without
  them, such a parser reads tokens that end by the region's ``>`` (IRIREF excludes ``"``, ``<``,
  braces and spaces), and both agree again after it. Elsewhere (``{ ?s ?p <o> }``,
  ``FILTER(?x = <o>)``) a ``<`` can only open an IRI, which cannot hold the ``{`` a ``SERVICE``
  needs.
* **Variables** (``?name``, ``$name``), **blank node labels** (``_:name``) and **local parts**
  (``ex:name``): only the characters after ``?``, ``$`` or ``:`` are taken out, and only ASCII
  name characters both grammars read greedily into the same token (not ``.``, ``:``, ``%`` or
  ``\\``), so no parser starts a token inside them. A ``?`` that a parser reads as a path
  modifier (``ex:p?x``) is followed by the path's object, which no keyword can be. The *prefix*
  is not taken out: Oxigraph matches keywords with no word boundary, and ``SELECT * from:g {}``
  is ``FROM :g`` to it (and to rdflib, whose keywords end at the ``:``). A declaration
  (``PREFIX from: <…>``) is data: the caller reads the prologue apart.

Outside these regions only ASCII letters, digits, whitespace (space, tab, line feed) and SPARQL's
punctuation are known, in balanced brackets; any other character (a backslash, ``%``, a
non-ASCII letter such as ``ı``) is a doubt. The scan is one regular expression matched token
after token, every repetition possessive: time linear in the text. A ``<`` that opens no IRI
scans only up to the next character IRIREF excludes, ``<`` among them, so no character is
scanned twice that way.
"""

from __future__ import annotations

import re
from typing import Final

__all__ = [
    "holds_keyword",
    "keywords_hidden",
]

_KEYWORD: Final = re.compile("service|from", re.IGNORECASE)
# Runs of words, punctuation, brackets, variables and prefixed names (their names taken out
# afterwards by _NAMES) are one token each; strings, comments and IRIs one token each; and a "<"
# that opens no IRI is the less-than operator.
_TOKEN: Final = re.compile(
    r"""(?P<run>[A-Za-z0-9_.,;*+/=!&|^@>\t\n ()\[\]{}?:$-]++)
    |(?P<comment>\#[^\n]*+)
    |(?P<long>\"\"\"[^"\\]*+(?:\\[tbnrf"\\][^"\\]*+)*+\"\"\"(?!")
             |'''[^'\\]*+(?:\\[tbnrf'\\][^'\\]*+)*+'''(?!'))
    |(?P<short>"[^"\\\n]*+(?:\\[tbnrf"\\][^"\\\n]*+)*+"(?!")
              |'[^'\\\n]*+(?:\\[tbnrf'\\][^'\\\n]*+)*+'(?!'))
    |(?P<iri><[^<>"{}|^`\\\x00-\x20]*+>)
    |(?P<lt><)
    """,
    re.VERBOSE,
)
# In a run, the names taken out: a variable's after "?" or "$", a prefixed name's local part
# (a blank node label's too) after ":". Matched left to right, as the tokens they are.
_NAMES: Final = re.compile(r"[?$][A-Za-z0-9_]++|:[A-Za-z0-9_][A-Za-z0-9_-]*+")
_LONE_DOLLAR: Final = re.compile(r"\$(?![A-Za-z0-9_])")  # no variable: the lexer does not know it
_BRACKETS: Final = re.compile(r"[()\[\]{}]")
_PAIRS: Final = {")": "(", "]": "[", "}": "{"}
# The last character of a token that may end an operand: a word's, a number's, a name's (a
# local name may end with "-": "ex:a-" is one), a lone "?" or ":" (a path modifier, a prefixed
# name with no local part), a closing bracket's.
_OPERAND_END: Final = frozenset(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-?:)]}")


def holds_keyword(text: str) -> bool:
    """Whether ``service`` or ``from`` occurs in ``text`` in any case: as ``re.IGNORECASE``
    compares, so ``ſ`` and ``ı`` too (rdflib compares keywords upper-cased, and ``"ı".upper()``
    is ``"I"``).

    >>> holds_keyword("SERVıCE"), holds_keyword("prov:wasDerivedFrom"), holds_keyword("fro m")
    (True, True, False)
    """
    lowered = text.lower()  # some ten times faster than the search
    if "service" in lowered or "from" in lowered:
        return True
    # The only other characters that fold or upper-case to a letter of either word.
    return ("ſ" in text or "ı" in text) and _KEYWORD.search(text) is not None


def keywords_hidden(text: str, start: int = 0) -> bool:
    """Whether every ``service`` or ``from`` in ``text[start:]`` is inside a region no keyword
    can stand in (the module's docstring); ``False`` too when the lexer is in any doubt.

    >>> keywords_hidden('SELECT ?from { ?s prov:wasDerivedFrom "from" } # from')
    True
    >>> keywords_hidden("SELECT * from:g { ?s ?p ?o }")  # FROM :g, for both parsers
    False
    >>> keywords_hidden("SELECT * { ?s ?p 'from }")  # an unterminated string
    False
    """
    brackets: list[str] = []
    after_operand = False  # whether the token before could end an operand (for a "<")
    at, end = start, len(text)
    while at < end:
        token = _TOKEN.match(text, at)
        if token is None:
            return False
        kind, value, at = token.lastgroup, token.group(), token.end()
        if kind == "run":
            if "$" in value and _LONE_DOLLAR.search(value):
                return False
            for bracket in _BRACKETS.findall(value):
                if bracket in _PAIRS:
                    if not brackets or brackets.pop() != _PAIRS[bracket]:
                        return False
                else:
                    brackets.append(bracket)
            # The names taken out, the rest joined: a word cut by a name is still a doubt.
            if holds_keyword(value) and holds_keyword(_NAMES.sub("", value)):
                return False
            last = value.rstrip(" \t\n")[-1:]
            if last:
                after_operand = last in _OPERAND_END
        elif kind == "iri":
            if brackets and brackets[-1] == "(" and after_operand:
                inside = value[1:-1]
                if "#" in inside or "'" in inside:
                    return False  # a comment or a string to a parser reading "<" as less-than
                if holds_keyword(inside):
                    return False
            after_operand = True
        elif kind == "lt":
            after_operand = False
        elif kind != "comment":  # a string
            after_operand = True
    return not brackets
