"""``python -m graph.cli``: the same as the ``claimgraph`` command."""

from . import main

main()
