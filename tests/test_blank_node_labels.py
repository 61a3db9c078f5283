"""A blank node whose label is not a plain name is written with the same label in every process:
the exports of a file read twice do not differ by the interpreter's string hashing."""

from __future__ import annotations

import os
import subprocess
import sys

from rdflib import BNode

from graph.sparql.binding import sparql_term

_PRINT = "from rdflib import BNode; from graph.sparql.binding import sparql_term; " \
         "print(sparql_term(BNode('not a name: é')))"


def test_a_label_that_is_not_a_name_is_the_same_in_every_process() -> None:
    labels = set()
    for seed in ("1", "2", "3"):
        done = subprocess.run([sys.executable, "-c", _PRINT], capture_output=True, text=True,
                              check=True, env={**os.environ, "PYTHONHASHSEED": seed})
        labels.add(done.stdout.strip())
    assert labels == {sparql_term(BNode("not a name: é"))}
    assert sparql_term(BNode("x1")) == "_:x1"
    assert sparql_term(BNode("a b")) != sparql_term(BNode("a c"))
