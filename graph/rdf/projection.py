"""RDF dataset → networkx graphs: the claim dependency graph and the entity graph.

Long because this docstring is the one description of every node and edge attribute the analyses
and views read.

The dependency graph
--------------------
A ``networkx.DiGraph`` whose edges go from a claim to what it rests on. Node ids are IRI strings
(one exception: a split relaying document, below).

Nodes carry ``type`` (``"claim"``, ``"document"`` or ``"agent"``) and ``label``; claims also
``text``, ``claim_id``, ``document`` (the IRI of the document the claim appears in), ``mode`` and
``source_kind`` (kebab keys of :data:`graph.rdf.vocab.MODES` /
:data:`graph.rdf.vocab.SOURCE_KINDS`), ``claimants`` (list of agent IRIs), ``claimant_labels``
and ``draft`` (True for a ``cg:DraftClaim``: an extractor's reading that no analyst has
reviewed); agents ``entity_type`` (``person``, ``organization``, ``group``, …) and ``vague``;
documents ``has_text``, ``iri`` (the document's IRI), ``publisher`` and ``publisher_label`` (the
outlet that published it, ``""`` when not recorded), ``date_published``, ``url``, ``speakers``
and ``speaker_labels`` (who says, in it, what the claims relayed through it say).

Edges carry ``relation`` and a human ``label``:

* claim → upstream claim (``relayed_from``) when the claim is relayed from one claim of another
  document. The chain continues with the upstream claim's own edges; the upstream claim's
  document is *not* added as a parallel hop (``prov:wasDerivedFrom`` names both, and counting
  both would count one source twice);
* claim → claim it copies (``relayed_from``, label ``copied from``, ``copied=True``) for
  ``cg:copiedFrom`` between claims: text reuse found by comparing texts (:mod:`graph.story`), not
  stated by the text. The copy rests on the claim it reuses, like a relay, so an original copied
  by twenty outlets counts once among the roots;
* claim → document (``relayed_from``) when only a document-level derivation exists, typically a
  cited document whose text is not in the corpus;
* claim → document (``relayed_from``, label ``comes from``) for the document a claim comes from
  (``prov:hadPrimarySource``: "according to a leaked estimate"). That document is the root of the
  claim's chain: nobody is said to have spoken in it, so it gets no ``said_by`` edge for the claim;
* document → speaker (``said_by``): the claimants of the claims relayed through a document are
  who said it there (the mayor in another outlet's interview), so the chain goes on through the
  relaying document to the person who said it. A chain stays per claim: a document relayed by
  claims of different speakers is split into one node per set of speakers, with id
  ``{document IRI}#said-by-{speaker ids}`` (``iri`` keeps the document's IRI), so a claim never
  reaches a speaker of another claim through a shared document;
* claim → claimant (``attributed_to``) only for a claim that is not relayed: it originates with
  its claimant in this document. An author-voice claim thus rests on the publisher;
* claim → claim (``inferred_from``) for ``cg:inferredFrom``;
* claim → supporting claim (``supported_by``) for ``cg:supports`` (the supporter's edge, reversed):
  a claim rests also on what supports it, so a supporter with a root of its own is independent
  corroboration.

Contradictions and denials are not support: they are kept as lists of IRI tuples in
``G.graph["contradictions"]`` (claim, other, ``"denies"`` or ``"contradicts"``); supports also in
``G.graph["supports"]`` (supporter, supported), and ``G.graph["part_of"]`` (claim, whole).
Affiliations (who speaks for, or depends on, whom; stated by a claim or added by the analyst)
are in ``G.graph["affiliations"]``, records of :func:`graph.rdf.affiliations.read_affiliations`.
Documents that claims appear in or are relayed through are described in ``G.graph["documents"]``
(document IRI → ``{"label", "has_text", "publisher", "publisher_label", "date_published",
"url"}``).

Both projections read the dataset with plain triple-pattern lookups (``Dataset.quads``), one pass
per predicate, so they stay linear in the size of the dataset; no SPARQL joins.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Collection, Iterator, Mapping
from typing import Any, Final

import networkx as nx
from rdflib import Dataset, Literal, URIRef
from rdflib.term import Node

from graph.rdf.affiliations import read_affiliations
from graph.rdf.vocab import (
    CG,
    DCTERMS,
    ENTITY_TYPES,
    MODES,
    PROV,
    RDF,
    RDFS,
    SCHEMA,
    SOURCE_KINDS,
)
from graph.support.gc_pause import without_gc

__all__ = [
    "ATTRIBUTED_TO",
    "EDGE_LABELS",
    "INFERRED_FROM",
    "RELAYED_FROM",
    "SAID_BY",
    "SUPPORTED_BY",
    "dependency_graph",
    "entity_graph",
]

RELAYED_FROM: Final = "relayed_from"
ATTRIBUTED_TO: Final = "attributed_to"
INFERRED_FROM: Final = "inferred_from"
SAID_BY: Final = "said_by"
SUPPORTED_BY: Final = "supported_by"

EDGE_LABELS: Final[dict[str, str]] = {
    RELAYED_FROM: "relayed from",
    ATTRIBUTED_TO: "attributed to",
    INFERRED_FROM: "inferred from",
    SAID_BY: "said by",
    SUPPORTED_BY: "supported by",
}

_KIND_KEYS: Final = {iri: key for key, iri in SOURCE_KINDS.items()}
_MODE_KEYS: Final = {iri: key for key, iri in MODES.items()}
# The first class of each entity type tells the type apart (PROV.Agent is shared).
_ENTITY_TYPE_KEYS: Final = {classes[0]: key for key, classes in ENTITY_TYPES.items()}


def _objects(ds: Dataset, predicate: URIRef) -> Iterator[tuple[Node, Node]]:
    """(subject, object) of every quad with ``predicate``, in any graph."""
    for s, _p, o, _g in ds.quads((None, predicate, None, None)):
        yield s, o


def _first_literals(ds: Dataset, predicate: URIRef, wanted: Collection[str]) -> dict[str, str]:
    """``predicate`` literal of each wanted subject; an English or untagged literal wins."""
    found: dict[str, str] = {}
    for s, o in _objects(ds, predicate):
        key = str(s)
        if key not in wanted or not isinstance(o, Literal):
            continue
        if key not in found or o.language in (None, "en"):
            found[key] = str(o)
    return found


def _sourcing(
    ds: Dataset, claims: Collection[str]
) -> tuple[dict[str, str], dict[str, str], dict[str, set[str]]]:
    """Each claim's source kind and mode (kebab keys) and its claimants' IRIs."""
    kinds: dict[str, str] = {}
    modes: dict[str, str] = {}
    claimants: dict[str, set[str]] = defaultdict(set)
    for s, o in _objects(ds, CG.sourceKind):
        if str(s) in claims and o in _KIND_KEYS:
            kinds[str(s)] = _KIND_KEYS[o]  # type: ignore[index]
    for s, o in _objects(ds, CG.attributionMode):
        if str(s) in claims and o in _MODE_KEYS:
            modes[str(s)] = _MODE_KEYS[o]  # type: ignore[index]
    for s, o in _objects(ds, PROV.wasAttributedTo):
        if str(s) in claims:
            claimants[str(s)].add(str(o))
    return kinds, modes, claimants


@without_gc
def dependency_graph(ds: Dataset) -> nx.DiGraph:
    """Project a claimgraph dataset into the claim dependency graph (see the module docstring).

    Examples
    --------
    >>> import graph
    >>> from graph.rdf.projection import dependency_graph
    >>> ds = graph.build_dataset(graph.load_corpus([graph.bundled_corpus_dir()]))
    >>> G = dependency_graph(ds)
    >>> c02 = "https://w3id.org/claimgraph/id/claim/thebl-organ-harvesting/c02"
    >>> [(G.edges[c02, t]["relation"], G.nodes[t]["type"]) for t in G.successors(c02)]
    [('relayed_from', 'document'), ('supported_by', 'claim')]
    >>> interview = next(t for t in G.successors(c02) if G.nodes[t]["type"] == "document")
    >>> G.nodes[interview]["publisher_label"], G.nodes[interview]["speaker_labels"]
    ('Daily Mail Australia', ['Russell Strong'])
    """
    claims: set[str] = {str(s) for s, _p, _o, _g in ds.quads((None, RDF.type, SCHEMA.Claim, None))}
    G = nx.DiGraph()

    texts = _first_literals(ds, SCHEMA.text, claims)
    ids = _first_literals(ds, DCTERMS.identifier, claims)
    appears: dict[str, str] = {}
    kinds, modes, claimants = _sourcing(ds, claims)
    derived: dict[str, set[str]] = defaultdict(set)
    links: dict[URIRef, set[tuple[str, str]]] = defaultdict(set)

    for s, o in _objects(ds, SCHEMA.appearance):
        if str(s) in claims:
            appears.setdefault(str(s), str(o))
    for s, o in _objects(ds, PROV.wasDerivedFrom):
        if str(s) in claims and str(o) != str(s):
            derived[str(s)].add(str(o))
    copied: dict[str, set[str]] = defaultdict(set)
    for s, o in _objects(ds, CG.copiedFrom):
        if str(s) in claims and str(o) in claims and str(s) != str(o):
            copied[str(s)].add(str(o))
    for predicate in (CG.inferredFrom, CG.supports, CG.contradicts, CG.denies, CG.partOf):
        for s, o in _objects(ds, predicate):
            if str(s) in claims and str(o) in claims and str(s) != str(o):
                links[predicate].add((str(s), str(o)))

    relayed_documents: dict[str, set[str]] = {}
    for claim in claims:
        covered = {appears.get(u) for u in derived[claim] if u in claims}
        relayed_documents[claim] = {
            d for d in derived[claim] if d not in claims and d not in covered
        }
    documents = {d for values in relayed_documents.values() for d in values}
    # One node per (document, speakers): a document whose relayed claims all have the same
    # speakers (the usual case) keeps its IRI as node id.
    speaker_sets: dict[str, set[tuple[str, ...]]] = defaultdict(set)
    primary = _primary_sources(ds, claims)
    for claim, docs in relayed_documents.items():
        for d in docs:
            speaker_sets[d].add(_speakers(claim, d, claimants, primary))
    # Agents are nodes when a chain ends at them: the claimant of a claim that is not relayed,
    # or a speaker in a relaying document. Other claimants stay in ``claimants`` only.
    agents = {
        a for claim, values in claimants.items() if not derived[claim] | copied[claim]
        for a in values
    }
    agents |= {a for sets in speaker_sets.values() for speakers in sets for a in speakers}
    claim_documents = set(appears.values())
    described = agents | documents | claim_documents

    every_claimant = {a for values in claimants.values() for a in values}
    all_documents = documents | claim_documents
    publishers = {
        str(s): str(o) for s, o in _objects(ds, SCHEMA.publisher) if str(s) in all_documents
    }
    labels = _first_literals(
        ds, RDFS.label, described | claims | every_claimant | set(publishers.values())
    )
    dates = _first_literals(ds, SCHEMA.datePublished, all_documents)
    urls = _first_literals(ds, SCHEMA.url, all_documents)
    with_text = {str(s) for s, _o in _objects(ds, SCHEMA.text) if str(s) in all_documents}
    vague = {
        str(s)
        for s, o in _objects(ds, CG.isVague)
        if str(s) in agents and isinstance(o, Literal) and o.toPython() is True
    }
    entity_types: dict[str, str] = {}
    for s, _p, o, _g in ds.quads((None, RDF.type, None, None)):
        if str(s) in agents and o in _ENTITY_TYPE_KEYS:
            entity_types[str(s)] = _ENTITY_TYPE_KEYS[o]  # type: ignore[index]

    def document_info(doc: str) -> dict[str, Any]:
        publisher = publishers.get(doc, "")
        return {
            "label": labels.get(doc, doc),
            "has_text": doc in with_text,
            "publisher": publisher,
            "publisher_label": labels.get(publisher, publisher),
            "date_published": dates.get(doc, ""),
            "url": urls.get(doc, ""),
        }

    def document_node(doc: str, speakers: tuple[str, ...]) -> str:
        if len(speaker_sets[doc]) == 1:
            return doc
        if not speakers:  # the document as a source in its own right
            return f"{doc}#source"
        return f"{doc}#said-by-" + "+".join(a.rstrip("/").rsplit("/", 1)[-1] for a in speakers)

    drafted = {str(s) for s, _p, _o, _g in ds.quads((None, RDF.type, CG.DraftClaim, None))}
    for claim in sorted(claims):
        G.add_node(
            claim,
            type="claim",
            draft=claim in drafted,
            label=labels.get(claim, ids.get(claim, claim)),
            text=texts.get(claim, ""),
            claim_id=ids.get(claim, ""),
            document=appears.get(claim, ""),
            mode=modes.get(claim, ""),
            source_kind=kinds.get(claim, ""),
            claimants=sorted(claimants[claim]),
            # A relayed claim's claimants may have no node of their own; their names travel here.
            claimant_labels=[labels.get(a, a) for a in sorted(claimants[claim])],
        )
    for agent in sorted(agents):
        G.add_node(
            agent,
            type="agent",
            label=labels.get(agent, agent),
            entity_type=entity_types.get(agent, "agent"),
            vague=agent in vague,
        )
    for doc in sorted(documents):
        for speakers in sorted(speaker_sets[doc]):
            node = document_node(doc, speakers)
            G.add_node(
                node,
                type="document",
                iri=doc,
                **document_info(doc),
                speakers=list(speakers),
                speaker_labels=[labels.get(a, a) for a in speakers],
            )
            for agent in speakers:
                G.add_edge(node, agent, relation=SAID_BY, label=EDGE_LABELS[SAID_BY])

    for claim in sorted(claims):
        upstream = sorted(d for d in derived[claim] if d in claims)
        targets = upstream + [
            document_node(d, _speakers(claim, d, claimants, primary))
            for d in sorted(relayed_documents[claim])
        ]
        for target in targets:
            G.add_edge(claim, target, relation=RELAYED_FROM, label=EDGE_LABELS[RELAYED_FROM])
        for d in sorted(relayed_documents[claim]):
            if (claim, d) in primary:  # the document is where the claim comes from, not a relay
                G.edges[claim, document_node(d, ())]["label"] = "comes from"
        for target in sorted(copied[claim] - set(upstream)):
            G.add_edge(claim, target, relation=RELAYED_FROM, label="copied from", copied=True)
        if not derived[claim] | copied[claim]:
            for agent in sorted(claimants[claim]):
                G.add_edge(claim, agent, relation=ATTRIBUTED_TO, label=EDGE_LABELS[ATTRIBUTED_TO])
    for claim, other in sorted(links[CG.inferredFrom]):
        G.add_edge(claim, other, relation=INFERRED_FROM, label=EDGE_LABELS[INFERRED_FROM])
    for supporter, supported in sorted(links[CG.supports]):
        if not G.has_edge(supported, supporter):
            G.add_edge(supported, supporter, relation=SUPPORTED_BY, label=EDGE_LABELS[SUPPORTED_BY])

    denials = links[CG.denies]
    G.graph["contradictions"] = sorted(
        [(a, b, "denies") for a, b in denials]
        + [(a, b, "contradicts") for a, b in links[CG.contradicts] if (a, b) not in denials]
    )
    G.graph["supports"] = sorted(links[CG.supports])
    G.graph["part_of"] = sorted(links[CG.partOf])
    G.graph["documents"] = {d: document_info(d) for d in sorted(claim_documents | documents)}
    G.graph["affiliations"] = read_affiliations(ds)
    return G


def _primary_sources(ds: Dataset, claims: Collection[str]) -> set[tuple[str, str]]:
    """(claim, document) for each document a claim comes from (``prov:hadPrimarySource``)."""
    return {(str(s), str(o)) for s, o in _objects(ds, PROV.hadPrimarySource) if str(s) in claims}


def _speakers(
    claim: str, doc: str, claimants: Mapping[str, set[str]], primary: set[tuple[str, str]]
) -> tuple[str, ...]:
    """Who said, in ``doc``, what ``claim`` relays: its claimants, or no one when ``doc`` is the
    claim's own source (the document is then the root)."""
    return () if (claim, doc) in primary else tuple(sorted(claimants[claim]))


def _predicate_label(predicate: str, labels: Mapping[str, str]) -> str:
    if predicate in labels:
        return labels[predicate]
    local = re.split(r"[#/]", predicate)[-1]
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", local).lower()


def entity_graph(
    ds: Dataset,
    *,
    types: Collection[str] | None = None,
    corroboration: Mapping[str, int] | None = None,
) -> nx.DiGraph:
    """Project what the claims assert about entities into a DiGraph of entities.

    One edge per (subject, object) pair that at least one claim's assertion graph relates.
    Nodes carry ``label``, ``entity_type`` and ``vague``. Edges carry ``weight`` (the number of
    distinct claims asserting any relation between the pair) and ``relations``: a list of
    ``{"predicate", "predicate_label", "claims": [{"iri", "text", "claimants", "source_kind",
    "mode"}]}``; with ``corroboration`` (claim IRI → independent roots, from
    :func:`graph.analysis.corroboration`) each claim record also has ``corroboration``.
    ``types`` keeps only entities of those types (``person``, ``organization``, ``group``,
    ``place``, ``creative-work``, …); by default every entity.

    An edge means "some claim says so", never that the relation holds.

    Examples
    --------
    >>> import graph
    >>> from graph.rdf.projection import entity_graph
    >>> ds = graph.build_dataset(graph.load_corpus([graph.bundled_corpus_dir()]))
    >>> E = entity_graph(ds, types={"person", "award"})
    >>> strong = "https://w3id.org/claimgraph/id/entity/russell-strong"
    >>> sorted(E.nodes[t]["label"] for t in E.successors(strong))[:1]
    ['Companion of the Order of Australia']
    """
    graph_claim: dict[str, str] = {}
    for s, o in _objects(ds, CG.assertionGraph):
        graph_claim[str(o)] = str(s)
    claims = set(graph_claim.values())

    asserted: dict[tuple[str, str], dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for s, p, o, g in ds.quads((None, None, None, None)):
        claim = graph_claim.get(str(g))
        if claim is None or p == RDF.type or not isinstance(o, URIRef):
            continue
        asserted[(str(s), str(o))][str(p)].add(claim)
    entities = {e for pair in asserted for e in pair}
    predicates = {p for rels in asserted.values() for p in rels}

    texts = _first_literals(ds, SCHEMA.text, claims)
    labels = _first_literals(ds, RDFS.label, entities | predicates)
    kinds, modes, claimants = _sourcing(ds, claims)
    entity_types: dict[str, str] = {}
    for s, _p, o, _g in ds.quads((None, RDF.type, None, None)):
        if str(s) in entities and o in _ENTITY_TYPE_KEYS:
            entity_types[str(s)] = _ENTITY_TYPE_KEYS[o]  # type: ignore[index]
    vague = {
        str(s)
        for s, o in _objects(ds, CG.isVague)
        if str(s) in entities and isinstance(o, Literal) and o.toPython() is True
    }

    def keep(entity: str) -> bool:
        return types is None or entity_types.get(entity, "") in types

    def claim_record(claim: str) -> dict[str, Any]:
        record: dict[str, Any] = {
            "iri": claim,
            "text": texts.get(claim, ""),
            "claimants": sorted(claimants[claim]),
            "source_kind": kinds.get(claim, ""),
            "mode": modes.get(claim, ""),
        }
        if corroboration is not None and claim in corroboration:
            record["corroboration"] = corroboration[claim]
        return record

    E = nx.DiGraph()
    for entity in sorted(entities):
        if keep(entity):
            E.add_node(
                entity,
                label=labels.get(entity, entity),
                entity_type=entity_types.get(entity, ""),
                vague=entity in vague,
            )
    for (subject, obj), rels in sorted(asserted.items()):
        if not (keep(subject) and keep(obj)):
            continue
        relations = [
            {
                "predicate": p,
                "predicate_label": _predicate_label(p, labels),
                "claims": [claim_record(c) for c in sorted(rels[p])],
            }
            for p in sorted(rels)
        ]
        weight = len({c for p in rels for c in rels[p]})
        E.add_edge(subject, obj, relations=relations, weight=weight)
    return E
