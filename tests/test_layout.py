"""The package's shape: no import cycles, the model free of RDF, public names declared.

The import graph is read from the source (every ``import`` of a ``graph`` module, lazy ones inside
functions included, since a lazy import is how a cycle hides), so the test needs no imports of its
own and names the modules of any cycle it finds.
"""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "graph"
# Longest a module may be without a reason written at its top ("Long because ...").
MAX_LINES = 420


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES: dict[str, Path] = {
    _module_name(p): p for p in sorted(PACKAGE.rglob("*.py")) if p.name != "__main__.py"
}


def _type_checking_only(tree: ast.Module) -> set[int]:
    """Line numbers of imports made only for the type checker (no import at run time)."""
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for inner in node.body:
                lines.update(range(inner.lineno, (inner.end_lineno or inner.lineno) + 1))
    return lines


def _imports(name: str, path: Path) -> set[str]:
    """The ``graph`` modules ``path`` imports at run time, anywhere in it."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    typing_only = _type_checking_only(tree)
    found: set[str] = set()
    for node in ast.walk(tree):
        if getattr(node, "lineno", None) in typing_only:
            continue
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*up, base] if base else up)
            # `from graph.x import y` imports the module graph.x.y when y is one
            submodules = {f"{base}.{a.name}" for a in node.names} & MODULES.keys()
            found.update(submodules)
            if len(submodules) < len(node.names):
                found.add(base)
    return {m for m in found if m in MODULES and m != name}


def import_graph() -> nx.DiGraph:
    G = nx.DiGraph()
    for name, path in MODULES.items():
        G.add_node(name)
        G.add_edges_from((name, target) for target in _imports(name, path))
    return G


def test_no_import_cycles() -> None:
    cycles = list(nx.simple_cycles(import_graph()))
    assert not cycles, "import cycles:\n" + "\n".join(" -> ".join([*c, c[0]]) for c in cycles)


def test_the_cycle_check_sees_a_lazy_import() -> None:
    """The walk finds imports inside functions, where the old cycles hid."""
    assert "graph.stores.memory" in import_graph().successors("graph.stores")


def test_model_does_not_import_rdf_modules() -> None:
    """The model's import closure holds no ``graph.rdf`` module (rdflib is checked at run time)."""
    G = import_graph()
    model = [m for m in MODULES if m.startswith("graph.model")]
    reached = set().union(*(nx.descendants(G, m) | {m} for m in model))
    assert not {m for m in reached if m.startswith(("graph.rdf", "graph.stores", "graph.sparql"))}


def test_importing_the_model_loads_no_rdflib() -> None:
    code = (
        "import sys, graph.model.annotations, graph.model.records, graph.model.words\n"
        "import graph\n"
        "heavy = ('rdflib', 'pyoxigraph', 'pyshacl')\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in heavy)\n"
        "print(bad)\n"
        "sys.exit(1 if bad else 0)\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr


def test_modules_are_short_or_say_why() -> None:
    long = []
    for name, path in MODULES.items():
        text = path.read_text(encoding="utf-8")
        if text.count("\n") > MAX_LINES and "Long because" not in text[:3000]:
            long.append(f"{name}: {text.count(chr(10))} lines")
    assert not long, long


@pytest.mark.parametrize("sub", sorted(p.parent.name for p in PACKAGE.glob("*/__init__.py")))
def test_every_part_has_a_one_line_docstring(sub: str) -> None:
    path = PACKAGE / sub / "__init__.py"
    doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
    assert doc, f"graph/{sub}/__init__.py has no docstring"


def _public_modules() -> list[str]:
    return [
        n for n in MODULES if not any(part.startswith("_") for part in n.split(".")[1:])
    ]


@pytest.mark.parametrize("name", _public_modules())
def test_public_names_are_declared(name: str) -> None:
    """Every name a public module defines is in its ``__all__`` or starts with ``_`` (httpx)."""
    module = importlib.import_module(name)
    exported = set(getattr(module, "__all__", ()))
    tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
    defined: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            defined.add(node.name)
        elif isinstance(node, ast.Assign):
            defined.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            defined.add(node.target.id)
    undeclared = sorted(
        n for n in defined if not n.startswith("_") and n not in exported
    )
    assert not undeclared, f"{name}: public but not in __all__: {undeclared}"
    missing = sorted(n for n in exported if not hasattr(module, n))
    assert not missing, f"{name}: __all__ names what it lacks: {missing}"


def test_the_model_words_are_the_vocabularys_keys() -> None:
    """The loader checks names against :mod:`graph.model.words`; the build maps them through
    :mod:`graph.rdf.vocab`: the two lists must be the same, in the same order."""
    from graph.model import words
    from graph.rdf import vocab

    assert tuple(vocab.SOURCE_KINDS) == words.SOURCE_KINDS
    assert tuple(vocab.MODES) == words.MODES
    assert tuple(vocab.ENTITY_TYPES) == words.ENTITY_TYPES
    assert tuple(vocab.RELATIONS) == words.RELATIONS
