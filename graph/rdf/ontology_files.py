"""Where the ontology and SHACL shapes live, and reading them (once per process)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from rdflib import Graph

__all__ = ["ontology_path", "read_ontology", "read_shapes", "shapes_path"]


def _ontology_dir() -> Path:
    # An installed wheel carries ontology/ inside the package (graph/ontology/); a source
    # checkout has it at the top level, beside graph/.
    package = Path(__file__).resolve().parent.parent  # graph/
    for candidate in (package / "ontology", package.parent / "ontology"):
        if (candidate / "claimgraph.ttl").is_file():
            return candidate
    return package.parent / "ontology"


def ontology_path() -> Path:
    """``claimgraph.ttl``: the OWL ontology with its SKOS concept schemes."""
    return _ontology_dir() / "claimgraph.ttl"


def shapes_path() -> Path:
    """``shapes.ttl``: the SHACL shapes every build is validated against."""
    return _ontology_dir() / "shapes.ttl"


@cache
def _parsed(path: Path) -> Graph:
    return Graph().parse(path, format="turtle")


def read_ontology() -> Graph:
    """The ontology graph (shared, do not modify)."""
    return _parsed(ontology_path())


def read_shapes() -> Graph:
    """The SHACL shapes graph (shared, do not modify)."""
    return _parsed(shapes_path())
