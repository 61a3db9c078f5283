"""Records as RDF: vocabulary and IRIs, the dataset, exports, reading RDF files, the ontology."""
