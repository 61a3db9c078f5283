"""Generate docs/ontology.md, the human-readable reference of the claimgraph ontology and shapes.

Usage::

    python scripts/make_reference.py           # (re)write docs/ontology.md
    python scripts/make_reference.py --check   # exit 1 if docs/ontology.md is out of date

The reference is a pure function of ontology/claimgraph.ttl and ontology/shapes.ttl
(``render_reference``); output is sorted and deterministic, so ``--check`` can run in CI.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SH, SKOS
from rdflib.term import Node

ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY_FILE = ROOT / "ontology" / "claimgraph.ttl"
SHAPES_FILE = ROOT / "ontology" / "shapes.ttl"
OUTPUT_FILE = ROOT / "docs" / "ontology.md"

ONTOLOGY_IRI = URIRef("https://w3id.org/claimgraph/ontology")
CG = Namespace("https://w3id.org/claimgraph/ontology#")

PREFIXES: dict[str, str] = {
    "cg": str(CG),
    "cgsh": "https://w3id.org/claimgraph/shapes#",
    "dcterms": "http://purl.org/dc/terms/",
    "oa": "http://www.w3.org/ns/oa#",
    "owl": str(OWL),
    "prov": "http://www.w3.org/ns/prov#",
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "schema": "https://schema.org/",
    "sh": str(SH),
    "skos": str(SKOS),
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}

_CHARACTERISTICS: dict[URIRef, str] = {
    OWL.FunctionalProperty: "functional",
    OWL.SymmetricProperty: "symmetric",
    OWL.TransitiveProperty: "transitive",
    OWL.InverseFunctionalProperty: "inverse functional",
}

# Where a claim's content lives in each export and store: a choice of the exports, not of the
# ontology files, so it is written here (and kept in step by tests/test_ontology.py).
CLAIM_CONTENT_SECTION: tuple[str, ...] = (
    "## Where a claim's content lives",
    "",
    "A claim's content triples (for example `id:entity/ccp cg:persecutes …`) are asserted only "
    "inside that claim's own named graph, `id:graph/{doc}/claim/{claim}`, typed "
    "`cg:AssertionGraph` and linked from the claim by `cg:assertionGraph`. Nothing outside it "
    "asserts them:",
    "",
    "- `graph.trig`, `graph.nq` and `graph.jsonld` keep every named graph as it is.",
    "- `graph.ttl` and `graph.nt` (formats without named graphs) hold every graph but the claim "
    "graphs, and carry each content triple as W3C RDF 1.1 reification: an `rdf:Statement` with "
    "`rdf:subject`, `rdf:predicate` and `rdf:object`, linked from its claim by "
    "`cg:contentStatement`. A statement describes the triple without asserting it, and every RDF "
    "tool reads it (RDF 1.2 triple terms are not yet read by rdflib 7 or rapper). Its IRI is the "
    "claim graph's IRI followed by `/statement/` and a hash of the triple, so it is the same in "
    "every build.",
    "- A store's default graph is the union of every graph but the claim graphs; a claim's "
    "content is reached with `GRAPH ?g`.",
    "- `claimgraph validate` refuses a file that asserts a content triple anywhere else.",
    "",
    "```sparql",
    "# from a flat file: what claim c37 asserts, and who claims it",
    "?claim cg:contentStatement ?st ; prov:wasAttributedTo ?who .",
    "?st rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o .",
    "```",
    "",
)

# Why affiliations are built as they are: a choice of the build, written here like the above.
AFFILIATIONS_SECTION: tuple[str, ...] = (
    "## Affiliations: who speaks for whom",
    "",
    "An annotation file's `affiliations:` record that one entity speaks for, works for, is a "
    "member or part of, is owned or funded by, or republishes another. The path analysis "
    "counts sources joined by affiliations as one independence group. The words and the terms "
    "they are built as:",
    "",
    "| word | predicate | why this term |",
    "|---|---|---|",
    "| `spokesperson-for` | `cg:spokespersonFor` | schema.org and W3C ORG have no term for "
    "speaking on another's behalf |",
    "| `employee-of` | `schema:worksFor` | schema.org's own |",
    "| `member-of` | `schema:memberOf` | schema.org's own; W3C ORG's `org:memberOf` says the "
    "same, and schema.org is what the rest of the graph uses |",
    "| `part-of` | `schema:parentOrganization` | schema.org's (W3C ORG: "
    "`org:subOrganizationOf`) |",
    "| `owned-by` | `cg:ownedBy` | `schema:owns` runs the other way and is about products |",
    "| `funded-by` | `schema:funder` | schema.org's own |",
    "| `republishes` | `cg:republishes` | a reprint agreement; text reuse found by comparing "
    "texts is `cg:copiedFrom` |",
    "",
    "Where an affiliation comes from decides where it lives:",
    "",
    "- **stated in the text**: the affiliation is a claim (`cg:AffiliationClaim`, a "
    "`schema:Claim`), anchored and attributed like any other; the affiliation triple is its "
    "content and lives only in its claim graph (reified in flat exports). A query over the "
    "default graph never meets it as a fact; the analysis names who claims it.",
    "- **added by the analyst**: a `cg:Affiliation` in the document's analyst graph, with its "
    "note (`skos:editorialNote`, required). It is described by `rdf:subject`, `rdf:predicate` "
    "and `rdf:object` rather than asserted, so the analyst's judgement and the article's words "
    "never share a triple, and the contract that claim content lives only in claim graphs "
    "holds for the affiliation predicates too.",
    "",
    "Both kinds link to the two entities they name with `cg:affiliationParty`; following it "
    "from entity to entity gives the groups (the library query `affiliations`).",
    "",
)

# Shape predicates rendered in their own column, not as constraints.
_SHAPE_META: frozenset[URIRef] = frozenset({SH.path, SH.message, RDF.type, RDFS.label})


def load_sources(ontology: Path = ONTOLOGY_FILE, shapes: Path = SHAPES_FILE) -> Graph:
    """Parse the ontology and the shapes into one graph (their namespaces do not overlap)."""
    graph = Graph()
    graph.parse(ontology, format="turtle")
    graph.parse(shapes, format="turtle")
    return graph


def curie(node: Node) -> str:
    """``cg:Group`` for a term of a known namespace, ``<iri>`` otherwise."""
    text = str(node)
    for prefix, namespace in sorted(PREFIXES.items(), key=lambda item: -len(item[1])):
        if text.startswith(namespace) and len(text) > len(namespace):
            return f"{prefix}:{text[len(namespace) :]}"
    return f"<{text}>"


def _cell(text: str) -> str:
    """Text safe inside a markdown table cell."""
    return " ".join(text.split()).replace("|", "\\|")


def _one(graph: Graph, subject: Node, predicate: URIRef) -> str:
    values = sorted(str(value) for value in graph.objects(subject, predicate))
    return " / ".join(" ".join(value.split()) for value in values)


def _is_list(graph: Graph, node: Node) -> bool:
    return node == RDF.nil or (graph.value(node, RDF.first) is not None)


def render_node(graph: Graph, node: Node) -> str:
    """A compact, deterministic rendering of an IRI, literal, RDF list or blank node."""
    if isinstance(node, Literal):
        datatype = node.datatype
        if datatype is None:
            return f'"{node}"'
        if datatype.endswith(("#integer", "#decimal", "#boolean")):
            return str(node)
        return f'"{node}"^^{curie(datatype)}'
    if isinstance(node, BNode):
        if _is_list(graph, node):
            items = [render_node(graph, item) for item in Collection(graph, node)]
            return "(" + " ".join(items) + ")"
        inverse = graph.value(node, SH.inversePath)
        if inverse is not None:
            return "^" + render_node(graph, inverse)
        union = graph.value(node, OWL.unionOf)
        if union is not None:
            return " or ".join(render_node(graph, item) for item in Collection(graph, union))
        parts = sorted(
            f"{curie(predicate)} {render_node(graph, value)}"
            for predicate, value in graph.predicate_objects(node)
            if predicate != SH.message
        )
        return "[ " + " ; ".join(parts) + " ]"
    return curie(node)


def render_path(graph: Graph, path: Node | None) -> str:
    """A SHACL property path in SPARQL-like syntax: ``a/b``, ``^p``."""
    if path is None:
        return "(no path)"
    if isinstance(path, BNode) and _is_list(graph, path):
        return "/".join(render_path(graph, step) for step in Collection(graph, path))
    return render_node(graph, path)


def _terms_of(graph: Graph, rdf_type: URIRef) -> list[URIRef]:
    return sorted(
        (s for s in set(graph.subjects(RDF.type, rdf_type)) if isinstance(s, URIRef)),
        key=curie,
    )


def _common_lines(graph: Graph, term: URIRef) -> list[str]:
    lines = [f"### `{curie(term)}`", "", f"- IRI: <{term}>"]
    lines.append(f"- Label: {_one(graph, term, RDFS.label)}")
    lines.append(f"- Definition: {_one(graph, term, SKOS.definition)}")
    return lines


def _nodes(graph: Graph, nodes: Iterable[Node]) -> str:
    rendered = sorted(render_node(graph, node) for node in nodes)
    return ", ".join(f"`{item}`" for item in rendered) if rendered else "—"


def _render_classes(graph: Graph) -> list[str]:
    classes = _terms_of(graph, OWL.Class)
    lines = [f"## Classes ({len(classes)})", ""]
    for term in classes:
        lines += _common_lines(graph, term)
        lines.append(f"- Subclass of: {_nodes(graph, graph.objects(term, RDFS.subClassOf))}")
        subclasses = [s for s in graph.subjects(RDFS.subClassOf, term)]
        if subclasses:
            lines.append(f"- Subclasses: {_nodes(graph, subclasses)}")
        lines.append("")
    return lines


def _render_properties(graph: Graph, rdf_type: URIRef, title: str) -> list[str]:
    properties = _terms_of(graph, rdf_type)
    lines = [f"## {title} ({len(properties)})", ""]
    for term in properties:
        lines += _common_lines(graph, term)
        lines.append(f"- Domain: {_nodes(graph, graph.objects(term, RDFS.domain))}")
        lines.append(f"- Range: {_nodes(graph, graph.objects(term, RDFS.range))}")
        lines.append(f"- Sub-property of: {_nodes(graph, graph.objects(term, RDFS.subPropertyOf))}")
        traits = sorted(
            name for kind, name in _CHARACTERISTICS.items() if (term, RDF.type, kind) in graph
        )
        if traits:
            lines.append(f"- Characteristics: {', '.join(traits)}")
        lines.append("")
    return lines


def _render_schemes(graph: Graph) -> list[str]:
    schemes = _terms_of(graph, SKOS.ConceptScheme)
    lines = [f"## Concept schemes ({len(schemes)})", ""]
    for scheme in schemes:
        lines += _common_lines(graph, scheme)
        concepts = sorted(
            (c for c in set(graph.subjects(SKOS.inScheme, scheme)) if isinstance(c, URIRef)),
            key=curie,
        )
        lines += [
            "",
            "| notation (annotation file) | concept | preferred label | definition |",
            "|---|---|---|---|",
        ]
        for concept in concepts:
            lines.append(
                f"| `{_cell(_one(graph, concept, SKOS.notation))}` | `{curie(concept)}` "
                f"| {_cell(_one(graph, concept, SKOS.prefLabel))} "
                f"| {_cell(_one(graph, concept, SKOS.definition))} |"
            )
        lines.append("")
    return lines


def _render_concepts(graph: Graph) -> list[str]:
    concepts = _terms_of(graph, SKOS.Concept)
    lines = [f"## Concepts ({len(concepts)})", ""]
    for term in concepts:
        lines += _common_lines(graph, term)
        lines.append(f"- Notation: `{_one(graph, term, SKOS.notation)}`")
        lines.append(f"- Preferred label: {_one(graph, term, SKOS.prefLabel)}")
        lines.append(f"- In scheme: {_nodes(graph, graph.objects(term, SKOS.inScheme))}")
        types = [t for t in graph.objects(term, RDF.type) if t != SKOS.Concept]
        lines.append(f"- Instance of: {_nodes(graph, types)}")
        lines.append("")
    return lines


def _constraints(graph: Graph, shape: Node) -> str:
    parts = sorted(
        f"{curie(predicate).removeprefix('sh:')} {render_node(graph, value)}"
        for predicate, value in graph.predicate_objects(shape)
        if predicate not in _SHAPE_META
        and predicate != SH.property
        and not str(predicate).startswith(str(SH.target))
    )
    return "; ".join(parts)


def _render_shapes(graph: Graph) -> list[str]:
    shapes = _terms_of(graph, SH.NodeShape)
    lines = [
        f"## SHACL shapes ({len(shapes)})",
        "",
        'Run with pyshacl, `inference="none"`, over the union of all named graphs. '
        "Each message tells the analyst what to fix in the annotation file.",
        "",
    ]
    target_kinds = (SH.targetClass, SH.targetNode, SH.targetObjectsOf, SH.targetSubjectsOf)
    for shape in shapes:
        lines += [f"### `{curie(shape)}`", ""]
        lines.append(f"- Label: {_one(graph, shape, RDFS.label)}")
        for kind in target_kinds:
            targets = list(graph.objects(shape, kind))
            if targets:
                lines.append(f"- {curie(kind).removeprefix('sh:')}: {_nodes(graph, targets)}")
        node_constraints = _constraints(graph, shape)
        if node_constraints:
            lines.append(f"- Node constraints: `{node_constraints}`")
        lines.append(f"- Message: {_one(graph, shape, SH.message)}")
        rows = sorted(
            (
                render_path(graph, graph.value(prop, SH.path)),
                _constraints(graph, prop),
                _one(graph, prop, SH.message),
            )
            for prop in graph.objects(shape, SH.property)
        )
        if rows:
            lines += ["", "| path | constraints | message |", "|---|---|---|"]
            lines += [f"| `{_cell(p)}` | `{_cell(c)}` | {_cell(m)} |" for p, c, m in rows]
        lines.append("")
    return lines


def render_reference(graph: Graph) -> str:
    """The markdown reference of every term and shape in ``graph`` (ontology + shapes)."""
    lines = [
        "# claimgraph ontology reference",
        "",
        "<!-- Generated by scripts/make_reference.py from ontology/claimgraph.ttl and "
        "ontology/shapes.ttl. Do not edit by hand: run `python scripts/make_reference.py`. -->",
        "",
        f"- Ontology IRI: <{ONTOLOGY_IRI}>",
        f"- Version: {_one(graph, ONTOLOGY_IRI, OWL.versionInfo)}",
        f"- Namespace: <{CG}> (prefix `cg:`)",
        "",
        _one(graph, ONTOLOGY_IRI, RDFS.comment),
        "",
        "Definitions are given in `skos:definition`; every term also has an `rdfs:label`.",
        "",
        *CLAIM_CONTENT_SECTION,
        *AFFILIATIONS_SECTION,
        "## Prefixes",
        "",
        "| prefix | namespace |",
        "|---|---|",
    ]
    lines += [f"| `{prefix}:` | <{ns}> |" for prefix, ns in sorted(PREFIXES.items())]
    lines.append("")
    lines += _render_classes(graph)
    lines += _render_properties(graph, OWL.ObjectProperty, "Object properties")
    lines += _render_properties(graph, OWL.DatatypeProperty, "Datatype properties")
    lines += _render_schemes(graph)
    lines += _render_concepts(graph)
    lines += _render_shapes(graph)
    while lines and lines[-1] == "":
        lines.pop()
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--check", action="store_true", help="exit 1 if the reference is out of date"
    )
    parser.add_argument("--output", type=Path, default=OUTPUT_FILE, help="the markdown file")
    args = parser.parse_args(argv)
    output: Path = args.output
    text = render_reference(load_sources())
    current = output.read_text(encoding="utf-8") if output.exists() else None
    if args.check:
        if current != text:
            print(f"{output} is out of date: run python scripts/make_reference.py", file=sys.stderr)
            return 1
        print(f"{output} is up to date")
        return 0
    if current != text:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8")
        print(f"wrote {output}")
    else:
        print(f"{output} unchanged")
    return 0


if __name__ == "__main__":
    sys.exit(main())
