"""Markdown for people: the build report, analysis findings, records as DataFrames."""
