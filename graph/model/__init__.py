"""The analyst's annotations as checked records: loader, YAML fields, vocabulary words; no RDF."""
