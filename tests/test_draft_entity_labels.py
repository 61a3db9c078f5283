"""An entity's label and names are the name as written, without the line breaks the model may
take into its span at the end of a paragraph (a byline's outlet)."""

from __future__ import annotations

from functools import cache

from graph.draft import Article, Draft, SpacyExtractor


@cache
def _extractor() -> SpacyExtractor:
    return SpacyExtractor()


def draft(text: str) -> Draft:
    return next(_extractor().draft([Article("t", text, publisher="Bayside Courier")]))


def test_an_outlet_ending_a_byline_has_no_line_breaks_in_its_label() -> None:
    text = ("Ferry operator cuts night crossings\n\nBy Lena Ortiz, Bayside Courier\n\n"
            "Northway Ferries will suspend its night crossings from Monday, the company said.\n")
    d = draft(text)
    outlets = [e for e in d.entities if "Bayside" in e.label]
    assert outlets, d.entities
    for entity in d.entities:
        assert entity.label == entity.label.strip() and "\n" not in entity.label, entity
        assert all(name == name.strip() for name in entity.names), entity
