"""``claimgraph paths``, ``analyze`` and ``export-network``."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

import graph
from graph.cli import main
from graph.errors import NotFoundError
from graph.rdf.export import to_trig
from graph.rdf.vocab import claim_iri, document_iri

CORPUS = Path(__file__).parent / "data" / "relay-corpus"
CLAIMGRAPH = Path(sys.executable).parent / "claimgraph"


@pytest.fixture(scope="module")
def trig(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("relay") / "relay.trig"
    path.write_text(to_trig(graph.build([CORPUS]).dataset), encoding="utf-8")
    return path


def test_paths_prints_each_chain_hop_by_hop(trig: Path) -> None:
    result = CliRunner().invoke(main, ["paths", "doc-d#d1", str(trig)])
    assert result.exit_code == 0, result.output
    out = result.output
    assert out.count("Chain ") == 2
    assert "relayed from → claim a1" in out
    assert "relayed from → claim c1" in out
    assert "attributed to → Mira Tolland [claimant]" in out
    assert "Independent roots: 1" in out


def test_paths_accepts_iri_and_short_id(trig: Path) -> None:
    runner = CliRunner()
    by_iri = runner.invoke(main, ["paths", str(claim_iri("doc-b", "b1")), str(trig)])
    by_id = runner.invoke(main, ["paths", "b1", str(trig)])
    assert by_iri.exit_code == by_id.exit_code == 0
    assert by_iri.output == by_id.output
    assert "Independent roots: 2" in by_id.output


def test_paths_unknown_claim_is_not_found(trig: Path) -> None:
    result = CliRunner().invoke(main, ["paths", "doc-z#z9", str(trig)])
    assert result.exit_code == NotFoundError.exit_code
    assert "claimgraph: error:" in result.output
    assert "Traceback" not in result.output


def test_paths_on_the_bundled_article() -> None:
    result = CliRunner().invoke(main, ["paths", "c02"])
    assert result.exit_code == 0, result.output
    assert ("relayed from → Interview with Prof. Russell Strong [relaying document, published by "
            "Daily Mail Australia]") in result.output
    assert "said by → Russell Strong [speaker]" in result.output


def test_analyze_json_on_a_file(trig: Path) -> None:
    result = CliRunner().invoke(main, ["analyze", str(trig), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    by_id = {c["claim_id"]: c for c in data["claims"]}
    assert by_id["b1"]["independent_roots"] == 2
    assert by_id["c1"]["dominators"][0] == str(claim_iri("doc-a", "a1"))
    assert data["cycles"] == [[str(claim_iri("doc-f", "f1")), str(claim_iri("doc-g", "g1"))]]
    assert [(c["claim"], c["other"]) for c in data["contradictions"]] == [
        (str(claim_iri("doc-c", "c2")), str(claim_iri("doc-c", "c1")))]
    assert data["sources"][0]["label"] == "Mira Tolland"


def test_analyze_markdown_by_default(trig: Path) -> None:
    result = CliRunner().invoke(main, ["analyze", str(trig)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("## Key findings")


def test_console_script_analyze_json() -> None:
    done = subprocess.run([str(CLAIMGRAPH), "analyze", "--json"], capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    daily_mail = str(document_iri("dailymail-strong-interview"))
    assert {"claims", "sources", "cycles", "contradictions"} <= set(data)
    for claim in data["claims"]:
        assert {"iri", "text", "roots", "independent_roots", "dominators", "chains"} <= set(claim)
    c02 = next(c for c in data["claims"] if c["claim_id"] == "c02")
    assert daily_mail in c02["dominators"] and c02["independent_roots"] == 1
    assert {"iri", "label", "claims_supported", "claims_lost_if_removed"} <= set(data["sources"][0])


@pytest.mark.parametrize(("fmt", "which"), [("graphml", "dependency"), ("gexf", "entities"),
                                             ("json", "dependency"), ("json", "entities")])
def test_export_network(trig: Path, tmp_path: Path, fmt: str, which: str) -> None:
    out = tmp_path / f"net.{fmt}"
    result = CliRunner().invoke(
        main, ["export-network", str(trig), "--format", fmt, "--out", str(out), "--graph", which])
    assert result.exit_code == 0, result.output
    if fmt == "graphml":
        back = nx.read_graphml(out)
    elif fmt == "gexf":
        back = nx.read_gexf(out)
    else:
        back = nx.node_link_graph(json.loads(out.read_text(encoding="utf-8")), edges="edges")
    expected_edges = 13 if which == "dependency" else 1
    assert back.number_of_edges() == expected_edges
    assert [p.name for p in tmp_path.iterdir()] == [out.name]  # no temporary file left


def test_every_command_has_an_example() -> None:
    for name in ("paths", "analyze", "export-network"):
        command = main.commands[name]
        assert command.help is not None and "Example: claimgraph " + name in command.help
        result = CliRunner().invoke(main, [name, "--help"])
        assert result.exit_code == 0 and "Example:" in result.output


def test_analyze_writes_results_as_rdf_in_their_own_graph(tmp_path: Path) -> None:
    from graph.rdf.analysis_results import ANALYSIS_GRAPH
    from graph.rdf.rdfio import read_rdf
    from graph.rdf.vocab import CG, PROV, RDF

    out = tmp_path / "analysis.trig"
    result = CliRunner().invoke(main, ["analyze", "--rdf", str(out)])
    assert result.exit_code == 0, result.output
    ds = read_rdf(out)
    counts = list(ds.quads((None, CG.independentRootCount, None, None)))
    assert len(counts) == 54
    assert {str(getattr(g, "identifier", g)) for *_, g in counts} == {str(ANALYSIS_GRAPH)}
    assert list(ds.quads((None, RDF.type, PROV.Activity, None)))
