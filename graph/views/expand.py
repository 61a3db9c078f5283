"""Expandable parts of an overview page: how each part's data is packed, and the script that
unpacks it.

An overview draws one node per part (a document and its claims, a group of entities) and keeps
what the part holds aside, so the page opens fast at any size: every part is its own JSON
document, gzip-compressed and base64-encoded (claim texts and hover rows repeat a lot; packing
makes them about a tenth of their size), all in one ``<script type="application/json">``
element that the page reads only when a part is first opened. The browser inflates a part with
its own ``DecompressionStream``; nothing is fetched, so the page stays offline and under the
same Content-Security-Policy.

A part's edges name their ends by node id; an edge whose far end belongs to another part also
names that part (``via``), and is drawn to it while it is folded.
"""

from __future__ import annotations

import base64
import gzip
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

__all__ = ["EXPAND_JS", "Part", "pack_part", "unpack_part"]


@dataclass(frozen=True)
class Part:
    """What one overview node (``hub``) unfolds into: vis-network nodes and edges."""

    hub: str
    nodes: Sequence[Mapping[str, Any]]
    edges: Sequence[Mapping[str, Any]]


def pack_part(part: Part) -> str:
    """A part as base64 of gzip of its JSON: deterministic (no timestamp in the gzip header).

    >>> unpack_part(pack_part(Part("d", [{"id": "c1"}], []))) == {"nodes": [{"id": "c1"}],
    ...                                                          "edges": []}
    True
    """
    text = json.dumps({"nodes": list(part.nodes), "edges": list(part.edges)},
                      ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return base64.b64encode(gzip.compress(text.encode("utf-8"), mtime=0)).decode("ascii")


def unpack_part(packed: str) -> dict[str, Any]:
    """The inverse of :func:`pack_part` (what the page's script does, for tests and tools)."""
    value = json.loads(gzip.decompress(base64.b64decode(packed)).decode("utf-8"))
    if not isinstance(value, dict):
        raise ValueError("a packed part is a JSON object")
    return value


EXPAND_JS: Final = r"""
(function () {
  "use strict";
  var view = window.claimgraphView, raw = view.raw, network = view.network;
  var packedElement = document.getElementById("cg-parts");
  if (!packedElement || !raw.parts) { return; }
  var packed = null, decoded = {}, expanded = {}, order = [];
  var status = document.getElementById("cg-status");

  function isPart(id) { return Object.prototype.hasOwnProperty.call(raw.parts, id); }
  function unpack(hub) {
    if (!decoded[hub]) {
      if (packed === null) { packed = JSON.parse(packedElement.textContent); }
      var text = atob(packed[hub]), bytes = new Uint8Array(text.length);
      for (var i = 0; i < text.length; i++) { bytes[i] = text.charCodeAt(i); }
      var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
      decoded[hub] = new Response(stream).text().then(JSON.parse);
    }
    return decoded[hub];
  }

  // The edges to draw: the overview's own, but a count edge of an open part gives way to its
  // members' edges; a member edge goes to its far end if drawn, else to that end's part.
  function rewire() {
    var want = {}, drawn = {}, stale = [];
    view.nodes.getIds().forEach(function (id) { drawn[id] = true; });
    raw.edges.forEach(function (e) {
      if (!(e.counted && expanded[e.from])) { want[e.id] = e; }
    });
    order.forEach(function (hub) {
      expanded[hub].edges.forEach(function (e, i) {
        var to = drawn[e.to] ? e.to : e.via;
        if (!drawn[e.from] || !drawn[to]) { return; }
        var id = hub + "\u0000" + i + "\u0000" + to;
        want[id] = Object.assign({}, e, {id: id, to: to});
      });
    });
    view.edges.getIds().forEach(function (id) {
      if (want[id]) { delete want[id]; } else { stale.push(id); }
    });
    view.edges.remove(stale);
    view.edges.add(Object.keys(want).map(function (id) {
      return view.prepare(Object.assign({}, want[id]));
    }));
  }

  // Members appear in rows under their part's node; then labels are kept apart as on opening.
  function place(hub, members) {
    var at = network.getPositions([hub])[hub], columns = Math.ceil(Math.sqrt(members.length));
    return members.map(function (n, i) {
      var item = view.prepare(Object.assign({}, n));
      item.x = at.x + (i % columns - (columns - 1) / 2) * 240;
      item.y = at.y + 70 + Math.floor(i / columns) * 56;
      return item;
    });
  }

  // Open several parts at once: one rewiring and one separation for all of them.
  function expandAll(hubs) {
    hubs = hubs.filter(isPart);
    return Promise.all(hubs.map(unpack)).then(function (parts) {
      var added = [], ids = [];
      parts.forEach(function (part, i) {
        var hub = hubs[i];
        part.nodes.forEach(function (n) { ids.push(n.id); });
        if (expanded[hub]) { return; }
        expanded[hub] = part;
        order.push(hub);
        added = added.concat(place(hub, part.nodes));
      });
      if (added.length) {
        view.nodes.add(added);
        rewire();
        view.applyFilters();
        view.separate(false);
        view.hideCrowdedEdgeLabels();
      }
      status.textContent = "";
      return ids;
    });
  }
  function collapse(hub) {
    var part = expanded[hub];
    if (!part) { return; }
    delete expanded[hub];
    order.splice(order.indexOf(hub), 1);
    view.nodes.remove(part.nodes.map(function (n) { return n.id; }));
    rewire();
    view.applyFilters();
  }
  function toggle(hub) {
    if (expanded[hub]) { collapse(hub); return Promise.resolve([]); }
    status.textContent = "Opening…";
    return expandAll([hub]).then(function (ids) {
      network.fit({nodes: [hub].concat(ids), animation: false, maxZoomLevel: 1.1});
      return ids;
    });
  }
  network.on("click", function (p) {
    if (p.nodes.length === 1 && isPart(p.nodes[0])) { toggle(p.nodes[0]); }
  });

  // Search also looks inside folded parts: the parts holding matches open (the first few).
  view.searchParts = function (q, limit) {
    var hubs = Object.keys(raw.parts);
    status.textContent = "Searching…";
    return Promise.all(hubs.map(unpack)).then(function (parts) {
      var hits = hubs.filter(function (hub, i) {
        return parts[i].nodes.some(function (n) {
          return String(n.search || n.label || "").toLowerCase().indexOf(q) >= 0;
        });
      });
      return expandAll(hits.slice(0, limit)).then(function () { return hits; });
    });
  };
  view.expand = function (hub) { return expandAll([hub]); };
  view.collapse = collapse;
  view.toggle = toggle;
  view.expanded = function () { return order.slice(); };
})();
"""
