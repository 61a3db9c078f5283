"""The wheel carries the package, its corpus, queries and the ontology, and works from them."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(out),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    (found,) = out.glob("claimgraph-*.whl")
    return found


def test_wheel_holds_data_and_ontology(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in (
        "graph/__init__.py",
        "graph/py.typed",
        "graph/corpus/thebl-organ-harvesting/article.txt",
        "graph/corpus/thebl-organ-harvesting/annotations.yaml",
        "graph/ontology/claimgraph.ttl",
        "graph/ontology/shapes.ttl",
    ):
        assert needed in names, needed
    assert any(n.startswith("graph/sparql/queries/") and n.endswith(".rq") for n in names)
    # every sub-package of the source tree is in the wheel
    source = Path(__file__).resolve().parent.parent / "graph"
    for init in source.rglob("__init__.py"):
        assert f"graph/{init.relative_to(source).as_posix()}" in names, init


def test_installed_wheel_builds_the_bundled_article(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as z:
        z.extractall(site)
    code = "import graph; print(graph.__file__); print(len(graph.build().corpus.files[0].claims))"
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(site)},
    )
    where, claims = done.stdout.split()
    assert where.startswith(str(site))
    assert int(claims) == 54
