"""Colours, shapes and legends of the views: one place, so every page reads the same way.

Colours follow the Okabe-Ito palette (distinguishable with the common colour-vision
deficiencies); shapes carry the node type, so a view stays readable in greyscale.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

__all__ = [
    "AGENT",
    "CLAIM_SHAPE",
    "CONTRADICTION_STYLE",
    "DOCUMENT",
    "DOMINATOR_BORDER",
    "ENTITY_TYPES",
    "MIXED_SOURCING",
    "RELATION_STYLES",
    "ROOT_BORDER",
    "SOURCE_KINDS",
    "UNKNOWN",
    "EdgeStyle",
    "LegendItem",
    "LegendSection",
    "Swatch",
    "entity_swatch",
    "source_kind_swatch",
]


@dataclass(frozen=True)
class Swatch:
    """How one kind of node is drawn: a fill colour, a border colour and a vis-network shape."""

    label: str
    color: str
    shape: str = "dot"
    border: str = "#333333"


@dataclass(frozen=True)
class EdgeStyle:
    """How one kind of edge is drawn, and the default label of its relation."""

    label: str
    color: str
    dashes: bool = False
    width: float = 1.5


@dataclass(frozen=True)
class LegendItem:
    """One legend row: a drawn sample and what it means."""

    text: str
    color: str
    shape: str = "dot"  # a node shape, or "line" / "dashed" for an edge
    border: str = "#333333"
    border_width: float = 1.0
    dashed_border: bool = False


@dataclass(frozen=True)
class LegendSection:
    """A titled group of legend rows."""

    title: str
    items: tuple[LegendItem, ...]


UNKNOWN: Final = Swatch("unknown", "#bbbbbb")

SOURCE_KINDS: Final[dict[str, Swatch]] = {
    "named-person": Swatch("named person", "#0072B2"),
    "named-organization": Swatch("named organization", "#56B4E9"),
    "official-statement": Swatch("official statement", "#F0E442"),
    "document": Swatch("document", "#009E73"),
    "author-voice": Swatch("author's voice (outlet)", "#CC79A7"),
    "vague-collective": Swatch("vague collective", "#E69F00"),
    "anonymous": Swatch("anonymous", "#D55E00"),
}

CLAIM_SHAPE: Final = "dot"
DOCUMENT: Final = Swatch("document", "#e8dcc0", "square", "#7a6634")
AGENT: Final = Swatch("claimant / source", "#dcdcdc", "diamond", "#444444")

ROOT_BORDER: Final = "#111111"
DOMINATOR_BORDER: Final = "#c1121f"

ENTITY_TYPES: Final[dict[str, Swatch]] = {
    "person": Swatch("person", "#0072B2", "dot"),
    "organization": Swatch("organization / institution", "#009E73", "square"),
    "group": Swatch("group (collective)", "#E69F00", "triangle"),
    "place": Swatch("place", "#56B4E9", "triangleDown"),
    "creative-work": Swatch("creative work", "#CC79A7", "star"),
    "award": Swatch("award", "#F0E442", "hexagon"),
    "event": Swatch("event", "#D55E00", "diamond"),
    "topic": Swatch("topic", "#999999", "diamond"),
}

RELATION_STYLES: Final[dict[str, EdgeStyle]] = {
    "attributed_to": EdgeStyle("attributed to", "#666666"),
    "relayed_from": EdgeStyle("relayed from", "#0072B2", width=2.5),
    "inferred_from": EdgeStyle("inferred from", "#7a7a7a", dashes=True),
    "said_by": EdgeStyle("said by (speaker in the relaying document)", "#E69F00", width=2.5),
    "supported_by": EdgeStyle("supported by", "#009E73", dashes=True, width=2.0),
}
CONTRADICTION_STYLE: Final[dict[str, EdgeStyle]] = {
    "denies": EdgeStyle("denies", "#c1121f", dashes=True, width=2.0),
    "contradicts": EdgeStyle("contradicts", "#c1121f", dashes=True, width=1.5),
}
MIXED_SOURCING: Final = Swatch("mixed sourcing", "#555555")


def source_kind_swatch(kind: str | None) -> Swatch:
    """The swatch of a source kind (kebab key); grey for an unknown or missing one."""
    return SOURCE_KINDS.get(kind or "", UNKNOWN)


def entity_swatch(entity_type: str | None) -> Swatch:
    """The swatch of an entity type; grey for an unknown or missing one."""
    return ENTITY_TYPES.get(entity_type or "", UNKNOWN)
