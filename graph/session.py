"""The front door for notebooks: ``graph.open(source)`` gives one object that asks, analyses and
shows a claim graph, wherever it lives.

>>> import graph
>>> with graph.open() as cg:          # nothing given: the bundled article
...     print(cg.source)
...     frame = cg.query("claims-by-mode", mode="denial")
...     result = cg.analyze()
the bundled article (thebl-organ-harvesting), built in memory
>>> list(frame["id"])
['c18', 'c36']
>>> len(result["claims"])
54

A source is a built RDF file (TriG keeps the named graphs), an annotation folder or file (built
and validated in memory), an Oxigraph folder (``oxigraph:PATH``, or a folder holding one), a
SPARQL endpoint's URL, or nothing for the bundled article. Every source is queried through a
store, and the analyses read the dependency subgraph from it with one CONSTRUCT
(``dependency-subgraph.rq``), so they give the same answers on every kind of source.

A claim is named ``document-id/claim-id`` (``thebl-organ-harvesting/c02``), by its IRI, or by its
id alone where one document uses it; ``document-id#claim-id`` is accepted too.
"""

from __future__ import annotations

from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal, TypedDict

from graph.errors import NotFoundError, StoreError

if TYPE_CHECKING:
    import networkx as nx
    import pandas
    from rdflib import Dataset

    from graph.analysis.chains import Root, Step
    from graph.analysis.groups import Group
    from graph.stores import Store
    from graph.story.model import Story
    from graph.views import View

__all__ = ["ClaimGraph", "ClaimPaths", "ViewKind", "open_graph"]

ViewKind = Literal["provenance", "entities", "claim"]


class ClaimPaths(TypedDict):
    """How one claim reached the page: each chain hop by hop, its roots and weak points."""

    claim: str
    text: str
    chains: list[list[Step]]
    roots: list[Root]
    independent_roots: int
    independent_groups: int  # once sources joined by affiliations count as one
    affiliation_groups: list[Group]  # the groups that joined two or more of its roots
    single_points_of_failure: list[str]


class ClaimGraph:
    """A claim graph opened by :func:`open_graph`; closes its store when used as a context manager.

    ``source`` says in one line what was opened (shown by a notebook as it is); ``store`` is the
    :class:`graph.stores.Store` every question goes through. The dependency graph is read once,
    at the first analysis, and kept: open the source again to see later changes to it.
    """

    def __init__(self, store: Store, source: str) -> None:
        self.store = store
        self.source = source
        self._network: nx.DiGraph | None = None
        self._projected: Dataset | None = None
        self._summary: dict[str, Any] | None = None
        self._content = False

    # ------------------------------------------------------------------ asking

    def query(self, query: str, /, **params: str) -> pandas.DataFrame:
        """A library query by name, a ``.rq`` file, or query text, as a DataFrame.

        Parameters are keywords (``cg.query("claims-by-claimant", agent="russell-strong")``),
        bound as RDF terms, never pasted into the text. Text of your own declares its
        parameters in a header (``# param: cue (literal)``) and marks where they go with a
        ``# @values`` line, as the library's files do.
        """
        from graph.sparql.library import (
            NamedQuery,
            get_query,
            list_queries,
            load_query_file,
            parse_query_text,
            run_query,
        )

        named: NamedQuery
        if query in {q.name for q in list_queries()}:
            named = get_query(query)
        elif query.endswith(".rq") and "\n" not in query:
            named = load_query_file(query)
        else:
            named = parse_query_text(query, "query")
        return run_query(named, params, store=self.store).to_dataframe()

    def claims(self) -> pandas.DataFrame:
        """Every claim, one row each, in text order: ``claim`` (IRI), ``document`` (IRI), ``id``,
        ``text``, ``source_kind`` and ``mode`` (the annotation format's words), ``claimants``
        (labels, ``; ``-joined), ``cue`` (the cue phrases as written) and ``vague_source``
        (whether a claimant is vague: "human rights groups", "some surgeons")."""
        import pandas

        from graph.rdf.vocab import MODES, SOURCE_KINDS

        rows = self.query("claims")
        words = {str(iri): word for table in (SOURCE_KINDS, MODES) for word, iri in table.items()}
        out = []
        for _claim, group in rows.groupby("claim", sort=False):
            first = group.iloc[0]
            labels = group["claimantLabel"].fillna(group["claimant"])
            out.append({
                "claim": first["claim"],
                "document": first["document"],
                "id": first["id"],
                "text": first["text"],
                "source_kind": words.get(str(first["kind"]), str(first["kind"])),
                "mode": words.get(str(first["mode"]), str(first["mode"])),
                "claimants": "; ".join(sorted(set(labels))),
                "cue": "; ".join(sorted(set(group["cue"].dropna()))),
                "vague_source": bool(group["vague"].fillna(False).astype(bool).any()),
            })
        columns = ["claim", "document", "id", "text", "source_kind", "mode", "claimants", "cue",
                   "vague_source"]
        return pandas.DataFrame(out, columns=columns)

    # ------------------------------------------------------------------ analysing

    def network(self) -> nx.DiGraph:
        """The claim dependency graph (networkx), read from the store by one CONSTRUCT.

        Its nodes and edges are described in :mod:`graph.rdf.projection`.
        """
        if self._network is None:
            from graph.rdf.projection import dependency_graph

            self._network = dependency_graph(self._projection())
        return self._network

    def entity_network(self) -> nx.DiGraph:
        """The entity graph (networkx): who is related to whom according to which claims, each
        claim with its sourcing and corroboration (:func:`graph.rdf.projection.entity_graph`)."""
        from graph.analysis import corroboration_by_claim
        from graph.rdf.projection import entity_graph

        return entity_graph(
            self._projection(with_content=True),
            corroboration=corroboration_by_claim(self.network()),
        )

    def analyze(self) -> dict[str, Any]:
        """Every analysis of every claim (:func:`graph.analysis.analyze`), computed once."""
        if self._summary is None:
            from graph.analysis import analyze

            self._summary = analyze(self.network())
        return self._summary

    def paths(self, claim: str, *, max_paths: int = 20) -> ClaimPaths:
        """Each reporting chain of one claim, its roots, independent roots and the sources every
        chain passes through (as ``claimgraph paths`` prints them)."""
        from graph.analysis import chains, corroboration, describe, dominators, resolve_claim, roots
        from graph.analysis.groups import independence

        G = self.network()
        node = resolve_claim(G, claim)
        independent = independence(G, node)
        return {
            "claim": node,
            "text": str(G.nodes[node].get("text", "")),
            "chains": [describe(G, chain) for chain in chains(G, node, max_paths=max_paths)],
            "roots": roots(G, node),
            "independent_roots": corroboration(G, node),
            "independent_groups": independent["independent_groups"],
            "affiliation_groups": independent["joined"],
            "single_points_of_failure": sorted(dominators(G, node)),
        }

    def compare(self) -> Story:
        """One story across the documents this graph holds (:mod:`graph.story`): claim clusters
        with the outlets that carry them, who copied whom, and drift by kind.

        Read from the store's own named graphs (the ``document-quads`` query), so it works on any
        source; an analyst's cluster decisions recorded in the build are kept.
        """
        from rdflib import Dataset, URIRef

        from graph.rdf.affiliations import read_affiliations
        from graph.sparql.library import run_query
        from graph.story.from_rdf import story_inputs_from_dataset
        from graph.story.model import story_of

        ds = Dataset()
        for g, s, p, o in run_query("document-quads", store=self.store).rows:
            if isinstance(g, URIRef) and s is not None and p is not None and o is not None:
                ds.graph(g).add((s, p, o))
        return story_of(*story_inputs_from_dataset(ds), affiliations=read_affiliations(ds))

    # ------------------------------------------------------------------ showing

    def view(self, kind: ViewKind = "provenance", *, claim: str | None = None) -> View:
        """An offline HTML view: shown inline in Jupyter, written by ``.save(path)``.

        ``kind`` is ``provenance`` (claims, sources, documents), ``entities`` (who is related to
        whom, according to which claims) or ``claim`` (one claim's chains; by default the claim
        with the longest chain).
        """
        from graph import views

        G = self.network()
        if kind == "provenance":
            return views.provenance_view(G, self.analyze())
        if kind == "entities":
            return views.entity_view(self.entity_network(), G)
        if kind == "claim":
            chosen = claim or views.default_claim(G, self.analyze())
            if chosen is None:
                raise NotFoundError(f"{self.source}: holds no claim to show")
            from graph.analysis import resolve_claim

            return views.claim_view(G, resolve_claim(G, chosen))
        raise ValueError(f"unknown view {kind!r}: use provenance, entities or claim")

    # ------------------------------------------------------------------ lifetime

    def close(self) -> None:
        """Close the store (files, connections); the object answers no more questions."""
        self.store.close()

    def __enter__(self) -> ClaimGraph:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<ClaimGraph: {self.source}>"

    # ------------------------------------------------------------------ reading

    def _projection(self, *, with_content: bool = False) -> Dataset:
        """What the projections read, fetched from the store: the dependency subgraph in the
        default graph and, ``with_content``, each claim's own graph."""
        from rdflib import Dataset, URIRef

        from graph.sparql.library import run_query

        if self._projected is None:
            ds = Dataset()
            default = ds.default_graph
            for triple in run_query("dependency-subgraph", store=self.store).triples:
                default.add(triple)
            self._projected = ds
            self._content = False
        if with_content and not self._content:
            for _claim, g, s, p, o in run_query("claim-content", store=self.store).rows:
                if isinstance(g, URIRef) and s is not None and p is not None and o is not None:
                    self._projected.graph(g).add((s, p, o))
            self._content = True
        return self._projected


def open_graph(source: str | Path | None = None) -> ClaimGraph:
    """Open a claim graph from a built file, an annotation folder, an Oxigraph folder, a SPARQL
    endpoint's URL, or (``None``) the bundled article. See the module docstring."""
    from graph.stores import open_store

    if source is None:
        return _built(None)
    text = str(source)
    if text.startswith(("http://", "https://")):
        return ClaimGraph(open_store(text), f"the SPARQL endpoint {text}")
    if text.startswith("oxigraph:"):
        return _oxigraph(Path(text[len("oxigraph:"):]))
    path = Path(text)
    if path.is_dir():
        if _holds_oxigraph_store(path):
            return _oxigraph(path)
        return _built(path)
    if path.is_file():
        if path.suffix in (".yaml", ".yml"):
            return _built(path)
        from graph.rdf.rdfio import read_rdf

        dataset = read_rdf(path)
        return ClaimGraph(open_store("memory", dataset=dataset), f"the graph file {path}")
    raise NotFoundError(
        f"{text}: no such file or folder (give a built graph file, an annotation folder, "
        "an Oxigraph folder, oxigraph:PATH or an http(s):// SPARQL endpoint)"
    )


def _built(path: Path | None) -> ClaimGraph:
    from graph.pipeline.run import build
    from graph.stores import open_store

    result = build([path] if path is not None else None)
    docs = ", ".join(f.document.id for f in result.corpus.files)
    where = "the bundled article" if path is None else f"the annotations in {path}"
    return ClaimGraph(
        open_store("memory", dataset=result.dataset), f"{where} ({docs}), built in memory"
    )


def _oxigraph(path: Path) -> ClaimGraph:
    from graph.stores import open_store

    if not path.is_dir():
        raise NotFoundError(f"{path}: no Oxigraph folder there (load one with claimgraph load)")
    return ClaimGraph(open_store(f"oxigraph:{path}"), f"the Oxigraph store in {path}")


def _holds_oxigraph_store(path: Path) -> bool:
    """An Oxigraph (RocksDB) folder: a ``CURRENT`` file naming its manifest, and options."""
    try:
        return (path / "CURRENT").is_file() and any(path.glob("OPTIONS-*"))
    except OSError as exc:
        raise StoreError(f"{path}: cannot read the folder: {exc.strerror}") from None
