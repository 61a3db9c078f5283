"""Load-test ``claimgraph serve`` on this machine: many clients, good and bad queries, one report.

Usage::

    python scripts/load_test.py                                  # 8 clients, 20 s, memory store
    python scripts/load_test.py --clients 2 --seconds 3 --json   # one JSON object on stdout
    python scripts/load_test.py --store oxigraph:data/store      # a loaded Oxigraph folder
    python scripts/load_test.py --url http://127.0.0.1:8000/     # an endpoint already running
    python scripts/load_test.py --no-baseline                    # skip the library-only phase
    python scripts/load_test.py --compare-oxigraph               # beside Oxigraph's own server
    python scripts/load_test.py --engine oxigraph                # Oxigraph's server behind ours

Without ``--url`` the script starts its own endpoint (``python -m graph.cli serve --port 0``) on
127.0.0.1 in a subprocess and stops it by its PID at the end; with ``--url`` the endpoint must be on
a loopback address (anything else is refused) and, to report its memory, ``--server-pid`` names it.

What it does, in order:

1. **unloaded**: every query of the library with its example parameters, one client, one request
   at a time, ``--repeats`` times per route after one warm-up pass; p95 per query;
2. **baseline** (unless ``--no-baseline``, or the mix is library queries only): the same clients
   for the same ``--seconds`` with library queries only, the cost of sharing the machine among
   ``--clients`` clients without any pathological query;
3. **loaded**: ``--clients`` threads, each with its own keep-alive connection, send requests for
   ``--seconds``, each request drawn (seeded) from three classes by ``--mix``:

   * *library*: a library query by name (``GET /queries/NAME?param=example``) or its bound text
     (``POST /sparql``); designed answer: 200;
   * *pathological*: cartesian products, deep property paths (``(<p>|!<p>)*``), a sort of the
     whole product (all recognised as explosive by the server, :mod:`graph.sparql.cost`), and a
     product of anchored patterns that is not; designed answers: 200, 503 at the time limit or
     with the slow lane full, 400 over the row cap;
   * *refused*: ``INSERT DATA``, ``LOAD``, ``SERVICE``, an ``update=`` form, a query that does
     not parse; designed answers: 403 or 400.

   Each client first sends one pathological and one refused request (taken round-robin across
   clients, so even a short run has both), then draws. Any other status than the designed ones
   (a library query that gets 503 included) or a connection failure is an error.
   Meanwhile the server's memory is sampled from ``/proc/PID/smaps_rollup`` (``Pss``, summed: the
   memory the server and its forked workers take together) and ``/proc/PID/status`` (``VmHWM``,
   summed: an upper bound that counts shared pages once per process).
4. **report**: the load average, requests/s, p50/p95 per class, errors, timeouts, refusals, peak
   memory, the loaded / unloaded p95 ratio of each library query, the loaded / baseline p95 ratio
   of each library query and of the library class (what the pathological and refused requests
   cost the library queries), and whether each target is met, with its numbers.

With ``--compare-oxigraph`` the script instead measures throughput side by side: the bundled
article (or ``--store oxigraph:PATH``) in one Oxigraph folder, served by ``claimgraph serve
--store oxigraph:DIR`` with each engine (``claimgraph``: the worker pool; ``claimgraph-oxigraph``:
``--engine oxigraph``) and by Oxigraph's own server (``oxigraph serve-read-only --location
DIR``, PyPI package ``oxigraph``, the same engine as pyoxigraph; the folder keeps its default
graph the union of the named graphs, so all three answer the same), one after the other; for
each workload (the library's ``direct-quotes``, ``?c prov:wasDerivedFrom+ ?u``, every library
query bound with its example, and the same library queries as new texts: each request made a
text never sent before by a numbered comment, so that no verdict kept by text helps) the same
``--clients`` threads POST the texts for ``--seconds``. The report gives requests/s, p50/p95,
errors, the CPU time per request of the server process and of its children (workers, or
Oxigraph's server), each of our engines' share of Oxigraph's throughput (the target: at least
half, with no error) and the load average before and after.

Statistics are pure functions (:func:`percentile`, :func:`summarise`, :func:`ratios`,
:func:`baseline_ratios`, :func:`targets`); ``main`` only wires them to the network.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import http.client
import ipaddress
import itertools
import json
import math
import os
import platform
import random
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final
from urllib.parse import urlencode, urlsplit

ROOT: Final = Path(__file__).resolve().parents[1]
CLASSES: Final = ("library", "pathological", "refused")
DESIGNED: Final[Mapping[str, frozenset[int]]] = {
    "library": frozenset({200}),
    "pathological": frozenset({200, 400, 503}),
    "refused": frozenset({400, 403}),
}
PATHOLOGICAL: Final[Mapping[str, str]] = {
    "cartesian-count": (
        "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    ),
    "cartesian-4": "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }",
    "cartesian-sort": (
        "SELECT ?a ?e ?i WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY DESC(STR(?c)) LIMIT 1"
    ),
    "deep-path": (
        "SELECT (COUNT(*) AS ?n) WHERE { ?s (<urn:cg:p>|!<urn:cg:p>)* ?o . "
        "?o (<urn:cg:p>|!<urn:cg:p>)* ?x }"
    ),
    "deep-path-rows": "SELECT ?s ?o WHERE { ?s (<urn:cg:p>|!<urn:cg:p>)* ?o }",
    # Long, but anchored (every pattern names rdf:type): not recognised as explosive, so it takes
    # the general path, a fast worker's CPU budget first.
    "typed-product": "SELECT (COUNT(*) AS ?n) WHERE { ?a a ?t . ?b a ?u . ?c a ?v }",
}
REFUSED: Final[Mapping[str, tuple[str, str]]] = {
    "insert-data": ("query", "INSERT DATA { <urn:cg:a> <urn:cg:b> <urn:cg:c> }"),
    "load": ("query", "LOAD <http://127.0.0.1:9/nothing>"),
    "service": ("query", "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"),
    "update-form": ("update", "CLEAR ALL"),
    "malformed": ("query", "SELECT * WHERE { ?s ?p "),
}
JSON_RESULTS: Final = "application/sparql-results+json"


# --------------------------------------------------------------------------- statistics (pure)


@dataclass(frozen=True)
class Sample:
    """One request: its class, what it asked, the status (``None``: no answer) and its latency."""

    cls: str
    name: str
    status: int | None
    seconds: float
    started: float = 0.0
    detail: str = ""


def percentile(values: Iterable[float], q: float) -> float | None:
    """The ``q``-th percentile (0-100) by linear interpolation between order statistics.

    >>> percentile([1, 2, 3, 4], 50)
    2.5
    >>> percentile([5.0], 95)
    5.0
    >>> percentile([], 50) is None
    True
    """
    ordered = sorted(values)
    if not ordered:
        return None
    if not 0 <= q <= 100:
        raise ValueError(f"a percentile is between 0 and 100, not {q}")
    rank = (len(ordered) - 1) * q / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def outcome(sample: Sample) -> str:
    """``ok``, ``timeout`` (503), ``refusal`` (a designed 400/403) or ``error``.

    >>> outcome(Sample("refused", "load", 403, 0.01))
    'refusal'
    >>> outcome(Sample("library", "quantities", 503, 2.0))
    'error'
    >>> outcome(Sample("pathological", "deep-path", 503, 2.0))
    'timeout'
    """
    if sample.status is None or sample.status not in DESIGNED[sample.cls]:
        return "error"
    if sample.status == 503:
        return "timeout"
    if sample.status in (400, 403):
        return "refusal"
    return "ok"


def _ms(value: float | None) -> float | None:
    return None if value is None else round(value * 1000, 1)


def _ratio(after: float | None, before: float | None) -> float | None:
    return None if not before or after is None else round(after / before, 2)


def summarise(samples: Sequence[Sample], duration: float) -> dict[str, Any]:
    """Counts, rates and latencies of a run, overall and per class (latencies in ms).

    >>> s = [Sample("library", "q", 200, 0.010), Sample("refused", "load", 403, 0.002),
    ...      Sample("pathological", "p", 503, 2.0), Sample("library", "q", None, 0.5)]
    >>> out = summarise(s, 2.0)
    >>> out["requests"], out["requests_per_s"], out["errors"], out["timeouts"], out["refusals"]
    (4, 2.0, 1, 1, 1)
    >>> out["classes"]["library"]["p50_ms"], out["classes"]["pathological"]["clients_waiting"]
    (255.0, 1.0)

    ``clients_waiting`` is the mean number of clients with a request of the class outstanding
    (their summed latency over the run's duration, Little's law): in a closed loop, clients held
    by one class are clients not sending the others.
    """
    counts = {"ok": 0, "timeout": 0, "refusal": 0, "error": 0}
    classes: dict[str, dict[str, Any]] = {}
    for cls in CLASSES:
        mine = [s for s in samples if s.cls == cls]
        kinds = [outcome(s) for s in mine]
        statuses: dict[str, int] = {}
        for s in mine:
            key = "none" if s.status is None else str(s.status)
            statuses[key] = statuses.get(key, 0) + 1
        latencies = [s.seconds for s in mine]
        classes[cls] = {
            "requests": len(mine),
            "p50_ms": _ms(percentile(latencies, 50)),
            "p95_ms": _ms(percentile(latencies, 95)),
            "max_ms": _ms(max(latencies, default=None)),
            "clients_waiting": round(sum(latencies) / duration, 2) if duration > 0 else None,
            "ok": kinds.count("ok"),
            "timeouts": kinds.count("timeout"),
            "refusals": kinds.count("refusal"),
            "errors": kinds.count("error"),
            "statuses": dict(sorted(statuses.items())),
        }
        for kind in counts:
            counts[kind] += kinds.count(kind)
    errors = [s for s in samples if outcome(s) == "error"]
    return {
        "requests": len(samples),
        "duration_s": round(duration, 2),
        "requests_per_s": round(len(samples) / duration, 1) if duration > 0 else None,
        "errors": counts["error"],
        "timeouts": counts["timeout"],
        "refusals": counts["refusal"],
        "classes": classes,
        "error_samples": [
            {"class": s.cls, "name": s.name, "status": s.status, "detail": s.detail[:160]}
            for s in errors[:10]
        ],
    }


def query_name(sample_name: str) -> str:
    """The library query a request ran (``NAME`` of ``NAME via /queries`` or ``/sparql``)."""
    return sample_name.split(" via ", 1)[0]


def ratios(
    unloaded: Sequence[Sample], loaded: Sequence[Sample]
) -> dict[str, dict[str, float | int | None]]:
    """Per library query: unloaded p95, loaded p95 (every loaded request) and their ratio.

    >>> u = [Sample("library", "q via /sparql", 200, 0.010)] * 3
    >>> l = [Sample("library", "q via /queries", 200, 0.030)] * 3
    >>> ratios(u, l)["q"]["ratio"]
    3.0
    """
    names = sorted({query_name(s.name) for s in unloaded if s.cls == "library"})
    out: dict[str, dict[str, float | int | None]] = {}
    for name in names:
        before = [s.seconds for s in unloaded if query_name(s.name) == name]
        after = [s.seconds for s in loaded if s.cls == "library" and query_name(s.name) == name]
        p_before, p_after = percentile(before, 95), percentile(after, 95)
        ratio = None if not p_before or p_after is None else round(p_after / p_before, 2)
        out[name] = {
            "unloaded_p95_ms": _ms(p_before),
            "loaded_p95_ms": _ms(p_after),
            "loaded_requests": len(after),
            "ratio": ratio,
        }
    return out


def baseline_ratios(
    baseline: Sequence[Sample], loaded: Sequence[Sample]
) -> dict[str, dict[str, float | int | None]]:
    """Per library query: p95 with library queries only, p95 with the mix, and their ratio.

    >>> b = [Sample("library", "q via /sparql", 200, 0.020)] * 3
    >>> l = [Sample("library", "q via /queries", 200, 0.030)] * 3
    >>> baseline_ratios(b, l)["q"]
    {'baseline_p95_ms': 20.0, 'loaded_p95_ms': 30.0, 'baseline_requests': 3, 'loaded_requests': 3, \
'ratio': 1.5}
    """
    def by_name(samples: Sequence[Sample]) -> dict[str, list[float]]:
        out: dict[str, list[float]] = {}
        for s in samples:
            if s.cls == "library":
                out.setdefault(query_name(s.name), []).append(s.seconds)
        return out

    before, after = by_name(baseline), by_name(loaded)
    rows: dict[str, dict[str, float | int | None]] = {}
    for name in sorted(set(before) | set(after)):
        p_before = percentile(before.get(name, []), 95)
        p_after = percentile(after.get(name, []), 95)
        rows[name] = {
            "baseline_p95_ms": _ms(p_before),
            "loaded_p95_ms": _ms(p_after),
            "baseline_requests": len(before.get(name, [])),
            "loaded_requests": len(after.get(name, [])),
            "ratio": _ratio(p_after, p_before),
        }
    return rows


def memory_summary(
    series: Sequence[tuple[float, int, int, int]], workers: int | None, budget_mb: float,
    slow_lane: int = 1, pss: Sequence[int] = (),
) -> dict[str, Any]:
    """Peak memory from samples ``(t, server VmHWM kB, sum of worker VmHWM kB, live workers)``.

    ``peak_pss_kb`` is the highest sum of proportional set sizes (``pss``, one per sample): what
    the server and its workers took together, each page they share counted once.
    ``peak_total_kb`` adds their high-water marks (VmHWM) instead: an upper bound, which counts
    the data every forked worker shares with the server once per worker. Memory is called bounded
    when the peak (PSS where it was read, else the upper bound) stays under ``budget_mb`` and no
    more workers are alive than the server allows (``workers`` + ``slow_lane``).

    >>> m = memory_summary([(0.0, 100, 200, 2), (1.0, 100, 2000, 2)], 2, 1.0, pss=[150, 170])
    >>> m["peak_total_kb"], m["peak_pss_kb"], m["bounded"]
    (2100, 170, True)
    >>> memory_summary([(0.0, 100, 2000, 2)], 2, 1.0)["bounded"]
    False
    """
    if not series:
        return {"measured": False, "peak_total_kb": None, "peak_pss_kb": None, "bounded": None,
                "budget_kb": round(budget_mb * 1024)}
    totals = [server + workers_kb for _, server, workers_kb, _ in series]
    live = max(n for *_, n in series)
    budget_kb = round(budget_mb * 1024)
    too_many = workers is not None and live > workers + slow_lane
    return {
        "measured": True,
        "samples": len(series),
        "server_vmhwm_kb": max(s for _, s, _, _ in series),
        "worker_vmhwm_sum_max_kb": max(w for _, _, w, _ in series),
        "peak_total_kb": max(totals),
        "peak_pss_kb": max(pss, default=None),
        "budget_kb": budget_kb,
        "max_live_workers": live,
        "bounded": max(pss, default=max(totals)) <= budget_kb and not too_many,
    }


def targets(
    summary: Mapping[str, Any],
    library_ratios: Mapping[str, Mapping[str, Any]],
    memory: Mapping[str, Any],
    timeout: float | None,
    baseline: Mapping[str, Any] | None = None,
) -> dict[str, dict[str, Any]]:
    """Each target of the endpoint, met or missed, with the numbers that decide it.

    ``library_within_2x`` compares with one client (unloaded); ``library_within_2x_of_baseline``
    compares the library p95 with the mix against the library p95 of the same clients sending
    library queries only (``baseline``: a :func:`summarise` of that phase; ``None``: not run).
    """
    over = {n: r["ratio"] for n, r in library_ratios.items()
            if r["ratio"] is not None and r["ratio"] > 2}
    known = [r["ratio"] for r in library_ratios.values() if r["ratio"] is not None]
    patho = summary["classes"]["pathological"]
    limit = None if timeout is None else 2 * timeout + 1.0
    stopped = patho["max_ms"] is None or limit is None or patho["max_ms"] <= limit * 1000
    base_errors = 0 if baseline is None else baseline["errors"]
    base_p95 = None if baseline is None else baseline["classes"]["library"]["p95_ms"]
    mixed_p95 = summary["classes"]["library"]["p95_ms"]
    base_ratio = _ratio(mixed_p95, base_p95)
    return {
        "no_errors": {
            "met": summary["errors"] + base_errors == 0,
            "detail": f"{summary['errors']} error(s) besides {summary['refusals']} designed "
            "refusal(s)"
            + ("" if baseline is None else f"; {base_errors} in the library-only phase"),
        },
        "pathological_stopped": {
            "met": stopped,
            "detail": f"{patho['timeouts']} stopped at the limit; slowest pathological answer "
            f"{patho['max_ms']} ms"
            + ("" if limit is None else f" (bound: wait + run + 1 s = {limit:g} s)"),
        },
        "library_within_2x": {
            "met": bool(known) and not over,
            "detail": (
                f"max loaded/unloaded p95 ratio {max(known, default=float('nan')):.2f}; "
                f"{len(over)} of {len(known)} queries over 2x"
            ),
        },
        "library_within_2x_of_baseline": {
            "met": None if base_ratio is None else base_ratio <= 2,
            "detail": "not measured (no library-only phase)" if base_ratio is None else
            f"library p95 {mixed_p95} ms with the mix, {base_p95} ms with library queries only: "
            f"ratio {base_ratio:.2f}",
        },
        "memory_bounded": {
            "met": memory.get("bounded"),
            "detail": "not measured (no server PID)" if not memory.get("measured") else
            f"peak {memory['peak_pss_kb']} kB (server + live workers, summed PSS) against a "
            f"budget of {memory['budget_kb']} kB (upper bound, summed VmHWM: "
            f"{memory['peak_total_kb']} kB); at most {memory['max_live_workers']} live worker(s)",
        },
    }


# --------------------------------------------------------------------------- requests


@dataclass(frozen=True)
class Request:
    """One HTTP request of the mix."""

    cls: str
    name: str
    method: str
    path: str
    body: bytes | None = None
    headers: tuple[tuple[str, str], ...] = field(default=())


def _form(fields: Mapping[str, str]) -> tuple[bytes, tuple[tuple[str, str], ...]]:
    body = urlencode(fields).encode("utf-8")
    return body, (("Content-Type", "application/x-www-form-urlencoded"),)


def library_requests(base: str) -> list[Request]:
    """Every library query with its example parameters, by name and as bound text."""
    from graph.sparql.binding import bind_values
    from graph.sparql.library import get_query, resolve_params
    from graph.stores import open_store

    listing = json.loads(_get(base + "queries"))
    store = open_store(base + "sparql")
    out = []
    try:
        for item in listing:
            name = item["name"]
            params = {p["name"]: p["example"] for p in item["params"]}
            accept = "text/turtle" if item["form"] in ("construct", "describe") else JSON_RESULTS
            headers = (("Accept", accept),)
            query = f"?{urlencode(params)}" if params else ""
            out.append(Request("library", f"{name} via /queries", "GET",
                               f"/queries/{name}{query}", None, headers))
            named = get_query(name)
            text = bind_values(named.text, resolve_params(named, params, store))
            body, form = _form({"query": text})
            out.append(Request("library", f"{name} via /sparql", "POST", "/sparql", body,
                               headers + form))
    finally:
        store.close()
    return out


def pathological_requests() -> list[Request]:
    out = []
    for name, text in PATHOLOGICAL.items():
        body, form = _form({"query": text})
        out.append(Request("pathological", name, "POST", "/sparql", body,
                           (("Accept", JSON_RESULTS), *form)))
    return out


def refused_requests() -> list[Request]:
    out = []
    for name, (key, text) in REFUSED.items():
        body, form = _form({key: text})
        out.append(Request("refused", name, "POST", "/sparql", body,
                           (("Accept", JSON_RESULTS), *form)))
    return out


class Client:
    """One keep-alive HTTP/1.1 connection; reconnects after a failure."""

    def __init__(self, host: str, port: int, timeout: float) -> None:
        self.host, self.port, self.timeout = host, port, timeout
        self.conn: http.client.HTTPConnection | None = None

    def send(self, request: Request) -> Sample:
        started = time.monotonic()
        try:
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
            self.conn.request(request.method, request.path, body=request.body,
                              headers=dict(request.headers))
            response = self.conn.getresponse()
            body = response.read()
            if response.getheader("Connection", "").lower() == "close":
                self.close()
            detail = "" if response.status == 200 else body.decode("utf-8", "replace").strip()
            return Sample(request.cls, request.name, response.status,
                          time.monotonic() - started, started, detail)
        except (OSError, http.client.HTTPException) as exc:
            self.close()
            return Sample(request.cls, request.name, None, time.monotonic() - started, started,
                          f"{type(exc).__name__}: {exc}")

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def _get(url: str) -> bytes:
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port or 80, timeout=30)
    try:
        conn.request("GET", parts.path + (f"?{parts.query}" if parts.query else ""))
        response = conn.getresponse()
        body = response.read()
        if response.status != 200:
            raise RuntimeError(f"GET {url}: HTTP {response.status}")
        return body
    finally:
        conn.close()


def check_loopback(url: str) -> tuple[str, int]:
    """Host and port of a ``http://`` URL on a loopback address; ``ValueError`` for any other.

    >>> check_loopback("http://127.0.0.1:8000/")
    ('127.0.0.1', 8000)
    >>> check_loopback("http://example.org/")
    Traceback (most recent call last):
    ...
    ValueError: refusing http://example.org/: the load test only talks to a loopback address
    """
    parts = urlsplit(url)
    host = parts.hostname or ""
    try:
        loopback = parts.scheme == "http" and (
            host == "localhost" or ipaddress.ip_address(host).is_loopback
        )
    except ValueError:
        loopback = False
    if not loopback:
        raise ValueError(f"refusing {url}: the load test only talks to a loopback address")
    return host, parts.port or 80


# --------------------------------------------------------------------------- the server


def _proc_kb(pid: int, name: str, key: str) -> int | None:
    """A ``KEY:  N kB`` figure of ``/proc/PID/NAME``; ``None`` when the process is gone."""
    try:
        text = Path(f"/proc/{pid}/{name}").read_text(encoding="ascii", errors="replace")
    except OSError:
        return None
    match = re.search(rf"^{key}:\s+(\d+)\s+kB", text, flags=re.MULTILINE)
    return int(match.group(1)) if match else None


def _status_kb(pid: int, key: str) -> int | None:
    return _proc_kb(pid, "status", key)


def _pss_kb(pid: int) -> int | None:
    """The process's proportional set size: each page it shares counted as its share of it, so
    that the sum over the server and its forked workers is the memory they take together."""
    return _proc_kb(pid, "smaps_rollup", "Pss")


def _children(pid: int) -> list[int]:
    out = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text(encoding="ascii", errors="replace")
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[-1].split()
        if len(fields) > 1 and fields[1] == str(pid):
            out.append(int(entry))
    return out


class MemorySampler(threading.Thread):
    """Samples VmHWM of the server and its worker children every ``interval`` s until stopped."""

    def __init__(self, pid: int, interval: float = 0.25) -> None:
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.series: list[tuple[float, int, int, int]] = []
        self.pss: list[int] = []  # server + live workers, kB, one sum per sample
        self.stop = threading.Event()
        self.started_at = time.monotonic()

    def sample(self) -> None:
        server = _status_kb(self.pid, "VmHWM")
        if server is None:
            return
        children = _children(self.pid)
        workers = [kb for c in children if (kb := _status_kb(c, "VmHWM")) is not None]
        self.series.append((time.monotonic() - self.started_at, server, sum(workers),
                            len(workers)))
        pss = [kb for p in (self.pid, *children) if (kb := _pss_kb(p)) is not None]
        if pss:
            self.pss.append(sum(pss))

    def run(self) -> None:
        while not self.stop.is_set():
            self.sample()
            self.stop.wait(self.interval)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def start_server(store: str, timeout: float, workers: int, slow_lane: int = 4,
                 engine: str = "pool") -> tuple[subprocess.Popen[str], str]:
    """``claimgraph serve`` on 127.0.0.1 in a subprocess; the process and its base URL."""
    process = subprocess.Popen(
        [sys.executable, "-m", "graph.cli", "serve", "--host", "127.0.0.1",
         "--port", str(free_port()), "--store", store, "--timeout", str(timeout),
         "--workers", str(workers), "--slow-lane", str(slow_lane), "--engine", engine],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, cwd=ROOT,
    )
    assert process.stderr is not None
    line = process.stderr.readline()
    match = re.search(r"(http://\S+/)sparql", line)
    if not match:
        stop_server(process)
        raise RuntimeError(f"serve did not start: {line.strip()}")
    stderr = process.stderr
    threading.Thread(target=lambda: [None for _ in stderr], daemon=True).start()  # drain
    return process, match.group(1)


def stop_server(process: subprocess.Popen[str]) -> None:
    """SIGTERM by PID (the server stops its workers), SIGKILL if it does not stop in 10 s."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


# --------------------------------------------------------------------------- the run


def measure_unloaded(host: str, port: int, library: Sequence[Request], repeats: int,
                     timeout: float) -> list[Sample]:
    """One client, one request at a time: a warm-up pass, then ``repeats`` passes."""
    client = Client(host, port, timeout)
    try:
        for request in library:
            client.send(request)
        return [client.send(r) for _ in range(repeats) for r in library]
    finally:
        client.close()


def run_loaded(host: str, port: int, pools: Mapping[str, Sequence[Request]],
               mix: Mapping[str, float], clients: int, seconds: float, timeout: float,
               seed: int) -> tuple[list[Sample], float]:
    """``clients`` threads sending requests drawn from ``pools`` by ``mix`` until the deadline."""
    classes = [c for c in CLASSES if mix.get(c, 0) > 0 and pools.get(c)]
    weights = [mix[c] for c in classes]
    started = time.monotonic()
    deadline = started + seconds

    def worker(index: int) -> list[Sample]:
        rng = random.Random(seed * 1000 + index)
        client = Client(host, port, timeout)
        out = []
        try:
            for cls in ("pathological", "refused"):  # coverage, even in a short run
                if cls in classes and time.monotonic() < deadline:
                    out.append(client.send(pools[cls][index % len(pools[cls])]))
            while time.monotonic() < deadline:
                cls = rng.choices(classes, weights)[0]
                out.append(client.send(rng.choice(pools[cls])))
        finally:
            client.close()
        return out

    with concurrent.futures.ThreadPoolExecutor(max_workers=clients) as pool:
        results = list(pool.map(worker, range(clients)))
    return [s for r in results for s in r], time.monotonic() - started


def parse_mix(text: str) -> dict[str, float]:
    """``library=0.8,pathological=0.1,refused=0.1`` → weights.

    >>> parse_mix("library=1,refused=0")
    {'library': 1.0, 'refused': 0.0}
    """
    out = {}
    for part in text.split(","):
        key, _, value = part.partition("=")
        if key.strip() not in CLASSES:
            raise argparse.ArgumentTypeError(f"--mix classes are {', '.join(CLASSES)}")
        out[key.strip()] = float(value)
    if not any(v > 0 for v in out.values()):
        raise argparse.ArgumentTypeError("--mix needs one positive weight")
    return out


def machine() -> dict[str, Any]:
    mem = _status_kb_meminfo()
    return {
        "nproc": os.cpu_count(),
        "mem_total_mb": None if mem is None else mem // 1024,
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def _status_kb_meminfo() -> int | None:
    try:
        text = Path("/proc/meminfo").read_text(encoding="ascii")
    except OSError:
        return None
    match = re.search(r"^MemTotal:\s+(\d+)", text, flags=re.MULTILINE)
    return int(match.group(1)) if match else None


BULK_QUERIES: Final = frozenset({"document-quads"})
FRESH: Final = "library, new texts"  # the workload whose every request is a text not seen yet
SERVERS: Final = ("claimgraph", "claimgraph-oxigraph", "oxigraph")  # pool, relay, Oxigraph direct

PATH_QUERY: Final = ("PREFIX prov: <http://www.w3.org/ns/prov#> "
                     "SELECT ?c ?u WHERE { ?c prov:wasDerivedFrom+ ?u }")


def comparison_workloads() -> dict[str, list[str]]:
    """The texts each workload sends (library queries bound with their examples)."""
    from graph.sparql.binding import bind_values
    from graph.sparql.library import get_query, list_queries, resolve_params
    from graph.stores.memory import MemoryStore

    store = MemoryStore()
    bound = {}
    for query in list_queries():
        params = {p.name: p.example for p in query.params}
        bound[query.name] = bind_values(query.text, resolve_params(query, params, store))
    # document-quads is a bulk read (every quad, for graph.open(...).compare()), not a question
    # an analyst asks an endpoint again and again: left out of the library's mix.
    library = [bound[q.name] for q in list_queries()
               if get_query(q.name).form in ("select", "ask") and q.name not in BULK_QUERIES]
    return {"direct-quotes": [bound["direct-quotes"]], "path": [PATH_QUERY],
            "library": library, FRESH: library}


def _oxigraph_folder(store: str, folder: Path) -> Path:
    """The Oxigraph folder both servers read: ``store``'s, or the bundled article loaded."""
    if store.startswith("oxigraph:"):
        return Path(store[len("oxigraph:"):])
    import graph
    from graph.stores.oxigraph import OxigraphStore

    opened = OxigraphStore(folder)
    try:
        opened.replace_graphs(graph.build_dataset(graph.load_corpus([graph.bundled_corpus_dir()])))
    finally:
        opened.close()
    return folder


def start_oxigraph(folder: Path) -> tuple[subprocess.Popen[str], str]:
    """``oxigraph serve-read-only`` on 127.0.0.1; the process and the base of its /query."""
    exe = Path(sys.executable).with_name("oxigraph")
    port = free_port()
    process = subprocess.Popen(
        [str(exe), "serve-read-only", "--location", str(folder), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, text=True,
    )
    for _ in range(200):
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return process, f"http://127.0.0.1:{port}/"
        time.sleep(0.05)
    stop_server(process)
    raise RuntimeError("oxigraph serve-read-only did not start")


class FreshTexts(Sequence[Request]):
    """``texts`` as POST requests, each made new by a numbered comment when it is taken: no
    text is sent twice, so nothing kept by text (a verdict, an answer) is used again."""

    def __init__(self, path: str, texts: Sequence[str]) -> None:
        self.path, self.texts, self.counter = path, texts, itertools.count()

    def __len__(self) -> int:
        return len(self.texts)

    def __getitem__(self, index: Any) -> Any:
        text = f"{self.texts[index]}\n# fresh {next(self.counter)}"
        return Request("library", f"q{index}", "POST", self.path, text.encode("utf-8"),
                       (("Content-Type", "application/sparql-query"), ("Accept", JSON_RESULTS)))


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of a live process (0 when it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text(encoding="ascii").rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _tree_cpu(pid: int) -> tuple[float, float]:
    """CPU seconds of a server process and of its live children (workers, Oxigraph's server)."""
    return _cpu_seconds(pid), sum(_cpu_seconds(c) for c in _children(pid))


def throughput(host: str, port: int, path: str, texts: Sequence[str], clients: int,
               seconds: float, timeout: float, fresh: bool = False,
               pid: int | None = None) -> dict[str, Any]:
    """``clients`` threads POST ``texts`` in turn to ``path`` for ``seconds``; a summary.
    ``fresh``: every request a text not sent before (:class:`FreshTexts`). With ``pid``, the
    CPU time the server process and its children used per request, in microseconds."""
    requests = [Request("library", f"q{i}", "POST", path, text.encode("utf-8"),
                        (("Content-Type", "application/sparql-query"), ("Accept", JSON_RESULTS)))
                for i, text in enumerate(texts)]
    for request in requests:  # warm-up: each text once
        Client(host, port, timeout).send(request)
    pool: Sequence[Request] = FreshTexts(path, texts) if fresh else requests
    before = _tree_cpu(pid) if pid is not None else None
    samples, duration = run_loaded(host, port, {"library": pool}, {"library": 1.0}, clients,
                                   seconds, timeout, 1)
    times = [s.seconds for s in samples]
    errors = [s for s in samples if s.status != 200]
    out = {"requests": len(samples), "requests_per_s": round(len(samples) / duration, 1),
           "p50_ms": _ms(percentile(times, 50)), "p95_ms": _ms(percentile(times, 95)),
           "errors": len(errors),
           "error_samples": sorted({f"{s.status}: {s.detail[:120]}" for s in errors})[:5]}
    if pid is not None and before is not None and samples:
        after = _tree_cpu(pid)
        out["cpu_us_per_request"] = {
            "front": round((after[0] - before[0]) / len(samples) * 1e6),
            "children": round(max(0.0, after[1] - before[1]) / len(samples) * 1e6)}
    return out


def compare(args: argparse.Namespace) -> dict[str, Any]:
    """Our endpoint with each engine and Oxigraph's server on one folder, same workloads, same
    clients, one after the other in this run."""
    import tempfile

    workloads = comparison_workloads()
    out: dict[str, Any] = {"config": {"clients": args.clients, "seconds": args.seconds,
                                      "workers": args.workers, "store": args.store},
                           "machine": machine(), "load_average": os.getloadavg(),
                           "workloads": {}}
    timeout = 2 * (args.timeout or 10) + 30
    with tempfile.TemporaryDirectory(prefix="claimgraph-compare-") as tmp:
        folder = _oxigraph_folder(args.store, Path(tmp) / "store")

        def ours(engine: str) -> tuple[subprocess.Popen[str], str]:
            return start_server(f"oxigraph:{folder}", args.timeout, args.workers, args.slow_lane,
                                engine)

        servers = {
            "claimgraph": (lambda: ours("pool"), "sparql"),
            "claimgraph-oxigraph": (lambda: ours("oxigraph"), "sparql"),
            "oxigraph": (lambda: start_oxigraph(folder), "query"),
        }
        for name, (start, route) in servers.items():
            process, base = start()
            try:
                host, port = check_loopback(base)
                for workload, texts in workloads.items():
                    out["workloads"].setdefault(workload, {})[name] = throughput(
                        host, port, "/" + route, texts, args.clients, args.seconds, timeout,
                        fresh=workload == FRESH, pid=process.pid)
            finally:
                stop_server(process)
    out["load_average_after"] = os.getloadavg()
    for row in out["workloads"].values():
        theirs = row["oxigraph"]["requests_per_s"]
        for name in ("claimgraph", "claimgraph-oxigraph"):
            share = round(row[name]["requests_per_s"] / theirs, 2) if theirs else None
            row[name]["share"] = share
            row[name]["target_met"] = bool(share is not None and share >= 0.5
                                           and row[name]["errors"] == 0)
        row["share"] = row["claimgraph"]["share"]
        row["target_met"] = row["claimgraph"]["target_met"]
    return out


def render_compare(report: Mapping[str, Any]) -> str:
    lines = [f"load average {' '.join(f'{x:.2f}' for x in report['load_average'])} (before), "
             f"{' '.join(f'{x:.2f}' for x in report['load_average_after'])} (after)",
             f"{'workload':<19} {'server':<20} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} "
             f"{'errors':>7} {'share':>6} {'CPU us/req: front':>18} {'children':>9}"]
    for workload, row in report["workloads"].items():
        for server in SERVERS:
            r = row[server]
            cpu = r.get("cpu_us_per_request", {})
            lines.append(f"{workload:<19} {server:<20} {r['requests_per_s']:>8} "
                         f"{r['p50_ms']!s:>8} {r['p95_ms']!s:>8} {r['errors']:>7} "
                         f"{r.get('share', '')!s:>6} {cpu.get('front', '')!s:>18} "
                         f"{cpu.get('children', '')!s:>9}")
            lines.extend(f"{'':<19}   error: {e}" for e in r["error_samples"])
        lines.append(f"{'':<19} share of Oxigraph's throughput: {row['share']} "
                     f"(target 0.5 with no error: {'met' if row['target_met'] else 'missed'})")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> dict[str, Any]:
    process = None
    if args.url:
        base = args.url if args.url.endswith("/") else args.url + "/"
        host, port = check_loopback(base)
        pid = args.server_pid
    else:
        process, base = start_server(args.store, args.timeout, args.workers, args.slow_lane,
                                     args.engine)
        host, port = check_loopback(base)
        pid = process.pid
    client_timeout = 2 * (args.timeout or 10) + 30
    try:
        library = library_requests(base)
        unloaded = measure_unloaded(host, port, library, args.repeats, client_timeout)
        sampler = MemorySampler(pid) if pid else None
        if sampler:
            sampler.start()
        pools = {"library": library, "pathological": pathological_requests(),
                 "refused": refused_requests()}
        with_baseline = args.baseline and any(
            w > 0 for c, w in args.mix.items() if c != "library")
        baseline: list[Sample] | None = None
        base_duration = 0.0
        try:
            if with_baseline:
                baseline, base_duration = run_loaded(
                    host, port, pools, {"library": 1.0}, args.clients, args.seconds,
                    client_timeout, args.seed)
            loaded, duration = run_loaded(host, port, pools, args.mix, args.clients,
                                          args.seconds, client_timeout, args.seed)
        finally:
            if sampler:
                sampler.stop.set()
                sampler.join()
                sampler.sample()
    finally:
        if process is not None:
            stop_server(process)
    summary = summarise(loaded, duration)
    unloaded_summary = summarise(unloaded, 1.0)["classes"]["library"]
    library_ratios = ratios(unloaded, loaded)
    base_summary = None if baseline is None else summarise(baseline, base_duration)
    workers = None if args.url else args.workers
    memory = memory_summary(sampler.series if sampler else [], workers, args.memory_budget_mb,
                            args.slow_lane, sampler.pss if sampler else ())
    timeout = None if args.url else args.timeout
    target = targets(summary, library_ratios, memory, timeout, base_summary)
    return {
        "config": {
            "clients": args.clients, "seconds": args.seconds,
            "store": None if args.url else args.store, "url": base,
            "timeout_s": timeout, "workers": workers,
            "slow_lane": None if args.url else args.slow_lane,
            "engine": None if args.url else args.engine,
            "mix": args.mix,
            "repeats": args.repeats, "seed": args.seed, "baseline": base_summary is not None,
        },
        "machine": machine(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        **summary,
        "unloaded": {
            "requests": len(unloaded),
            "p50_ms": unloaded_summary["p50_ms"],
            "p95_ms": unloaded_summary["p95_ms"],
            "errors": unloaded_summary["errors"],
        },
        "library_ratios": library_ratios,
        "max_ratio": max((r["ratio"] for r in library_ratios.values() if r["ratio"]),
                         default=None),
        "baseline": None if base_summary is None else {
            "requests": base_summary["requests"],
            "duration_s": base_summary["duration_s"],
            "requests_per_s": base_summary["requests_per_s"],
            "errors": base_summary["errors"],
            "p50_ms": base_summary["classes"]["library"]["p50_ms"],
            "p95_ms": base_summary["classes"]["library"]["p95_ms"],
            "max_ms": base_summary["classes"]["library"]["max_ms"],
            "error_samples": base_summary["error_samples"],
        },
        "baseline_ratios": {} if baseline is None else baseline_ratios(baseline, loaded),
        "baseline_ratio": None if base_summary is None else _ratio(
            summary["classes"]["library"]["p95_ms"],
            base_summary["classes"]["library"]["p95_ms"]),
        "memory": memory,
        "targets": target,
    }



def render_text(report: Mapping[str, Any]) -> str:
    """The report as a markdown table and target lines."""
    cfg = report["config"]
    lines = [
        f"{cfg['clients']} clients, {report['duration_s']} s, store {cfg['store'] or cfg['url']}, "
        f"time limit {cfg['timeout_s']} s, {cfg['workers']} workers, "
        f"engine {cfg.get('engine')}, load average {report['load_average']}; "
        f"{report['requests']} requests, {report['requests_per_s']} requests/s",
        "",
        "| class | requests | p50 ms | p95 ms | max ms | clients waiting | ok | timeouts | "
        "refusals | errors |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for cls in CLASSES:
        c = report["classes"][cls]
        lines.append(f"| {cls} | {c['requests']} | {c['p50_ms']} | {c['p95_ms']} | "
                     f"{c['max_ms']} | {c['clients_waiting']} | {c['ok']} | {c['timeouts']} | "
                     f"{c['refusals']} | {c['errors']} |")
    u = report["unloaded"]
    lines += ["", f"unloaded library (1 client): {u['requests']} requests, p50 {u['p50_ms']} ms, "
              f"p95 {u['p95_ms']} ms"]
    b = report["baseline"]
    if b is not None:
        lines.append(f"library only ({cfg['clients']} clients): {b['requests']} requests, "
                     f"{b['requests_per_s']} requests/s, p50 {b['p50_ms']} ms, p95 {b['p95_ms']} "
                     f"ms, max {b['max_ms']} ms, {b['errors']} error(s); library p95 with the "
                     f"mix / library only: {report['baseline_ratio']}")
    lines += ["", "| library query | unloaded p95 ms | library-only p95 ms | loaded p95 ms | "
              "loaded / unloaded | loaded / library-only |", "|---|---|---|---|---|---|"]
    for name, r in report["library_ratios"].items():
        base = report["baseline_ratios"].get(name, {})
        lines.append(f"| {name} | {r['unloaded_p95_ms']} | {base.get('baseline_p95_ms')} | "
                     f"{r['loaded_p95_ms']} | {r['ratio']} | {base.get('ratio')} |")
    m = report["memory"]
    lines += ["", f"memory: {json.dumps(m)}", ""]
    for name, t in report["targets"].items():
        state = {True: "met", False: "MISSED", None: "unknown"}[t["met"]]
        lines.append(f"- {name}: {state} — {t['detail']}")
    for e in report["error_samples"] + (b["error_samples"] if b is not None else []):
        lines.append(f"  error: {e['class']} {e['name']} → {e['status']}: {e['detail']}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients (default 8)")
    parser.add_argument("--seconds", type=float, default=20.0, help="loaded phase (default 20)")
    parser.add_argument("--store", default="memory", help="memory or oxigraph:PATH")
    parser.add_argument("--timeout", type=float, default=2.0,
                        help="the server's per-query time limit (default 2 s)")
    parser.add_argument("--workers", type=int, default=2,
                        help="the server's worker processes (default 2, as serve's)")
    parser.add_argument("--slow-lane", type=int, default=4,
                        help="the server's slow-lane places (default 4, as serve's)")
    parser.add_argument("--engine", choices=("pool", "oxigraph"), default="pool",
                        help="the server's --engine (default pool, as serve's)")
    parser.add_argument("--compare-oxigraph", action="store_true",
                        help="measure throughput side by side with Oxigraph's own server "
                        "(oxigraph serve-read-only) on the same folder and report that only")
    parser.add_argument("--url", default=None,
                        help="an endpoint already running on a loopback address")
    parser.add_argument("--server-pid", type=int, default=None,
                        help="with --url: the server's PID, to read its memory")
    parser.add_argument("--mix", type=parse_mix,
                        default=parse_mix("library=0.8,pathological=0.1,refused=0.1"),
                        help="request weights per class (default library=0.8,"
                        "pathological=0.1,refused=0.1)")
    parser.add_argument("--repeats", type=int, default=10,
                        help="unloaded passes over the library (default 10)")
    parser.add_argument("--memory-budget-mb", type=float, default=1024.0,
                        help="peak server + worker memory (summed PSS) called bounded "
                        "(default 1024 MB)")
    parser.add_argument("--baseline", action=argparse.BooleanOptionalAction, default=True,
                        help="first run the same clients with library queries only, to report "
                        "what the rest of the mix costs them (default: on)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    if args.clients < 1 or args.seconds <= 0 or args.repeats < 1 or args.slow_lane < 0:
        parser.error("--clients and --repeats need at least 1, --seconds more than 0, "
                     "--slow-lane 0 or more")
    if args.url:
        try:
            check_loopback(args.url)
        except ValueError as exc:
            parser.error(str(exc))
    if args.compare_oxigraph:
        compared = compare(args)
        print(json.dumps(compared, indent=1) if args.json else render_compare(compared))
        return 0
    report = run(args)
    print(json.dumps(report, indent=1) if args.json else render_text(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
