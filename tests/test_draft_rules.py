"""Each construction the drafter handles, on a short text written for the test: exact span,
speaker and kind. spaCy's small English model runs for real (it is installed by the test extra)."""

from __future__ import annotations

from functools import cache

import pytest

from graph.draft import Article, Draft, DraftClaim, SpacyExtractor


@cache
def _extractor() -> SpacyExtractor:
    return SpacyExtractor()


def draft(text: str, publisher: str | None = "The Example Times") -> Draft:
    return next(_extractor().draft([Article("t", text, publisher=publisher)]))


def claim(d: Draft, text: str) -> DraftClaim:
    found = [c for c in d.claims if c.text == text]
    assert found, f"no claim {text!r}; got {[c.text for c in d.claims]}"
    return found[0]


def label(d: Draft, ident: str) -> str:
    return next(e.label for e in d.entities if e.id == ident)


def names(d: Draft, ident: str) -> tuple[str, ...]:
    return next(e.names for e in d.entities if e.id == ident)


def test_straight_quote_with_speaker_after() -> None:
    d = draft('"The bridge will open in June," Mayor Carla Diaz said on Monday.')
    c = claim(d, "The bridge will open in June")
    assert (label(d, c.claimants[0]), c.source_kind, c.mode) == (
        "Carla Diaz", "named-person", "direct-quote",
    )  # fmt: skip
    assert c.cues == ("said",)


def test_curly_quote_introduced_by_its_speaker() -> None:
    d = draft("Olaf Brandt, the club's coach, said: “We were simply not good enough today.”")
    c = claim(d, "We were simply not good enough today.")
    assert label(d, c.claimants[0]) == "Olaf Brandt"
    assert c.source_kind == "named-person"


def test_single_quotes_are_quotes_and_apostrophes_are_not() -> None:
    d = draft(
        "The analysts' view was grim. 'We're facing the worst winter in a decade,' "
        "said Priya Nair, who runs the food bank."
    )
    c = claim(d, "We're facing the worst winter in a decade")
    assert label(d, c.claimants[0]) == "Priya Nair"
    assert [q.text for q in d.claims if q.mode == "direct-quote"] == [c.text]


def test_quote_split_by_he_said_keeps_its_speaker() -> None:
    d = draft(
        "Inspector Jonas Weir spoke outside the station. “We have made two arrests,” he said. "
        "“More are expected this week.”"
    )
    first = claim(d, "We have made two arrests")
    second = claim(d, "More are expected this week.")
    assert label(d, first.claimants[0]) == label(d, second.claimants[0]) == "Jonas Weir"


def test_quote_running_over_paragraphs_is_one_quote() -> None:
    text = (
        "Sarah Collins described the night of the flood.\n\n"
        "“The water came up to the windows in minutes.\n\n"
        "“We carried the children to the roof and waited there until morning,” she said."
    )
    d = draft(text)
    c = claim(
        d,
        "The water came up to the windows in minutes.\n\n“We carried the children to the roof "
        "and waited there until morning",
    )
    assert label(d, c.claimants[0]) == "Sarah Collins"


def test_said_x_inversion() -> None:
    d = draft("“Prices will keep rising through the summer,” said Henrik Olsen, an economist.")
    c = claim(d, "Prices will keep rising through the summer")
    assert label(d, c.claimants[0]) == "Henrik Olsen"


def test_he_and_the_professor_and_dr_surname_resolve_to_the_named_person() -> None:
    d = draft(
        "Professor Miriam Achebe has studied glaciers for thirty years. "
        "She said the ice sheet was melting faster than expected. "
        "“We underestimated the speed of the loss,” the professor said. "
        "Dr. Achebe warned that sea levels would rise by a metre."
    )
    ids = {
        claim(d, "the ice sheet was melting faster than expected").claimants[0],
        claim(d, "We underestimated the speed of the loss").claimants[0],
        claim(d, "sea levels would rise by a metre").claimants[0],
    }
    assert len(ids) == 1
    person = ids.pop()
    assert label(d, person) == "Miriam Achebe"
    assert {"Professor Miriam Achebe", "Dr. Achebe", "the professor"} <= set(names(d, person))


def test_reported_speech_keeps_the_cue_as_written() -> None:
    d = draft("The minister, Ruth Kamau, has warned that the reservoir could run dry by August.")
    c = claim(d, "the reservoir could run dry by August")
    assert (label(d, c.claimants[0]), c.mode, c.cues) == (
        "Ruth Kamau", "reported-speech", ("has warned",),
    )  # fmt: skip
    assert c.dates == ()


def test_according_to_a_named_organization() -> None:
    d = draft("According to the Red Cross, 400 families have lost their homes.")
    c = claim(d, "400 families have lost their homes.")
    assert label(d, c.claimants[0]) == "the Red Cross" or "Red Cross" in label(d, c.claimants[0])
    assert c.mode == "reported-speech" and c.cues == ("According to",)


def test_author_voice_is_the_publisher_or_a_marked_placeholder() -> None:
    text = "The factory closed in 2019 after forty years of production."
    given = draft(text)
    c = claim(given, text)
    assert (label(given, c.claimants[0]), c.source_kind, c.mode) == (
        "The Example Times", "author-voice", "author-assertion",
    )  # fmt: skip
    unknown = draft(text, publisher=None)
    c = claim(unknown, text)
    assert c.claimants == ("t.publisher",) and "fill in" in label(unknown, "t.publisher")
    assert c.dates == ("2019",)


def test_vague_collective_stays_vague() -> None:
    d = draft("Human rights groups say that the detainees were denied lawyers.")
    c = claim(d, "the detainees were denied lawyers")
    assert c.source_kind == "vague-collective"
    group = next(e for e in d.entities if e.id == c.claimants[0])
    assert (group.type, group.descriptor, group.vague) == ("group", "Human rights groups", True)


def test_anonymous_source_keeps_its_kind() -> None:
    d = draft("A person familiar with the matter said the deal would be signed on Friday.")
    c = claim(d, "the deal would be signed on Friday")
    assert c.source_kind == "anonymous"
    group = next(e for e in d.entities if e.id == c.claimants[0])
    assert group.descriptor == "A person familiar with the matter" and group.vague


def test_denial_is_a_claim_of_its_own_linked_to_what_it_denies() -> None:
    d = draft(
        "Residents said the Halvorsen Mining Company had polluted the river with arsenic. "
        "The Halvorsen Mining Company has repeatedly denied polluting the river with arsenic."
    )
    denial = claim(
        d, "The Halvorsen Mining Company has repeatedly denied polluting the river with arsenic."
    )
    assert (denial.mode, denial.cues) == ("denial", ("has repeatedly denied",))
    denied = d.claims[denial.denies[0]]
    assert denied.text == "the Halvorsen Mining Company had polluted the river with arsenic"


def test_hedge_makes_an_author_claim_hedged() -> None:
    d = draft("The money was allegedly moved to an account in Cyprus.")
    c = claim(d, "The money was allegedly moved to an account in Cyprus.")
    assert (c.mode, c.hedges, c.source_kind) == ("hedged", ("allegedly",), "author-voice")


def test_relay_told_an_outlet_makes_a_cited_document() -> None:
    d = draft("“I never saw the money,” Ben Castillo told the Daily Mail.")
    c = claim(d, "I never saw the money")
    assert label(d, c.claimants[0]) == "Ben Castillo"
    (doc,) = d.cited_documents
    assert c.relayed_from == (doc.id,) and doc.type == "interview"
    assert label(d, doc.publisher or "") == "Daily Mail"


def test_relay_the_outlet_reported_carries_the_relayed_claim() -> None:
    d = draft("Senator Ella Moss has warned that the budget is unlawful, the Daily Mail reported.")
    c = claim(d, "the budget is unlawful")
    assert label(d, c.claimants[0]) == "Ella Moss"
    assert c.cues == ("has warned", "the Daily Mail reported")
    (doc,) = d.cited_documents
    assert doc.cited_as == "the Daily Mail reported" and c.relayed_from == (doc.id,)


def test_quantities_ranges_units_and_rates() -> None:
    d = draft("The clinic treats between 60 and 80 patients per day, a nurse said.")
    c = claim(d, "The clinic treats between 60 and 80 patients per day")
    (q,) = c.quantities
    assert (q.minimum, q.maximum, q.unit, q.per, q.text) == (
        60, 80, "patients", "day", "between 60 and 80 patients per day",
    )  # fmt: skip
    assert c.source_kind == "anonymous"


def test_dates_as_written_become_iso() -> None:
    d = draft("The treaty was signed on 12 March 2004 and ratified in June 2005.")
    c = claim(d, "The treaty was signed on 12 March 2004 and ratified in June 2005.")
    assert c.dates == ("2004-03-12", "2005-06")


def test_organization_aliases_merge_by_acronym() -> None:
    d = draft(
        "The World Health Organization issued a warning on Monday. "
        "The WHO said the outbreak was under control."
    )
    c = claim(d, "the outbreak was under control")
    assert set(names(d, c.claimants[0])) >= {"World Health Organization", "WHO"}
    assert c.source_kind == "named-organization"


@pytest.mark.parametrize(
    "line", ["Sign up for our daily newsletter", "By submitting this form, I agree to the terms."]
)
def test_page_furniture_is_not_a_claim(line: str) -> None:
    d = draft(f"The storm hit the coast overnight and cut power to thousands.\n\n{line}")
    assert line in d.furniture
    assert all(line not in c.text for c in d.claims)


# --- speakers the entity model gets wrong, and context ---------------------------------------


def test_he_or_she_is_not_a_name_said_inside_the_quote() -> None:
    d = draft(
        "Mayor Ana Ruiz met the press on Monday. “I spoke with John Carter yesterday and he "
        "agreed with the plan,” she said."
    )
    c = claim(d, "I spoke with John Carter yesterday and he agreed with the plan")
    assert label(d, c.claimants[0]) == "Ana Ruiz"


def test_mr_and_mrs_of_one_surname_are_two_people() -> None:
    d = draft(
        "“It is lonely work,” Mrs Penhale said, pouring tea.\n\n"
        "“They say a computer can do what we do,” Mr Penhale said."
    )
    wife = claim(d, "It is lonely work").claimants[0]
    husband = claim(d, "They say a computer can do what we do").claimants[0]
    assert wife != husband
    assert "Mrs Penhale" in names(d, wife) and "Mr Penhale" in names(d, husband)


def test_a_name_with_an_age_is_a_person() -> None:
    d = draft(
        "Doreen Ashby, 71, was at her kettle when the lorry hit. "
        "'I heard this almighty bang,' she said."
    )
    c = claim(d, "I heard this almighty bang")
    assert label(d, c.claimants[0]) == "Doreen Ashby"


def test_the_company_said_is_the_company_named_before() -> None:
    d = draft(
        "The developer, Hallam Homes, plans 600 houses. "
        "“We have listened carefully to local concerns,” the company said."
    )
    c = claim(d, "We have listened carefully to local concerns")
    assert label(d, c.claimants[0]) == "Hallam Homes"
    assert c.source_kind == "named-organization"


def test_a_short_quote_that_called_introduces_is_speech() -> None:
    d = draft("Dr. Samuel Okoro called the figures “deeply alarming” on Tuesday.")
    c = claim(d, "deeply alarming")
    assert (label(d, c.claimants[0]), c.mode) == ("Samuel Okoro", "direct-quote")


def test_a_quote_after_a_named_statement_is_that_speakers() -> None:
    d = draft(
        "The Mayor of Dunport, Lucia Ferreira, said the budget was a disgrace.\n\n"
        "“Nobody in this city voted for these cuts.”"
    )
    c = claim(d, "Nobody in this city voted for these cuts.")
    assert label(d, c.claimants[0]) == "Lucia Ferreira"
    assert c.confidence < claim(d, "the budget was a disgrace").confidence


def test_a_headline_does_not_run_into_the_lead() -> None:
    d = draft(
        "Tech founder says start-up will hire 300 engineers\n\n"
        "The founder of a software start-up says the company will hire 300 engineers this "
        "year, the Northern Herald reported.",
        publisher=None,
    )
    assert [c.text for c in d.claims] == ["the company will hire 300 engineers this year"]
    assert d.claims[0].cues == ("says", "the Northern Herald reported")


def test_they_is_the_group_named_before() -> None:
    d = draft(
        "Residents of Harlow Street packed the hall. “We are angry and we want answers,” they said."
    )
    c = claim(d, "We are angry and we want answers")
    assert (label(d, c.claimants[0]), c.source_kind) == ("Residents (unnamed)", "vague-collective")


def test_quoted_as_saying_names_the_one_quoted() -> None:
    d = draft(
        "“The border will stay closed,” the agency quoted Interior Minister Pavel Dorn as saying."
    )
    c = claim(d, "The border will stay closed")
    assert label(d, c.claimants[0]) == "Pavel Dorn"


def test_a_quote_closed_without_a_comma_still_finds_its_speaker() -> None:
    d = draft("Sarah Collins stood up. “Thank you all for coming tonight” she said.")
    c = claim(d, "Thank you all for coming tonight")
    assert label(d, c.claimants[0]) == "Sarah Collins"


def test_the_reader_is_the_person_introduced_as_a_reader() -> None:
    d = draft(
        "A reader, Tomas Lind of Bergen, wrote to us about the story. The article quoted "
        "the farmer, Ivo Brandt, at length. The reader said the headline was misleading."
    )
    c = claim(d, "the headline was misleading")
    assert label(d, c.claimants[0]) == "Tomas Lind"


def test_he_prefers_the_subject_before_him_to_a_name_in_between() -> None:
    d = draft(
        "Governor Paul Hendry met Senator Mark Ellery on Monday. He said the plan would be vetoed."
    )
    c = claim(d, "the plan would be vetoed")
    assert label(d, c.claimants[0]) == "Paul Hendry"


def test_is_quoted_as_follows_names_the_speaker() -> None:
    d = draft(
        "The dentist, Dr. Walter Palmer, is quoted as follows, “I had no idea that the lion "
        "was a local favourite.”"
    )
    c = claim(d, "I had no idea that the lion was a local favourite.")
    assert label(d, c.claimants[0]) == "Walter Palmer"


def test_the_writers_own_i_think_is_the_authors_voice() -> None:
    d = draft("I think most readers would understand the difference.")
    c = claim(d, "I think most readers would understand the difference.")
    assert (c.source_kind, c.claimants) == ("author-voice", ("the-example-times",))


def test_a_quote_under_a_sentence_ending_with_a_colon_is_its_subjects() -> None:
    d = draft(
        "Mayor Jeff Hallam issued a statement about the inquiry:\n\n"
        "“We are disappointed that the council has chosen this needless process.”"
    )
    c = claim(d, "We are disappointed that the council has chosen this needless process.")
    assert label(d, c.claimants[0]) == "Jeff Hallam"


def test_a_name_and_a_collective_speaking_together_are_two_claimants() -> None:
    d = draft(
        "Buresh and other superintendents said the lost days should not change the final tests."
    )
    c = claim(d, "the lost days should not change the final tests")
    assert [label(d, x) for x in c.claimants] == ["Buresh", "Other superintendents (unnamed)"]


def test_a_partial_quote_inside_reported_speech_is_the_speakers() -> None:
    d = draft(
        "Chief executive Omar Haddad said the company was working “intensely” to fix the "
        "power business."
    )
    c = claim(d, "intensely")
    assert (label(d, c.claimants[0]), c.mode) == ("Omar Haddad", "direct-quote")
    assert claim(d, "the company was working “intensely” to fix the power business").mode == (
        "reported-speech"
    )


def test_by_saying_introduces_a_quote_of_the_clauses_subject() -> None:
    d = draft(
        "Chief executive Omar Haddad spoke for an hour. He ended the call by saying, "
        "“It is going to be a long repair, with some volatility.”"
    )
    c = claim(d, "It is going to be a long repair, with some volatility.")
    assert label(d, c.claimants[0]) == "Omar Haddad"


def test_a_quoted_word_earlier_in_the_sentence_does_not_hide_the_speech_verb() -> None:
    d = draft(
        "Omar Haddad said the firm was working “intensely” on the repair, with "
        "“a total sense of urgency.”"
    )
    c = claim(d, "a total sense of urgency.")
    assert label(d, c.claimants[0]) == "Omar Haddad"


def test_an_apostrophe_before_a_decade_opens_no_quote() -> None:
    d = draft("In the '90s the analysts' view was that the mill would close, Anna Berg said.")
    assert [c.mode for c in d.claims] == ["reported-speech"]


def test_a_question_before_its_speech_verb_is_attributed() -> None:
    d = draft('"Boring questions are not cool. Next?" replied Elena Voss, moving on.')
    c = claim(d, "Boring questions are not cool. Next?")
    assert label(d, c.claimants[0]) == "Elena Voss"


def test_a_quote_ending_a_sentence_does_not_take_the_next_sentence_as_its_speaker() -> None:
    d = draft("Sarah Collins stood at the gate. “It was over.” The crowd left the square quietly.")
    c = claim(d, "It was over.")
    assert label(d, c.claimants[0]) == "Sarah Collins"
    assert c.why == "direct quote, speaker inherited"


def test_a_two_word_quote_right_before_its_speaker_is_speech() -> None:
    d = draft("“We won,” Sarah Collins said. “Nobody expected it.”")
    assert label(d, claim(d, "We won").claimants[0]) == "Sarah Collins"
    assert label(d, claim(d, "Nobody expected it.").claimants[0]) == "Sarah Collins"
