"""Build: records → RDF. Every IRI comes from :func:`gcm_graph.iris.mint`; prefixes from :mod:`gcm_graph.namespaces`."""
