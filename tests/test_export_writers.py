"""The TriG and JSON-LD writers of the export parts: awkward IRIs and literals read back the same
with three parsers (pyoxigraph, rdflib, rapper), and the text is what the writers promise."""

from __future__ import annotations

import json
import random
import shutil
import subprocess
import warnings
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.term import Node

import graph
from graph.errors import ClaimgraphError
from graph.rdf.export import check_reads_back, export_parts, export_texts
from graph.rdf.export_parts import compose
from graph.rdf.vocab import PREFIXES, RDF, RDFS, SCHEMA, XSD, document_graph_iri, entity_iri

G1 = document_graph_iri("d1")
G2 = document_graph_iri("d2")
EX = "http://example.org/"
# Absolute IRIs whose scheme is one of the prefixes: a JSON-LD reader given the prefixes would
# take each for a prefixed name (schema:name for https://schema.org/name).
LOOKALIKES = [URIRef(f"{prefix}:name") for prefix in sorted(PREFIXES)]
LONG = "a long text, " * 2000 + "the end"
MULTI_LINE = 'first line\n}\n<urn:x:g> {\n"quoted" \\ back\r\nlast line\u2028after'
LITERALS = [
    Literal('say "hi"'),
    Literal("back\\slash \\n not a newline"),
    Literal(MULTI_LINE),
    Literal("tab\there, form feed\x0c, NEL\x85, end"),
    Literal(LONG),
    Literal("@id"),
    Literal('{"@value": "x"}'),
    Literal("colour", lang="en-GB"),
    Literal("Farbe", lang="de-ch-1996"),
    Literal("multi\nline", lang="en"),
    Literal("explicit string", datatype=XSD.string),
    Literal("0", datatype=XSD.integer),
    Literal("-42", datatype=XSD.integer),
    Literal("007", datatype=XSD.integer, normalize=False),  # as a JSON number: read back as 7
    Literal("12345678901234567890123", datatype=XSD.integer),  # past a double's precision
    Literal("true", datatype=XSD.boolean),
    Literal("1", datatype=XSD.boolean, normalize=False),
    Literal("1.0E3", datatype=XSD.double, normalize=False),
    Literal("1.50", datatype=XSD.decimal, normalize=False),
    Literal("2024-02", datatype=XSD.gYearMonth),
    Literal("v", datatype=URIRef(f"{EX}type#with-hash")),
    Literal("w", datatype=URIRef("xsd:lookalike")),  # a datatype IRI that looks prefixed
]


def _awkward_dataset() -> Dataset:
    ds = Dataset()
    g1, g2 = ds.graph(G1), ds.graph(G2)
    subject = entity_iri("e")
    for i, literal in enumerate(LITERALS):
        g1.add((subject, URIRef(f"{EX}p{i}"), literal))
    g1.add((subject, RDF.type, SCHEMA.Person))
    g1.add((subject, RDF.type, URIRef(f"{EX}Kind")))
    g1.add((subject, RDF.type, Literal("a literal type")))  # @type takes IRIs only
    g1.add((subject, RDFS.label, Literal("E")))
    g1.add((subject, SCHEMA.knows, BNode("b1")))
    g1.add((BNode("b1"), RDF.type, BNode("b2")))
    g1.add((BNode("b1"), SCHEMA.name, Literal("blank")))
    for lookalike in LOOKALIKES:
        g2.add((lookalike, SCHEMA.sameAs, lookalike))
        g2.add((entity_iri("e"), lookalike, Literal("value")))
    g2.add((entity_iri("e"), RDF.type, LOOKALIKES[0]))
    ds.graph(URIRef("schema:graph")).add((subject, RDFS.label, Literal("in a lookalike graph")))
    return ds


def _named(ds: Dataset) -> dict[str, Graph]:
    return {str(g.identifier): g for g in ds.graphs()
            if len(g) and g.identifier != DATASET_DEFAULT_GRAPH_ID}


def _as_rdflib_reads(term: Node) -> Node:
    """A literal as rdflib's parsers make it: ``"x"^^xsd:string`` as ``"x"`` (one term in RDF
    1.1, two in rdflib), the lexical form normalised (``pyoxigraph``, in ``check_reads_back``,
    compares lexical forms as they are)."""
    if isinstance(term, Literal):
        datatype = None if term.datatype == XSD.string else term.datatype
        return Literal(str(term), lang=term.language, datatype=datatype)
    return term


def _assert_rdflib_reads(ds: Dataset, text: str, rdf_format: str) -> None:
    """rdflib's own parser (not pyoxigraph, which ``check_reads_back`` uses) reads the same."""
    back = Dataset()
    with warnings.catch_warnings():  # rdflib's parsers call its own deprecated Dataset API
        warnings.simplefilter("ignore", DeprecationWarning)
        back.parse(data=text, format=rdf_format)
    plain = Dataset()
    for s, p, o, c in ds.quads((None, None, None, None)):
        plain.graph(getattr(c, "identifier", c)).add((s, p, _as_rdflib_reads(o)))  # type: ignore[arg-type]
    want, got = _named(plain), _named(back)
    assert sorted(got) == sorted(want)
    for name, g in want.items():
        assert isomorphic(g, got[name]), name


def test_awkward_terms_read_back_with_pyoxigraph_and_rdflib() -> None:
    ds = _awkward_dataset()
    texts = export_texts(ds)
    check_reads_back(ds, texts)
    _assert_rdflib_reads(ds, texts["graph.trig"], "trig")
    _assert_rdflib_reads(ds, texts["graph.jsonld"], "json-ld")


@pytest.mark.skipif(shutil.which("rapper") is None, reason="apt-get install raptor2-utils to run")
def test_rapper_reads_the_awkward_trig(tmp_path: Path) -> None:
    ds = _awkward_dataset()
    path = tmp_path / "graph.trig"
    path.write_text(export_texts(ds)["graph.trig"], encoding="utf-8")
    run = subprocess.run(["rapper", "-i", "trig", "-o", "nquads", "-q", str(path)],
                         capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr
    _assert_rdflib_reads(ds, run.stdout, "nquads")


@pytest.mark.skipif(shutil.which("rapper") is None, reason="apt-get install raptor2-utils to run")
def test_rapper_reads_the_built_trig(tmp_path: Path) -> None:
    build = graph.build(validate=False)
    out = tmp_path / "out"
    graph.write_build(build, out)
    run = subprocess.run(["rapper", "-i", "trig", "-o", "nquads", "-q", str(out / "graph.trig")],
                         capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr
    quads = {line for line in run.stdout.split("\n") if line}
    assert len(quads) == len((out / "graph.nq").read_text(encoding="utf-8").splitlines())


def _entries(text: str) -> dict[str, dict[str, object]]:
    return {entry["@id"]: entry for entry in json.loads(text)["@graph"]}


def test_jsonld_writes_lookalike_iris_so_they_read_as_themselves() -> None:
    """An entry holding ``schema:name`` as an IRI undefines ``schema`` for itself and writes every
    IRI of that namespace in full; other entries keep the prefixes. Without that context the
    same text reads as another IRI, which is why it is there."""
    ds = _awkward_dataset()
    text = export_texts(ds)["graph.jsonld"]
    entries = _entries(text)
    lookalike = entries[str(G2)]
    assert lookalike["@context"] == dict.fromkeys(sorted(PREFIXES))
    nodes = {node["@id"]: node for node in lookalike["@graph"]}  # type: ignore[attr-defined]
    assert nodes["schema:name"][str(SCHEMA.sameAs)] == {"@id": "schema:name"}
    d1 = entries[str(G1)]  # a datatype spelt xsd:lookalike: only xsd is undefined
    assert d1["@context"] == {"xsd": None}
    assert '"@type": "xsd:lookalike"' in json.dumps(d1)
    assert f'{{"@type": "{XSD.integer}", "@value": "007"}}' in json.dumps(d1)
    assert '"schema:Person"' in json.dumps(d1)
    assert entries["schema:graph"]["@context"] == {"schema": None}

    import pyoxigraph

    def subjects(doc: object) -> set[str]:
        quads = pyoxigraph.parse(json.dumps(doc), pyoxigraph.RdfFormat.JSON_LD)
        return {q.subject.value for q in quads}

    del lookalike["@context"]
    context = {"@context": dict(PREFIXES)}
    assert "https://schema.org/name" in subjects({**context, "@graph": [lookalike]})
    assert "schema:name" not in subjects({**context, "@graph": [lookalike]})


def test_jsonld_values_as_written() -> None:
    """The shape of every kind of value, on one small graph."""
    ds = Dataset()
    g = ds.graph(G1)
    s = entity_iri("x")
    g.add((s, RDF.type, SCHEMA.Person))
    g.add((s, SCHEMA.name, Literal("X")))
    g.add((s, SCHEMA.alternateName, Literal("Ex", lang="en")))
    g.add((s, SCHEMA.alternateName, Literal("Iks", lang="pl")))
    g.add((s, SCHEMA.position, Literal("3", datatype=XSD.integer)))
    g.add((s, SCHEMA.isFamilyFriendly, Literal("false", datatype=XSD.boolean)))
    g.add((s, SCHEMA.birthDate, Literal("1970", datatype=XSD.gYear)))
    g.add((s, SCHEMA.sameAs, URIRef(f"{EX}x")))
    g.add((s, SCHEMA.knows, BNode("k")))
    g.add((s, SCHEMA.url, URIRef("https://schema.org/x")))
    assert _entries(export_texts(ds)["graph.jsonld"])[str(G1)] == {
        "@id": str(G1),
        "@graph": [{
            "@id": str(s),
            "@type": "schema:Person",
            "schema:alternateName": [{"@language": "en", "@value": "Ex"},
                                     {"@language": "pl", "@value": "Iks"}],
            "schema:birthDate": {"@type": "xsd:gYear", "@value": "1970"},
            "schema:isFamilyFriendly": False,
            "schema:knows": {"@id": "_:k"},
            "schema:name": "X",
            "schema:position": 3,
            "schema:sameAs": {"@id": f"{EX}x"},
            "schema:url": {"@id": "schema:x"},
        }],
    }


def test_trig_writes_each_literal_on_one_line_and_only_the_prefixes_it_uses() -> None:
    """A multi-line literal is escaped as N-Triples escapes it: a line of the literal reading
    ``}`` cannot end the graph's block, and no line of a block starts a new statement."""
    ds = _awkward_dataset()
    trig = export_texts(ds)["graph.trig"]
    lines = trig.split("\n")
    assert [line for line in lines if line.startswith("}")] == ["}"] * 3
    assert 'first line\\n}\\n<urn:x:g> {\\n\\"quoted\\" \\\\ back\\r\\nlast line\u2028after' in trig
    assert f'"{LONG}"' in trig
    header = [line for line in lines if line.startswith("@prefix")]
    assert header == sorted(header)
    assert {line.split()[1] for line in header} == {"rdfs:", "schema:", "xsd:"}
    assert lines[len(header)] == ""  # then the blocks, each graph opened on a line of its own
    assert lines[len(header) + 1] == f"<{G1}> {{"


def test_trig_block_per_subject() -> None:
    ds = Dataset()
    g = ds.graph(G1)
    s = entity_iri("x")
    g.add((s, RDF.type, SCHEMA.Person))
    g.add((s, SCHEMA.name, Literal("X", lang="en")))
    g.add((s, SCHEMA.sameAs, URIRef("schema:name")))
    g.add((URIRef(f"{EX}y"), SCHEMA.birthDate, Literal("1970", datatype=XSD.gYear)))
    assert export_texts(ds)["graph.trig"] == (
        "@prefix schema: <https://schema.org/> .\n"
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
        "\n"
        f"<{G1}> {{\n"
        f"<{EX}y>\n"
        '    schema:birthDate "1970"^^xsd:gYear .\n'
        "\n"
        f"<{s}>\n"
        "    a schema:Person ;\n"
        "    schema:name \"X\"@en ;\n"
        "    schema:sameAs <schema:name> .\n"
        "}\n"
    )


def _shuffled_copy(ds: Dataset, seed: int) -> Dataset:
    quads: list[tuple[Node, Node, Node, Node]] = [
        (s, p, o, getattr(c, "identifier", c)) for s, p, o, c in ds.quads((None, None, None, None))]
    random.Random(seed).shuffle(quads)
    copy = Dataset()
    for s, p, o, c in quads:
        copy.graph(c).add((s, p, o))  # type: ignore[arg-type]
    return copy


def test_the_texts_do_not_depend_on_the_order_triples_were_added() -> None:
    ds = _awkward_dataset()
    texts = export_texts(ds)
    assert export_texts(_shuffled_copy(ds, 1)) == texts
    assert compose(reversed(export_parts(_shuffled_copy(ds, 2)))) == texts


_LOCAL_NAME = st.from_regex(r"[A-Za-z_][A-Za-z0-9_\-]{0,6}|[0-9./-]{1,4}",
                           fullmatch=True)
_SCHEMES = ["schema:", "cg:", "id:", "xsd:", "urn:x:", EX, str(SCHEMA), f"{PREFIXES['id']}entity/"]
_iri = st.builds(lambda scheme, local: URIRef(f"{scheme}{local}"),
                 st.sampled_from([*_SCHEMES, str(XSD)]), _LOCAL_NAME)
_datatype = st.builds(lambda scheme, local: URIRef(f"{scheme}{local}"),  # none of XSD's
                      st.sampled_from(_SCHEMES), _LOCAL_NAME)
# Typed literals whose lexical form is valid (rdflib warns of the others when it reads them),
# canonical or not.
_literal = st.one_of(
    st.builds(Literal, st.text(max_size=20)),
    st.builds(lambda t, lang: Literal(t, lang=lang), st.text(max_size=10),
              st.sampled_from(["en", "en-GB", "de-CH-1996", "zh-Hant-TW", "x-private"])),
    st.builds(lambda t: Literal(t, datatype=XSD.integer, normalize=False),
              st.from_regex(r"[-+]?[0-9]{1,25}", fullmatch=True)),
    st.builds(lambda t: Literal(t, datatype=XSD.boolean, normalize=False),
              st.sampled_from(["true", "false", "1", "0"])),
    st.builds(lambda t, dt: Literal(t, datatype=dt), st.text(max_size=8), _datatype),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(_iri, _iri, st.one_of(_iri, _literal), st.sampled_from([G1, G2])),
                min_size=1, max_size=12))
def test_trig_and_jsonld_read_back_whatever_the_terms(
    quads: list[tuple[URIRef, URIRef, Node, URIRef]]
) -> None:
    ds = Dataset()
    for s, p, o, g in quads:
        ds.graph(g).add((s, p, o))
    texts = export_texts(ds)
    check_reads_back(ds, {name: texts[name] for name in ("graph.trig", "graph.jsonld")})
    _assert_rdflib_reads(ds, texts["graph.jsonld"], "json-ld")


@pytest.mark.parametrize("blank", [True, False])
def test_check_reads_back_finds_a_changed_literal_with_or_without_blank_nodes(blank: bool) -> None:
    """Quads are compared as they are, or as canonical lines when the dataset holds a blank
    node: either way a changed literal is caught and named."""
    ds = _awkward_dataset()
    if not blank:
        for s, p, o, c in list(ds.quads((None, None, None, None))):
            if isinstance(s, BNode) or isinstance(o, BNode):
                ds.graph(getattr(c, "identifier", c)).remove((s, p, o))  # type: ignore[arg-type]
    texts = export_texts(ds)
    check_reads_back(ds, texts)
    for name in ("graph.trig", "graph.jsonld", "graph.nq"):
        changed = texts[name].replace("blank" if blank else "colour", "changed", 1)
        assert changed != texts[name]
        with pytest.raises(ClaimgraphError, match=rf"{name} would not read back .*\(2 quad"):
            check_reads_back(ds, {name: changed})



def test_a_part_is_checked_against_its_own_graphs_only() -> None:
    """A part's read-back check visits the graphs it names, adds none to the dataset (a graph
    named but absent reads as empty), and still finds a quad of another graph slipped in."""
    ds = _awkward_dataset()
    names = sorted({getattr(c, "identifier", c) for _s, _p, _o, c in ds.quads()}, key=str)
    assert len(names) >= 2
    before = {g.identifier for g in ds.graphs()}
    mine = [names[0], URIRef("https://example.org/graph/absent")]
    check_reads_back(ds, {"graph.nq": _nquads_of(ds, names[0])}, mine)
    assert {g.identifier for g in ds.graphs()} == before
    whole = export_texts(ds)["graph.nq"]  # every graph: more than the part names
    with pytest.raises(ClaimgraphError, match=r"graph\.nq would not read back"):
        check_reads_back(ds, {"graph.nq": whole}, mine)


def _nquads_of(ds: Dataset, name: Node) -> str:
    from graph.sparql.binding import sparql_term

    return "".join(f"{sparql_term(s)} {sparql_term(p)} {sparql_term(o)} {sparql_term(name)} .\n"
                   for s, p, o in ds.graph(name))  # type: ignore[arg-type]
