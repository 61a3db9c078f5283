"""Helpers every part may use: atomic writes, input limits, progress, collector pauses."""
