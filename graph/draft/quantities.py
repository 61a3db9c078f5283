"""Quantities (values, ranges, units, rates) and dates stated in a claim's text.

>>> [(q.minimum, q.maximum, q.unit, q.per) for q in find_quantities(
...     "China performs between 60,000 and 100,000 transplants per year")]
[(60000.0, 100000.0, 'transplants', 'year')]
>>> [(q.minimum, q.maximum, q.unit) for q in find_quantities("between 4 and 6 million pounds")]
[(4000000.0, 6000000.0, 'pounds')]
>>> [(q.minimum, q.approximate, q.unit) for q in find_quantities("hundreds of requests")]
[(200.0, True, 'requests')]
>>> find_dates("in October 2021, after 24 October 2021 and in 1985")
('2021-10', '2021-10-24', '1985')
"""

from __future__ import annotations

import re

from graph.model.records import Quantity

__all__ = ["find_dates", "find_quantities"]

_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "hundred": 100, "a hundred": 100,
    "a thousand": 1000, "dozen": 12, "a dozen": 12,
}  # fmt: skip
_SCALE = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "bn": 1e9, "m": 1e6}
_SCALE_WORD = re.compile(r"\s?(thousand|million|billion|trillion|bn|m)$")
_VAGUE = {"dozens": 24, "scores": 40, "hundreds": 200, "thousands": 2000, "millions": 2e6,
          "billions": 2e9, "tens of thousands": 20000, "hundreds of thousands": 200000}  # fmt: skip
_NUM = (
    r"(?:\$|£|€)?(?:\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:\s?(?:thousand|million|billion|trillion|bn|m)\b)?"
    r"|" + "|".join(sorted((re.escape(w) for w in _WORDS), key=len, reverse=True))
)
_UNIT = r"(?P<unit>%|percent|per cent|[A-Za-z][A-Za-z-]*)"
_RATE = r"(?:\s+(?:per|a|an|each|every)\s+(?P<per>year|month|week|day|hour|minute|annum))?"
_RANGE = re.compile(
    rf"\b(?:between\s+(?P<a>{_NUM})\s+and\s+(?P<b>{_NUM})|(?:from\s+)?(?P<c>{_NUM})\s*(?:-|–|to)\s*(?P<d>{_NUM}))"
    rf"\s*{_UNIT}{_RATE}",
    re.I,
)
_VAGUE_RE = re.compile(
    r"\b(?P<v>" + "|".join(sorted(_VAGUE, key=len, reverse=True)) + r")\s+of\s+" + _UNIT + _RATE,
    re.I,
)
_SINGLE = re.compile(
    r"(?<![\w.,])(?P<q>(?:more than|over|at least|up to|fewer than|less than"
    r"|almost|nearly|about|around|some|only)\s+)?"
    rf"(?P<n>{_NUM})\s*{_UNIT}{_RATE}",
    re.I,
)
_YEAR = re.compile(r"^(1[5-9]\d\d|20\d\d)$")
_NOT_UNITS = frozenset(
    ["and", "or", "to", "of", "in", "on", "at", "the", "a", "an", "was", "were", "is", "are", "and"]
)
_MONTHS = {
    m: i + 1
    for i, m in enumerate(
        (
            *("january", "february", "march", "april", "may", "june", "july", "august"),
            *("september", "october", "november", "december"),
        )
    )
}
_M = r"(?P<month>" + "|".join(m.capitalize() for m in _MONTHS) + r")"
_DATES = re.compile(
    rf"\b(?:(?P<d1>\d{{1,2}})\s+{_M}\s+(?P<y1>\d{{4}})"
    rf"|{_M.replace('month', 'month2')}\s+(?:(?P<d2>\d{{1,2}}),?\s+)?(?P<y2>\d{{4}})"
    r"|(?P<y3>(?:1[5-9]|20)\d\d)\b)"
)


def _number(text: str) -> float | None:
    t = text.lower().strip().lstrip("$£€")
    if t in _WORDS:
        return float(_WORDS[t])
    m = re.match(r"([\d,]+(?:\.\d+)?)\s?(thousand|million|billion|trillion|bn|m)?$", t)
    if not m:
        return None
    value = float(m.group(1).replace(",", ""))
    return value * _SCALE[m.group(2)] if m.group(2) else value


def _shared_scale(low_text: str, low: float | None, high_text: str) -> float | None:
    """"Between 4 and 6 million": the high end's scale word is the low end's too, when the low
    end has none of its own and is smaller than the high end's bare number."""
    scale = _SCALE_WORD.search(high_text.lower().strip())
    bare = _number(high_text[: scale.start()]) if scale else None
    if low is None or scale is None or bare is None or _SCALE_WORD.search(low_text.lower()):
        return low
    return low * _SCALE[scale.group(1)] if low <= bare else low


def _unit(match: re.Match[str], number_text: str) -> str | None:
    unit = match.group("unit")
    if number_text.startswith("$"):
        return "dollars"
    if number_text.startswith("£"):
        return "pounds"
    if number_text.startswith("€"):
        return "euros"
    if unit.lower() in ("%", "percent", "per cent"):
        return "percent"
    if unit.lower() in _NOT_UNITS or unit.lower() in _MONTHS:
        return None
    return unit


def find_quantities(text: str) -> tuple[Quantity, ...]:
    """Ranges first, then vague amounts ("hundreds of"), then single numbers with a unit."""
    found: list[Quantity] = []
    taken: list[tuple[int, int]] = []

    def free(m: re.Match[str]) -> bool:
        return all(m.end() <= s or m.start() >= e for s, e in taken)

    for m in _RANGE.finditer(text):
        low_text, high_text = m.group("a") or m.group("c"), m.group("b") or m.group("d")
        low, high = _number(low_text), _number(high_text)
        low = _shared_scale(low_text, low, high_text)
        unit = _unit(m, low_text)
        if low is None or high is None or unit is None or low > high or _YEAR.match(low_text):
            continue
        taken.append(m.span())
        found.append(Quantity(unit, text=m.group(0), minimum=low, maximum=high, per=m.group("per")))
    for m in _VAGUE_RE.finditer(text):
        unit = _unit(m, "")
        if unit is None or not free(m):
            continue
        taken.append(m.span())
        found.append(
            Quantity(unit, text=m.group(0), minimum=float(_VAGUE[m.group("v").lower()]),
                          per=m.group("per"), approximate=True)
        )  # fmt: skip
    for m in _SINGLE.finditer(text):
        n_text = m.group("n")
        value, unit = _number(n_text), _unit(m, n_text)
        scale = _SCALE.get(m.group("unit").lower())
        if value is not None and scale is not None:  # "$5 million" at the end of a phrase
            value, unit = value * scale, (unit if n_text[0] in "$£€" else None)
        if value is None or unit is None or not free(m) or _YEAR.match(n_text):
            continue
        taken.append(m.span())
        qualifier = (m.group("q") or "").strip().lower()
        phrase = m.group(0)[len(m.group("q") or "") :]
        if qualifier in ("more than", "over", "at least"):
            q = Quantity(unit, text=phrase, minimum=value, per=m.group("per"))
        elif qualifier in ("up to", "fewer than", "less than"):
            q = Quantity(unit, text=phrase, maximum=value, per=m.group("per"))
        else:
            approximate = qualifier in ("almost", "nearly", "about", "around", "some")
            q = Quantity(
                unit, text=phrase, value=value, per=m.group("per"), approximate=approximate
            )
        found.append(q)
    return tuple(found)


def find_dates(text: str) -> tuple[str, ...]:
    """Dates as ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``, in order, without repeats."""
    out: list[str] = []
    for m in _DATES.finditer(text):
        if m.group("y1"):
            value = (
                f"{m.group('y1')}-{_MONTHS[m.group('month').lower()]:02d}-{int(m.group('d1')):02d}"
            )
        elif m.group("y2"):
            month = _MONTHS[m.group("month2").lower()]
            day = m.group("d2")
            value = f"{m.group('y2')}-{month:02d}" + (f"-{int(day):02d}" if day else "")
        else:
            value = m.group("y3")
        if value not in out:
            out.append(value)
    return tuple(out)
