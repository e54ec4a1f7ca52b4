"""Everything enrichment recognises, loaded from data: registers (CSV), thesauri (SKOS Turtle) and language rules.

- ``data/reference/international-organisations.csv`` and ``agencies-<cc>.csv`` (through :mod:`gcm_graph.registers`);
- ``ontology/populations.ttl`` and ``ontology/challenge-themes.ttl``: SKOS concepts with ``es`` labels for matching;
- ``data/reference/units-<lang>.csv``: nouns → units of reported quantities;
- ``data/reference/enrich-rules-<lang>.toml``: months, number words, serving cues, non-count contexts, blocking names.

Matchers are compiled once per register and language and cached on the :class:`Registers` object.
"""

from __future__ import annotations

import csv
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SKOS

from .. import paths
from ..errors import RegisterError
from ..namespaces import GCM
from ..registers import AgencyRegister, Organisation, load_agencies, load_organisations
from .matcher import Label, Matcher

POPULATIONS_FILE = "populations.ttl"
THEMES_FILE = "challenge-themes.ttl"
OTHER_THEME = "other"


@dataclass(frozen=True)
class Concept:
    """A SKOS concept of a thesaurus, by the last segment of its IRI."""

    slug: str
    iri: str
    pref_en: str | None
    pref_es: str | None
    labels: tuple[tuple[str, str], ...]  # (text, kind) of every @es label: prefLabel, altLabel, hiddenLabel
    broader: tuple[str, ...] = ()


@dataclass
class Registers:
    organisations: tuple[Organisation, ...]
    agencies: dict[str, AgencyRegister]  # by upper-case country code
    populations: dict[str, Concept]
    themes: dict[str, Concept]
    units: dict[str, dict[str, str]]  # language → folded noun → unit
    rules: dict[str, dict]  # language → rules (enrich-rules-<lang>.toml)
    _cache: dict = field(default_factory=dict, repr=False)

    def rules_for(self, language: str) -> dict:
        try:
            return self.rules[language]
        except KeyError:
            raise RegisterError(f"no enrichment rules for language {language!r}: add "
                                f"data/reference/enrich-rules-{language}.toml") from None

    def units_for(self, language: str) -> dict[str, str]:
        try:
            return self.units[language]
        except KeyError:
            raise RegisterError(f"no unit words for language {language!r}: add data/reference/units-{language}.csv") \
                from None

    def agencies_for(self, country: str) -> AgencyRegister:
        try:
            return self.agencies[country.upper()]
        except KeyError:
            raise RegisterError(f"no agency register for country {country!r}: add "
                                f"data/reference/agencies-{country.lower()}.csv") from None

    def cached(self, key: tuple, build):
        if key not in self._cache:
            self._cache[key] = build()
        return self._cache[key]

    # -- matchers ----------------------------------------------------------------------------------------------
    def partner_matcher(self, language: str) -> Matcher:
        def build() -> Matcher:
            labels: list[Label] = []
            for o in self.organisations:
                for acronym in dict.fromkeys((o.acronym_es, o.acronym_en)):
                    if acronym:
                        labels.append(Label(o.id, acronym, "acronym", exact=True))
                for name in dict.fromkeys((o.name_es, o.name_en)):
                    if name:
                        labels.append(Label(o.id, name, "name"))
                for variant in o.variants:
                    labels.append(Label(o.id, variant, "variant", exact=_all_caps(variant)))
            labels += [Label(None, b, "block") for b in self.rules_for(language).get("partners", {}).get("blocks", ())]
            return Matcher(labels)
        return self.cached(("partners", language), build)

    def population_matcher(self, language: str, country: str) -> Matcher:
        def build() -> Matcher:
            labels = [Label(c.slug, text, kind) for c in self.populations.values() for text, kind in c.labels]
            blocks = self.rules_for(language).get("populations", {}).get("blocks", ())
            labels += [Label(None, b, "block") for b in blocks]
            register = self.agencies.get(country.upper())
            if register is not None:  # names of government bodies are no mention of a group
                labels += [Label(None, a.name_es, "block") for a in register if a.name_es]
            return Matcher(labels)
        return self.cached(("populations", language, country.upper()), build)

    def theme_matcher(self, language: str) -> Matcher:
        def build() -> Matcher:
            return Matcher(Label(c.slug, text, kind, stem=True) for c in self.themes.values() for text, kind in c.labels
                           if c.slug != OTHER_THEME)  # the fallback has no keywords
        return self.cached(("themes", language), build)

    def agency_matcher(self, country: str, language: str) -> Matcher:
        def build() -> Matcher:
            labels: list[Label] = []
            for a in self.agencies_for(country):
                if a.name_es:
                    labels.append(Label(a.id, a.name_es, "name"))
                for form in (a.acronym, *a.variants):
                    if _is_acronym_form(form):
                        labels.append(Label(a.id, form, "acronym", exact=True))
            labels += [Label(None, b, "block") for b in self.rules_for(language).get("agencies", {}).get("blocks", ())]
            return Matcher(labels)
        return self.cached(("agencies", country.upper(), language), build)


def _all_caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def _is_acronym_form(form: str) -> bool:
    """An agency acronym worth matching in running text: two or more capitals (not "Bienestar", a common word)."""
    return sum(1 for c in form if c.isupper()) >= 2


def load_concepts(path: Path, language: str = "es") -> dict[str, Concept]:
    """The SKOS concepts of a thesaurus file, by slug, with their ``language`` labels for matching."""
    graph = Graph()
    try:
        graph.parse(path, format="turtle")
    except FileNotFoundError:
        raise RegisterError("thesaurus not found", str(path)) from None
    except Exception as exc:  # rdflib raises several kinds of syntax errors
        raise RegisterError(f"cannot read thesaurus: {exc}", str(path)) from None
    subjects = set(graph.subjects(RDF.type, SKOS.Concept))
    subjects |= {s for cls in (GCM.TargetPopulation, GCM.ChallengeTheme) for s in graph.subjects(RDF.type, cls)}
    out: dict[str, Concept] = {}
    for s in sorted(subjects, key=str):
        if not isinstance(s, URIRef):
            raise RegisterError(f"a concept without an IRI in {path.name}", str(path))
        slug = str(s).rstrip("/").rsplit("/", 1)[-1]
        labels: list[tuple[str, str]] = []
        for prop, kind in ((SKOS.prefLabel, "prefLabel"), (SKOS.altLabel, "altLabel"),
                           (SKOS.hiddenLabel, "hiddenLabel")):
            labels += sorted((str(o), kind) for o in graph.objects(s, prop) if getattr(o, "language", None) == language)
        pref = {getattr(o, "language", None): str(o) for o in graph.objects(s, SKOS.prefLabel)}
        broader = tuple(sorted(str(b).rstrip("/").rsplit("/", 1)[-1] for b in graph.objects(s, SKOS.broader)))
        out[slug] = Concept(slug, str(s), pref.get("en"), pref.get(language), tuple(labels), broader)
    return out


def load_units(path: Path) -> dict[str, str]:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise RegisterError("unit words not found", str(path)) from None
    from .text import fold

    units: dict[str, str] = {}
    reader = csv.DictReader(text.splitlines())
    if reader.fieldnames != ["form", "unit"]:
        raise RegisterError("expected the columns form,unit", str(path), 1)
    for row in reader:
        form, unit = fold(row["form"] or ""), (row["unit"] or "").strip()
        if not form or not unit:
            raise RegisterError("every row needs a form and a unit", str(path), reader.line_num)
        if units.get(form, unit) != unit:
            raise RegisterError(f"{form!r} has two units", str(path), reader.line_num)
        units[form] = unit
    return units


def load_rules(path: Path) -> dict:
    path = Path(path)
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise RegisterError("enrichment rules not found", str(path)) from None
    except tomllib.TOMLDecodeError as exc:
        raise RegisterError(f"bad TOML: {exc}", str(path)) from None


def load_registers(reference_dir: Path = paths.REFERENCE_DIR, ontology_dir: Path = paths.ONTOLOGY_DIR) -> Registers:
    """Every register, thesaurus and language rule file enrichment uses (errors name the file and line)."""
    reference_dir, ontology_dir = Path(reference_dir), Path(ontology_dir)
    agencies = {}
    for p in sorted(reference_dir.glob("agencies-*.csv")):
        country = p.stem.split("-", 1)[1].upper()
        agencies[country] = load_agencies(country, reference_dir)
    rules = {p.stem.removeprefix("enrich-rules-"): load_rules(p)
             for p in sorted(reference_dir.glob("enrich-rules-*.toml"))}
    units = {p.stem.removeprefix("units-"): load_units(p) for p in sorted(reference_dir.glob("units-*.csv"))}
    return Registers(
        organisations=tuple(load_organisations(reference_dir)),
        agencies=agencies,
        populations=load_concepts(ontology_dir / POPULATIONS_FILE),
        themes=load_concepts(ontology_dir / THEMES_FILE),
        units=units,
        rules=rules,
    )
