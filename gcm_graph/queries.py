"""Canned SPARQL queries: ``queries/NAME.rq`` with a header the runtime reads, and typed parameters.

Header lines (before the query)::

    #+ summary: Which objectives rest on a single responsible agency?
    #+ description: …
    #+ params: objective (optional, integer 1-23); population (required, population)
    #+ tags: coverage, whole-of-government
    #+ columns: objective, agency, programmes

Every query also takes ``lang`` (``en`` default, or ``es``), ``report`` (a report slug such as ``mx-2020``) and
``country`` (ISO 3166-1 alpha-2). A value is checked against its declared type and turned into an RDF term (an
integer literal, an IRI…); the term, serialised by the RDF library, is bound with a ``VALUES`` block placed at the
start of the query's outer ``WHERE``. The text a user typed never becomes query text: a value full of quotes,
braces or ``} UNION {`` is one escaped literal.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from . import paths
from .errors import QueryError
from .iris import mint
from .namespaces import DEFAULT_BASE

XSD = "http://www.w3.org/2001/XMLSchema#"
_HEADER = re.compile(r"^#\+\s*([a-z_]+)\s*:\s*(.*)$")
_PARAM = re.compile(r"^\s*([a-z_][a-z0-9_]*)\s*\(([^)]*)\)\s*$")
_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)
TYPES = ("integer", "string", "text", "iri", "lang", "programme", "agency", "population", "organisation", "theme",
         "report", "country", "objective")
COMMON = ("lang", "report", "country")


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    required: bool = False
    default: str | None = None
    minimum: int | None = None
    maximum: int | None = None

    def describe(self) -> str:
        rng = f" {self.minimum}-{self.maximum}" if self.minimum is not None else ""
        req = "required" if self.required else "optional"
        default = f", default {self.default}" if self.default is not None else ""
        return f"{self.name} ({req}, {self.type}{rng}{default})"


_COMMON_PARAMS = {
    "lang": Param("lang", "lang", False, "en"),
    "report": Param("report", "report"),
    "country": Param("country", "country"),
}


@dataclass(frozen=True)
class CannedQuery:
    name: str
    summary: str
    description: str
    params: tuple[Param, ...]
    tags: tuple[str, ...]
    columns: tuple[str, ...]
    text: str
    path: str
    extra: dict = field(default_factory=dict, compare=False)

    @property
    def is_check(self) -> bool:
        return self.name.startswith("check-")

    def param(self, name: str) -> Param | None:
        return next((p for p in self.all_params if p.name == name), None)

    @property
    def all_params(self) -> tuple[Param, ...]:
        own = {p.name for p in self.params}
        return self.params + tuple(p for n, p in _COMMON_PARAMS.items() if n not in own)


def parse_header(text: str, path: str = "<query>") -> dict[str, str]:
    header: dict[str, str] = {}
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.startswith("#"):
            if line.strip():
                break
            continue
        m = _HEADER.match(line)
        if m:
            key, value = m.group(1), m.group(2).strip()
            header[key] = (header[key] + " " + value).strip() if key in header else value
        elif line.startswith("#+"):
            raise QueryError(f"malformed header line {line!r} (expected '#+ key: value')", path, n)
    return header


def parse_params(spec: str, path: str = "<query>") -> tuple[Param, ...]:
    params = []
    for part in [p for p in spec.split(";") if p.strip()]:
        m = _PARAM.match(part)
        if not m:
            raise QueryError(f"malformed parameter {part.strip()!r}: expected 'name (required|optional, type[ min-max]"
                             "[, default X])'", path)
        name, inner = m.group(1), [x.strip() for x in m.group(2).split(",")]
        if len(inner) < 2 or inner[0] not in ("required", "optional"):
            raise QueryError(f"parameter {name!r}: say 'required' or 'optional' first, then the type", path)
        type_part = inner[1].split()
        ptype = type_part[0]
        if ptype not in TYPES:
            raise QueryError(f"parameter {name!r}: unknown type {ptype!r} (known: {', '.join(TYPES)})", path)
        lo = hi = None
        if len(type_part) > 1:
            lo, hi = (int(x) for x in type_part[1].split("-"))
        default = None
        for extra in inner[2:]:
            if extra.startswith("default "):
                default = extra[len("default "):].strip()
        params.append(Param(name, ptype, inner[0] == "required", default, lo, hi))
    return tuple(params)


def load(path: Path) -> CannedQuery:
    text = Path(path).read_text(encoding="utf-8")
    header = parse_header(text, str(path))
    for key in ("summary",):
        if key not in header:
            raise QueryError(f"the header has no '#+ {key}:' line", str(path), 1)
    params = parse_params(header.get("params", ""), str(path))
    return CannedQuery(
        name=Path(path).stem, summary=header["summary"], description=header.get("description", ""),
        params=params, tags=tuple(t.strip() for t in header.get("tags", "").split(",") if t.strip()),
        columns=tuple(c.strip() for c in header.get("columns", "").split(",") if c.strip()), text=text, path=str(path),
    )


def load_all(include_checks: bool = False, folder: Path = paths.QUERIES_DIR) -> list[CannedQuery]:
    return [load(p) for p in sorted(Path(folder).glob("*.rq")) if include_checks or not p.stem.startswith("check-")]


def by_name(name: str, folder: Path = paths.QUERIES_DIR) -> CannedQuery:
    path = Path(folder) / f"{name}.rq"
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", name) or not path.exists():
        known = ", ".join(q.name for q in load_all(folder=folder))
        raise QueryError(f"unknown query {name!r}; known queries: {known}")
    return load(path)


def fold(text: str) -> str:
    """Lower case without accents: what the search query compares (``NIÑEZ`` → ``ninez``)."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _int(name: str, value: str, param: Param) -> int:
    try:
        number = int(value.strip())
    except ValueError:
        raise QueryError(f"parameter {name!r} must be an integer, got {value!r}") from None
    if param.minimum is not None and not (param.minimum <= number <= param.maximum):
        raise QueryError(f"parameter {name!r} must be between {param.minimum} and {param.maximum}, got {number}")
    return number


def _slug_or_iri(name: str, value: str, prefix: str) -> ox.NamedNode:
    value = value.strip()
    if value.startswith(("http://", "https://")):
        if any(c in value for c in ' <>"{}|\\^`'):
            raise QueryError(f"parameter {name!r}: not a valid IRI: {value!r}")
        return ox.NamedNode(value)
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_-]*", value):
        raise QueryError(f"parameter {name!r}: expected an identifier such as a slug or a full IRI, got {value!r}")
    return ox.NamedNode(prefix + value.lower())


def to_term(param: Param, value: str, base: str = DEFAULT_BASE) -> ox.NamedNode | ox.Literal:
    """One user value → an RDF term of the parameter's type (or a QueryError saying what is accepted)."""
    name, t = param.name, param.type
    if t in ("integer", "objective"):
        if t == "objective" and param.minimum is None:
            param = Param(param.name, t, param.required, param.default, 1, 23)
        return ox.Literal(str(_int(name, value, param)), datatype=ox.NamedNode(XSD + "integer"))
    if t == "lang":
        if value not in ("en", "es"):
            raise QueryError(f"parameter {name!r} must be 'en' or 'es', got {value!r}")
        return ox.Literal(value)
    if t == "string":
        return ox.Literal(value)
    if t == "text":
        if not value.strip():
            raise QueryError(f"parameter {name!r} must not be empty")
        return ox.Literal(fold(value.strip()))
    if t == "iri":
        return _slug_or_iri(name, value, base)
    if t == "programme":
        m = re.fullmatch(r"\s*(?:([a-z]{2}-\d{4}[a-z0-9-]*)/)?(\d{1,2})-(\d{1,3})\s*", value)
        if m:
            return ox.NamedNode(str(mint("programme", base, report=m.group(1) or "mx-2020", objective=int(m.group(2)),
                                         number=int(m.group(3)))))
        if value.startswith(base + "id/programme/"):
            return _slug_or_iri(name, value, "")
        raise QueryError(f"parameter {name!r}: expected a programme as '7-14' (objective-number), "
                         f"'mx-2020/7-14' or a full IRI, got {value!r}")
    if t == "agency":
        if "/" in value and not value.startswith("http"):
            country, slug = value.split("/", 1)
            return _slug_or_iri(name, slug, base + f"id/org/{country.lower()}/")
        return _slug_or_iri(name, value, base + "id/org/mx/")
    if t == "population":
        return _slug_or_iri(name, value, base + "id/population/")
    if t == "organisation":
        return _slug_or_iri(name, value, base + "id/org/")
    if t == "theme":
        return _slug_or_iri(name, value, base + "id/theme/")
    if t == "report":
        if not re.fullmatch(r"[a-z]{2}-\d{4}[a-z0-9-]*", value):
            raise QueryError(f"parameter {name!r}: expected a report slug such as 'mx-2020', got {value!r}")
        return ox.NamedNode(str(mint("report", base, report=value)))
    if t == "country":
        from .rdf.reference import countries, country_iri

        if value.upper() not in countries():
            raise QueryError(f"parameter {name!r}: expected a country code of data/reference/countries.csv "
                             f"({', '.join(sorted(countries()))}), got {value!r}")
        return ox.NamedNode(str(country_iri(value)))
    raise QueryError(f"parameter {name!r}: unsupported type {t!r}")


def bind(query: CannedQuery, values: dict[str, str], base: str = DEFAULT_BASE) -> dict[str, ox.NamedNode | ox.Literal | None]:
    """Check every value and turn it into a term; unknown, missing or ill-typed values are errors listing what is
    accepted."""
    accepted = {p.name: p for p in query.all_params}
    unknown = sorted(set(values) - set(accepted))
    if unknown:
        raise QueryError(f"query {query.name!r} takes no parameter {', '.join(map(repr, unknown))}; it accepts: "
                         + "; ".join(p.describe() for p in query.all_params))
    bound: dict[str, ox.NamedNode | ox.Literal | None] = {}
    for p in query.all_params:
        raw = values.get(p.name, p.default)
        if raw is None:
            if p.required:
                raise QueryError(f"query {query.name!r} needs parameter {p.describe()}")
            bound[p.name] = None
            continue
        bound[p.name] = to_term(p, str(raw), base)
    return bound


def _n3(term) -> str:
    return "UNDEF" if term is None else str(term)


def render(query: CannedQuery, bound: dict) -> str:
    """The query text with a VALUES block of the bound terms at the start of its outer WHERE."""
    names = [n for n in bound if re.search(rf"\?{n}\b", query.text)]
    if not names:
        return query.text
    values = "VALUES (" + " ".join(f"?{n}" for n in names) + ") { (" + " ".join(_n3(bound[n]) for n in names) + ") }"
    # Look for WHERE outside comments (comment text is blanked, keeping offsets).
    code = re.sub(r"#[^\n]*", lambda c: " " * len(c.group(0)), query.text)
    m = _WHERE.search(code)
    if not m:
        raise QueryError("the query has no WHERE clause to bind parameters in", query.path)
    return query.text[: m.end()] + "\n  " + values + "\n" + query.text[m.end():]
