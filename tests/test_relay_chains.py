"""Whole chains on tests/data/mayor-relay: a relayed quote reaches the speaker and the outlet.

The Valley Herald (h1) quotes Mayor Dana Whitcombe through the Harbor Courier (k1), which quotes
her interview with River Radio (a cited document whose text is not in the corpus). An official
who asked not to be named (h2) supports h1. Hand-computed answers:

* h1 → k1 → River Radio's interview → Dana Whitcombe (speaker), published by River Radio;
* h1 → h2 → the unnamed official: a second, independent root, so h1 has two.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

import graph
from graph.analysis import chain_text, chains, corroboration, roots
from graph.cli import main
from graph.rdf.export import to_trig
from graph.rdf.projection import dependency_graph
from graph.rdf.vocab import claim_iri, document_iri, entity_iri
from graph.views import provenance_view

CORPUS = Path(__file__).parent / "data" / "mayor-relay"
H1 = str(claim_iri("herald-water-plant", "h1"))
MAYOR = str(entity_iri("dana-whitcombe"))
OFFICIAL = str(entity_iri("unnamed-official"))
INTERVIEW = str(document_iri("river-radio-whitcombe-interview"))
WHOLE_CHAIN = ("Valley Herald ← Harbor Courier, relayed claim k1 ← “Interview with Mayor Dana "
               "Whitcombe” (River Radio) ← Dana Whitcombe (speaker)")


@pytest.fixture(scope="module")
def built() -> graph.Build:
    return graph.build([CORPUS])


@pytest.fixture(scope="module")
def G(built: graph.Build) -> nx.DiGraph:
    return dependency_graph(built.dataset)


@pytest.fixture(scope="module")
def trig(built: graph.Build, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("mayor") / "mayor.trig"
    path.write_text(to_trig(built.dataset), encoding="utf-8")
    return path


def test_the_chain_goes_through_the_interview_to_the_mayor(G: nx.DiGraph) -> None:
    relayed = [c for c in chains(G, H1) if c[-1] == MAYOR]
    assert relayed == [[H1, str(claim_iri("courier-water-plant", "k1")), INTERVIEW, MAYOR]]
    assert chain_text(G, relayed[0]) == WHOLE_CHAIN
    assert G.edges[INTERVIEW, MAYOR]["relation"] == "said_by"
    assert G.nodes[INTERVIEW]["publisher_label"] == "River Radio"


def test_a_supporting_anonymous_source_is_a_second_independent_root(G: nx.DiGraph) -> None:
    assert {(r["iri"], r["role"], r["kind"]) for r in roots(G, H1)} == {
        (OFFICIAL, "claimant", "anonymous"), (MAYOR, "speaker", "named-person")}
    assert corroboration(G, H1) == 2


def test_paths_names_speaker_and_outlet(trig: Path) -> None:
    result = CliRunner().invoke(main, ["paths", "h1", str(trig)])
    assert result.exit_code == 0, result.output
    out = result.output
    assert WHOLE_CHAIN in out
    assert ("Interview with Mayor Dana Whitcombe [relaying document, published by River Radio]"
            in out)
    assert "said by → Dana Whitcombe [speaker]" in out
    assert "Independent roots: 2" in out
    assert "Supported by: claim h2 “the closure had been agreed in March”" in out


def test_analyze_json_names_speaker_outlet_and_supporters(trig: Path) -> None:
    result = CliRunner().invoke(main, ["analyze", str(trig), "--json"])
    assert result.exit_code == 0, result.output
    h1 = next(c for c in json.loads(result.output)["claims"] if c["iri"] == H1)
    assert h1["outlet"] == "Valley Herald"
    assert h1["relayed_outlets"] == ["Harbor Courier", "River Radio"]
    assert {(r["label"], r["role"]) for r in h1["roots"]} == {
        ("Dana Whitcombe", "speaker"), ("an unnamed official", "claimant")}
    assert h1["independent_roots"] == 2
    assert WHOLE_CHAIN in h1["chain_texts"]
    assert [(d["label"], d["outlet"], d["speakers"]) for d in h1["relayed_through"]] == [
        ("Interview with Mayor Dana Whitcombe", "River Radio", ["Dana Whitcombe"])]
    assert [(s["claim_id"], s["relation"]) for s in h1["supporters"]] == [("h2", "supports")]


def test_report_opens_with_the_document_and_names_speaker_and_outlet(
    built: graph.Build, tmp_path: Path
) -> None:
    from graph.pipeline.outputs import extra_outputs

    findings, _ = extra_outputs(views=False)
    graph.write_build(built, tmp_path / "out", findings=findings(built))
    report = (tmp_path / "out" / "report.md").read_text(encoding="utf-8")
    opening = report.split("## Key findings")[0]
    assert "**Mayor to close water plant** — published by Valley Herald" in opening
    assert "2024-03-13" in opening and "https://herald.example/mayor-water-plant" in opening
    assert "“Interview with Mayor Dana Whitcombe” (River Radio, 2024-03-11)" in opening
    findings_text = report.split("## Key findings")[1]
    assert "Dana Whitcombe (speaker, named-person), relayed through" in findings_text
    assert "published by River Radio" in findings_text
    assert "supported by h2" in report


def test_provenance_view_data_carries_speaker_and_outlet(G: nx.DiGraph) -> None:
    view = provenance_view(G)
    match = re.search(r'id="cg-data">(.*?)</script>', view.html, re.DOTALL)
    assert match
    data = json.loads(match.group(1))
    by_id = {n["id"]: n for n in data["nodes"]}
    assert MAYOR in by_id and by_id[MAYOR]["label"] == "Dana Whitcombe"
    assert any(e["from"] == INTERVIEW and e["to"] == MAYOR and e["relation"] == "said_by"
               for e in data["edges"])
    assert ["Published by (outlet)", "River Radio"] in by_id[INTERVIEW]["tip"]
    assert by_id[INTERVIEW]["label"] == "Interview with Mayor Dana Whitcombe\n(River Radio)"
    h1_tip = dict((row[0], row[1]) for row in by_id[H1]["tip"] if row[0] != "Chain")
    assert h1_tip["Corroboration"] == "2 independent root sources"
    assert ["Chain", WHOLE_CHAIN] in by_id[H1]["tip"]
    assert h1_tip["Supported by"].startswith("h2 ")


def test_bundled_report_opens_with_publisher_date_url_and_names_the_daily_mail(
    tmp_path: Path,
) -> None:
    from graph.pipeline.outputs import extra_outputs

    findings, _ = extra_outputs(views=False)
    result = graph.build()
    graph.write_build(result, tmp_path / "out", findings=findings(result))
    report = (tmp_path / "out" / "report.md").read_text(encoding="utf-8")
    opening, _, rest = report.partition("## Key findings")
    assert "published by The BL · date: 2021 · URL: https://thebl.com/" in opening
    assert "“Interview with Prof. Russell Strong” (Daily Mail Australia, 2021-10)" in opening
    key = rest.split("\n## ")[0]
    assert len(re.findall(r"^\d\. ", key, re.MULTILINE)) == 3
    assert "Russell Strong (speaker, named-person), relayed through" in key
    assert "published by Daily Mail Australia" in key


def test_default_claim_view_is_a_claim_with_the_longest_chain() -> None:
    from graph.views import default_claim

    G = dependency_graph(graph.build_bundled())
    chosen = default_claim(G)
    assert chosen is not None
    longest = max(len(c) for n, d in G.nodes(data=True) if d["type"] == "claim"
                  for c in chains(G, n))
    assert max(len(c) for c in chains(G, chosen)) == longest >= 4
    assert chosen == str(claim_iri("thebl-organ-harvesting", "c18"))


def test_a_document_relayed_for_two_speakers_keeps_each_claim_to_its_own(tmp_path: Path) -> None:
    import hashlib

    text = "Ana said the bridge is closed. Ben said the road is open, the radio reported.\n"
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    digest = hashlib.sha256(text.encode()).hexdigest()
    (tmp_path / "a.yaml").write_text(f"""format: 1
document: {{id: two-voices, text: a.txt, sha256: "{digest}", title: Two voices}}
cited_documents:
  - {{id: radio-show, title: Radio show, cited_as: "the radio reported"}}
entities:
  - {{id: ana, type: person, label: Ana Ruiz}}
  - {{id: ben, type: person, label: Ben Ode}}
claims:
  - {{id: c1, text: "the bridge is closed", claimant: ana, source_kind: named-person,
     mode: reported-speech, relayed_from: radio-show}}
  - {{id: c2, text: "the road is open", claimant: ben, source_kind: named-person,
     mode: reported-speech, relayed_from: radio-show}}
""", encoding="utf-8")
    G = dependency_graph(graph.build([tmp_path]).dataset)
    show = str(document_iri("radio-show"))
    for cid, speaker in (("c1", "ana"), ("c2", "ben")):
        claim = str(claim_iri("two-voices", cid))
        assert [(r["iri"], r["role"]) for r in roots(G, claim)] == [
            (str(entity_iri(speaker)), "speaker")]
        (doc,) = G.successors(claim)
        assert G.nodes[doc]["iri"] == show and doc != show
