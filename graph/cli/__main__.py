"""``python -m graph.cli``: the same as the ``claimgraph`` command."""

from graph.cli import main

main()
