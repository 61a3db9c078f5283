"""Affiliations the drafter reads from a noun phrase, one construction per test, on short texts
written for the test: the exact span, who is affiliated with whom, and the draft's status.
spaCy's small English model runs for real."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

from graph.draft import Article, Draft, SpacyExtractor
from graph.draft.items import DraftAffiliation
from graph.draft.writer import render_draft
from graph.model.annotations import parse_annotation_text


@cache
def _extractor() -> SpacyExtractor:
    return SpacyExtractor()


def draft(text: str) -> Draft:
    return next(_extractor().draft([Article("t", text, publisher="The Example Times")]))


def label(d: Draft, ident: str) -> str:
    return next(e.label for e in d.entities if e.id == ident)


def only(d: Draft) -> DraftAffiliation:
    assert len(d.affiliations) == 1, d.affiliations
    return d.affiliations[0]


def test_a_spokesperson_for_x() -> None:
    text = "A spokesperson for the Harbor Authority said the pier would reopen in May."
    d = draft(text)
    a = only(d)
    assert (a.start, a.end, a.text) == (0, 39, "A spokesperson for the Harbor Authority")
    assert text[a.start:a.end] == a.text
    assert (a.relation, label(d, a.object)) == ("spokesperson-for", "Harbor Authority")
    subject = next(e for e in d.entities if e.id == a.subject)
    assert subject.vague  # an unnamed spokesperson stays as vague as the text


def test_xs_office() -> None:
    text = ("Mayor Lena Okafor opened the bridge on Monday. The mayor's office said the detour "
            "would be signposted.")
    d = draft(text)
    a = only(d)
    assert (a.start, a.end, a.text) == (47, 65, "The mayor's office")
    assert (a.relation, label(d, a.object)) == ("spokesperson-for", "Lena Okafor")
    assert label(d, a.subject) == "The mayor's office"


def test_an_official_at_x() -> None:
    text = "An official at the Port of Bellmoor said ferries would run every hour."
    d = draft(text)
    a = only(d)
    assert (a.start, a.end, a.text) == (0, 35, "An official at the Port of Bellmoor")
    assert a.relation == "employee-of"
    assert "Bellmoor" in label(d, a.object)


def test_a_researcher_at_x() -> None:
    text = "Tomas Reyes, a researcher at Coastline University, said the cracks had widened."
    d = draft(text)
    a = only(d)
    assert (a.start, a.end, a.text) == (13, 49, "a researcher at Coastline University")
    assert (a.relation, label(d, a.subject), label(d, a.object)) == (
        "employee-of", "Tomas Reyes", "Coastline University")


def test_any_job_beside_a_name_at_x() -> None:
    text = "Dr. Alan Pike, a hydrologist at Ridgeford University, said the defences were old."
    d = draft(text)
    a = only(d)
    assert (a.start, a.end, a.text) == (15, 52, "a hydrologist at Ridgeford University")
    assert (a.relation, label(d, a.subject), label(d, a.object)) == (
        "employee-of", "Alan Pike", "Ridgeford University")


def test_a_job_without_a_name_beside_it_is_no_affiliation() -> None:
    d = draft("A hydrologist at Ridgeford University said the defences were old.")
    assert d.affiliations == ()


def test_drafted_affiliations_load_as_drafts(tmp_path: Path) -> None:
    text = "Tomas Reyes, a researcher at Coastline University, said the cracks had widened."
    rendered = render_draft(draft(text))
    [entry] = yaml.safe_load(rendered)["affiliations"]
    assert (entry["origin"], entry["status"], entry["claimant"]) == (
        "text", "draft", "the-example-times")
    loaded = parse_annotation_text(rendered, path=tmp_path / "annotations.yaml",
                                   read_text=None, article=text.encode("utf-8"))
    [affiliation] = loaded.affiliations
    claim = next(c for c in loaded.claims if c.id == affiliation.claim)
    assert (claim.status, claim.text) == ("draft", "a researcher at Coastline University")


def test_a_described_body_is_not_the_organization_named_last() -> None:
    """"The harbour authority" says which body it is: not the operator or the outlet named
    before it (the drafter once made its spokesperson speak for the outlet)."""
    text = ("Northcape Ferries said it had never cut a corner. A former engineer told the "
            "Bayside Courier that inspections were skipped. A spokesperson for the harbour "
            "authority said an investigation had been opened.")
    d = next(_extractor().draft([Article("t", text, publisher="Bayside Courier")]))
    for a in d.affiliations:
        assert label(d, a.object) not in ("Northcape Ferries", "Bayside Courier"), a
    spokes = next(c for c in d.claims if "investigation" in c.text)
    assert ["harbour authority" in label(d, c) for c in spokes.claimants] == [True]
