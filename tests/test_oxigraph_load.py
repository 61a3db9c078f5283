"""Loading an Oxigraph folder from files parsed by pyoxigraph: by transaction or by bulk load and
swap, the store ends up the same, and bad files are refused with their name and line."""

from __future__ import annotations

import warnings
from pathlib import Path

import pyoxigraph
import pytest
from click.testing import CliRunner
from rdflib import Dataset, URIRef

import graph
from graph.cli import main
from graph.rdf.vocab import ID
from graph.stores.loading import file_graph_iri

RELAY = Path(__file__).parent / "data" / "relay-corpus"
METHODS = ("transaction", "bulk")


def nquads(ds: Dataset, keep: set[str] | None = None) -> str:
    """The dataset's named graphs as N-Quads, only those in ``keep`` when given."""
    part = Dataset()
    for g in ds.graphs():
        name = str(g.identifier)
        if len(g) and (keep is None or name in keep):
            target = part.graph(URIRef(name))
            for triple in g:
                target.add(triple)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return part.serialize(format="nquads")


def dump(folder: Path) -> list[tuple[str, ...]]:
    store = pyoxigraph.Store.read_only(str(folder))
    rows = sorted(tuple(str(t) for t in q) for q in store)
    del store
    return rows


def load(files: list[Path], folder: Path, method: str) -> str:
    out = CliRunner().invoke(main, ["load", *map(str, files), "--store", f"oxigraph:{folder}",
                                    "--method", method])
    assert out.exit_code == 0, out.output
    return out.output


@pytest.fixture(scope="module")
def versions(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str, str]:
    """The relay corpus, and a second version of one document with one claim graph fewer."""
    base = tmp_path_factory.mktemp("oxigraph-load")
    ds = graph.build_dataset(graph.load_corpus([RELAY]))
    first = base / "all.nq"
    first.write_text(nquads(ds), encoding="utf-8")
    names = sorted(str(g.identifier) for g in ds.graphs() if len(g))
    claim_graphs = [n for n in names if "/claim/" in n and n.startswith(f"{ID}graph/")]
    gone = claim_graphs[0]
    document = gone.split("/claim/")[0]
    second = base / "one-document.nq"
    second.write_text(nquads(ds, {n for n in names if n.startswith(document) and n != gone}),
                      encoding="utf-8")
    return first, second, document, gone


@pytest.mark.parametrize("method", METHODS)
def test_both_ways_of_writing_give_the_same_store(
    versions: tuple[Path, Path, str, str], tmp_path: Path, method: str
) -> None:
    first, second, _document, gone = versions
    reference = tmp_path / "reference"
    load([first], reference, "transaction")
    load([second], reference, "transaction")

    store = tmp_path / method
    load([first], store, method)
    output = load([second], store, method)
    assert "dropped 1 stale graph" in output
    state = dump(store)
    assert state == dump(reference)
    named = {q[:3] for q in state if len(q) == 4 and q[3] != "DEFAULT"}
    default = {q[:3] for q in state if q[3] == "DEFAULT"}
    assert default == named  # the default graph is exactly the union, kept by both paths
    assert not any(q[3] == f"<{gone}>" for q in state)
    assert not list(tmp_path.glob(f".{method}.*"))  # no folder left beside the store


@pytest.mark.parametrize("method", METHODS)
def test_default_graph_triples_get_their_file_graph(tmp_path: Path, method: str) -> None:
    one, two = tmp_path / "one.ttl", tmp_path / "two.ttl"
    one.write_text('_:x <urn:p> "one" .\n', encoding="utf-8")
    two.write_text('_:x <urn:p> "two" .\n', encoding="utf-8")
    load([one, two], tmp_path / "store", method)
    state = dump(tmp_path / "store")
    graphs = {q[3] for q in state} - {"DEFAULT"}
    assert graphs == {f"<{file_graph_iri('one.ttl')}>", f"<{file_graph_iri('two.ttl')}>"}
    assert len({q[0] for q in state}) == 2  # a blank node label in two files is two nodes


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ('<urn:a> <urn:b> <urn:c> .\n<urn:a> <urn:b> "unterminated .\n', 2),
        ("<urn:a> <urn:b> <urn:c> .\n\n<relative> <urn:b> <urn:c> .\n", 3),
        ("<urn:a> <urn:b> <urn:c> .\n<urn:a> <urn:b> \xff .\n".encode("latin-1").decode("utf-8",
                                                                                     "replace"), 2),
    ],
    ids=["unterminated", "relative-iri", "replacement-char"],
)
def test_a_bad_file_names_itself_and_its_line_and_loads_nothing(
    tmp_path: Path, text: str, line: int
) -> None:
    good = tmp_path / "good.nt"
    good.write_text("<urn:a> <urn:b> <urn:c> .\n", encoding="utf-8")
    bad = tmp_path / "bad.ttl"
    bad.write_text(text, encoding="utf-8")
    out = CliRunner().invoke(main, ["load", str(good), str(bad), "--store",
                                    f"oxigraph:{tmp_path / 'store'}"])
    assert out.exit_code == 6, out.output
    assert f"bad.ttl:{line}:" in out.output
    assert "Traceback" not in out.output
    assert not (tmp_path / "store").exists() or dump(tmp_path / "store") == []


def test_non_utf8_file_is_refused_with_its_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.nt"
    bad.write_bytes(b'<urn:a> <urn:b> "ok" .\n<urn:a> <urn:b> "\xff" .\n')
    out = CliRunner().invoke(main, ["load", str(bad), "--store", f"oxigraph:{tmp_path / 's'}"])
    assert out.exit_code == 6 and "bad.nt:2: not UTF-8 text" in out.output


@pytest.mark.filterwarnings("ignore:Dataset.:DeprecationWarning")
@pytest.mark.parametrize("spec", ["memory", "oxigraph"])
def test_a_load_forgets_resolved_claim_ids(
    bundled_dataset: Dataset, tmp_path: Path, spec: str
) -> None:
    """A bare claim id is looked up once per store; a load that makes it ambiguous is seen."""
    from graph.errors import QueryError
    from graph.sparql.library import run_query
    from graph.stores import open_store

    store = open_store("memory" if spec == "memory" else f"oxigraph:{tmp_path / 'ox'}",
                       dataset=Dataset())
    store.replace_graphs(bundled_dataset)
    assert run_query("claim-description", {"claim": "c05"}, store=store).triples
    copy = Dataset()
    # A second document holding the same claim ids (its graphs named as claimgraph names them).
    copy.parse(data=nquads(bundled_dataset).replace("/thebl-organ-harvesting", "/copy-thebl"),
               format="nquads")
    store.replace_graphs(copy)
    with pytest.raises(QueryError, match="ambiguous"):
        run_query("claim-description", {"claim": "c05"}, store=store)
    store.close()


def test_bulk_load_in_many_batches_gives_the_same_store(
    versions: tuple[Path, Path, str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Batches of 5 quads: the default graph is rebuilt while the store is read and written."""
    import graph.stores.oxigraph as oxigraph

    first, second, _document, _gone = versions
    reference = tmp_path / "reference"
    load([first], reference, "transaction")
    load([second], reference, "transaction")
    monkeypatch.setattr(oxigraph, "BULK_BATCH", 5)
    store = tmp_path / "batched"
    load([first], store, "bulk")
    load([second], store, "bulk")
    assert dump(store) == dump(reference)
