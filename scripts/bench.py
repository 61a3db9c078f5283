"""Benchmark claimgraph end to end on a generated corpus, on this machine, in one run.

Usage::

    python scripts/bench.py --documents 55                  # a readable table
    python scripts/bench.py --documents 55 --json           # one JSON object on stdout
    python scripts/bench.py --documents 6 --stores oxigraph --repeat 20
    python scripts/bench.py --report small.json mid.json large.json   # markdown + growth

Stages, each timed on its own:

* **build**: annotation files → checked records (``load_parse_s``) → rdflib dataset
  (``build_dataset_s``) → SHACL and contract validation (``validate_s``, with an empty record of
  documents that passed SHACL, as a first build); ``build_s`` is the sum; ``revalidate_s`` is the
  same validation again with nothing changed (the contract is checked, SHACL finds every document
  recorded: what a rebuild costs for the documents it did not touch);
* **load** into each store of ``--stores`` through :func:`graph.stores.open_store`'s backends
  (``memory``: rdflib ``Dataset``; ``oxigraph``: pyoxigraph on disk), against pyoxigraph's own
  ``bulk_load`` of the same quads as N-Quads (``raw_load_s``, on disk like the store); the
  Oxigraph load starts from the rdflib dataset in memory (it includes serialising it), and
  ``load_file_s`` is ``claimgraph load``'s path from the N-Quads file, parsed by pyoxigraph;
* **queries**: every query of :mod:`graph.sparql.library` with its bundled example parameters (the
  bundled article is part of the benchmark corpus so that they resolve), p50/p95 over
  ``--repeat`` runs per store, and the same bound query text run directly on the pyoxigraph store
  (``ratio_query_vs_raw``: the median over pairs of our time / raw time). On Oxigraph ours and
  raw are timed in turn, at least ``--repeat`` pairs and, for a fast query, as many as half a
  second allows (``runs``).
  Parameterized queries also run with parameters of the generated corpus (its longest relay
  chain, busiest claimant, most relayed document), and on Oxigraph with a different claim,
  claimant or document at each call (``varied``), as an analyst going through them asks;
* **floor**: the least this stack needs for the same build and load, whatever our code does:
  the annotation files read and parsed by libyaml with nothing checked (``floor_read_s``), the
  pyoxigraph terms of every quad made from Python strings (``floor_terms_s``) and pyoxigraph's
  ``bulk_extend`` of the quads with their default-graph copies (``floor_load_s``);
  ``ratio_floor_vs_raw`` is their sum over ``raw_load_s``;
* **analysis**: the networkx projection (``projection_s``) and :func:`graph.analysis.analyze` of
  every claim (``analysis_s``);
* **views**: the provenance, entity and one claim view rendered and saved (``views_s``, sizes);
* **peak memory**: ``ru_maxrss`` of this process; the raw reference loads run in a forked child,
  so the memory pyoxigraph's own bulk loader takes is not counted as claimgraph's.

A stage whose module is missing is reported as ``null`` with the reason under ``notes``, never
estimated. Each (query, store) runs in a forked child with ``--query-timeout`` seconds for its
warm-up and repeats, because some queries take minutes on a large corpus (rdflib's engine, or a
plan that multiplies duplicate solutions); a timeout is reported as null with the reason.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.metadata
import itertools
import json
import math
import multiprocessing
import os
import platform
import resource
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, Final

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from graph.stores.oxigraph import UNION_DEFAULT  # noqa: E402
from graph.support import policy  # noqa: E402
from graph.support.gc_pause import without_gc  # noqa: E402
from graph.support.progress import progress, status  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_corpus import generate_corpus, write_corpus  # noqa: E402

__all__ = ["REQUIRED_KEYS", "growth_exponent", "main", "percentile", "render_report", "run"]

STORES: Final = ("memory", "oxigraph")
REQUIRED_KEYS: Final = (
    "documents", "claims", "triples", "build_s", "load", "raw_load_s", "ratio_load_vs_raw",
    "queries", "ratio_query_vs_raw", "analysis_s", "views_s", "peak_rss_mb",
)
PACKAGES: Final = ("rdflib", "pyoxigraph", "pyshacl", "networkx", "pyvis", "PyYAML", "rich")
# Parameter types that make a query about one given thing (the rest are corpus-wide).
ONE_THING: Final = ("claim", "entity", "document")


# ------------------------------------------------------------------------------ helpers


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (``q`` in 0..100) of a non-empty sequence.

    >>> percentile([5.0, 1.0, 3.0, 2.0, 4.0], 50), percentile([5.0, 1.0, 3.0, 2.0, 4.0], 95)
    (3.0, 5.0)
    """
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


def growth_exponent(n1: float, t1: float, n2: float, t2: float) -> float | None:
    """``log(t2/t1) / log(n2/n1)``: 1.0 is linear; None when it cannot be computed.

    >>> round(growth_exponent(10, 1.0, 100, 10.0), 2), growth_exponent(10, 0.0, 100, 1.0)
    (1.0, None)
    """
    if min(n1, n2, t1, t2) <= 0 or n1 == n2:
        return None
    return math.log(t2 / t1) / math.log(n2 / n1)


def _peak_rss_mb() -> float:
    kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(kb / 1024 if sys.platform != "darwin" else kb / 1024 / 1024, 1)


@contextlib.contextmanager
def _environ(name: str, value: str) -> Iterator[None]:
    """Set an environment variable for the block, then put back what was there."""
    before = os.environ.get(name)
    os.environ[name] = value
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = before


@contextlib.contextmanager
def _timer(out: dict[str, Any], key: str) -> Iterator[None]:
    """Time a stage into ``out[key]``; the peak RSS so far goes to ``out["peak_rss_after_mb"]``
    (which stage raised the peak)."""
    started = time.perf_counter()
    yield
    out[key] = round(time.perf_counter() - started, 4)
    out.setdefault("peak_rss_after_mb", {})[key] = _peak_rss_mb()


def _timings(fn: Callable[[], Any], repeat: int) -> dict[str, float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return _summary(times)


def _summary(times: list[float]) -> dict[str, float]:
    """p50 and p95 of timings in ms (rounded to 0.1 µs: library queries take from 50 µs)."""
    return {"p50_ms": round(percentile(times, 50), 4), "p95_ms": round(percentile(times, 95), 4)}


def _paired_timings(
    ours: Callable[[], Any], raw: Callable[[], Any], repeat: int, min_seconds: float = 0.5,
    max_pairs: int = 2000, clock: Callable[[], float] = time.perf_counter,
) -> tuple[dict[str, float], dict[str, float]]:
    """Time ``ours`` and ``raw`` in turn (ours, raw, ours, raw...): at least ``repeat`` pairs, and
    more for a fast query until ``min_seconds`` have gone by (at most ``max_pairs``).

    Alternating keeps what changes during a run (caches warming, the machine's other work) from
    falling on one side only: timed one block after the other, the side timed first paid for
    whatever was still cold, and 5 samples of a 50 µs query were mostly noise. Ours also gets
    ``pair_ratio``, the median of each pair's ours / raw: a 1 s query at 1M triples is timed only
    5 times, and the machine's speed drifting between pairs (raw 640-1,022 ms in one run) moved
    the ratio of the two p50s to 1.29 where 15 pairs gave 1.01; within a pair it does not.
    ``clock`` is the time source (seconds), so a test can drive it.
    """
    mine: list[float] = []
    theirs: list[float] = []
    started = clock()
    while len(mine) < repeat or (clock() - started < min_seconds and len(mine) < max_pairs):
        for fn, times in ((ours, mine), (raw, theirs)):
            begun = clock()
            fn()
            times.append((clock() - begun) * 1000)
    pair_ratio = statistics.median(m / t for m, t in zip(mine, theirs, strict=True) if t > 0)
    return ({**_summary(mine), "runs": len(mine), "pair_ratio": round(pair_ratio, 4)},
            {**_summary(theirs), "runs": len(theirs)})


def _in_child(fn: Callable[[], dict[str, Any]], timeout: float) -> dict[str, Any] | str:
    """Run ``fn`` in a forked child; its result, or a reason when it failed or timed out."""
    ctx = multiprocessing.get_context("fork")
    receive, send = ctx.Pipe(duplex=False)

    def target() -> None:
        try:
            send.send(fn())
        except BaseException as exc:  # report, whatever it is
            send.send(f"{type(exc).__name__}: {exc}")

    child = ctx.Process(target=target, daemon=True)
    child.start()
    try:
        if receive.poll(timeout):
            answer: dict[str, Any] | str = receive.recv()
        else:
            answer = f"timed out after {timeout:g} s"
    finally:
        if child.is_alive():
            child.kill()
        child.join()
    return answer


def _plain_term(term: Any) -> tuple[str, ...]:
    import pyoxigraph

    if isinstance(term, pyoxigraph.NamedNode):
        return ("iri", term.value)
    if isinstance(term, pyoxigraph.BlankNode):
        return ("blank", term.value)
    if isinstance(term, pyoxigraph.Literal):
        return ("literal", term.value, term.datatype.value, term.language or "")
    return ("default",)


@without_gc  # as the build and the load run: a full collection would walk the whole corpus
def _floor_loads(nquads: bytes, folder: Path) -> dict[str, Any]:
    """The least the stack itself needs to build and load these quads, whatever our code does.

    ``floor_terms_s``: making the pyoxigraph terms of every quad from Python strings (IRIs made
    once each), what any builder written in Python pays to hand its output over;
    ``floor_load_s``: pyoxigraph's ``bulk_extend`` of those quads, each with its default-graph copy
    (the store keeps the set union, see :mod:`graph.stores.oxigraph`), from quads already made.
    """
    import pyoxigraph

    out: dict[str, Any] = {}
    parsed = list(pyoxigraph.parse(nquads, pyoxigraph.RdfFormat.N_QUADS))
    strings = [tuple(_plain_term(t) for t in (q.subject, q.predicate, q.object, q.graph_name))
               for q in parsed]
    del parsed
    iris: dict[str, Any] = {}

    def term(plain: tuple[str, ...]) -> Any:
        kind = plain[0]
        if kind == "iri":
            made = iris.get(plain[1])
            if made is None:
                made = iris[plain[1]] = pyoxigraph.NamedNode(plain[1])
            return made
        if kind == "blank":
            return pyoxigraph.BlankNode(plain[1])
        if kind == "literal":
            if plain[3]:
                return pyoxigraph.Literal(plain[1], language=plain[3])
            return pyoxigraph.Literal(plain[1], datatype=term(("iri", plain[2])))
        return pyoxigraph.DefaultGraph()

    with _timer(out, "floor_terms_s"):
        quads = [pyoxigraph.Quad(term(s), term(p), term(o), term(g)) for s, p, o, g in strings]
    default = pyoxigraph.DefaultGraph()
    copies = [pyoxigraph.Quad(q.subject, q.predicate, q.object, default) for q in quads]
    store = pyoxigraph.Store(str(folder))
    with _timer(out, "floor_load_s"):
        store.bulk_extend(quads + copies)
        store.flush()
    return out


@without_gc
def _read_without_checks(folders: Sequence[Path]) -> None:
    """Every annotation file read and parsed by libyaml, and its text read: nothing checked."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    for path in sorted(p for folder in folders for p in folder.iterdir() if p.is_file()):
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".yaml":
            yaml.load(text, Loader=loader)  # a safe loader, C or Python


def _versions() -> dict[str, str]:
    found = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            found[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            found[name] = "not installed"
    return found


def _machine() -> dict[str, Any]:
    memory = None
    with contextlib.suppress(OSError, ValueError), open("/proc/meminfo", encoding="ascii") as f:
        for line in f:
            if line.startswith("MemTotal:"):
                memory = round(int(line.split()[1]) / 1024 / 1024, 1)
    return {"nproc": os.cpu_count(), "memory_gib": memory, "platform": platform.platform(),
            **_versions()}


# ------------------------------------------------------------------------------ stages


def _synthetic_params(corpus: Any) -> dict[str, str]:
    """Parameters of the generated corpus: the claim with the longest relay chain, the claimant
    of the most claims, the document most relayed from."""
    claims = {k: c for k, c in corpus.claims.items() if k.startswith("doc-")}
    depth: dict[str, int] = {}

    def chain(key: str, seen: frozenset[str]) -> int:
        if key in depth:
            return depth[key]
        claim = claims.get(key)
        ups = [r for r in (claim.relayed_from if claim else ()) if "#" in r and r not in seen]
        value = 1 + max((chain(r, seen | {key}) for r in ups), default=0)
        depth[key] = value
        return value

    for key in sorted(claims):
        chain(key, frozenset())
    out: dict[str, str] = {}
    if depth:
        longest = max(sorted(depth), key=lambda k: depth[k])
        out["claim"] = longest.replace("#", "/")
    claimants = Counter(c.claimant for c in claims.values())
    if claimants:
        out["entity"] = min(claimants, key=lambda e: (-claimants[e], e))
    relayed = Counter(r.partition("#")[0] for c in claims.values() for r in c.relayed_from)
    if relayed:
        out["document"] = min(relayed, key=lambda d: (-relayed[d], d))
    return out


def _varied_params(corpus: Any, count: int) -> dict[str, list[str]]:
    """``count`` different claims, claimants and documents of the generated corpus, spread evenly
    over each sorted list: what an analyst going from one to the next asks."""
    claims = sorted(k for k in corpus.claims if k.startswith("doc-"))
    claimants = sorted({corpus.claims[k].claimant for k in claims})
    documents = sorted({k.partition("#")[0] for k in claims})

    def spread(items: list[str]) -> list[str]:
        if not items:
            return []
        step = max(1, len(items) // count)
        return items[::step][:count]

    out = {"claim": [k.replace("#", "/") for k in spread(claims)], "entity": spread(claimants),
           "document": spread(documents)}
    return {kind: values for kind, values in out.items() if values}


def _consume_raw(result: Any) -> int:
    """Read every value of a pyoxigraph answer, as a caller of pyoxigraph would."""
    import pyoxigraph

    if isinstance(result, pyoxigraph.QueryBoolean):
        return int(bool(result))
    if isinstance(result, pyoxigraph.QuerySolutions):
        names = [v for v in result.variables]
        rows = 0
        for solution in result:
            for v in names:
                solution[v]
            rows += 1
        return rows
    count = 0
    for triple in result:  # each term read, as the rows of a SELECT are
        _ = (triple.subject, triple.predicate, triple.object)
        count += 1
    return count


def _bench_queries(
    stores: Mapping[str, Callable[[], Any]], synthetic: Mapping[str, str], repeat: int,
    timeout: float, notes: dict[str, str], varied: Mapping[str, list[str]] | None = None,
) -> tuple[dict[str, Any], dict[str, float]]:
    """Time every library query on every store, each (query, store) in a forked child.

    A parameterized query is also timed on Oxigraph with a different value at each call
    (``varied``: ``repeat`` + 1 values per kind), under the key ``varied``.

    ``stores`` maps a store name to a function opening it (in the child). A child that takes
    longer than ``timeout`` seconds for its warm-up and ``repeat`` runs is killed and the
    figure reported as null with the reason in ``notes``.
    """
    try:
        from graph.sparql.binding import bind_values
        from graph.sparql.library import list_queries, resolve_params, run_query
    except Exception as exc:  # missing, or failing to import while it is being written
        notes["queries"] = f"graph.sparql.library is not available ({exc})"
        return {}, {}
    out: dict[str, Any] = {}
    ratios: dict[str, float] = {}
    queries = list_queries()
    for q in progress(queries, len(queries), "queries"):
        parameterized = any(p.type in ONE_THING for p in q.params)
        entry: dict[str, Any] = {"parameterized": parameterized,
                                 "params": {p.name: p.example for p in q.params}}
        variants: list[tuple[str, list[Mapping[str, str]]]] = [("", [entry["params"]])]
        mine = {p.name: synthetic[p.type] for p in q.params if p.type in synthetic}
        if parameterized and mine:
            params = {**entry["params"], **mine}
            entry["synthetic_params"] = params
            variants.append(("synthetic", [params]))
        values = {p.name: (varied or {}).get(p.type, []) for p in q.params if p.type in ONE_THING}
        if parameterized and values and all(len(v) > repeat for v in values.values()):
            variants.append(("varied", [
                {**entry["params"], **{name: v[i] for name, v in values.items()}}
                for i in range(repeat + 1)]))
        for variant, param_list in variants:
            target = entry if not variant else entry.setdefault(variant, {})
            for name, opener in stores.items():
                if variant == "varied" and name != "oxigraph":
                    continue  # rdflib's engine takes seconds a query: one value is enough there
                with_raw = name == "oxigraph" and not variant

                def measure(
                    q: Any = q, opener: Callable[[], Any] = opener,
                    param_list: list[Mapping[str, str]] = param_list, with_raw: bool = with_raw,
                ) -> dict[str, Any]:
                    store = opener()
                    turns = itertools.cycle(param_list)

                    def once() -> int:
                        return len(run_query(q, next(turns), store=store).rows)

                    rows = once()
                    if not with_raw:
                        return {**_timings(once, repeat), "rows": rows}
                    text = bind_values(q.text, resolve_params(q, param_list[0], store))

                    def raw() -> int:
                        return _consume_raw(
                            store.raw.query(text, use_default_graph_as_union=UNION_DEFAULT))

                    raw()
                    mine, theirs = _paired_timings(once, raw, repeat)
                    return {**mine, "rows": rows, "raw": theirs}

                answer = _in_child(measure, timeout)
                if isinstance(answer, str):
                    target[name] = None
                    notes[f"query {q.name}{'@' + variant if variant else ''} {name}"] = answer
                    continue
                raw_timing = answer.pop("raw", None)
                pair_ratio = answer.pop("pair_ratio", None)
                target[name] = answer
                if raw_timing is not None:
                    entry["raw"] = raw_timing
                    if pair_ratio is not None:
                        ratios[q.name] = round(pair_ratio, 2)
        out[q.name] = entry
    return out, ratios


def run(
    documents: int,
    *,
    seed: int = 1,
    stores: Sequence[str] = STORES,
    repeat: int = 5,
    query_timeout: float = 10.0,
    workdir: Path | None = None,
) -> dict[str, Any]:
    """Run every stage once and return the figures (see the module docstring for the keys)."""
    import graph
    from graph.rdf.dataset import build_dataset
    from graph.validate.checks import validate_dataset
    from graph.validate.problems import raise_for_problems

    notes: dict[str, str] = {}
    result: dict[str, Any] = {"generated_documents": documents, "seed": seed}
    with contextlib.ExitStack() as stack:
        if workdir is None:
            workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="cg-bench-")))
        corpus_dir = workdir / "corpus"

        with status("generating the corpus"), _timer(result, "generate_s"):
            write_corpus(generate_corpus(documents, seed), corpus_dir)
        sources = [corpus_dir, graph.bundled_corpus_dir()]
        with status("loading annotation files"), _timer(result, "load_parse_s"):
            corpus = graph.load_corpus(sources)
        with status("building the dataset"), _timer(result, "build_dataset_s"):
            ds = build_dataset(corpus)
        # A record of its own, empty: the build's SHACL step is timed cold, as a first build.
        stack.enter_context(_environ("CLAIMGRAPH_CACHE_DIR", str(workdir / "shacl-record")))
        record = replace(policy.current(), cache_dir=workdir / "shacl-record")
        stack.enter_context(policy.use(record))
        with status("validating (SHACL and contract)"), _timer(result, "validate_s"):
            raise_for_problems(validate_dataset(ds), "the benchmark corpus")
        with status("validating again (documents unchanged)"), _timer(result, "revalidate_s"):
            raise_for_problems(validate_dataset(ds), "the benchmark corpus")
        claims = sum(len(f.claims) for f in corpus.files)
        triples = len(ds)
        build_s = result["load_parse_s"] + result["build_dataset_s"] + result["validate_s"]
        result.update({
            "documents": len(corpus.files),
            "claims": claims,
            "triples": triples,
            "build_s": round(build_s, 4),
            "claims_per_s": round(claims / build_s, 1),
            "triples_per_s": round(triples / build_s, 1),
            "build_only_triples_per_s": round(triples / result["build_dataset_s"], 1),
        })

        # Raw: pyoxigraph's own bulk load of the same quads, on disk like the store.
        import pyoxigraph

        with status("serialising N-Quads"), _timer(result, "serialize_nquads_s"):
            nquads = ds.serialize(format="nquads", encoding="utf-8")
        def raw_loads(nquads: bytes = nquads, folder: Path = workdir / "raw") -> dict[str, Any]:
            """The reference, in a child process: its memory is pyoxigraph's, not ours."""
            out: dict[str, Any] = {}
            raw = pyoxigraph.Store(str(folder))
            with _timer(out, "raw_load_s"):
                raw.bulk_load(nquads, pyoxigraph.RdfFormat.N_QUADS)
                raw.flush()
            with _timer(out, "raw_load_memory_s"):
                pyoxigraph.Store().bulk_load(nquads, pyoxigraph.RdfFormat.N_QUADS)
            out["raw_quads"] = len(raw)
            out.update(_floor_loads(nquads, workdir / "floor"))
            out.pop("peak_rss_after_mb")  # _timer records the child's peak: not ours to report
            return out

        with status("raw bulk load"):
            raw_result = _in_child(raw_loads, timeout=3600)
        if isinstance(raw_result, str):
            raise SystemExit(f"the raw bulk load failed: {raw_result}")
        result.update(raw_result)
        with status("reading the annotation files, no checks"), _timer(result, "floor_read_s"):
            _read_without_checks(sources)
        floor = result["floor_read_s"] + result["floor_terms_s"] + result["floor_load_s"]
        result["floor_build_and_load_s"] = round(floor, 4)
        result["ratio_floor_vs_raw"] = round(floor / result["raw_load_s"], 2)
        # What `claimgraph load graph.nq --store oxigraph:DIR` does: pyoxigraph parses the file.
        built = workdir / "graph.nq"
        built.write_bytes(nquads)
        del nquads
        with status("loading the N-Quads file"), _timer(result, "load_file_s"):
            from graph.stores.oxigraph import OxigraphStore
            from graph.stores.oxigraph_load import read_quads

            from_file = OxigraphStore(workdir / "from-file")
            from_file.replace_quads(read_quads([built]))
            from_file.close()
        result["ratio_load_file_vs_raw"] = round(result["load_file_s"] / result["raw_load_s"], 2)

        opened: dict[str, Any] = {}
        load: dict[str, float | None] = {}
        for name in stores:
            started = time.perf_counter()
            with status(f"loading into {name}"):
                if name == "memory":
                    from graph.stores.memory import MemoryStore

                    opened[name] = MemoryStore(ds)
                elif name == "oxigraph":
                    from graph.stores.oxigraph import OxigraphStore

                    store = OxigraphStore(workdir / "oxigraph")
                    store.replace_graphs(ds)
                    opened[name] = store
                else:
                    raise SystemExit(f"unknown store {name!r} (use {', '.join(STORES)})")
            load[name] = round(time.perf_counter() - started, 4)
        result["load"] = load
        oxi = load.get("oxigraph")
        result["ratio_load_vs_raw"] = round(oxi / result["raw_load_s"], 2) if oxi else None
        result["ratio_build_and_load_vs_raw"] = (
            round((build_s + oxi) / result["raw_load_s"], 2) if oxi else None
        )
        if oxi is None:
            notes["ratio_load_vs_raw"] = "the oxigraph store was not benchmarked (--stores)"

        synthetic = _synthetic_params(corpus)
        result["synthetic_params"] = synthetic
        openers: dict[str, Callable[[], Any]] = {}
        if "memory" in opened:
            openers["memory"] = lambda: opened["memory"]
        if "oxigraph" in opened:
            from graph.stores.oxigraph import OxigraphStore

            opened.pop("oxigraph").close()  # children open it read-only, one at a time
            openers["oxigraph"] = lambda: OxigraphStore(workdir / "oxigraph", read_only=True)
        varied = _varied_params(corpus, repeat + 1)
        queries, ratios = _bench_queries(openers, synthetic, repeat, query_timeout, notes, varied)
        result["queries"] = queries
        result["ratio_query_vs_raw"] = ratios
        opened.clear()

        _bench_analysis(ds, result, notes, workdir)
    result["peak_rss_mb"] = _peak_rss_mb()
    result["machine"] = _machine()
    result["notes"] = notes
    return result


def _bench_analysis(ds: Any, result: dict[str, Any], notes: dict[str, str], work: Path) -> None:
    result.update(projection_s=None, analysis_s=None, views_s=None, views_bytes={})
    try:
        from graph.analysis import analyze
        from graph.rdf.projection import dependency_graph, entity_graph
    except Exception as exc:  # missing, or failing to import while it is being written
        notes["analysis"] = f"graph.analysis is not available ({exc})"
        notes["views"] = "the views need graph.analysis's projections"
        return
    with status("projecting to networkx"), _timer(result, "projection_s"):
        G = dependency_graph(ds)
    result["graph_nodes"], result["graph_edges"] = G.number_of_nodes(), G.number_of_edges()
    with status("analysing every claim"), _timer(result, "analysis_s"):
        summary = analyze(G)
    result["analysis_claims"] = len(summary["claims"])
    try:
        from graph.views import claim_view, entity_view, provenance_view
    except Exception as exc:  # missing, or failing to import while it is being written
        notes["views"] = f"graph.views is not available ({exc})"
        return
    claims = sorted(n for n, d in G.nodes(data=True) if d.get("type") == "claim")
    deepest = max(claims, key=lambda c: (len(summary_roots(summary, c)), c)) if claims else None
    folder = work / "views"
    started = time.perf_counter()
    with status("rendering views"):
        written = [provenance_view(G, summary).save(folder / "provenance.html"),
                   entity_view(entity_graph(ds), G).save(folder / "entities.html")]
        if deepest is not None:
            written.append(claim_view(G, deepest).save(folder / "claim.html"))
    result["views_s"] = round(time.perf_counter() - started, 4)
    result["views_bytes"] = {Path(p).name: Path(p).stat().st_size for p in written}


def summary_roots(summary: Mapping[str, Any], claim: str) -> list[Any]:
    """The roots ``analyze`` found for one claim (empty when it is not in the summary)."""
    for item in summary.get("claims", ()):
        if item["iri"] == claim:
            return list(item["roots"])
    return []


# ------------------------------------------------------------------------------ output


def _fmt(value: Any, unit: str = "") -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:,.3f}{unit}" if value < 10 else f"{value:,.1f}{unit}"
    return f"{value:,}{unit}"


def _pair(t: Mapping[str, float] | None) -> str:
    return "—" if not t else f"{t['p50_ms']:.2f} / {t['p95_ms']:.2f}"


def render_table(r: Mapping[str, Any]) -> str:
    """The figures of one run as a plain-text table."""
    lines = [
        f"claimgraph benchmark: {r['documents']} documents ({r['generated_documents']} generated "
        f"+ the bundled article), {r['claims']:,} claims, {r['triples']:,} triples",
        "",
        f"  load/parse annotation files   {_fmt(r['load_parse_s'], ' s')}",
        f"  build dataset                 {_fmt(r['build_dataset_s'], ' s')}",
        f"  validate (SHACL + contract)   {_fmt(r['validate_s'], ' s')}",
        f"  validate again, unchanged     {_fmt(r.get('revalidate_s'), ' s')}",
        f"  build total                   {_fmt(r['build_s'], ' s')}   "
        f"({_fmt(r['claims_per_s'])} claims/s, {_fmt(r['triples_per_s'])} triples/s)",
        f"  raw pyoxigraph bulk load      {_fmt(r['raw_load_s'], ' s')} on disk, "
        f"{_fmt(r['raw_load_memory_s'], ' s')} in memory",
    ]
    for name, seconds in r["load"].items():
        lines.append(f"  load into {name:<19} {_fmt(seconds, ' s')}")
    lines += [
        f"  load an N-Quads file (CLI)    {_fmt(r.get('load_file_s'), ' s')}",
        f"  ratio load / raw              {_fmt(r['ratio_load_vs_raw'])}",
        f"  ratio (build + load) / raw    {_fmt(r.get('ratio_build_and_load_vs_raw'))}",
        f"  floor of the stack            {_fmt(r.get('floor_build_and_load_s'), ' s')}  (read "
        f"{_fmt(r.get('floor_read_s'), ' s')} + terms {_fmt(r.get('floor_terms_s'), ' s')} + "
        f"write {_fmt(r.get('floor_load_s'), ' s')}; {_fmt(r.get('ratio_floor_vs_raw'))}× raw)",
        f"  networkx projection           {_fmt(r['projection_s'], ' s')}",
        f"  analysis of every claim       {_fmt(r['analysis_s'], ' s')}",
        f"  views                         {_fmt(r['views_s'], ' s')}  "
        + ", ".join(f"{k} {v / 1024:,.0f} KiB" for k, v in r["views_bytes"].items()),
        f"  peak RSS                      {_fmt(r['peak_rss_mb'], ' MB')}",
        "",
    ]
    if r["queries"]:
        stores = [s for s in r["load"]]
        header = f"  {'query':<28} {'param':<5}" + "".join(
            f" {s + ' p50/p95 ms':>24}" for s in stores) + f" {'raw p50':>9} {'ratio':>6}"
        lines += [header]
        for name, q in r["queries"].items():
            cells = [f" {_pair(q.get(s)):>24}" for s in stores]
            raw = q.get("raw") or {}
            lines.append(f"  {name:<28} {'yes' if q['parameterized'] else 'no':<5}"
                         + "".join(cells)
                         + f" {_fmt(raw.get('p50_ms')):>9} "
                         f"{_fmt(r['ratio_query_vs_raw'].get(name)):>6}")
            syn = q.get("synthetic")
            if syn:
                cells = [f" {_pair(syn.get(s)):>24}" for s in stores]
                lines.append(f"    {'(generated-corpus params)':<32}" + "".join(cells))
            varied = q.get("varied")
            if varied:
                cells = [f" {_pair(varied.get(s)) if s in varied else '—':>24}" for s in stores]
                lines.append(f"    {'(a new value each call)':<32}" + "".join(cells))
    for key, reason in r["notes"].items():
        lines.append(f"  note: {key}: {reason}")
    return "\n".join(lines)


STAGES: Final = (
    ("load/parse annotations", "load_parse_s"),
    ("build dataset", "build_dataset_s"),
    ("SHACL + contract validation", "validate_s"),
    ("validation again, documents unchanged", "revalidate_s"),
    ("build total", "build_s"),
    ("raw pyoxigraph bulk load (disk)", "raw_load_s"),
    ("load into memory store", ("load", "memory")),
    ("load into Oxigraph store", ("load", "oxigraph")),
    ("load an N-Quads file into Oxigraph (CLI path)", "load_file_s"),
    ("floor: read the files, no checks", "floor_read_s"),
    ("floor: make the terms from strings", "floor_terms_s"),
    ("floor: write quads and default-graph copies", "floor_load_s"),
    ("floor: build + load", "floor_build_and_load_s"),
    ("networkx projection", "projection_s"),
    ("analysis of every claim", "analysis_s"),
    ("views", "views_s"),
    ("peak RSS (MB)", "peak_rss_mb"),
)


def _get(r: Mapping[str, Any], key: str | tuple[str, str]) -> Any:
    if isinstance(key, tuple):
        return (r.get(key[0]) or {}).get(key[1])
    return r.get(key)


def render_report(runs: Sequence[Mapping[str, Any]]) -> str:
    """Markdown: each stage at each scale, and its growth exponent between scales (by triples)."""
    runs = sorted(runs, key=lambda r: r["triples"])
    head = "| stage | " + " | ".join(f"{r['triples']:,} triples" for r in runs)
    pairs = list(itertools.pairwise(runs))
    head += "".join(f" | growth {i + 1}→{i + 2}" for i in range(len(pairs))) + " |"
    out = [head, "|" + "---|" * (1 + len(runs) + len(pairs))]
    out.append("| documents / claims | " + " | ".join(
        f"{r['documents']} / {r['claims']:,}" for r in runs) + " |" + " |" * len(pairs))

    def row(label: str, values: list[Any], growth: bool = True) -> None:
        cells = [_fmt(v) for v in values]
        exps = []
        for (a, b), (va, vb) in zip(pairs, itertools.pairwise(values), strict=True):
            e = growth_exponent(a["triples"], va or 0, b["triples"], vb or 0) if growth else None
            exps.append("—" if e is None else f"{e:.2f}")
        out.append(f"| {label} | " + " | ".join(cells + exps) + " |")

    for label, key in STAGES:
        row(label, [_get(r, key) for r in runs])
    names = sorted({n for r in runs for n in r.get("queries", {})})
    for n in names:
        for store in ("oxigraph", "memory"):
            values = []
            for r in runs:
                q = r["queries"].get(n, {})
                worst = [t["p95_ms"] for t in (q.get(store), (q.get("synthetic") or {}).get(store))
                         if t]
                values.append(max(worst) if worst else None)
            if any(v is not None for v in values):
                row(f"query {n} p95 ms ({store})", values)
        varied = [(((r["queries"].get(n) or {}).get("varied") or {}).get("oxigraph") or {})
                  .get("p95_ms") for r in runs]
        if any(v is not None for v in varied):
            row(f"query {n} p95 ms, a new value each call (oxigraph)", varied)
        row(f"query {n} ours/raw", [r["ratio_query_vs_raw"].get(n) for r in runs], growth=False)
    return "\n".join(out)


def main(argv: Sequence[str] | None = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--documents", type=int, help="documents to generate")
    parser.add_argument("--seed", type=int, default=1, help="corpus seed (default 1)")
    parser.add_argument("--stores", default=",".join(STORES),
                        help="comma-separated stores: memory, oxigraph (default both)")
    parser.add_argument("--repeat", type=int, default=5, help="runs per query (default 5)")
    parser.add_argument("--query-timeout", type=float, default=10.0,
                        help="seconds per memory-store query before it is reported as null")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--report", nargs="+", type=Path, metavar="RUN.json",
                        help="render saved --json runs as a markdown table with growth exponents")
    parser.add_argument("--incremental", metavar="N,N,...",
                        help="instead: a growing corpus of each size (scripts/bench_incremental.py)"
                        ": full build and load, one edit, a reload, ten documents added")
    parser.add_argument("--views", action="store_true", help="--incremental: build the views too")
    parser.add_argument("--no-story", action="store_true",
                        help="--incremental: build without the story graph")
    args = parser.parse_args(argv)
    if args.incremental:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from bench_incremental import bench_incremental, render_incremental

        sizes = [int(n) for n in args.incremental.split(",") if n.strip()]
        with policy.use(policy.command_line()):
            found = bench_incremental(sizes, seed=args.seed, views=args.views,
                                      story=not args.no_story)
        print(json.dumps(found, indent=1) if args.json else render_incremental(found))
        return 0
    if args.report:
        runs = [json.loads(p.read_text(encoding="utf-8")) for p in args.report]
        print(render_report(runs))
        return 0
    if not args.documents or args.documents < 1:
        parser.error("--documents N (at least 1) is required")
    stores = [s.strip() for s in args.stores.split(",") if s.strip()]
    unknown = sorted(set(stores) - set(STORES))
    if unknown:
        parser.error(f"unknown store(s) {', '.join(unknown)} (use {', '.join(STORES)})")
    # Measured as the command line runs: collector paused for bulk work, SHACL on every core.
    with policy.use(policy.command_line()):
        result = run(args.documents, seed=args.seed, stores=stores, repeat=max(1, args.repeat),
                     query_timeout=args.query_timeout)
    if args.json:
        print(json.dumps(result, indent=1, sort_keys=False))
    else:
        print(render_table(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
