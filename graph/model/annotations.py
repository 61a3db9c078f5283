"""The analyst's annotation format: parse, check, and return frozen records. No RDF here.

The format is documented in ``docs/annotation-format.md``. Every error names the file, the
1-based line and the field, so an analyst can fix it without reading code.

Long because the format is one job: every field's check sits here, next to the others that name
the same file, line and field, and records leave this module only once wholly checked.

>>> from graph.corpus import bundled_corpus_dir
>>> corpus = load_corpus([bundled_corpus_dir()])
>>> doc = corpus.files[0].document
>>> claim = corpus.files[0].claims[0]
>>> doc.text[claim.start:claim.end] == claim.text
True
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, Final, TypeVar

from graph.errors import AnnotationError, InputError, TextMismatchError
from graph.model.near_miss import describe_near_miss
from graph.model.predicates import PredicateError, check_prefix, resolve_predicate
from graph.model.records import (
    CLAIM_LINKS,
    Affiliation,
    AnnotationFile,
    Claim,
    Corpus,
    Document,
    DocumentMetadata,
    Entity,
    Quantity,
    Relation,
)
from graph.model.words import (
    AFFILIATION_ORIGINS,
    AFFILIATION_RELATIONS,
    CLAIM_STATUSES,
    ENTITY_TYPES,
    MODES,
    SOURCE_KINDS,
    affiliation_relation,
    is_valid_id,
)
from graph.model.yaml_fields import Fields, Source, WherePath, get_at, read_yaml
from graph.support.gc_pause import without_gc
from graph.support.limits import MAX_ANNOTATION_BYTES, MAX_TEXT_BYTES, read_capped, read_utf8
from graph.support.progress import progress

_Item = TypeVar("_Item")

# How far from its claim a cue may stand: a cue can introduce a passage of several sentences
# ("the Daily Mail reported" before a paragraph of reported speech), never another paragraph's.
CUE_WINDOW: Final = 500

# The records these functions return live in graph.model.records.
__all__ = [
    "CUE_WINDOW",
    "DOCUMENT_TYPES",
    "FORMAT_VERSION",
    "QUOTE_CONTEXT",
    "SOURCE_TYPES",
    "annotation_files",
    "annotation_paths",
    "check_corpus",
    "find_span",
    "load_annotation_file",
    "load_corpus",
    "parse_annotation_text",
]

FORMAT_VERSION: Final = 1
DOCUMENT_TYPES: Final = ("news-article", "report", "interview", "statement", "web-page")
QUOTE_CONTEXT: Final = 32  # characters of prefix/suffix kept in each oa:TextQuoteSelector
_DATE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
# Only web addresses: a javascript: or file: "URL" from an annotation file must never become a link.
_WEB_IRI = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")


# ------------------------------------------------------------------------------- parsing


_DOC_FIELDS = ("id", "text", "sha256", "title", "type", "metadata", "furniture", "drafted_by")
_CITED_FIELDS = ("id", "title", "type", "cited_as", "metadata")
_META_FIELDS = ("publisher", "author", "url", "date_published", "note")
_ENTITY_FIELDS = (
    "id",
    "type",
    "label",
    "names",
    "descriptor",
    "vague",
    "description",
    "same_as",
    "note",
)
_CLAIM_FIELDS = (
    "id",
    "text",
    "prefix",
    "claimant",
    "source_kind",
    "mode",
    "cue",
    "hedges",
    "about",
    "mentions",
    "relayed_from",
    "quantities",
    "dates",
    "relations",
    "supports",
    "contradicts",
    "denies",
    "inferred_from",
    "part_of",
    "note",
    "cluster",
    "status",
    "confidence",
    "source",
)
_SOURCE_FIELDS = ("kind", "document")
# What a claim's `source:` may name: a document (more kinds may follow).
SOURCE_TYPES: Final = ("document",)
_QUANTITY_FIELDS = ("value", "min", "max", "unit", "per", "approximate", "text")


def load_annotation_file(path: str | Path) -> AnnotationFile:
    """Read and check one annotation file and the text it points to."""
    path = Path(path)
    text = read_utf8(path, MAX_ANNOTATION_BYTES, "annotation file", AnnotationError)

    def read_text(relative: str) -> bytes:
        return read_capped(path.parent / relative, MAX_TEXT_BYTES, "article text")

    return parse_annotation_text(text, path=path, read_text=read_text)


def parse_annotation_text(
    yaml_text: str, *, path: Path, read_text: Any, article: bytes | None = None
) -> AnnotationFile:
    """Parse an annotation file's YAML; ``read_text(relative_path) -> bytes`` fetches the text."""
    src = read_yaml(yaml_text, path)
    top = Fields(
        src, (), ("format", "document", "cited_documents", "entities", "claims", "affiliations",
                  "prefixes"))
    version = top.data.get("format")
    if version != FORMAT_VERSION:
        raise top.error("format", f"expected 'format: {FORMAT_VERSION}', got {version!r}")
    if "document" not in top.data:
        raise src.error("missing required field 'document'", ())

    doc_fields = Fields(src, ("document",), _DOC_FIELDS)
    relative = doc_fields.required("text")
    if article is None:
        try:
            article = read_text(relative)
        except InputError:
            raise
        except OSError as exc:
            raise doc_fields.error("text", f"cannot read '{relative}': {exc.strerror}") from None
    assert article is not None
    sha = (doc_fields.required("sha256")).lower()
    if not _SHA256.match(sha):
        raise doc_fields.error("sha256", "expected 64 hexadecimal digits")
    actual = hashlib.sha256(article).hexdigest()
    if actual != sha:
        raise src.error(
            f"the text of '{relative}' changed since it was annotated (sha256 {actual}, "
            f"recorded {sha}); re-check every claim, then update sha256 (`claimgraph rehash` "
            "does, and lists what no longer matches)",
            doc_fields.at("sha256"),
            TextMismatchError,
        )
    try:
        article_text = article.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise doc_fields.error(
            "text", f"'{relative}' is not UTF-8 (byte {exc.start}: {exc.reason})"
        ) from None

    document = _document(doc_fields, article_text, sha)
    # Each cited document, entity and claim is checked on its own, and every problem found is
    # reported together: an analyst fixes a file in one pass, not one run per mistake.
    problems: list[AnnotationError] = []

    def each(section: str, parse: Callable[[WherePath], _Item]) -> tuple[_Item, ...]:
        parsed = []
        for where in top.items(section):
            try:
                parsed.append(parse(where))
            except TextMismatchError:
                raise
            except AnnotationError as exc:
                problems.extend(exc.problems)
        return tuple(parsed)

    prefixes = _prefixes(top, problems)
    cited = each("cited_documents", lambda w: _cited(Fields(src, w, _CITED_FIELDS), article_text))
    entities = each("entities", lambda w: _entity(Fields(src, w, _ENTITY_FIELDS), article_text))
    claims = each(
        "claims",
        lambda w: _claim(Fields(src, w, _CLAIM_FIELDS), document.id, article_text, prefixes),
    )
    affiliations = each(
        "affiliations", lambda w: _affiliation(src, w, document.id, article_text, prefixes)
    )
    if problems:
        raise AnnotationError.several(problems, path=path)
    if document.drafted_by is None:
        for where, claim in zip(top.items("claims"), claims, strict=True):
            if claim.status == "draft":
                raise src.error(
                    "a claim with 'status: draft' needs 'drafted_by' in 'document' (which "
                    "extractor, which version)", (*where, "status"))
    result = AnnotationFile(path, document, cited, entities, claims)
    _check_local_references(src, top, result)
    return _with_affiliations(src, top, result, affiliations)


def _document(f: Fields, text: str, sha: str) -> Document:
    doc_id = f.ident("id", required=True)
    assert doc_id is not None
    furniture = f.strings("furniture")
    for i, item in enumerate(furniture):
        if item not in text:
            raise f.src.error(f"furniture {item!r} is not in the text", (*f.at("furniture"), i))
    return Document(
        id=doc_id,
        title=f.required("title"),
        type=_doc_type(f),
        text=text,
        sha256=sha,
        metadata=_metadata(f),
        furniture=furniture,
        drafted_by=f.string("drafted_by"),
    )


def _doc_type(f: Fields) -> str:
    if "type" not in f.data:
        return "news-article"
    return f.choice("type", DOCUMENT_TYPES)


def _metadata(f: Fields) -> DocumentMetadata:
    if "metadata" not in f.data:
        return DocumentMetadata()
    m = Fields(f.src, f.at("metadata"), _META_FIELDS)
    date = m.string("date_published")
    if date is not None and not _DATE.match(date):
        raise m.error("date_published", f"'{date}' is not YYYY, YYYY-MM or YYYY-MM-DD")
    url = m.string("url")
    if url is not None and not _WEB_IRI.match(url):
        raise m.error("url", f"'{url}' is not an http:// or https:// address")
    return DocumentMetadata(
        publisher=m.ident("publisher"),
        author=m.ident("author"),
        url=url,
        date_published=date,
        note=m.string("note"),
    )


def _cited(f: Fields, text: str) -> Document:
    doc_id = f.ident("id", required=True)
    assert doc_id is not None
    cited_as = f.string("cited_as")
    if cited_as is not None and cited_as not in text:
        raise f.error("cited_as", f"{cited_as!r} is not in the text")
    return Document(
        id=doc_id,
        title=f.required("title"),
        type=_doc_type(f),
        metadata=_metadata(f),
        cited_as=cited_as,
    )


def _entity(f: Fields, text: str) -> Entity:
    entity_id = f.ident("id", required=True)
    assert entity_id is not None
    kind = f.choice("type", ENTITY_TYPES)
    names = f.strings("names")
    for i, name in enumerate(names):
        if name not in text:
            raise f.src.error(f"name {name!r} does not occur in the text", (*f.at("names"), i))
    descriptor = f.string("descriptor")
    if descriptor is not None and descriptor not in text:
        raise f.error("descriptor", f"{descriptor!r} does not occur in the text")
    if kind == "group" and descriptor is None:
        raise f.error("descriptor", "a group needs its exact descriptor phrase from the text")
    same_as = f.strings("same_as")
    for i, iri in enumerate(same_as):
        if not _WEB_IRI.match(iri):
            raise f.src.error(f"'{iri}' is not an http:// or https:// IRI", (*f.at("same_as"), i))
    return Entity(
        id=entity_id,
        type=kind,
        label=f.required("label"),
        names=names,
        descriptor=descriptor,
        vague=f.boolean("vague"),
        description=f.string("description"),
        same_as=same_as,
        note=f.string("note"),
    )


def find_span(text: str, quote: str, prefix: str | None) -> list[int]:
    """Start offsets where ``quote`` occurs (after ``prefix`` when given).

    >>> find_span("a b a b", "b", None), find_span("a b a b", "b", "a b a ")
    ([2, 6], [6])
    """
    needle = (prefix or "") + quote
    starts, at = [], text.find(needle)
    while at != -1:
        starts.append(at + len(prefix or ""))
        at = text.find(needle, at + 1)
    return starts


def _claim(f: Fields, doc_id: str, text: str, prefixes: dict[str, str]) -> Claim:
    claim_id = f.ident("id", required=True)
    assert claim_id is not None
    quote = f.string("text", required=True, allow_empty=False)
    assert quote is not None
    prefix = f.string("prefix", allow_empty=True)
    starts = find_span(text, quote, prefix)
    if not starts:
        where = "after the given prefix " if prefix and quote in text else ""
        near = "" if where else describe_near_miss(text, quote)
        raise f.error("text", f"not found {where}in the article: {_short(quote)}{near}")
    if len(starts) > 1:
        raise f.error(
            "text" if prefix is None else "prefix",
            f"found {len(starts)} times in the article; add a 'prefix' (the text just before) "
            f"that picks one: {_short(quote)}",
        )
    start = starts[0]
    end = start + len(quote)
    quantities = tuple(
        _quantity(Fields(f.src, w, _QUANTITY_FIELDS), quote) for w in f.items("quantities")
    )
    cues = f.strings("cue")
    for i, cue in enumerate(cues):
        distance = _distance(text, cue, start, end)
        if distance is None or distance > CUE_WINDOW:
            where = ("does not occur in the article" if distance is None else
                     f"occurs only {distance:,} characters from the claim's text")
            at = (*f.at("cue"), i) if isinstance(f.data.get("cue"), list) else f.at("cue")
            raise f.src.error(f"cue {cue!r} {where}; a cue is the phrase that attributes this "
                              f"claim, within {CUE_WINDOW} characters of it", at)
    dates = f.strings("dates")
    for i, date in enumerate(dates):
        if not _DATE.match(date):
            raise f.src.error(f"'{date}' is not YYYY, YYYY-MM or YYYY-MM-DD", (*f.at("dates"), i))
    return Claim(
        id=claim_id,
        document=doc_id,
        text=quote,
        start=start,
        end=end,
        prefix=text[max(0, start - QUOTE_CONTEXT) : start],
        suffix=text[end : end + QUOTE_CONTEXT],
        claimants=_claimants(f) if "source" not in f.data else _source_claimants(f),
        source_kind=_source_kind(f),
        mode=f.choice("mode", MODES),
        line=f.src.line(f.where) or 0,
        cues=cues,
        hedges=f.strings("hedges"),
        about=f.strings("about"),
        mentions=f.strings("mentions"),
        relayed_from=_claim_refs(f.strings("relayed_from")),
        quantities=quantities,
        dates=dates,
        relations=_relations(f, prefixes),
        supports=_claim_refs(f.strings("supports")),
        contradicts=_claim_refs(f.strings("contradicts")),
        denies=_claim_refs(f.strings("denies")),
        inferred_from=_claim_refs(f.strings("inferred_from")),
        part_of=_claim_refs(f.strings("part_of")),
        note=f.string("note"),
        cluster=f.ident("cluster"),
        status=f.choice("status", CLAIM_STATUSES) if "status" in f.data else "reviewed",
        confidence=_confidence(f),
        source_document=_source_document(f),
    )


def _confidence(f: Fields) -> float | None:
    value = f.number("confidence")
    if value is not None and not 0 <= value <= 1:
        raise f.error("confidence", f"expected a number from 0 to 1, got {value:g}")
    return value


def _claimants(f: Fields) -> tuple[str, ...]:
    if f.data.get("claimant") is None:
        raise f.error("claimant", "missing required field 'claimant' (a claim that comes from a "
                      "document whose author the text does not name gives 'source: {kind: "
                      "document, document: <id>}' instead)")
    values = f.strings("claimant")
    if not values:
        raise f.error("claimant", "name at least one claimant")
    for value in values:
        if not is_valid_id(value):
            raise f.error(
                "claimant", f"'{value}' is not a valid id (lowercase letters, digits, . _ -)"
            )
    return values


def _distance(text: str, phrase: str, start: int, end: int) -> int | None:
    """Characters between ``phrase``'s nearest occurrence and ``text[start:end]`` (0 when they
    touch or overlap), or None when ``phrase`` is not in ``text``.

    >>> _distance("He said: it is over.", "said", 9, 19), _distance("abc", "x", 0, 1)
    (2, None)
    """
    best, at = None, text.find(phrase)
    while at != -1:
        gap = max(0, start - (at + len(phrase)), at - end)
        best = gap if best is None else min(best, gap)
        at = text.find(phrase, at + 1)
    return best


def _short(text: str, width: int = 60) -> str:
    return repr(text if len(text) <= width else text[: width - 1] + "…")


def _quantity(f: Fields, claim_text: str) -> Quantity:
    value, low, high = f.number("value"), f.number("min"), f.number("max")
    if value is None and low is None and high is None:
        raise f.src.error("a quantity needs 'value', or 'min' and/or 'max'", f.where)
    if value is not None and (low is not None or high is not None):
        raise f.error("value", "give either 'value' or 'min'/'max', not both")
    if low is not None and high is not None and low > high:
        raise f.error("min", f"min {low:g} is larger than max {high:g}")
    phrase = f.string("text")
    if phrase is not None and phrase not in claim_text:
        raise f.error("text", f"{phrase!r} is not inside the claim's text")
    return Quantity(
        unit=f.required("unit"),
        value=value,
        minimum=low,
        maximum=high,
        per=f.string("per"),
        approximate=f.boolean("approximate"),
        text=phrase,
    )


def _relations(f: Fields, prefixes: dict[str, str]) -> tuple[Relation, ...]:
    """Every relation of a claim; each bad one is reported, not only the first."""
    found, problems = [], []
    for where in f.items("relations"):
        try:
            found.append(_relation(f, where, prefixes))
        except AnnotationError as exc:
            problems.append(exc)
    if problems:
        raise AnnotationError.several(problems, path=f.src.path)
    return tuple(found)


def _relation(f: Fields, where: WherePath, prefixes: dict[str, str]) -> Relation:
    value = get_at(f.src.data, where)
    if not (isinstance(value, list) and len(value) == 3 and all(isinstance(v, str) for v in value)):
        raise f.src.error("a relation is [subject-entity, predicate, object-entity]", where)
    subject, word, obj = value
    try:
        predicate = resolve_predicate(word, prefixes)
    except PredicateError as exc:
        raise f.src.error(str(exc), (*where, 1)) from None
    if predicate.inverted:
        subject, obj = obj, subject
    return Relation(subject, predicate.word, obj, predicate.iri)


def _prefixes(top: Fields, problems: list[AnnotationError]) -> dict[str, str]:
    """The file's ``prefixes:`` (name → vocabulary IRI); each bad entry joins ``problems``."""
    value = top.data.get("prefixes")
    if value is None:
        return {}
    if not isinstance(value, dict):
        problems.append(top.error("prefixes", "expected a mapping of prefix: IRI"))
        return {}
    found = {}
    for name, iri in value.items():
        problem = check_prefix(str(name), iri)
        if problem is None:
            found[str(name)] = str(iri)
        else:
            problems.append(top.src.error(problem, (*top.at("prefixes"), name)))
    return found


def _source_fields(f: Fields) -> Fields:
    source = Fields(f.src, f.at("source"), _SOURCE_FIELDS)
    source.choice("kind", SOURCE_TYPES)
    return source


def _source_document(f: Fields) -> str | None:
    """The document a claim's ``source:`` names (checked to exist with the corpus)."""
    if "source" not in f.data:
        return None
    return _source_fields(f).ident("document", required=True)


def _source_claimants(f: Fields) -> tuple[str, ...]:
    """A claim sourced to a document names a claimant only when the text names its author."""
    return _claimants(f) if f.data.get("claimant") is not None else ()


def _source_kind(f: Fields) -> str:
    """``source_kind``; ``document`` (given or left out) for a claim with a ``source``."""
    if "source" not in f.data:
        return f.choice("source_kind", SOURCE_KINDS)
    if "source_kind" in f.data and f.data["source_kind"] != "document":
        raise f.error("source_kind", f"a claim whose 'source' is a document has source_kind "
                                     f"'document', not {f.data['source_kind']!r}")
    return "document"


def _check_local_references(src: Source, top: Fields, result: AnnotationFile) -> None:
    """Duplicate ids, and ids that must resolve inside this file."""
    _no_duplicates(src, top, "entities", [e.id for e in result.entities])
    _no_duplicates(src, top, "claims", [c.id for c in result.claims])
    _no_duplicates(src, top, "cited_documents", [d.id for d in result.cited_documents])
    for i, cited in enumerate(result.cited_documents):
        if cited.id == result.document.id:
            raise src.error("a document cannot cite itself", (*top.at("cited_documents"), i, "id"))
    entities = {e.id for e in result.entities}
    claims = {c.id for c in result.claims}

    def need_entity(value: str | None, where: WherePath) -> None:
        if value is not None and value not in entities:
            raise src.error(f"unknown entity id '{value}' (declare it under 'entities')", where)

    need_entity(result.document.metadata.publisher, ("document", "metadata", "publisher"))
    need_entity(result.document.metadata.author, ("document", "metadata", "author"))
    for i, cited in enumerate(result.cited_documents):
        base = (*top.at("cited_documents"), i, "metadata")
        need_entity(cited.metadata.publisher, (*base, "publisher"))
        need_entity(cited.metadata.author, (*base, "author"))
    for i, claim in enumerate(result.claims):
        base = (*top.at("claims"), i)
        for j, value in enumerate(claim.claimants):
            need_entity(value, _list_path(src, base, "claimant", j))
        for key in ("about", "mentions"):
            for j, value in enumerate(getattr(claim, key)):
                need_entity(value, _list_path(src, base, key, j))
        for j, rel in enumerate(claim.relations):
            need_entity(rel.subject, (*base, "relations", j, 0))
            need_entity(rel.object, (*base, "relations", j, 2))
        for key in CLAIM_LINKS:
            for j, value in enumerate(getattr(claim, key)):
                if "#" not in value and value not in claims:
                    raise src.error(f"unknown claim id '{value}'", _list_path(src, base, key, j))
                if value == claim.id:
                    raise src.error("a claim cannot refer to itself", _list_path(src, base, key, j))


def _claim_refs(values: tuple[str, ...]) -> tuple[str, ...]:
    """Claim references as records keep them: ``doc/c01`` (the form claimgraph shows) is read as
    ``doc#c01``; an id never holds ``/`` or ``#``, so neither can be misread."""
    return tuple(v.replace("/", "#", 1) if "#" not in v else v for v in values)


def _list_path(src: Source, base: WherePath, key: str, index: int) -> WherePath:
    value = get_at(src.data, base).get(key)
    return (*base, key, index) if isinstance(value, list) else (*base, key)


def _no_duplicates(src: Source, top: Fields, key: str, ids: Sequence[str]) -> None:
    seen: set[str] = set()
    for i, value in enumerate(ids):
        if value in seen:
            raise src.error(f"duplicate id '{value}'", (*top.at(key), i, "id"))
        seen.add(value)


# ------------------------------------------------------------------------- affiliations

_AFFILIATION_FIELDS = ("id", "subject", "relation", "object", "origin", "note")
# A stated affiliation is anchored and attributed like a claim, with a claim's sourcing fields.
_STATED_FIELDS = (
    *_AFFILIATION_FIELDS,
    "text",
    "prefix",
    "claimant",
    "source_kind",
    "mode",
    "cue",
    "hedges",
    "status",
    "confidence",
)


def _affiliation(
    src: Source, where: WherePath, doc_id: str, text: str, prefixes: dict[str, str]
) -> tuple[Affiliation, Claim | None]:
    """One ``affiliations`` entry, and the claim it is built as when the text states it."""
    origin_fields = Fields(src, where, (*_STATED_FIELDS,))
    origin = origin_fields.choice("origin", AFFILIATION_ORIGINS)
    f = Fields(src, where, _STATED_FIELDS if origin == "text" else _AFFILIATION_FIELDS)
    affiliation_id = f.ident("id", required=True)
    assert affiliation_id is not None
    subject, obj = f.ident("subject", required=True), f.ident("object", required=True)
    assert subject is not None and obj is not None
    written = f.required("relation")
    relation = affiliation_relation(written)
    if relation is None:
        allowed = ", ".join(AFFILIATION_RELATIONS)
        raise f.error("relation", f"unknown affiliation relation '{written}' (allowed: "
                                  f"{allowed}; or its IRI, such as schema:memberOf)")
    if subject == obj:
        raise f.error("object", "an entity cannot be affiliated with itself")
    record = Affiliation(
        id=affiliation_id, document=doc_id, subject=subject, relation=relation, object=obj,
        origin=origin, line=src.line(where) or 0, note=f.string("note"),
    )
    if origin == "analyst":
        if record.note is None:
            raise f.src.error("an affiliation the analyst adds needs a 'note' saying why", where)
        return record, None
    claim = _claim(f, doc_id, text, prefixes)
    # The claim names both entities; its content (the affiliation) lives in its own graph.
    mentions = tuple(dict.fromkeys((*claim.mentions, subject, obj)))
    return replace(record, claim=claim.id), replace(claim, mentions=mentions)


def _with_affiliations(
    src: Source,
    top: Fields,
    result: AnnotationFile,
    parsed: Sequence[tuple[Affiliation, Claim | None]],
) -> AnnotationFile:
    """The file with its affiliations, and the claims of those its text states, once their ids
    and entities are checked (every problem of the section at once)."""
    entities = {e.id for e in result.entities}
    taken = {c.id for c in result.claims}
    problems: list[AnnotationError] = []
    for i, (affiliation, claim) in enumerate(parsed):
        base = (*top.at("affiliations"), i)
        if affiliation.id in taken:
            problems.append(src.error(
                f"duplicate id '{affiliation.id}' (an affiliation's id is unique among the "
                "file's claims and affiliations: a stated affiliation is a claim)", (*base, "id")))
        taken.add(affiliation.id)
        named = [("subject", affiliation.subject), ("object", affiliation.object)]
        named += [("claimant", c) for c in (claim.claimants if claim else ())]
        for key, value in named:
            if value not in entities:
                problems.append(src.error(
                    f"unknown entity id '{value}' (declare it under 'entities')", (*base, key)))
        if claim is not None and claim.status == "draft" and result.document.drafted_by is None:
            problems.append(src.error(
                "an affiliation with 'status: draft' needs 'drafted_by' in 'document' (which "
                "extractor, which version)", (*base, "status")))
    if problems:
        raise AnnotationError.several(problems, path=result.path)
    stated = tuple(claim for _a, claim in parsed if claim is not None)
    return replace(result, claims=(*result.claims, *stated),
                   affiliations=tuple(a for a, _c in parsed))


# ------------------------------------------------------------------------------- corpus


def annotation_files(directory: Path) -> list[Path]:
    """The annotation files of a corpus folder, in a stable order (a FIFO or a device named
    ``*.yaml`` is kept, to be refused by name when it is read, not silently skipped)."""
    names = (p for p in directory.iterdir() if p.suffix in (".yaml", ".yml"))
    return sorted(p for p in names if not p.is_dir())


def annotation_paths(sources: Iterable[str | Path]) -> list[Path]:
    """The annotation files of the given folders and files, in the order they are read."""
    paths: list[Path] = []
    for source in sources:
        source = Path(source)
        if source.is_dir():
            found = annotation_files(source)
            if not found:
                raise InputError(f"{source}: no annotation files (*.yaml) in this folder")
            paths.extend(found)
        elif source.exists():  # a FIFO or a device is refused, by name, when it is read
            paths.append(source)
        else:
            raise InputError(f"{source}: no such file or folder")
    return paths


@without_gc
def load_corpus(sources: Iterable[str | Path]) -> Corpus:
    """Load folders of annotation files (or single files); resolve every reference across them."""
    paths = annotation_paths(sources)
    files = [load_annotation_file(p) for p in progress(paths, len(paths), "reading annotations")]
    corpus = Corpus(tuple(files))
    check_corpus(corpus)
    return corpus


def check_corpus(corpus: Corpus) -> None:
    documents: dict[str, Path] = {}
    for f in corpus.files:
        if f.document.id in documents:
            raise AnnotationError(
                f"document id '{f.document.id}' is also used by {documents[f.document.id]}",
                path=f.path,
                field="document.id",
            )
        documents[f.document.id] = f.path
    known_docs = set(corpus.documents)
    entities: dict[str, tuple[Entity, Path]] = {}
    for f in corpus.files:
        for e in f.entities:
            if e.id in entities:
                other, where = entities[e.id]
                if (other.type, other.label) != (e.type, e.label):
                    raise AnnotationError(
                        f"entity '{e.id}' is {e.type} '{e.label}' here but {other.type} "
                        f"'{other.label}' in {where}; one id, one thing",
                        path=f.path,
                        field="entities",
                    )
            else:
                entities[e.id] = (e, f.path)
    claims = corpus.claims
    _check_source_documents(corpus, known_docs)
    for f in corpus.files:
        for claim in f.claims:
            for value in claim.relayed_from:
                doc_id, _, claim_id = value.partition("#")
                if doc_id not in known_docs:
                    raise AnnotationError(
                        f"unknown document '{doc_id}' (list it under 'cited_documents')",
                        path=f.path,
                        line=claim.line,
                        field=f"claims[{claim.id}].relayed_from",
                    )
                if doc_id == claim.document:
                    raise AnnotationError(
                        "a claim cannot be relayed from its own document",
                        path=f.path,
                        line=claim.line,
                        field=f"claims[{claim.id}].relayed_from",
                    )
                if claim_id and value not in claims:
                    raise AnnotationError(
                        f"unknown claim '{value}'",
                        path=f.path,
                        line=claim.line,
                        field=f"claims[{claim.id}].relayed_from",
                    )
            for key in CLAIM_LINKS:
                for value in getattr(claim, key):
                    if "#" in value and value not in claims:
                        raise AnnotationError(
                            f"unknown claim '{value}'",
                            path=f.path,
                            line=claim.line,
                            field=f"claims[{claim.id}].{key}",
                        )


def _check_source_documents(corpus: Corpus, known: set[str]) -> None:
    """A claim's ``source`` names a document of the corpus or one its file cites, not its own."""
    problems = []
    for f in corpus.files:
        for claim in f.claims:
            doc_id = claim.source_document
            if doc_id is None:
                continue
            field = f"claims[{claim.id}].source.document"
            if doc_id not in known:
                problems.append(AnnotationError(
                    f"unknown document '{doc_id}' (list it under 'cited_documents')",
                    path=f.path, line=claim.line, field=field))
            elif doc_id == claim.document:
                problems.append(AnnotationError(
                    "a claim's source cannot be its own document (the outlet's own voice is "
                    "source_kind author-voice)", path=f.path, line=claim.line, field=field))
    if problems:
        raise AnnotationError.several(problems, path=problems[0].path or "")
