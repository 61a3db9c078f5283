"""The drafter drafts a claim whose source is a document where the text makes it plain, on short
texts written for the test: exact span, kind, document, and no claimant made up for it."""

from __future__ import annotations

from pathlib import Path

import graph
from graph.draft import write_draft
from graph.model.annotations import load_corpus
from graph.rdf.vocab import PROV, RDFS, claim_iri, unnamed_authors_iri
from graph.validate.problems import union_of
from tests.test_draft_rules import claim, draft, label

LEAK = "According to a leaked estimate, 4,000 tonnes of contraband passed through the port in 2023."
REPORT = (
    "A 2022 report by the Harbour Watch Trust found that customs inspections at the port fell "
    "by half."
)


def test_according_to_a_document_has_the_document_as_its_source() -> None:
    d = draft(LEAK)
    c = claim(d, "4,000 tonnes of contraband passed through the port in 2023.")
    assert (c.claimants, c.source_kind, c.mode, c.cues) == (
        (), "document", "reported-speech", ("According to",))
    (doc,) = d.cited_documents
    assert c.source_document == doc.id and c.relayed_from == ()
    assert (doc.cited_as, doc.type) == ("a leaked estimate", "report")
    assert not [e for e in d.entities if "estimate" in e.label.lower()]  # no invented claimant


def test_a_report_by_a_named_author_found_that() -> None:
    d = draft(REPORT)
    c = claim(d, "customs inspections at the port fell by half")
    assert [label(d, e) for e in c.claimants] == ["Harbour Watch Trust"]
    assert (c.source_kind, c.mode, c.cues) == ("document", "reported-speech", ("found",))
    (doc,) = d.cited_documents
    assert c.source_document == doc.id
    assert doc.cited_as == "A 2022 report by the Harbour Watch Trust"
    # the sentence is the document's finding, not the outlet's own voice
    assert [x.source_kind for x in d.claims] == ["document"]


def test_a_study_without_an_author_names_no_claimant() -> None:
    d = draft("A new study shows that river otters have returned to the valley.")
    c = claim(d, "river otters have returned to the valley")
    assert (c.claimants, c.source_kind) == ((), "document")
    (doc,) = d.cited_documents
    assert doc.cited_as == "A new study" and c.source_document == doc.id


def test_the_draft_builds_with_the_document_as_source(tmp_path: Path) -> None:
    folder = write_draft(draft(LEAK + "\n\n" + REPORT), tmp_path / "t")
    corpus = load_corpus([folder])
    claims = {c.text: c for c in corpus.files[0].claims}
    leaked = claims["4,000 tonnes of contraband passed through the port in 2023."]
    assert (leaked.claimants, leaked.source_document) == ((), "t.a-leaked-estimate-doc")
    union = union_of(graph.build([folder]).dataset)  # validated: SHACL and the contract
    node = claim_iri("t", leaked.id)
    agent = unnamed_authors_iri("t.a-leaked-estimate-doc")
    assert set(union.objects(node, PROV.wasAttributedTo)) == {agent}
    assert str(union.value(agent, RDFS.label)) == (
        "the unnamed author(s) of “a leaked estimate (as cited)”")
