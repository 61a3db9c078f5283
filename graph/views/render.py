"""The renderer: pyvis collects nodes and edges; this module owns the page around them.

Every pyvis import lives here, and only inside functions (pyvis imports IPython at import
time). pyvis's own template is not used: it links bootstrap from a CDN, inserts headings,
menu entries and some tooltips as raw HTML, and never stops its physics. The page here is one
self-contained file instead:

* vis-network's JavaScript, shipped inside the pyvis package, is inlined; there is no ``<link>``,
  no ``src=`` and no URL to fetch, and a Content-Security-Policy forbids any request
  (``default-src 'none'``) and any script but the page's own (by hash);
* all graph data travels as one JSON document in a ``<script type="application/json">``
  element, escaped by :func:`graph.views.escape.script_json`; hover panels are DOM elements
  built with ``textContent``, labels are drawn on the canvas, so no datum is ever parsed as HTML;
* the layout stabilises, then physics is switched off, so the picture stops moving; then nodes
  whose boxes (shape and label) overlap are pushed apart until no two labels overprint (a
  hierarchical layout keeps its columns: its nodes move only vertically).

Long because the page's own template (HTML, CSS and script, about 290 lines at the end) stays
beside the code that fills it and hashes its script for the Content-Security-Policy.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import importlib.util
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from graph.views.escape import html_text, script_json
from graph.views.expand import EXPAND_JS, Part, pack_part
from graph.views.style import LegendItem, LegendSection

__all__ = [
    "VIS_NETWORK_FILE",
    "FilterGroup",
    "Page",
    "collect",
    "render_page",
    "vis_network_js",
]

VIS_NETWORK_FILE: Final = ("templates", "lib", "vis-9.1.2", "vis-network.min.js")


@dataclass(frozen=True)
class FilterGroup:
    """Checkboxes that show or hide nodes by the value of one of their fields."""

    title: str
    field: str
    options: tuple[tuple[str, str], ...]  # (value, label)


@dataclass(frozen=True)
class Page:
    """Everything one view page shows. ``nodes`` and ``edges`` are vis-network items.

    Besides vis-network's own keys, a node or edge may carry ``tip`` (rows of
    ``[heading, text]`` for its hover panel), ``search`` (text the search box matches) and the
    fields named by ``filters``. Nothing here is trusted: all of it is escaped when rendered.

    An overview also has ``parts`` (see :mod:`graph.views.expand`): each unfolds its hub node
    in the page; an overview edge marked ``counted`` stands for its hub's members' edges and
    gives way to them while the hub is open.
    """

    title: str
    summary: str
    nodes: list[dict[str, Any]]
    edges: list[dict[str, Any]]
    legend: tuple[LegendSection, ...] = ()
    filters: tuple[FilterGroup, ...] = ()
    notice: str | None = None
    hierarchical: bool = False
    options: Mapping[str, Any] = field(default_factory=dict)
    parts: tuple[Part, ...] = ()
    part_word: tuple[str, str] = ("part", "parts")  # how the page names a part, one and many


@functools.cache
def vis_network_js() -> str:
    """vis-network's minified JavaScript, read from the installed pyvis package (not imported)."""
    spec = importlib.util.find_spec("pyvis")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("pyvis is not installed; the views need its copy of vis-network")
    path = Path(next(iter(spec.submodule_search_locations))).joinpath(*VIS_NETWORK_FILE)
    code = path.read_text(encoding="utf-8")
    code = re.sub(r"^//# sourceMappingURL=.*$", "", code, flags=re.MULTILINE)
    if re.search(r"</script|<!--", code, flags=re.IGNORECASE):
        raise RuntimeError(f"{path} cannot be inlined in a <script> element")
    return code


def collect(nodes: Sequence[Mapping[str, Any]], edges: Sequence[Mapping[str, Any]]) -> tuple[
    list[dict[str, Any]], list[dict[str, Any]]
]:
    """Pass nodes and edges through pyvis's ``Network`` (it checks ids and edge ends)."""
    from pyvis.network import Network  # lazy: pyvis imports IPython

    net = Network(directed=True, cdn_resources="in_line")
    for node in nodes:
        options = {k: v for k, v in node.items() if k not in ("id", "label", "shape", "color")}
        net.add_node(node["id"], label=node.get("label", ""), shape=node.get("shape", "dot"),
                     color=node.get("color", "#97c2fc"), **options)
    for edge in edges:
        options = {k: v for k, v in edge.items() if k not in ("from", "to")}
        net.add_edge(edge["from"], edge["to"], **options)
    return list(net.nodes), list(net.edges)


def _options(page: Page, node_count: int) -> dict[str, Any]:
    iterations = max(150, min(1000, 250_000 // max(node_count, 1)))
    options: dict[str, Any] = {
        "autoResize": True,
        "nodes": {"font": {"size": 14, "face": "sans-serif", "strokeWidth": 3,
                           "strokeColor": "#ffffff"}, "borderWidth": 1.5},
        "edges": {"smooth": {"type": "continuous"}, "font": {"size": 11, "align": "horizontal",
                  "strokeWidth": 3, "strokeColor": "#ffffff", "color": "#444444"},
                  # Edge labels appear once zoomed in past the overview (a label is drawn when
                  # size × zoom reaches the threshold), where they have room; the hover panel
                  # and the legend say the same at any zoom.
                  "scaling": {"label": {"enabled": False, "drawThreshold": 14}},
                  "arrows": {"to": {"enabled": True, "scaleFactor": 0.6}}},
        "interaction": {"hover": True, "tooltipDelay": 120, "navigationButtons": False,
                        "keyboard": False, "hideEdgesOnDrag": node_count > 400},
        "physics": {"enabled": True, "solver": "forceAtlas2Based",
                    "forceAtlas2Based": {"gravitationalConstant": -90, "centralGravity": 0.012,
                                         "springLength": 110, "springConstant": 0.06,
                                         "avoidOverlap": 0.4},
                    "stabilization": {"enabled": True, "iterations": iterations,
                                      "updateInterval": 25, "fit": True},
                    "minVelocity": 1.0},
    }
    if page.hierarchical:
        options["layout"] = {"hierarchical": {"enabled": True, "direction": "LR",
                                              "sortMethod": "directed", "levelSeparation": 330,
                                              "nodeSpacing": 90, "shakeTowards": "roots"}}
        options["physics"] = {"enabled": False}
        options["edges"]["smooth"] = {"type": "cubicBezier", "forceDirection": "horizontal"}
        # few nodes, in columns: the relation names fit between the columns at first sight
        options["edges"]["scaling"] = {"label": {"enabled": False, "drawThreshold": 9}}
    for key, value in page.options.items():  # a page's own options, merged one level deep
        base = options.get(key)
        options[key] = {**base, **value} if isinstance(base, dict) and isinstance(
            value, Mapping) else value
    return options


def _legend_sample(item: LegendItem) -> str:
    """An inline SVG sample of a node shape or edge style (from our own constants only)."""
    fill, stroke = html_text(item.color), html_text(item.border)
    width = html_text(item.border_width)
    dash = ' stroke-dasharray="3 2"' if item.dashed_border else ""
    paint = f'fill="{fill}" stroke="{stroke}" stroke-width="{width}"{dash}'
    shapes = {
        "dot": f'<circle cx="9" cy="9" r="6.5" {paint}/>',
        "square": f'<rect x="3" y="3" width="12" height="12" {paint}/>',
        "diamond": f'<polygon points="9,1.5 16.5,9 9,16.5 1.5,9" {paint}/>',
        "triangle": f'<polygon points="9,2 16.5,15.5 1.5,15.5" {paint}/>',
        "triangleDown": f'<polygon points="1.5,2.5 16.5,2.5 9,16" {paint}/>',
        "star": f'<polygon points="9,1.5 11,7 16.5,7 12,10.5 13.8,16 9,12.6 4.2,16 6,10.5 '
                f'1.5,7 7,7" {paint}/>',
        "hexagon": f'<polygon points="5,2 13,2 17,9 13,16 5,16 1,9" {paint}/>',
        "line": f'<line x1="1" y1="9" x2="17" y2="9" stroke="{fill}" stroke-width="2.5"/>',
        "dashed": f'<line x1="1" y1="9" x2="17" y2="9" stroke="{fill}" stroke-width="2.5" '
                  'stroke-dasharray="4 3"/>',
    }
    svg = shapes.get(item.shape, shapes["dot"])
    return f'<svg width="18" height="18" viewBox="0 0 18 18" aria-hidden="true">{svg}</svg>'


def _legend_html(legend: Sequence[LegendSection]) -> str:
    parts = []
    for section in legend:
        rows = "".join(f"<li>{_legend_sample(i)}<span>{html_text(i.text)}</span></li>"
                       for i in section.items)
        parts.append(f"<h3>{html_text(section.title)}</h3><ul>{rows}</ul>")
    return "".join(parts)


def _csp_hash(code: str) -> str:
    digest = hashlib.sha256(code.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def render_page(page: Page) -> str:
    """The complete, self-contained HTML page of a view."""
    nodes, edges = collect(page.nodes, page.edges)
    data = {
        "nodes": nodes,
        "edges": edges,
        "options": _options(page, len(nodes)),
        "filters": [{"title": g.title, "field": g.field, "options": [list(o) for o in g.options]}
                    for g in page.filters],
        "hierarchical": page.hierarchical,
    }
    scripts = [_PAGE_JS]
    parts = ""
    if page.parts:
        data["parts"] = {part.hub: 1 for part in page.parts}
        data["partWord"] = list(page.part_word)
        packed = {part.hub: pack_part(part) for part in page.parts}
        parts = (f'<script type="application/json" id="cg-parts">{script_json(packed)}'
                 "</script>\n")
        scripts.append(EXPAND_JS)
    vis_js = vis_network_js()
    csp = "; ".join([
        "default-src 'none'",
        f"script-src {_csp_hash(vis_js)} " + " ".join(_csp_hash(code) for code in scripts),
        "style-src 'unsafe-inline'",
        "img-src data:",
        "base-uri 'none'",
        "form-action 'none'",
    ])
    notice = (f'<p class="cg-notice" role="status">{html_text(page.notice)}</p>'
              if page.notice else "")
    return _TEMPLATE.format(
        csp=html_text(csp),
        title=html_text(page.title),
        summary=html_text(page.summary),
        notice=notice,
        legend=_legend_html(page.legend),
        css=_PAGE_CSS,
        data=script_json(data),
        vis_js=vis_js,
        parts=parts,
        page_js="".join(f"<script>{code}</script>\n" for code in scripts),
    )


_TEMPLATE: Final = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{csp}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>{css}</style>
</head>
<body>
<header class="cg-head">
<h1>{title}</h1>
<p class="cg-summary">{summary}</p>
{notice}
<div class="cg-controls">
<label>Search <input id="cg-search" type="search" autocomplete="off"
 placeholder="label or claim text"></label>
<span id="cg-matches" aria-live="polite"></span>
<span id="cg-filters"></span>
<span id="cg-status" aria-live="polite">Laying out…</span>
</div>
</header>
<main class="cg-main">
<div id="cg-network" aria-label="graph"></div>
<aside class="cg-legend" aria-label="legend"><h2>Legend</h2>{legend}
<p class="cg-hint">Hover a node or edge for details; drag to move, scroll to zoom.</p>
<details id="cg-list"><summary>All items as text</summary><ol id="cg-list-items"></ol></details>
</aside>
</main>
<script type="application/json" id="cg-data">{data}</script>
{parts}<script>{vis_js}</script>
{page_js}</body>
</html>
"""

_PAGE_CSS: Final = """
*{box-sizing:border-box}
html,body{margin:0;height:100%;font:14px/1.35 system-ui,-apple-system,"Segoe UI",Roboto,
"DejaVu Sans",sans-serif;color:#1d1d1d;background:#fff}
body{display:flex;flex-direction:column;min-height:420px}
.cg-head{padding:8px 14px 6px;border-bottom:1px solid #ddd;background:#fafafa}
.cg-head h1{font-size:18px;margin:0 0 2px;overflow-wrap:anywhere}
.cg-summary{margin:0;color:#444}
.cg-notice{margin:4px 0 0;padding:3px 8px;background:#fff4d6;border:1px solid #e6c36a;
border-radius:3px}
.cg-controls{display:flex;flex-wrap:wrap;gap:6px 14px;align-items:center;margin-top:6px}
.cg-controls input[type=search]{width:16em;padding:2px 4px}
#cg-filters{display:flex;flex-wrap:wrap;gap:4px 12px}
#cg-filters fieldset{border:1px solid #ccc;border-radius:3px;padding:0 6px 2px;margin:0}
#cg-filters legend{font-size:12px;color:#555;padding:0 3px}
#cg-filters label{font-size:12px;margin-right:8px;white-space:nowrap}
#cg-status,#cg-matches{color:#666;font-size:12px}
.cg-main{flex:1;display:flex;min-height:0}
#cg-network{flex:1;min-width:0;position:relative}
.cg-legend{width:250px;overflow:auto;border-left:1px solid #ddd;padding:6px 10px;
background:#fcfcfc;font-size:13px}
.cg-legend h2{font-size:15px;margin:0 0 4px}
.cg-legend h3{font-size:13px;margin:8px 0 3px;color:#333}
.cg-legend ul{list-style:none;margin:0;padding:0}
.cg-legend li{display:flex;gap:6px;align-items:center;margin:2px 0}
.cg-legend svg{flex:none}
.cg-hint{color:#666;font-size:12px}
#cg-list ol{padding-left:1.4em;font-size:12px;overflow-wrap:anywhere}
div.vis-tooltip{position:absolute;visibility:hidden;max-width:440px;padding:6px 8px;
white-space:normal;font-size:13px;color:#111;background:#fffef4;border:1px solid #999;
border-radius:3px;box-shadow:2px 2px 6px rgba(0,0,0,.2);pointer-events:none;z-index:5;
overflow-wrap:anywhere}
.cg-tip div{margin:1px 0}
.cg-tip b{font-weight:600}
"""

_PAGE_JS: Final = r"""
(function () {
  "use strict";
  var raw = JSON.parse(document.getElementById("cg-data").textContent);
  var status = document.getElementById("cg-status");

  function tipElement(rows) {
    var box = document.createElement("div");
    box.className = "cg-tip";
    rows.forEach(function (row) {
      var line = document.createElement("div");
      if (row[0]) {
        var key = document.createElement("b");
        key.textContent = row[0] + ": ";
        line.appendChild(key);
      }
      line.appendChild(document.createTextNode(String(row[1])));
      box.appendChild(line);
    });
    return box;
  }
  // An overview builds a hover panel when the pointer first reaches its item: tens of
  // thousands of panels built up front would delay the first picture by seconds.
  var lazyTips = Boolean(raw.parts);
  function prepare(item) {
    if (Array.isArray(item.tip) && !lazyTips) { item.title = tipElement(item.tip); }
    else { delete item.title; }
    return item;
  }
  var nodes = new vis.DataSet(raw.nodes.map(prepare));
  var edges = new vis.DataSet(raw.edges.map(prepare));
  var container = document.getElementById("cg-network");
  var network = new vis.Network(container, {nodes: nodes, edges: edges}, raw.options);
  var view = {network: network, nodes: nodes, edges: edges, stable: raw.hierarchical,
              raw: raw, prepare: prepare};
  window.claimgraphView = view;
  function withTip(data, id) {
    var item = data.get(id);
    if (item && !item.title && Array.isArray(item.tip)) {
      data.update({id: id, title: tipElement(item.tip)});
    }
  }
  if (lazyTips) {
    network.on("hoverNode", function (p) { withTip(nodes, p.node); });
    network.on("hoverEdge", function (p) { withTip(edges, p.edge); });
  }

  // No two labels may overprint: nodes whose boxes (shape and label, plus a margin) overlap
  // are pushed apart along the axis that frees them soonest, sweeping boxes sorted by their
  // left edge, until none overlap. In columns (hierarchical) nodes move only vertically.
  function separate(vertical) {
    var margin = 6, items = [], pos;
    network.redraw();  // a node's bounding box includes its label once drawn
    pos = network.getPositions();
    Object.keys(pos).forEach(function (id) {
      var node = network.body.nodes[id], box, p = pos[id];
      if (!node || node.options.hidden) { return; }
      box = network.getBoundingBox(id);
      items.push({id: id, x: p.x, y: p.y, l: box.left - p.x - margin,
                  r: box.right - p.x + margin, t: box.top - p.y - margin,
                  b: box.bottom - p.y + margin});
    });
    function overlapping(a, c) {
      var dx = Math.min(a.x + a.r, c.x + c.r) - Math.max(a.x + a.l, c.x + c.l);
      var dy = Math.min(a.y + a.b, c.y + c.b) - Math.max(a.y + a.t, c.y + c.t);
      return dx > 0 && dy > 0 ? [dx, dy] : null;
    }
    for (var round = 0; round < 500; round++) {
      var moved = false;
      items.sort(function (a, c) { return (a.x + a.l) - (c.x + c.l); });
      for (var i = 0; i < items.length; i++) {
        for (var j = i + 1; j < items.length; j++) {
          var a = items[i], c = items[j], d;
          if (c.x + c.l >= a.x + a.r) { break; }
          d = overlapping(a, c);
          if (!d) { continue; }
          moved = true;
          if (!vertical && d[0] < d[1]) {
            var sx = (a.x + (a.l + a.r) / 2 <= c.x + (c.l + c.r) / 2 ? 1 : -1) * (d[0] / 2 + 0.5);
            a.x -= sx; c.x += sx;
          } else {
            var sy = (a.y + (a.t + a.b) / 2 <= c.y + (c.t + c.b) / 2 ? 1 : -1) * (d[1] / 2 + 0.5);
            a.y -= sy; c.y += sy;
          }
        }
      }
      if (!moved) { break; }
    }
    // Positions are set on the nodes themselves and drawn once: moveNode would redraw the
    // whole network once per node.
    items.forEach(function (it) {
      network.body.nodes[it.id].x = it.x;
      network.body.nodes[it.id].y = it.y;
    });
    network.redraw();
  }

  // An edge label drawn at first sight that would cover another label is left out (the
  // edge's colour, the legend and its hover panel still say what it is).
  function hideCrowdedEdgeLabels() {
    var kept = [], hide = [];
    function box(label) {
      var s = label.size;
      return [s.left, s.top, s.left + s.width, s.top + s.height];
    }
    function hits(b) {
      return kept.some(function (k) {
        return Math.min(b[2], k[2]) > Math.max(b[0], k[0]) &&
          Math.min(b[3], k[3]) > Math.max(b[1], k[1]);
      });
    }
    function shown(label) { return label && label.lines && label.visible() && label.size.width; }
    network.redraw();
    network.body.nodeIndices.forEach(function (id) {
      var label = network.body.nodes[id].labelModule;
      if (shown(label)) { kept.push(box(label)); }
    });
    network.body.edgeIndices.forEach(function (id) {
      var label = network.body.edges[id].labelModule, b;
      if (!shown(label)) { return; }
      b = box(label);
      // (an empty label is ignored by vis-network; a threshold no zoom reaches is not)
      if (hits(b)) {
        hide.push({id: id, scaling: {label: {enabled: false, drawThreshold: 1e9}}});
      } else { kept.push(b); }
    });
    if (hide.length) { edges.update(hide); }
  }

  view.separate = separate;
  view.hideCrowdedEdgeLabels = hideCrowdedEdgeLabels;
  // When the picture first appeared and when it settled (ms since the page was opened).
  view.timing = {painted: null, settled: null};
  network.once("afterDrawing", function () { view.timing.painted = performance.now(); });

  function settled() {
    network.setOptions({physics: false});
    separate(raw.hierarchical);
    network.fit({maxZoomLevel: 1.1});
    hideCrowdedEdgeLabels();
    view.stable = true;
    view.timing.settled = performance.now();
    status.textContent = raw.parts ? "Click a " + raw.partWord[0] + " to open it" : "";
  }
  if (raw.nodes.length === 0) {
    settled();
  } else if (raw.hierarchical || raw.options.physics.enabled === false) {
    // label sizes are known once the network has drawn itself
    network.once("afterDrawing", settled);
  } else {
    network.on("stabilizationProgress", function (p) {
      status.textContent = "Laying out… " + Math.round(100 * p.iterations / p.total) + "%";
    });
    network.once("stabilizationIterationsDone", settled);
  }

  // Filters: a node shows when every filter group has its value ticked.
  var hiddenValues = {};
  var filterBox = document.getElementById("cg-filters");
  raw.filters.forEach(function (group) {
    hiddenValues[group.field] = {};
    var set = document.createElement("fieldset");
    var legend = document.createElement("legend");
    legend.textContent = group.title;
    set.appendChild(legend);
    group.options.forEach(function (option) {
      var label = document.createElement("label");
      var box = document.createElement("input");
      box.type = "checkbox";
      box.checked = true;
      box.dataset.field = group.field;
      box.value = option[0];
      box.addEventListener("change", function () {
        if (box.checked) { delete hiddenValues[group.field][option[0]]; }
        else { hiddenValues[group.field][option[0]] = true; }
        applyFilters();
      });
      label.appendChild(box);
      label.appendChild(document.createTextNode(" " + option[1]));
      set.appendChild(label);
    });
    filterBox.appendChild(set);
  });
  function isShown(node) {
    return raw.filters.every(function (group) {
      var value = node[group.field];
      return value === undefined || !hiddenValues[group.field][value];
    });
  }
  // (over what is drawn: an overview's open parts add nodes and edges)
  function applyFilters() {
    var shown = {};
    var filtering = Object.keys(hiddenValues).some(function (field) {
      return Object.keys(hiddenValues[field]).length > 0;
    });
    // nothing filtered out and nothing hidden: no item to touch (an overview has thousands)
    if (!filtering && !nodes.get({filter: function (n) { return n.hidden; }}).length) {
      fillList();
      return;
    }
    nodes.update(nodes.get().map(function (n) {
      shown[n.id] = isShown(n);
      return {id: n.id, hidden: !shown[n.id]};
    }));
    edges.update(edges.get().map(function (e) {
      return {id: e.id, hidden: !(shown[e.from] && shown[e.to])};
    }));
    fillList();
  }
  view.applyFilters = applyFilters;

  // Search: selects and frames the nodes whose label or text contains the query.
  var search = document.getElementById("cg-search");
  var matchesOut = document.getElementById("cg-matches");
  function runSearch(frame) {
    var q = search.value.trim().toLowerCase();
    if (!q) { network.unselectAll(); matchesOut.textContent = ""; return []; }
    var ids = nodes.get({filter: function (n) {
      return isShown(n) && String(n.search || n.label || "").toLowerCase().indexOf(q) >= 0;
    }}).map(function (n) { return n.id; });
    network.selectNodes(ids);
    matchesOut.textContent = ids.length + (ids.length === 1 ? " match" : " matches");
    if (frame && ids.length) { network.fit({nodes: ids, animation: false}); }
    return ids;
  }
  // In an overview, Enter also opens the first parts whose members match (a promise).
  var opened = 10;
  function searchParts() {
    var q = search.value.trim().toLowerCase();
    if (!q || !view.searchParts) { return runSearch(true); }
    return view.searchParts(q, opened).then(function (hubs) {
      var ids = runSearch(true), word = raw.partWord[hubs.length === 1 ? 0 : 1];
      if (hubs.length) {
        matchesOut.textContent += " · in " + hubs.length + " " + word +
          (hubs.length > opened ? " (the first " + opened + " opened)" : "");
      }
      return ids;
    });
  }
  search.addEventListener("input", function () { runSearch(false); });
  search.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter") { searchParts(); }
  });
  view.search = function (q) { search.value = q; return runSearch(true); };
  view.searchAll = function (q) { search.value = q; return Promise.resolve(searchParts()); };

  // The same items as plain text, for reading, copying and screen readers.
  var list = document.getElementById("cg-list");
  var listItems = document.getElementById("cg-list-items");
  function fillList() {
    if (!list.open) { return; }
    listItems.textContent = "";
    nodes.get().forEach(function (n) {
      if (!isShown(n)) { return; }
      var li = document.createElement("li");
      var rows = Array.isArray(n.tip) ? n.tip : [["", n.label]];
      li.appendChild(tipElement(rows));
      listItems.appendChild(li);
    });
  }
  list.addEventListener("toggle", fillList);
})();
"""
