"""``claimgraph compare`` and the story queries, end to end on the story fixture corpus."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from graph.cli import main
from graph.pipeline import build, write_build
from graph.sparql.library import list_queries, run_query
from graph.stores import open_store

STORY = Path(__file__).parent / "data" / "story-selk"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_compare_prints_the_story() -> None:
    code, out, err = run("compare", str(STORY))
    assert code == 0, err
    assert out.startswith("# One story across 8 documents\n")
    assert "| 2024-03-07 | The Valley Echo |" in out
    assert "The Valley Echo ← The Coastal Tribune: 2 passages, 34 words; **names no source**" in out
    assert "**source made agentless** — Environmental groups (vague-collective) → " in out
    assert "The Riverside Courier → The Estuary Herald → The Riverside Courier" in out


def test_compare_json_and_out(tmp_path: Path) -> None:
    code, out, err = run("compare", str(STORY), "--json")
    assert code == 0, err
    data = json.loads(out)
    assert len(data["clusters"]) == 6
    assert {d["change"] for d in data["drift"] if d["kind"] == "scope"} == {
        "scope widened", "modal strengthened"}
    target = tmp_path / "story.md"
    code, out, err = run("compare", str(STORY), "--out", str(target))
    assert code == 0 and "→" in out and target.read_text(encoding="utf-8").startswith("# One")


def test_compare_reads_a_built_graph(tmp_path: Path) -> None:
    write_build(build([STORY]), tmp_path / "out")
    code_a, from_graph, err = run("compare", str(tmp_path / "out" / "graph.trig"))
    code_b, from_folder, _ = run("compare", str(STORY))
    assert code_a == code_b == 0, err
    assert from_graph == from_folder


def test_compare_errors_are_one_line(tmp_path: Path) -> None:
    code, _out, err = run("compare", str(tmp_path / "missing"))
    assert code == 2 and err.count("\n") == 1 and "no such file or folder" in err
    broken = tmp_path / "broken.trig"
    broken.write_text("<a> <b> .\n", encoding="utf-8")
    code, _out, err = run("compare", str(broken))
    assert code == 6 and "broken.trig" in err and "Traceback" not in err


def test_compare_without_sources_says_it_uses_the_bundled_article() -> None:
    code, out, err = run("compare")
    assert code == 0 and "bundled article" in err
    assert out.startswith("# One story across 1 document\n")


@pytest.mark.parametrize(
    "query", [q for q in list_queries() if q.name.startswith("story-")], ids=lambda q: q.name
)
def test_story_queries_answer_on_a_story(query: object) -> None:
    from graph.sparql.library import NamedQuery

    assert isinstance(query, NamedQuery)
    store = open_store("memory", dataset=build([STORY]).dataset)
    rows = run_query(query, {p.name: p.example for p in query.params}, store=store).rows
    assert rows
    if query.name == "story-uncited-copies":
        found = {(str(r[0]).rsplit("/", 1)[-1], str(r[3]).rsplit("/", 1)[-1]) for r in rows}
        assert found == {("dispatch", "bayside"), ("echo", "tribune"), ("sentinel", "echo")}
    if query.name == "story-claims-by-outlets":
        # clusters carried by at least three documents: the call, the figure, the records, the medal
        assert len({r[0] for r in rows}) == 4


def test_compare_writes_the_story_view(tmp_path: Path) -> None:
    page = tmp_path / "story.html"
    code, out, err = run("compare", str(STORY), "--html", str(page), "--json")
    assert code == 0, err
    assert json.loads(out)["documents"]  # stdout stays the JSON; the note goes to stderr
    assert "story view: 8 documents, 6 rows" in err
    html = page.read_text(encoding="utf-8")
    assert html.count('<tr><th class="cg-row" scope="row">') == 6


def test_build_writes_the_story_view_for_several_documents(tmp_path: Path) -> None:
    code, _out, err = run("build", str(STORY), "--out", str(tmp_path / "out"))
    assert code == 0, err
    manifest = json.loads((tmp_path / "out" / "claimgraph-build.json").read_text("utf-8"))
    assert "views/story.html" in manifest["files"]
    page = (tmp_path / "out" / "views" / "story.html").read_text(encoding="utf-8")
    assert page.count('<tr><th class="cg-row" scope="row">') == 6
    code, _out, err = run("build", "--out", str(tmp_path / "bundled"))
    assert code == 0, err
    assert not (tmp_path / "bundled" / "views" / "story.html").exists()  # one document


def test_build_no_story_leaves_the_comparison_out(tmp_path: Path) -> None:
    code, _out, err = run("build", str(STORY), "--out", str(tmp_path / "out"), "--no-story",
                         "--no-views")
    assert code == 0, err
    trig = (tmp_path / "out" / "graph.trig").read_text(encoding="utf-8")
    # (the ontology graph declares the terms; no node of the story is there)
    assert "<https://w3id.org/claimgraph/id/graph/_story>" not in trig
    assert "https://w3id.org/claimgraph/id/story/" not in trig
    assert "claimgraph/id/doc/echo" in trig  # the documents are all there
