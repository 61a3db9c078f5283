"""The story's inputs read back from a built graph (any export that keeps the named graphs).

A graph file holds everything the comparison needs: each document's text, date and publisher,
each claim's anchor, claimants, source kind, mode, cues, hedges, entities, quantities, dates and
relays. The analyst's decisions travel as the story graph's memberships of method ``analyst``.
"""

from __future__ import annotations

from collections import defaultdict
from urllib.parse import unquote

from rdflib import Dataset, Literal, URIRef
from rdflib.term import Node

from graph.model.records import Quantity
from graph.rdf.vocab import CG, DCTERMS, MODES, OA, PROV, RDFS, SCHEMA, SOURCE_KINDS
from graph.story.inputs import StoryClaim, StoryDoc

__all__ = ["story_inputs_from_dataset"]

_KIND: dict[Node, str] = {iri: key for key, iri in SOURCE_KINDS.items()}
_MODE: dict[Node, str] = {iri: key for key, iri in MODES.items()}
_CLUSTER_PREFIX = "https://w3id.org/claimgraph/id/story/cluster/"


def _one(ds: Dataset, s: Node, p: URIRef) -> Node | None:
    for _s, _p, o, _g in ds.quads((s, p, None, None)):
        return o
    return None


def _text(ds: Dataset, s: Node, p: URIRef) -> str | None:
    o = _one(ds, s, p)
    return str(o) if o is not None else None


def _all(ds: Dataset, s: Node, p: URIRef) -> list[Node]:
    return sorted({o for _s, _p, o, _g in ds.quads((s, p, None, None))}, key=str)


def _number(node: Node | None) -> float | None:
    return float(node.toPython()) if isinstance(node, Literal) else None


def _quantity(ds: Dataset, q: Node) -> Quantity:
    per = _text(ds, q, CG.rateUnit)
    unit = _text(ds, q, SCHEMA.unitText) or ""
    if per and unit.endswith(f" per {per}"):
        unit = unit[: -len(f" per {per}")]
    approx = _one(ds, q, CG.approximate)
    return Quantity(
        unit=unit,
        value=_number(_one(ds, q, SCHEMA.value)),
        minimum=_number(_one(ds, q, SCHEMA.minValue)),
        maximum=_number(_one(ds, q, SCHEMA.maxValue)),
        per=per,
        approximate=isinstance(approx, Literal) and approx.toPython() is True,
        text=_text(ds, q, CG.phrase),
    )


def _analyst_clusters(ds: Dataset) -> dict[Node, str]:
    found: dict[Node, str] = {}
    for cluster, _p, member, _g in ds.quads((None, CG.member, None, None)):
        if str(_one(ds, member, CG.alignmentMethod)) == "analyst":
            claim = _one(ds, member, CG.memberClaim)
            if claim is not None and str(cluster).startswith(_CLUSTER_PREFIX):
                found[claim] = unquote(str(cluster)[len(_CLUSTER_PREFIX) :])
    return found


def story_inputs_from_dataset(ds: Dataset) -> tuple[list[StoryDoc], list[StoryClaim]]:
    """The documents with text (in date order) and their claims, as :func:`story_inputs` gives
    them from annotation records."""
    ident = {s: str(o) for s, _p, o, _g in ds.quads((None, DCTERMS.identifier, None, None))}
    doc_nodes = {s for s, _p, _o, _g in ds.quads((None, CG.textSha256, None, None))}
    claims_of: dict[Node, list[Node]] = defaultdict(list)
    for claim, _p, doc, _g in ds.quads((None, SCHEMA.appearance, None, None)):
        claims_of[doc].append(claim)
    analyst = _analyst_clusters(ds)
    docs: list[StoryDoc] = []
    claims: list[StoryClaim] = []
    for doc in sorted(doc_nodes, key=str):
        doc_id = ident[doc]
        publisher = _one(ds, doc, SCHEMA.publisher)
        cites = {ident.get(o, str(o)) for o in _all(ds, doc, SCHEMA.citation)}
        for claim in sorted(claims_of.get(doc, []), key=str):
            relayed = []
            for up in _all(ds, claim, PROV.wasDerivedFrom):
                where = _one(ds, up, SCHEMA.appearance)
                if where is not None:  # a claim of another document
                    relayed.append(f"{ident[where]}#{ident[up]}")
                    cites.add(ident[where])
                elif up in ident:
                    cites.add(ident[up])
            relayed_docs = {r.partition("#")[0] for r in relayed}
            relayed += sorted(
                ident[u] for u in _all(ds, claim, PROV.wasDerivedFrom)
                if u in ident and _one(ds, u, SCHEMA.appearance) is None
                and ident[u] not in relayed_docs
            )
            start = end = -1
            for ann, _p, _o, _g in ds.quads((None, OA.hasBody, claim, None)):
                target = _one(ds, ann, OA.hasTarget)
                for sel in _all(ds, target, OA.hasSelector) if target is not None else []:
                    if _one(ds, sel, OA.start) is not None:
                        start = int(_number(_one(ds, sel, OA.start)) or 0)
                        end = int(_number(_one(ds, sel, OA.end)) or 0)
            agents = _all(ds, claim, PROV.wasAttributedTo)
            cues = sorted({
                str(c)
                for att in _all(ds, claim, PROV.qualifiedAttribution)
                for c in _all(ds, att, CG.cue)
            })
            # quantity IRIs end with the quantity's 1-based place in the annotation file
            quantities = sorted(
                _all(ds, claim, CG.quantity), key=lambda q: int(str(q).rsplit("/", 1)[-1])
            )
            claims.append(
                StoryClaim(
                    key=f"{doc_id}#{ident[claim]}",
                    document=doc_id,
                    id=ident[claim],
                    text=_text(ds, claim, SCHEMA.text) or "",
                    start=start,
                    end=end,
                    claimants=tuple(_text(ds, a, RDFS.label) or str(a) for a in agents),
                    source_kind=_KIND.get(_one(ds, claim, CG.sourceKind) or CG.AuthorVoice, ""),
                    mode=_MODE.get(_one(ds, claim, CG.attributionMode) or CG.AuthorAssertion, ""),
                    cues=tuple(cues),
                    hedges=tuple(str(h) for h in _all(ds, claim, CG.hedge)),
                    entities=frozenset(
                        ident.get(e, str(e))
                        for p in (SCHEMA.about, SCHEMA.mentions)
                        for e in _all(ds, claim, p)
                    ),
                    quantities=tuple(_quantity(ds, q) for q in quantities),
                    dates=tuple(str(d) for d in _all(ds, claim, CG.date)),
                    relayed_from=tuple(relayed),
                    cluster=analyst.get(claim),
                )
            )
        docs.append(
            StoryDoc(
                id=doc_id,
                title=_text(ds, doc, SCHEMA.headline) or doc_id,
                text=_text(ds, doc, SCHEMA.text) or "",
                date=_text(ds, doc, SCHEMA.datePublished),
                publisher=_text(ds, publisher, RDFS.label) if publisher is not None else None,
                cites=frozenset(cites - {doc_id}),
            )
        )
    docs.sort(key=lambda d: d.order_key)
    return docs, claims
