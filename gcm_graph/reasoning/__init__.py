"""The reasoner's parts; the public entry points are in :mod:`gcm_graph.reason`.

* :mod:`.vocab`: the RDF/RDFS/OWL terms the rules use, as pyoxigraph terms, and which triples are trivial;
* :mod:`.tbox`: the schema axioms read from the input, their closure (the ``scm-*`` rules) and the rule tables
  the A-box engine looks facts up in;
* :mod:`.abox`: the semi-naive A-box engine over pyoxigraph terms (the default);
* :mod:`.generic`: the previous engine, generic OWL 2 RL rules as SPARQL UPDATE run to a fixpoint in a pyoxigraph
  store, kept as a cross-check and a baseline for ``benchmarks/reason.py``.
"""
