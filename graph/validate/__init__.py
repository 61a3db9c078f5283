"""Checking a dataset: SHACL shapes (chunked, cached) and the interop contract."""
