"""Every IRI the project mints comes from :func:`mint`. Patterns are those of ARCHITECTURE.md."""

from __future__ import annotations

import re
import unicodedata

from rdflib import URIRef

from .namespaces import DEFAULT_BASE


def slugify(text: str) -> str:
    """Lower-case ASCII slug: ``"ONU Mujeres"`` → ``"onu-mujeres"``, ``"CONACyT"`` → ``"conacyt"``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


_PATTERNS = {
    "ontology": "ontology",
    "term": "ontology#{name}",
    "objective": "id/objective/{number}",
    "objective-scheme": "id/objective",
    "principle": "id/principle/{letter}",
    "principle-scheme": "id/principle",
    "population": "id/population/{slug}",
    "theme": "id/theme/{slug}",
    "report": "id/report/{report}",
    "report-graph": "graph/{report}",
    "graph": "graph/{name}",
    "section": "id/report/{report}/objective/{objective}",
    "period": "id/report/{report}/period",
    "programme": "id/programme/{report}/{objective}-{number}",
    "distinct-programme": "id/programme/{report}/p/{key}",
    "part": "id/programme/{report}/{objective}-{number}/{kind}/{index}",
    "report-footnote": "id/report/{report}/footnote/{index}",
    "agency": "id/org/{country}/{slug}",
    "organisation": "id/org/{slug}",
    "dataset": "id/dataset",
    "distribution": "id/dataset/{name}",
}


def mint(what: str, base: str = DEFAULT_BASE, /, **parts: object) -> URIRef:
    """The IRI of ``what``, e.g. ``mint("programme", base, report="mx-2020", objective=7, number=14)``."""
    try:
        pattern = _PATTERNS[what]
    except KeyError:
        raise ValueError(f"no IRI pattern for {what!r}") from None
    clean = {k: (v.lower() if k in ("country",) and isinstance(v, str) else v) for k, v in parts.items()}
    return URIRef(base + pattern.format(**clean))


def programme_key(iri: str) -> str | None:
    """``7-14`` from a programme entry IRI, or None."""
    m = re.search(r"/id/programme/[^/]+/(\d+-\d+)$", iri)
    return m.group(1) if m else None
