"""Affiliations and independence groups (#22), on fixtures written for them.

``tests/data/affiliated-roots``: the claim c1 of Mayor Lena Okafor is supported by her office (c2)
and by an engineer (c3): three roots; the text states that the office speaks for her (a1, in the
Gazette's voice), so two are one group. ``tests/data/affiliated-outlets``: two outlets of one owner
(the analyst's affiliations, one per file) report the same thing; a third relays both.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import RdflibEngine, loaded_oxigraph
from rdflib import Dataset, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.term import Node

import graph
from graph.analysis import analyze, corroboration
from graph.analysis.groups import affiliation_groups, independence, independent_groups
from graph.cli import main
from graph.errors import AnnotationError
from graph.model.annotations import load_corpus
from graph.rdf.export import flat_graph, to_trig
from graph.rdf.projection import dependency_graph
from graph.rdf.vocab import (
    AFFILIATION_RELATIONS,
    CG,
    PROV,
    RDF,
    SCHEMA,
    SKOS,
    affiliation_iri,
    analyst_graph_iri,
    claim_graph_iri,
    claim_iri,
    entity_iri,
)
from graph.sparql.library import run_query
from graph.stores import Store, open_store

DATA = Path(__file__).parent / "data"
ROOTS = DATA / "affiliated-roots"
OUTLETS = DATA / "affiliated-outlets"
C1 = str(claim_iri("gazette-bridge", "c1"))
WEEKLY = str(claim_iri("weekly-ferry", "c1"))


@pytest.fixture(scope="module")
def roots_ds() -> Dataset:
    return graph.build([ROOTS]).dataset  # SHACL and the contract ran: the build is valid


@pytest.fixture(scope="module")
def outlets_ds() -> Dataset:
    return graph.build([OUTLETS]).dataset


@pytest.fixture(scope="module")
def roots_trig(roots_ds: Dataset, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("roots") / "graph.trig"
    path.write_text(to_trig(roots_ds), encoding="utf-8")
    return path


def _has(ds: Dataset, triple: tuple[Node, Node, Node]) -> bool:
    """Whether any graph of ``ds`` holds ``triple``."""
    return any(True for _q in ds.quads((*triple, None)))


# ------------------------------------------------------------------ the tests


def test_three_roots_two_independent_with_the_affiliation_named(roots_ds: Dataset) -> None:
    G = dependency_graph(roots_ds)
    found = independence(G, C1)
    assert (found["roots"], found["independent_roots"], found["independent_groups"]) == (3, 3, 2)
    assert corroboration(G, C1) == 3  # the affiliation-blind figure is kept
    [group] = found["joined"]
    assert group["labels"] == ["Lena Okafor", "the mayor's office"]
    [joined_by] = group["affiliations"]
    assert (joined_by["id"], joined_by["relation"], joined_by["origin"],
            joined_by["asserted_by"]) == ("a1", "spokesperson-for", "text", ["Harbor Gazette"])


def test_an_affiliation_the_text_states_is_a_claim_with_a_claimant(roots_ds: Dataset) -> None:
    a1 = claim_iri("gazette-bridge", "a1")
    office, mayor = entity_iri("mayors-office"), entity_iri("lena-okafor")
    assert _has(roots_ds, (a1, RDF.type, SCHEMA.Claim))
    assert _has(roots_ds, (a1, RDF.type, CG.AffiliationClaim))
    assert _has(roots_ds, (a1, PROV.wasAttributedTo, entity_iri("harbor-gazette")))
    [text] = [o for _s, _p, o, _g in roots_ds.quads((a1, SCHEMA.text, None, None))]
    assert str(text) == "The mayor's office speaks for Mayor Okafor on city works."
    # its content, the affiliation, is in its own claim graph and nowhere else
    where = {g for _s, _p, _o, g in roots_ds.quads((office, CG.spokespersonFor, mayor, None))}
    assert where == {claim_graph_iri("gazette-bridge", "a1")}
    # a flat export carries it reified, asserting nothing
    flat = flat_graph(roots_ds)
    assert (office, CG.spokespersonFor, mayor) not in flat
    statement = next(flat.objects(a1, CG.contentStatement))
    assert (statement, RDF.predicate, CG.spokespersonFor) in flat


def test_an_analysts_affiliation_lives_in_the_analyst_graph(roots_ds: Dataset) -> None:
    node = affiliation_iri("gazette-bridge", "a3")
    graphs = {g for _s, _p, _o, g in roots_ds.quads((node, None, None, None))}
    assert graphs == {analyst_graph_iri("gazette-bridge")}
    assert _has(roots_ds, (node, RDF.type, CG.Affiliation))
    assert _has(roots_ds, (node, RDF.predicate, CG.ownedBy))
    assert _has(roots_ds, (node, SKOS.editorialNote, Literal(
        "The imprint page of the Gazette names Tidewater Media as its owner.")))
    # described, never asserted: no affiliation predicate outside a claim graph
    claim_graphs = {o for _s, _p, o, _g in roots_ds.quads((None, CG.assertionGraph, None, None))}
    for predicate in AFFILIATION_RELATIONS.values():
        for _s, _p, _o, g in roots_ds.quads((None, predicate, None, None)):
            assert g in claim_graphs and g != DATASET_DEFAULT_GRAPH_ID


def test_outlets_under_one_owner_count_once_across_documents(outlets_ds: Dataset) -> None:
    G = dependency_graph(outlets_ds)
    found = independence(G, WEEKLY)
    assert (found["independent_roots"], found["independent_groups"]) == (2, 1)
    [group] = found["joined"]
    assert group["labels"] == ["Bay Courier", "Bay Evening Post", "Harbor Media Group"]
    assert {a["document"] for a in group["affiliations"]} == {
        "https://w3id.org/claimgraph/id/doc/courier-ferry",
        "https://w3id.org/claimgraph/id/doc/evening-ferry"}


def test_compare_shows_the_outlets_that_count_as_one(tmp_path: Path, outlets_ds: Dataset) -> None:
    from graph.story.model import compute_story

    story = compute_story(load_corpus([OUTLETS]))
    [group] = story.outlet_groups
    assert group.outlets == ("Bay Courier", "Bay Evening Post")
    assert "Harbor Media Group" in group.members
    result = CliRunner().invoke(main, ["compare", str(OUTLETS), "--html",
                                       str(tmp_path / "story.html")])
    assert result.exit_code == 0, result.output
    assert "## Outlets that count as one" in result.output
    assert "- Bay Courier, Bay Evening Post — Bay Courier owned by Harbor Media Group" \
        in result.output
    assert "Outlets that count as one: Bay Courier, Bay Evening Post" in (
        tmp_path / "story.html").read_text(encoding="utf-8")
    trig = tmp_path / "outlets.trig"  # from a built graph, the same groups
    trig.write_text(to_trig(outlets_ds), encoding="utf-8")
    as_json = CliRunner().invoke(main, ["compare", str(trig), "--json"])
    assert json.loads(as_json.output)["outlet_groups"][0]["outlets"] == [
        "Bay Courier", "Bay Evening Post"]


# ------------------------------------------------------------------ the figures elsewhere


def test_without_affiliations_every_figure_is_the_one_before(bundled_dataset: Dataset) -> None:
    G = dependency_graph(bundled_dataset)
    assert G.graph["affiliations"] == []
    result = analyze(G)
    assert all(c["independent_groups"] == c["independent_roots"] == corroboration(G, c["iri"])
               for c in result["claims"])
    assert result["groups"] == [] and result["totals"]["fewer_once_affiliated"] == 0
    c02 = str(claim_iri("thebl-organ-harvesting", "c02"))
    out = CliRunner().invoke(main, ["paths", "c02"]).output
    assert f"Independent roots: {corroboration(G, c02)}\n" in out
    assert "affiliations" not in out


def test_paths_prints_both_numbers_and_the_affiliation(roots_trig: Path) -> None:
    result = CliRunner().invoke(main, ["paths", "c1", str(roots_trig)])
    assert result.exit_code == 0, result.output
    assert "Independent roots: 3\n" in result.output
    assert ("3 roots, 2 independent once affiliations are taken into account: Lena Okafor and "
            "the mayor's office count as one group — the mayor's office spokesperson for Lena "
            "Okafor (stated by Harbor Gazette, a1)") in result.output


def test_analyze_json_and_the_report(roots_trig: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["analyze", str(roots_trig), "--json"])
    summary = json.loads(result.output)
    c1 = next(c for c in summary["claims"] if c["iri"] == C1)
    assert (c1["independent_roots"], c1["independent_groups"]) == (3, 2)
    assert [a["id"] for g in c1["affiliation_groups"] for a in g["affiliations"]] == ["a1"]
    assert sorted(a["id"] for a in summary["affiliations"]) == ["a1", "a2", "a3"]
    assert len(summary["groups"]) == 3
    out = tmp_path / "out"
    built = CliRunner().invoke(main, ["build", str(ROOTS), "--out", str(out), "--no-views"])
    assert built.exit_code == 0, built.output
    report = (out / "report.md").read_text(encoding="utf-8")
    assert "### Affiliations and independence" in report
    assert ("Harbor Gazette owned by Tidewater Media (added by the analyst, a3: The imprint page "
            "of the Gazette names Tidewater Media as its owner.)") in report
    assert "1 claim rests on fewer independent sources" in report


def test_the_claim_view_names_the_group(roots_ds: Dataset) -> None:
    from graph.views import claim_view

    html = claim_view(dependency_graph(roots_ds), "c1").html
    assert "2 independent once affiliations are taken into account" in html
    assert "Independence group" in html


def test_contraction_counts_each_group_once() -> None:
    import networkx as nx

    # c rests on P, Q, R through disjoint chains; P–Q and Q–R are affiliated: one group of three
    G = nx.DiGraph([("c", "x"), ("x", "P"), ("c", "y"), ("y", "Q"), ("c", "R"), ("c", "S")])
    nx.set_node_attributes(G, "claim", "type")
    G.graph["affiliations"] = [{"subject": "P", "object": "Q"}, {"subject": "R", "object": "Q"}]
    assert corroboration(G, "c") == 4
    assert independent_groups(G, "c") == 2
    assert [g["members"] for g in affiliation_groups(G.graph["affiliations"])] == [
        ["P", "Q", "R"]]


# ------------------------------------------------------------------ the annotation format


def _fixture_with(tmp_path: Path, affiliations: str) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir(parents=True)
    (folder / "article.txt").write_bytes((ROOTS / "article.txt").read_bytes())
    yaml = (ROOTS / "article.yaml").read_text(encoding="utf-8")
    head = yaml.split("affiliations:")[0]
    (folder / "article.yaml").write_text(head + "affiliations:\n" + affiliations,
                                         encoding="utf-8")
    return folder


def test_relation_by_word_prefixed_name_or_iri(tmp_path: Path) -> None:
    folder = _fixture_with(tmp_path, """\
  - {id: x1, subject: tomas-reyes, relation: member-of, object: coastline-surveys,
     origin: analyst, note: n}
  - {id: x2, subject: mayors-office, relation: "schema:parentOrganization", object: lena-okafor,
     origin: analyst, note: n}
  - {id: x3, subject: harbor-gazette, relation: "https://schema.org/funder",
     object: tidewater-media, origin: analyst, note: n}
""")
    found = load_corpus([folder]).affiliations
    assert [a.relation for a in found] == ["member-of", "part-of", "funded-by"]


def test_every_problem_of_the_section_at_once(tmp_path: Path) -> None:
    folder = _fixture_with(tmp_path, """\
  - {id: x1, subject: tomas-reyes, relation: cousin-of, object: coastline-surveys,
     origin: analyst, note: n}
  - {id: x2, subject: mayors-office, relation: part-of, object: lena-okafor, origin: analyst}
  - {id: c1, subject: tomas-reyes, relation: owned-by, object: nobody, origin: analyst, note: n}
  - {id: x4, subject: lena-okafor, relation: member-of, object: lena-okafor, origin: analyst,
     note: n}
  - {id: x5, subject: lena-okafor, relation: member-of, object: mayors-office, origin: text,
     text: "not in the article", claimant: harbor-gazette, source_kind: author-voice,
     mode: author-assertion}
""")
    with pytest.raises(AnnotationError) as caught:
        load_corpus([folder])
    message = str(caught.value)
    assert "unknown affiliation relation 'cousin-of'" in message
    assert "needs a 'note'" in message
    assert "an entity cannot be affiliated with itself" in message
    assert "not found in the article" in message
    assert ("article.yaml:66, field 'affiliations[0].relation': unknown affiliation relation "
            "'cousin-of'") in message  # file, line and field
    # ids and entities are checked once the entries parse: the next pass names them
    folder2 = _fixture_with(tmp_path / "again", """\
  - {id: c1, subject: tomas-reyes, relation: owned-by, object: nobody, origin: analyst, note: n}
""")
    with pytest.raises(AnnotationError) as again:
        load_corpus([folder2])
    assert "duplicate id 'c1'" in str(again.value)
    assert "unknown entity id 'nobody'" in str(again.value)


# ------------------------------------------------------------------ SPARQL and stores


@pytest.fixture(scope="module")
def roots_oxigraph(roots_ds: Dataset, tmp_path_factory: pytest.TempPathFactory
                   ) -> Iterator[Store]:
    yield from loaded_oxigraph(roots_ds, tmp_path_factory.mktemp("affiliated-oxigraph"))


def test_library_query_agrees_with_rdflib_and_the_analysis(
    roots_ds: Dataset, roots_oxigraph: Store
) -> None:
    from graph.sparql.library import get_query

    text = get_query("affiliations").text
    reference = RdflibEngine(roots_ds).query(text)
    for store in (roots_oxigraph, open_store("memory", dataset=roots_ds)):
        answer = run_query("affiliations", store=store)
        assert sorted(map(str, answer.rows)) == sorted(map(str, reference.rows))
    records = run_query("affiliations", store=roots_oxigraph).records()
    by_id = {str(r["id"]): r for r in records}
    assert set(by_id) == {"a1", "a2", "a3"}
    assert (str(by_id["a1"]["origin"]), str(by_id["a1"]["assertedBy"])) == (
        "text", "Harbor Gazette")
    assert (str(by_id["a3"]["origin"]), str(by_id["a3"]["assertedBy"])) == (
        "analyst", "the analyst")
    groups = affiliation_groups(dependency_graph(roots_ds).graph["affiliations"])
    assert {str(by_id[a]["group"]) for a in by_id} == {g["id"] for g in groups}
    assert by_id["a1"]["group"] == URIRef(str(entity_iri("lena-okafor")))


def test_an_opened_store_counts_the_same_groups(roots_oxigraph: Store) -> None:
    from graph.session import ClaimGraph

    session = ClaimGraph(roots_oxigraph, "test store")
    found = session.paths("c1")
    assert (found["independent_roots"], found["independent_groups"]) == (3, 2)
    assert found["affiliation_groups"][0]["labels"] == ["Lena Okafor", "the mayor's office"]


def test_groups_only_ever_lower_the_count_by_what_they_join() -> None:
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
    from bench_groups import bench, generated

    G = generated(claims=300, agents=60, affiliations=25, seed=3)
    groups = affiliation_groups(G.graph["affiliations"])
    lowered = 0
    for claim in (n for n, d in G.nodes(data=True) if d["type"] == "claim"):
        found = independence(G, claim, groups=groups)
        drop = found["independent_roots"] - found["independent_groups"]
        # a group of k of the claim's roots can take at most k - 1 away
        bound = sum(len(set(g["members"]) & {r["iri"] for r in graph.analysis.roots(G, claim)})
                    - 1 for g in found["joined"])
        assert 0 <= drop <= bound
        lowered += drop > 0
    assert lowered > 0  # the fixture's affiliations do join roots
    figures = bench(claims=60, agents=20, affiliations=6, repeat=1)
    assert set(figures) >= {"ratio_groups_vs_corroboration", "ratio_analyze_vs_plain",
                            "load_average", "claims_with_fewer"}


def test_shapes_name_an_analysts_affiliation_without_a_note() -> None:
    from graph.rdf.vocab import SKOS

    ds = graph.build_dataset(load_corpus([ROOTS]))
    node = affiliation_iri("gazette-bridge", "a3")
    for s, p, o, g in list(ds.quads((node, SKOS.editorialNote, None, None))):
        ds.graph(g).remove((s, p, o))
    [problem] = graph.validate_dataset(ds)
    assert problem.focus == "affiliation 'a3' of 'gazette-bridge'"
    assert "needs a `note:`" in problem.message
