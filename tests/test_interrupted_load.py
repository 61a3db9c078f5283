"""A ``claimgraph load`` into an Oxigraph folder killed at any moment leaves the store exactly as it
was, or with the new load complete; the folder always opens again, read-only and read-write."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import time
import warnings
from pathlib import Path

import pytest
from rdflib import Dataset

ROOT = Path(__file__).resolve().parents[1]
COPIES = 15  # renamed copies of the bundled article: ~37,000 quads, a load of a few seconds

DUMP = """
import sys
import pyoxigraph
store = pyoxigraph.Store.read_only(sys.argv[1])
data = store.dump(format=pyoxigraph.RdfFormat.N_QUADS)
sys.stdout.write("\\n".join(sorted(data.decode("utf-8").splitlines())))
"""
OPEN_WRITABLE = """
import sys
import pyoxigraph
store = pyoxigraph.Store(sys.argv[1])
print(len(store))
"""


def run_python(code: str, *args: str) -> str:
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def dump(store: Path) -> list[str]:
    """The store's quads as sorted N-Quads lines, read by a separate read-only process."""
    return run_python(DUMP, str(store)).splitlines()


def load(source: Path, store: Path, method: str = "auto") -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "graph.cli", "load", str(source), "--store", f"oxigraph:{store}",
         "--method", method],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT,
    )


class Fixture:
    def __init__(self, base: Path, before: Path, source: Path, old: list[str], new: list[str],
                 duration: float, method: str) -> None:
        self.base, self.before, self.source = base, before, source
        self.old, self.new, self.duration, self.method = old, new, duration, method


@pytest.fixture(scope="module", params=["transaction", "bulk"])
def prepared(
    request: pytest.FixtureRequest, bundled_dataset: Dataset,
    tmp_path_factory: pytest.TempPathFactory,
) -> Fixture:
    """A store before the load, the load's input, and both states, for one way of writing."""
    method: str = request.param
    base = tmp_path_factory.mktemp(f"interrupted-load-{method}")
    with warnings.catch_warnings():  # rdflib's serializer calls its own deprecated API
        warnings.simplefilter("ignore", DeprecationWarning)
        nquads = bundled_dataset.serialize(format="nquads")
    (base / "bundled.nq").write_text(nquads, encoding="utf-8")
    # The new input: the article again (its graphs are replaced) and copies of it as other
    # documents, each under its own document graphs (named as claimgraph names them).
    copies = [nquads] + [
        nquads.replace("/thebl-organ-harvesting", f"/copy{k}-thebl") for k in range(1, COPIES)
    ]
    source = base / "corpus.nq"
    source.write_text("".join(copies), encoding="utf-8")

    before = base / "before"
    assert load(base / "bundled.nq", before).wait(timeout=120) == 0
    old = dump(before)
    reference = base / "reference"
    shutil.copytree(before, reference)
    started = time.monotonic()
    assert load(source, reference, method).wait(timeout=300) == 0
    duration = time.monotonic() - started
    new = dump(reference)
    assert len(new) > 10 * len(old) > 0
    return Fixture(base, before, source, old, new, duration, method)


@pytest.mark.slow
@pytest.mark.parametrize("fraction", [0.3, 0.6, 0.8, 0.9, 0.97])
def test_kill_at_any_moment_leaves_old_or_new(
    prepared: Fixture, tmp_path: Path, fraction: float
) -> None:
    store = tmp_path / "store"
    shutil.copytree(prepared.before, store)
    process = load(prepared.source, store, prepared.method)
    time.sleep(prepared.duration * fraction)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)

    state = dump(store)  # opens read-only in another process: never unopenable
    assert state in (prepared.old, prepared.new), (
        f"killed at {fraction:.0%}: {len(state)} quads, neither the {len(prepared.old)} before "
        f"nor the {len(prepared.new)} after"
    )
    assert int(run_python(OPEN_WRITABLE, str(store))) == len(state)  # and read-write
    if fraction == 0.9:  # the next load completes on what the kill left
        assert load(prepared.source, store, prepared.method).wait(timeout=300) == 0
        assert dump(store) == prepared.new
        assert not list(tmp_path.glob(".store.*"))  # what a killed bulk load left is cleared
