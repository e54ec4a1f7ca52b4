"""The web pages, rendered on the server from SPARQL over the store: the front page (a chart of programmes per
objective, browse lists, search box), ``/search``, the SPARQL editor ``/query``, and the HTML views of resources
that :mod:`..deref` serves for ``/id/…``, ``/ontology`` and ``/graph/…`` (a programme entry gets a page of its own
with the document's text; anything else a generic page of its triples).

Nothing comes from elsewhere: the stylesheet, the editor's script and the icon are served from ``/static/`` and
the chart is an inline SVG drawn here. Every value from the data is escaped (:mod:`..markup`).

One module per page or job:

- :mod:`.router`: the routes of ``/``, ``/search``, ``/query``, ``/downloads`` and ``/static/…``;
- :mod:`.front` and :mod:`.chart`: the front page and its chart;
- :mod:`.search`, :mod:`.editor`, :mod:`.downloads`: the search, SPARQL editor and downloads pages;
- :mod:`.resource`, :mod:`.programme`, :mod:`.sources`: a resource's page, a programme entry's page and the lines
  of its source document;
- :mod:`.ontology`: the ontology's and a named graph's pages;
- :mod:`.common`: what the resource pages share (the statements table, the links to RDF formats).
"""

from __future__ import annotations

from .chart import chart_columns, chart_rows
from .ontology import graph_page, ontology_page
from .resource import resource_page
from .router import routes

__all__ = ["chart_columns", "chart_rows", "graph_page", "ontology_page", "resource_page", "routes"]
