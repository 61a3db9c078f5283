"""The affiliations of a dataset as plain records, for :mod:`graph.analysis.groups`.

Two kinds, told apart by ``origin``:

* ``"text"`` — a ``cg:AffiliationClaim``: the article states it, a claimant asserts it, and the
  affiliation triple lives in the claim's own graph (or, in a flat export, reified behind
  ``cg:contentStatement``); ``asserted_by`` names its claimants;
* ``"analyst"`` — a ``cg:Affiliation`` in an analyst graph, described by ``rdf:subject``,
  ``rdf:predicate`` and ``rdf:object``, with the analyst's note; ``asserted_by`` is
  ``["the analyst"]``.

Each record: ``iri``, ``id``, ``document``, ``subject``, ``subject_label``, ``relation`` (the
annotation-format word), ``relation_label``, ``object``, ``object_label``, ``origin``,
``asserted_by``, ``claimants``, ``draft`` and ``note``. Reading is by triple patterns, linear in
the dataset, like :mod:`graph.rdf.projection`.
"""

from __future__ import annotations

from typing import Any, Final

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.term import Node

from graph.rdf.vocab import AFFILIATION_RELATIONS, CG, DCTERMS, PROV, RDF, RDFS, SCHEMA, SKOS

__all__ = ["ANALYST", "read_affiliations"]

ANALYST: Final = "the analyst"  # who asserts an affiliation the analyst recorded

_WORDS: Final = {iri: word for word, iri in AFFILIATION_RELATIONS.items()}


def _value(ds: Dataset, subject: Node, predicate: URIRef) -> Node | None:
    for _s, _p, o, _g in ds.quads((subject, predicate, None, None)):
        return o
    return None


def _label(ds: Dataset, node: Node) -> str:
    found = _value(ds, node, RDFS.label)
    return str(found) if isinstance(found, Literal) else str(node)


def _stated_triples(ds: Dataset, claim: Node) -> list[tuple[Node, URIRef, Node]]:
    """The affiliation triples of a claim: from its own graph, or reified in a flat file."""
    found: list[tuple[Node, URIRef, Node]] = []
    for _s, _p, graph_iri, _g in ds.quads((claim, CG.assertionGraph, None, None)):
        if not isinstance(graph_iri, URIRef):
            continue
        content = Graph(store=ds.store, identifier=graph_iri)  # a view: adds no graph to ds
        for s, p, o, _ctx in ds.quads((None, None, None, content)):
            if isinstance(p, URIRef) and p in _WORDS:
                found.append((s, p, o))
    for _s, _p, statement, _g in ds.quads((claim, CG.contentStatement, None, None)):
        subject, predicate, obj = (
            _value(ds, statement, t) for t in (RDF.subject, RDF.predicate, RDF.object))
        if subject is not None and isinstance(predicate, URIRef) and predicate in _WORDS \
                and obj is not None:
            found.append((subject, predicate, obj))
    return sorted(set(found), key=lambda t: tuple(str(x) for x in t))


def _record(
    ds: Dataset, node: Node, triple: tuple[Node, URIRef, Node], origin: str
) -> dict[str, Any]:
    s, p, o = triple
    word = _WORDS[p]
    claimants = sorted(
        str(a) for _s, _p, a, _g in ds.quads((node, PROV.wasAttributedTo, None, None))
    )
    note = _value(ds, node, SKOS.editorialNote)
    return {
        "iri": str(node),
        "id": str(_value(ds, node, DCTERMS.identifier) or node),
        "document": str(_value(ds, node, SCHEMA.appearance) or ""),
        "subject": str(s),
        "subject_label": _label(ds, s),
        "relation": word,
        "relation_label": word.replace("-", " "),
        "object": str(o),
        "object_label": _label(ds, o),
        "origin": origin,
        "asserted_by": (
            [_label(ds, URIRef(a)) for a in claimants] if origin == "text" else [ANALYST]
        ),
        "claimants": claimants,
        "draft": any(True for _q in ds.quads((node, RDF.type, CG.DraftClaim, None))),
        "note": str(note) if note is not None else "",
    }


def read_affiliations(ds: Dataset) -> list[dict[str, Any]]:
    """Every affiliation the dataset holds, stated or the analyst's (see the module docstring),
    sorted by document, then id.

    >>> import graph
    >>> read_affiliations(graph.build_dataset(graph.load_corpus([graph.bundled_corpus_dir()])))
    []
    """
    records: list[dict[str, Any]] = []
    stated = {s for s, _p, _o, _g in ds.quads((None, RDF.type, CG.AffiliationClaim, None))}
    for claim in stated:
        records += [_record(ds, claim, t, "text") for t in _stated_triples(ds, claim)]
    added = {s for s, _p, _o, _g in ds.quads((None, RDF.type, CG.Affiliation, None))}
    for node in added:
        s, p, o = (_value(ds, node, t) for t in (RDF.subject, RDF.predicate, RDF.object))
        if s is not None and isinstance(p, URIRef) and p in _WORDS and o is not None:
            records.append(_record(ds, node, (s, p, o), "analyst"))
    return sorted(records, key=lambda r: (r["document"], r["id"], r["iri"], r["subject"]))
