"""The story view: outlets as columns in date order, claim clusters as rows, and the copy graph.

Each cell says whether the outlet carries the claim and how it changed from the earliest version
(the drift items of that cluster for that document), and marks a claim copied word for word. The
table is static HTML, every text escaped by :func:`graph.views.escape.html_text`; the copy graph
below it (documents in date order, copies and citations between them) is drawn by the same page
renderer as the other views, so the page opens offline under the same Content-Security-Policy.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Final

from graph.story.model import Story
from graph.views import View
from graph.views.escape import html_text, plain_text, shorten
from graph.views.render import Page, render_page
from graph.views.style import LegendItem, LegendSection

__all__ = [
    "CITES",
    "COLUMNS_MAX",
    "COPY_CITED",
    "COPY_UNCITED",
    "DOCUMENT_FILL",
    "story_view",
]

COPY_CITED: Final = "#0072B2"
COPY_UNCITED: Final = "#c1121f"
CITES: Final = "#888888"
DOCUMENT_FILL: Final = "#e8dcc0"
_MARKER: Final = '<main class="cg-main">'  # where the table goes: above the graph
COLUMNS_MAX: Final = 40
"""Up to this many documents the table has a column per document; past it, a list per row."""

_TABLE_CSS: Final = """
.cg-story{max-height:46vh;overflow:auto;border-bottom:1px solid #ddd;padding:4px 14px}
.cg-story table{border-collapse:collapse;font-size:12px}
.cg-story th,.cg-story td{border:1px solid #ccc;padding:3px 5px;vertical-align:top;
max-width:220px;overflow-wrap:anywhere}
.cg-story thead th{position:sticky;top:0;background:#f3f3f3}
.cg-story th.cg-row{text-align:left;font-weight:normal;min-width:220px}
td.cg-original{background:#eef6ee}
td.cg-same{background:#f6fbf6}
td.cg-changed{background:#fff1e0}
td.cg-absent{color:#999;text-align:center}
.cg-story .cg-copied{color:#c1121f;font-weight:600}
.cg-story ul{margin:0;padding-left:1.1em}
.cg-story td.cg-list{max-width:none}
.cg-story ul.cg-carried{columns:3 260px}
.cg-story li.cg-original{background:#eef6ee}
.cg-story li.cg-changed{background:#fff1e0}
"""


def _cells(story: Story) -> tuple[list[str], list[list[tuple[str, str, list[str], str]]]]:
    """Row titles, and per row one cell per document: (css class, summary, changes, text)."""
    drift: dict[tuple[str, str], list[str]] = defaultdict(list)
    for d in story.drift:
        if d.cluster is not None:
            drift[d.cluster, d.later.claim].append(f"{d.kind}: {d.change}")
    copied = {c for c, _ in story.claim_copies}
    titles, rows = [], []
    for cluster in story.clusters:
        first = story.claims[cluster.members[0].claim]
        status = "" if cluster.confirmed else " (machine-aligned)"
        titles.append(f"{shorten(plain_text(first.text), 120)}{status}")
        by_doc: dict[str, str] = {}
        for key in cluster.claims:
            by_doc.setdefault(story.claims[key].document, key)
        row: list[tuple[str, str, list[str], str]] = []
        for doc in story.documents:
            if doc.id not in by_doc:
                row.append(("cg-absent", "—", [], ""))
                continue
            key = by_doc[doc.id]
            text = plain_text(story.claims[key].text, 400)
            changes = drift.get((cluster.id, key), [])
            mark = " · copied" if key in copied else ""
            if key == cluster.members[0].claim:
                row.append(("cg-original", f"earliest{mark}", [], text))
            elif changes:
                row.append(("cg-changed", f"changed{mark}", changes, text))
            else:
                row.append(("cg-same", f"same{mark}", [], text))
        rows.append(row)
    return titles, rows


def _table(story: Story, columns_max: int) -> str:
    if len(story.documents) > columns_max:
        return _list_table(story)
    titles, rows = _cells(story)
    head = "".join(
        f"<th>{html_text(d.outlet)}<br><small>{html_text(d.date or 'undated')}</small></th>"
        for d in story.documents
    )
    body = []
    for title, row in zip(titles, rows, strict=True):
        cells = []
        for css, summary, changes, text in row:
            items = "".join(f"<li>{html_text(c)}</li>" for c in changes)
            marked = html_text(summary).replace(
                "copied", '<span class="cg-copied">copied</span>')
            detail = f"<ul>{items}</ul>" if items else ""
            cells.append(f'<td class="{css}" title="{html_text(text)}">{marked}{detail}</td>')
        body.append(f'<tr><th class="cg-row" scope="row">{html_text(title)}</th>'
                    f'{"".join(cells)}</tr>')
    alone: dict[str, int] = defaultdict(int)
    for d in story.drift:
        if d.kind == "only-here":
            alone[d.later.document] += 1
    footer = "".join(f"<td>{alone.get(d.id, 0)}</td>" for d in story.documents)
    return (
        '<section class="cg-story" aria-label="claims by outlet">'
        f"<style>{_TABLE_CSS}</style><table><thead><tr><th>claim (earliest wording)</th>{head}"
        f"</tr></thead><tbody>{''.join(body)}</tbody><tfoot><tr><th class=\"cg-row\">claims "
        f"in this version only</th>{footer}</tr></tfoot></table></section>"
    )


def _list_table(story: Story) -> str:
    """Past :data:`COLUMNS_MAX` documents a column each would make a table of millions of mostly
    empty cells: each row lists the documents that carry the claim instead, in date order."""
    titles, rows = _cells(story)
    body = []
    for title, row in zip(titles, rows, strict=True):
        items = []
        for doc, (css, summary, changes, text) in zip(story.documents, row, strict=True):
            if css == "cg-absent":
                continue
            marked = html_text(summary).replace(
                "copied", '<span class="cg-copied">copied</span>')
            detail = f"<ul>{''.join(f'<li>{html_text(c)}</li>' for c in changes)}</ul>" if (
                changes) else ""
            items.append(f'<li class="{css}" title="{html_text(text)}">'
                         f"{html_text(doc.outlet)} <small>{html_text(doc.date or 'undated')}"
                         f"</small>: {marked}{detail}</li>")
        body.append(f'<tr><th class="cg-row" scope="row">{html_text(title)}</th>'
                    f'<td class="cg-list"><ul class="cg-carried">{"".join(items)}</ul></td></tr>')
    alone: dict[str, int] = defaultdict(int)
    for d in story.drift:
        if d.kind == "only-here":
            alone[d.later.document] += 1
    only = "; ".join(f"{html_text(d.outlet)} {html_text(d.date or 'undated')}: {alone[d.id]}"
                     for d in story.documents if alone.get(d.id))
    return (
        '<section class="cg-story" aria-label="claims by outlet">'
        f"<style>{_TABLE_CSS}</style><table><thead><tr><th>claim (earliest wording)</th>"
        f"<th>carried by ({len(story.documents):,} documents in date order)</th></tr></thead>"
        f"<tbody>{''.join(body)}</tbody><tfoot><tr><th class=\"cg-row\">claims in one "
        f"version only</th><td>{only or 'none'}</td></tr></tfoot></table></section>"
    )


def _graph(story: Story) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    dates = sorted({d.date or "9999" for d in story.documents})
    level = {date: i for i, date in enumerate(dates)}
    nodes: list[dict[str, object]] = []
    for d in story.documents:
        nodes.append({
            "id": d.id,
            "label": f"{shorten(plain_text(d.outlet), 28)}\n{d.date or 'undated'}",
            "shape": "box",
            "color": DOCUMENT_FILL,
            "level": level[d.date or "9999"],
            "search": f"{d.outlet} {d.title}",
            "tip": [["document", plain_text(d.title, 300)], ["outlet", plain_text(d.outlet)],
                    ["published", d.date or "undated"]],
        })
    known = {d.id for d in story.documents}
    edges: dict[tuple[str, str], dict[str, object]] = {}
    for d in story.documents:
        for cited in sorted(d.cites & known):
            edges[d.id, cited] = {"from": d.id, "to": cited, "label": "cites", "color": CITES,
                                  "dashes": True, "tip": [["", "cites (stated by the text)"]]}
    for c in story.copies:
        label = f"copied {c.words} words" + ("" if c.cited else ", uncited")
        if not c.ordered:
            label += " (order unknown)"
        edges[c.copy, c.source] = {
            "from": c.copy, "to": c.source, "label": label,
            "color": COPY_CITED if c.cited else COPY_UNCITED, "width": 2.5,
            "tip": [["text reuse", label],
                    ["passages", str(len(c.passages))],
                    ["names its source", "yes" if c.cited else "no"]],
        }
    return nodes, list(edges.values())


def _place_in_columns(story: Story, nodes: list[dict[str, object]]) -> None:
    """Documents in date columns, stacked in each, as the hierarchical layout would place them
    (that layout takes tens of seconds in the browser at hundreds of documents)."""
    dates = sorted({d.date or "9999" for d in story.documents})
    column = {date: i for i, date in enumerate(dates)}
    row: dict[str, int] = defaultdict(int)
    places = {}
    for d in story.documents:
        date = d.date or "9999"
        places[d.id] = (column[date] * 330.0, row[date] * 90.0)
        row[date] += 1
    for node in nodes:
        node["x"], node["y"] = places[str(node["id"])]


def story_view(story: Story, *, title: str | None = None,
               columns_max: int = COLUMNS_MAX) -> View:
    """The story as one offline HTML page: the table of claims by outlet and the copy graph.

    With more than ``columns_max`` documents each row of the table lists the documents carrying
    its claim instead of giving every document a column.
    """
    nodes, edges = _graph(story)
    large = len(story.documents) > columns_max
    if large:
        _place_in_columns(story, nodes)
    page = Page(
        title=title or f"One story across {len(story.documents)} documents",
        summary=(
            f"{len(story.clusters)} claims carried by more than one document (rows), "
            f"{len(story.documents)} documents in date order (columns); below, who copied whom. "
            "Alignments are the machine's unless an analyst confirmed them."
            + "".join(f" Outlets that count as one: {', '.join(g.outlets)} — "
                      f"{'; '.join(g.affiliations)}." for g in story.outlet_groups)
        ),
        nodes=nodes,
        edges=edges,
        legend=(
            LegendSection("Documents", (LegendItem("document (outlet, date)", DOCUMENT_FILL,
                                                   "square", "#7a6634"),)),
            LegendSection("Between documents", (
                LegendItem("copied text, source named", COPY_CITED, "line"),
                LegendItem("copied text, no source named", COPY_UNCITED, "line"),
                LegendItem("cites (as the text states)", CITES, "dashed"),
            )),
        ),
        hierarchical=not large,
        # many documents: the columns are placed here, so the page runs no layout at all
        options={"physics": {"enabled": False}, "layout": {"improvedLayout": False},
                 "edges": {"smooth": False}} if large else {},
    )
    html = render_page(page)
    if _MARKER not in html:
        raise RuntimeError("the page template changed: no place for the story table")
    html = html.replace(_MARKER, _table(story, columns_max) + _MARKER, 1)
    return View(html, page.title, len(nodes), len(edges))
