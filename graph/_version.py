"""The claimgraph version, apart so that any module may read it without importing the rest."""

__version__ = "0.1.0"
