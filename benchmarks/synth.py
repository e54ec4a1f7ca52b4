#!/usr/bin/env python3
"""Synthetic GCM implementation reports in the irregular Markdown of the real compendium, with their ground truth.

Deterministic from a seed: the same arguments give byte-identical files. Each report is a Spanish-language document
shaped like ``data/source/mx-2020.md`` (the PDF conversion of Mexico's 2020 compendium), so that the parser and every
later stage are exercised at scale on the same irregularities, not on a clean toy format:

- front matter, an introduction, the 23 objectives (some with no programme, one heading in bold only);
- programme titles as headings at levels 2–5 (with or without bold), bold-only lines, and list items with an
  unbalanced ``**``; numbers 1..n per objective; agencies in the last parenthesis, two agencies as ``A/B``,
  ``A y B`` or ``A, B``, dotted variants (``S.R.E.``), other parentheses before the agency, titles with no agency;
  titles with no body, immediately followed by the next title;
- "Resultados" / "Retos identificados" at any heading level, in bold only, with varying capitals, or missing;
- numbered result and challenge items that look like titles (plain text, not set apart), list items that end in a
  parenthesis but are not programmes, bold campaign items, sub-lists, sub-headings such as years;
- page breaks (three blank lines) and footnotes (``<sup>N</sup>`` lines, sometimes after ``---``, with URLs on hard
  line breaks or on the next line) that cut paragraphs and list items in two, the continuation starting lower-case;
- tab-separated tables with ``<b>`` header cells; Spanish figures (``45,689``, ``667 mil``, ``\\$2,373,371,778``,
  percentages, years, dates).

Agencies come from a register generated per country. Country codes are real ISO 3166-1 alpha-2 codes of
Spanish-speaking countries other than MX (so the report and agency shapes, which want a Wikidata country, hold);
every title says "sintético" and every metadata file carries ``synthetic = true``.

Output folder (everything a build needs)::

    <out>/source/<slug>.md, <slug>.toml   the documents and their metadata (with the real sha256)
    <out>/reference/agencies-<cc>.csv     one agency register per country (id,acronym,variants,name_es,…)
    <out>/reference/countries.csv         the rows of the synthetic countries (code,name_en,name_es,wikidata,geonames)
    <out>/truth.json                      the ground truth (also returned by :func:`generate`)

Size: ``--size Kx`` is K times the real document (176 programme entries per 1x) spread over K reports (at least
one); ``--reports N --entries M`` gives N reports sharing M entries in all. Python API: :func:`build_corpus` (in
memory) and :func:`generate` (writes the folder); both return a :class:`Corpus` whose ``reports`` hold, per report,
the programme counts per objective and each entry's number, title and agencies exactly as the parser must return
them.
"""

from __future__ import annotations

import argparse
import csv
import gc
import hashlib
import io
import itertools
import json
import random
import re
import shutil
import sys
import time
import unicodedata
from collections import Counter
from dataclasses import dataclass, field, fields
from datetime import date
from pathlib import Path

#: Programme entries in the real document (data/source/mx-2020.md): what "1x" means.
REAL_ENTRIES = 176
#: Programme entries per objective in the real document: the weights entries are spread with.
REAL_WEIGHTS = (18, 5, 10, 6, 8, 5, 21, 6, 7, 7, 4, 3, 1, 5, 16, 13, 17, 4, 2, 5, 8, 0, 5)
OBJECTIVES = 23
GENERATOR = "benchmarks/synth.py"
TRUTH_FILE = "truth.json"

# code, name_en, name_es, Wikidata, GeoNames, capital (place of publication), ministry word
COUNTRIES: tuple[tuple[str, str, str, str, str, str, str], ...] = (
    ("GT", "Guatemala", "Guatemala", "Q774", "3595528", "Ciudad de Guatemala", "Ministerio"),
    ("HN", "Honduras", "Honduras", "Q783", "3608932", "Tegucigalpa", "Secretaría"),
    ("SV", "El Salvador", "El Salvador", "Q792", "3585968", "San Salvador", "Ministerio"),
    ("CR", "Costa Rica", "Costa Rica", "Q800", "3624060", "San José", "Ministerio"),
    ("PA", "Panama", "Panamá", "Q804", "3703430", "Ciudad de Panamá", "Ministerio"),
    ("CO", "Colombia", "Colombia", "Q739", "3686110", "Bogotá", "Ministerio"),
    ("EC", "Ecuador", "Ecuador", "Q736", "3658394", "Quito", "Ministerio"),
    ("PE", "Peru", "Perú", "Q419", "3932488", "Lima", "Ministerio"),
    ("CL", "Chile", "Chile", "Q298", "3895114", "Santiago", "Ministerio"),
    ("AR", "Argentina", "Argentina", "Q414", "3865483", "Buenos Aires", "Ministerio"),
    ("UY", "Uruguay", "Uruguay", "Q77", "3439705", "Montevideo", "Ministerio"),
    ("PY", "Paraguay", "Paraguay", "Q733", "3437598", "Asunción", "Ministerio"),
    ("BO", "Bolivia", "Bolivia", "Q750", "3923057", "La Paz", "Ministerio"),
    ("VE", "Venezuela", "Venezuela", "Q717", "3625428", "Caracas", "Ministerio"),
    ("CU", "Cuba", "Cuba", "Q241", "3562981", "La Habana", "Ministerio"),
    ("DO", "Dominican Republic", "República Dominicana", "Q786", "3508796", "Santo Domingo", "Ministerio"),
    ("NI", "Nicaragua", "Nicaragua", "Q811", "3617476", "Managua", "Ministerio"),
    ("ES", "Spain", "España", "Q29", "2510769", "Madrid", "Ministerio"),
)
_COUNTRY = {c[0]: c for c in COUNTRIES}

_MONTHS = ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre",
           "noviembre", "diciembre")

# --------------------------------------------------------------------------------------------------------------
# Ground truth
# --------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EntryTruth:
    """One programme entry as the parser must return it."""

    objective: int
    number: int
    title: str  # no markup, no trailing agency parenthesis
    agencies: tuple[str, ...]  # acronyms exactly as printed
    line: int  # 1-based line of the title
    results: int  # result blocks (paragraphs and list items, sub-items included)
    challenges: int  # challenge blocks
    tables: int
    footnotes: tuple[int, ...]  # footnote numbers referenced in the entry, sorted
    style: str  # how the title is set apart: h2…h5, h2-plain…, bold, item

    @property
    def key(self) -> str:
        return f"{self.objective}-{self.number}"


@dataclass(frozen=True)
class ReportTruth:
    slug: str
    country: str
    year: int
    source: str  # path of the document relative to the output folder
    title: str
    place_date: str
    sha256: str
    lines: int
    bytes: int
    counts: tuple[int, ...]  # programme entries per objective 1..23
    entries: tuple[EntryTruth, ...]
    footnotes: int
    features: dict[str, int]  # how often each irregularity was generated

    @property
    def programmes(self) -> int:
        return len(self.entries)


def _report_dict(r: ReportTruth) -> dict:
    d = {f.name: getattr(r, f.name) for f in fields(r)}
    d["entries"] = [{f.name: getattr(e, f.name) for f in fields(e)} for e in r.entries]
    return d


@dataclass(frozen=True)
class Agency:
    id: str
    acronym: str
    variants: tuple[str, ...]
    name_es: str
    name_en: str
    kind: str
    parent: str


@dataclass
class Corpus:
    seed: int
    reports: tuple[ReportTruth, ...]
    registers: dict[str, tuple[Agency, ...]]  # country code → agencies
    files: dict[str, bytes] = field(repr=False)  # relative path → content
    out: Path | None = None
    seconds: float = 0.0

    @property
    def entries(self) -> int:
        return sum(r.programmes for r in self.reports)

    @property
    def lines(self) -> int:
        return sum(r.lines for r in self.reports)

    @property
    def bytes(self) -> int:
        return sum(r.bytes for r in self.reports)

    def report(self, slug: str) -> ReportTruth:
        return next(r for r in self.reports if r.slug == slug)

    def truth_json(self) -> str:
        data = {
            "generator": GENERATOR, "seed": self.seed, "entries": self.entries, "lines": self.lines,
            "bytes": self.bytes, "countries": sorted(self.registers),
            "reports": [_report_dict(r) for r in self.reports],
        }
        return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


# --------------------------------------------------------------------------------------------------------------
# Word banks
# --------------------------------------------------------------------------------------------------------------

_MINISTRY_AREAS = (
    # area, syllabic key, English name
    ("Gobernación", "GOB", "Ministry of the Interior"),
    ("Relaciones Exteriores", "REX", "Ministry of Foreign Affairs"),
    ("Trabajo y Previsión Social", "TRAB", "Ministry of Labour and Social Welfare"),
    ("Salud", "SAL", "Ministry of Health"),
    ("Educación Pública", "EDU", "Ministry of Public Education"),
    ("Desarrollo Social", "DES", "Ministry of Social Development"),
    ("Economía", "ECO", "Ministry of Economy"),
    ("Hacienda y Crédito Público", "HAC", "Ministry of Finance"),
    ("Seguridad Ciudadana", "SEG", "Ministry of Public Security"),
    ("Agricultura y Desarrollo Rural", "AGRI", "Ministry of Agriculture and Rural Development"),
    ("Cultura", "CUL", "Ministry of Culture"),
    ("Turismo", "TUR", "Ministry of Tourism"),
    ("Comunicaciones y Transportes", "COM", "Ministry of Communications and Transport"),
    ("Medio Ambiente y Recursos Naturales", "AMB", "Ministry of Environment and Natural Resources"),
    ("Justicia", "JUS", "Ministry of Justice"),
    ("Vivienda y Desarrollo Urbano", "VIV", "Ministry of Housing and Urban Development"),
    ("Función Pública", "FUN", "Ministry of Public Administration"),
    ("Bienestar", "BIEN", "Ministry of Welfare"),
)
# name, kind, parent area (None: no parent)
_BODIES = (
    ("Instituto Nacional de Migración", "órgano desconcentrado", "Gobernación"),
    ("Unidad de Política Migratoria", "unidad administrativa", "Gobernación"),
    ("Registro Nacional de las Personas", "unidad administrativa", "Gobernación"),
    ("Consejo Nacional de Población", "consejo", "Gobernación"),
    ("Comisión Nacional de Ayuda a Refugiados", "órgano desconcentrado", "Gobernación"),
    ("Comisión Nacional para Prevenir la Discriminación", "organismo descentralizado", "Gobernación"),
    ("Dirección General de Protección Consular", "unidad administrativa", "Relaciones Exteriores"),
    ("Instituto de los Nacionales en el Exterior", "órgano desconcentrado", "Relaciones Exteriores"),
    ("Agencia de Cooperación Internacional para el Desarrollo", "órgano desconcentrado", "Relaciones Exteriores"),
    ("Servicio Nacional de Empleo", "unidad administrativa", "Trabajo y Previsión Social"),
    ("Instituto de Formación para el Trabajo", "organismo descentralizado", "Trabajo y Previsión Social"),
    ("Instituto Nacional de Salud Pública", "organismo descentralizado", "Salud"),
    ("Sistema Nacional para el Desarrollo Integral de la Familia", "organismo descentralizado", "Salud"),
    ("Comisión Nacional contra las Adicciones", "órgano desconcentrado", "Salud"),
    ("Instituto Nacional para la Educación de los Adultos", "organismo descentralizado", "Educación Pública"),
    ("Instituto Nacional de la Juventud", "organismo descentralizado", "Bienestar"),
    ("Instituto Nacional de las Mujeres", "organismo descentralizado", None),
    ("Instituto Nacional de los Pueblos Indígenas", "organismo descentralizado", None),
    ("Instituto Nacional de Estadística y Geografía", "organismo autónomo", None),
    ("Comisión Nacional de los Derechos Humanos", "organismo autónomo", None),
    ("Fiscalía General de la Nación", "organismo autónomo", None),
    ("Comisión Ejecutiva de Atención a Víctimas", "organismo descentralizado", None),
    ("Instituto de Seguridad Social de los Trabajadores", "organismo descentralizado", None),
    ("Servicio de Administración Tributaria", "órgano desconcentrado", "Hacienda y Crédito Público"),
    ("Banco Nacional de Desarrollo", "organismo descentralizado", "Hacienda y Crédito Público"),
    ("Procuraduría Federal de la Defensa del Trabajo", "órgano desconcentrado", "Trabajo y Previsión Social"),
    ("Consejo Nacional de Ciencia y Tecnología", "organismo descentralizado", None),
    ("Instituto Nacional de Tecnología del Agua", "organismo descentralizado", "Medio Ambiente y Recursos Naturales"),
    ("Servicio Postal Nacional", "organismo descentralizado", "Comunicaciones y Transportes"),
    ("Policía Nacional de Fronteras", "órgano desconcentrado", "Seguridad Ciudadana"),
    ("Sistema Nacional de Protección de Niñas, Niños y Adolescentes", "consejo", "Gobernación"),
    ("Procuraduría de Protección de Niñas, Niños y Adolescentes", "unidad administrativa", "Salud"),
    ("Comisión Nacional de Vivienda", "organismo descentralizado", "Vivienda y Desarrollo Urbano"),
    ("Instituto Nacional de Pesca", "organismo descentralizado", "Agricultura y Desarrollo Rural"),
)
_STOP = {"de", "del", "la", "las", "el", "los", "y", "para", "a", "en", "e", "contra", "por"}
# Acronyms the enrichment recognises as international organisations, and words that would read as something else.
_RESERVED = {"OIM", "IOM", "ACNUR", "UNHCR", "UNODC", "OIT", "ILO", "OCDE", "CEPAL", "FAO", "UNICEF", "PNUD", "OMS",
             "OPS", "UNFPA", "ONU", "DAES", "CELADE", "CINU", "FIDA", "UE", "SICA", "GIZ", "INTERPOL", "CICR", "CRM",
             "FMMD", "FCG", "APEC", "NNA", "USD", "OSC", "COVID", "LGBTTI", "MX"}

_TOPICS = {
    1: ("generación de estadísticas migratorias", "información sobre movilidad humana", "registros administrativos "
        "sobre migración", "estudios e investigaciones sobre migración internacional"),
    2: ("desarrollo integral de las comunidades de origen", "empleo en regiones de alta expulsión",
        "gestión de la sequía y el riesgo de desastres", "economía solidaria para personas jóvenes"),
    3: ("difusión de información sobre trámites migratorios", "información para personas migrantes en tránsito",
        "orientación a personas en retorno"),
    4: ("registro de nacimiento de personas nacidas en el exterior", "documentación migratoria",
        "identidad jurídica de personas migrantes", "expedición de documentos de identidad"),
    5: ("vías regulares de migración laboral", "reunificación familiar", "visas por razones humanitarias",
        "movilidad laboral temporal"),
    6: ("contratación equitativa y ética", "inspección de condiciones laborales", "trabajo decente de personas "
        "trabajadoras agrícolas"),
    7: ("protección de niñas, niños y adolescentes migrantes", "atención a personas en situación de vulnerabilidad",
        "prevención de la violencia contra mujeres migrantes", "denuncia de abusos contra connacionales"),
    8: ("búsqueda de personas migrantes desaparecidas", "rescate y salvamento en zonas de riesgo",
        "identificación forense de personas migrantes"),
    9: ("combate al tráfico ilícito de migrantes", "cooperación policial contra el tráfico de personas"),
    10: ("prevención de la trata de personas", "atención a víctimas de trata", "detección de víctimas de trata"),
    11: ("gestión integrada de las fronteras", "modernización de puntos de internación", "coordinación fronteriza"),
    12: ("procedimientos migratorios", "evaluación y derivación de casos", "determinación del interés superior "
         "de la niñez"),
    13: ("alternativas a la detención migratoria", "albergues de puertas abiertas"),
    14: ("protección consular", "asistencia consular a connacionales", "consulados móviles"),
    15: ("acceso a servicios de salud", "acceso a la educación", "afiliación a la seguridad social",
         "atención en albergues"),
    16: ("inclusión social de personas migrantes", "integración local de personas refugiadas",
         "participación comunitaria"),
    17: ("prevención de la discriminación", "discurso público con base empírica", "convivencia intercultural"),
    18: ("certificación de competencias laborales", "reconocimiento de estudios realizados en el extranjero",
         "formación para el trabajo"),
    19: ("vinculación con la diáspora", "proyectos productivos de personas migrantes", "clubes de migrantes"),
    20: ("envío de remesas", "inclusión financiera de personas migrantes", "educación financiera"),
    21: ("retorno asistido", "reintegración sostenible", "recepción de personas repatriadas"),
    22: ("portabilidad de la seguridad social", "pensiones de personas trabajadoras migrantes"),
    23: ("cooperación internacional en materia migratoria", "diálogo regional sobre migración",
         "gobernanza migratoria local"),
}
_KINDS = ("Programa", "Estrategia", "Campaña", "Protocolo", "Sistema", "Encuesta", "Mesa interinstitucional",
          "Convenio", "Curso", "Plataforma", "Observatorio", "Iniciativa", "Proyecto", "Grupo de Trabajo", "Modelo",
          "Red", "Guía", "Jornadas", "Registro", "Mecanismo", "Acciones", "Fortalecimiento")
_CONNECT = ("de", "para la", "sobre", "de apoyo a la", "nacional de", "integral de")
_TITLE_SUFFIX = ("", "", "", "", " en la frontera sur", " en las entidades federativas", " en el exterior",
                 " con organismos internacionales", " y la sociedad civil", " para personas jóvenes")
_OTHER_PARENS = ("(Trámites migratorios, información de los programas)", "(Fase II)", "(2019-2024)",
                 "(en adelante, el Programa)", "(Publicación)", "(modalidad virtual)", "(Emif Norte y Emif Sur)",
                 "(programa piloto)")
_CAMPAIGNS = ("Negocio Mortal", "¿Puedes verme?", "Abre los Ojos", "Pregunta, Apunta y Verifica", "Somos Migrantes",
              "Nadie se Queda Atrás", "Camino Seguro", "Tu Voz Cuenta", "Aquí Estoy", "Migrar sin Riesgos")
_POPULATIONS = ("personas migrantes", "niñas, niños y adolescentes migrantes",
                "niñas, niños y adolescentes no acompañados", "mujeres migrantes",
                "personas solicitantes de la condición de refugiado", "personas refugiadas",
                "personas migrantes en retorno", "connacionales en el exterior",
                "personas trabajadoras agrícolas temporales", "víctimas de trata de personas", "personas jóvenes",
                "población indígena migrante", "personas adultas mayores",
                "personas migrantes en situación de vulnerabilidad", "familias migrantes",
                "personas desplazadas internamente", "personas con discapacidad", "población LGBTTI migrante",
                "personas migrantes en tránsito", "personas extranjeras residentes")
_GENERIC_POPULATIONS = ("la población objetivo", "las personas beneficiarias", "la población en general",
                        "las personas usuarias del servicio", "las comunidades participantes")
_ACTORS = ("organizaciones de la sociedad civil", "instituciones académicas", "los gobiernos locales",
           "el sector privado", "las autoridades estatales", "los comités interinstitucionales")
_COUNTED = ("personas atendidas", "servidores públicos capacitados", "consultas", "solicitudes",
            "constancias expedidas", "tarjetas de residencia", "casos de asistencia consular", "talleres",
            "beneficiarios", "registros", "ejemplares", "visitas de verificación", "llamadas atendidas",
            "becas otorgadas", "proyectos", "cursos en línea", "reuniones de trabajo", "documentos de identidad",
            "actas de nacimiento", "certificados de competencias", "personas vinculadas a un empleo")
_ORGS = (("la Organización Internacional para las Migraciones", "OIM"),
         ("el Alto Comisionado de las Naciones Unidas para los Refugiados", "ACNUR"),
         ("el Fondo de las Naciones Unidas para la Infancia", "UNICEF"),
         ("la Organización Internacional del Trabajo", "OIT"),
         ("la Oficina de las Naciones Unidas contra la Droga y el Delito", "UNODC"),
         ("el Programa de las Naciones Unidas para el Desarrollo", "PNUD"),
         ("la Comisión Económica para América Latina y el Caribe", "CEPAL"),
         ("la Organización Panamericana de la Salud", "OPS"),
         ("el Fondo de Población de las Naciones Unidas", "UNFPA"),
         ("el Comité Internacional de la Cruz Roja", "CICR"),
         ("la Unión Europea", "UE"),
         ("la Organización de las Naciones Unidas para la Alimentación y la Agricultura", "FAO"))
_INF = ("fortalecer", "promover", "facilitar", "garantizar", "mejorar", "impulsar", "ampliar", "consolidar",
        "articular", "difundir")
_AIMS = ("el acceso a servicios de salud", "la regularización migratoria", "la inclusión laboral",
         "la protección consular", "la identificación de víctimas de delito", "el registro de nacimiento",
         "la generación de información estadística", "la coordinación interinstitucional", "el acceso a la educación",
         "la prevención de la discriminación", "la reintegración sostenible", "el envío de remesas",
         "la atención psicosocial", "la protección internacional", "la certificación de competencias",
         "la vinculación con las comunidades en el exterior", "el acceso a la justicia")
_VERBS = ("se realizaron", "se atendieron", "se registraron", "se capacitaron", "se expidieron", "se otorgaron",
          "se beneficiaron", "se llevaron a cabo", "se brindaron", "se emitieron", "se contabilizaron")
_PLACES = ("la frontera sur", "la frontera norte", "las entidades federativas", "los municipios fronterizos",
           "la región norte", "la capital del país", "las oficinas de representación", "los consulados",
           "las zonas rurales", "los puntos de internación terrestres, aéreos y marítimos")
_RESOURCES = ("recursos humanos", "recursos presupuestarios", "equipos tecnológicos", "personal especializado",
              "datos oportunos", "espacios adecuados")
_FOOTNOTE_TEXTS = ("Sistema Informático de Registro administrado por la unidad responsable",
                   "Cifras preliminares al cierre del periodo",
                   "Información proporcionada por las oficinas de representación",
                   "Los programas se encuentran en proceso de registro de información del ejercicio fiscal")
_DOMAINS = ("gob.example", "migracion.gob.example", "estadistica.gob.example", "consulados.gob.example",
            "observatorio.example.org")
_INTRO = (
    "El objetivo de este compendio es presentar los programas, acciones y buenas prácticas de las dependencias y "
    "entidades de la Administración Pública de {country}, alineadas a los 23 Objetivos del Pacto Mundial para una "
    "Migración Segura, Ordenada y Regular.",
    "Asimismo, el presente informe muestra los resultados reportados por dichas dependencias que se han generado "
    "como producto de la aplicación de estos programas y actividades, así como algunos retos que se presentan para "
    "la implementación de los mismos.",
    "Finalmente, el periodo a reportar para los resultados abarca del mes de junio de {y0} a junio de {y1}; sin "
    "embargo, el periodo de reporte puede variar según la fecha en que se inició o se modificó el programa.",
    "Este documento es sintético: lo produce {generator} para medir y probar el procesamiento de informes; ningún "
    "dato que contiene describe a un gobierno real.",
)


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def _n(k: int) -> str:
    """A Spanish figure as printed in the compendium: 45,689."""
    return f"{k:,}"


# --------------------------------------------------------------------------------------------------------------
# Registers
# --------------------------------------------------------------------------------------------------------------


def make_register(country: str, seed: int) -> tuple[Agency, ...]:
    """The generated agencies of one country: ministries and bodies under them, unique acronyms and ids."""
    rng = random.Random(f"gcm-synth:{seed}:register:{country}")
    word = _COUNTRY[country][6]
    must = [a for a in _MINISTRY_AREAS[:4]]
    areas = must + rng.sample(list(_MINISTRY_AREAS[4:]), rng.randint(8, len(_MINISTRY_AREAS) - 4))
    syllabic = rng.random() < 0.5  # MINGOB / SEGOB style, or initials (SRE)
    used: set[str] = set()
    agencies: list[Agency] = []
    ids_by_area: dict[str, str] = {}

    def unique(candidates: list[str]) -> str:
        for c in candidates:
            if c not in _RESERVED and c.lower() not in used and len(c) >= 2:
                used.add(c.lower())
                return c
        base = candidates[0]
        for extra in "NMRTXZ":
            c = base + extra
            if c not in _RESERVED and c.lower() not in used:
                used.add(c.lower())
                return c
        raise AssertionError("no acronym left")  # pragma: no cover

    for area, key, name_en in areas:
        name = f"{word} de {area}"
        words = [w for w in _ascii(area).upper().split() if w.lower() not in _STOP]
        initials = word[0] + "".join(w[0] for w in words)
        sylla = ("MIN" if word == "Ministerio" else "SE") + key
        acr = unique([sylla, initials] if syllabic else [initials, sylla, initials + words[0][1]])
        ident = acr.lower()
        ids_by_area[area] = ident
        kind = "ministerio" if word == "Ministerio" else "secretaría"
        variants = (".".join(acr) + ".",) if len(acr) <= 4 and rng.random() < 0.4 else ()
        agencies.append(Agency(ident, acr, variants, name, name_en, kind, ""))
    bodies = rng.sample(list(_BODIES), rng.randint(18, len(_BODIES)))
    for name, kind, parent_area in bodies:
        words = [w for w in _ascii(name).upper().replace(",", "").split() if w.lower() not in _STOP]
        initials = "".join(w[0] for w in words)
        acr = unique([initials, initials[:2] + words[-1][:3], words[0][:3] + "".join(w[0] for w in words[1:])])
        parent = ids_by_area.get(parent_area, "") if parent_area else ""
        variants = (".".join(acr) + ".",) if len(acr) <= 4 and rng.random() < 0.25 else ()
        agencies.append(Agency(acr.lower(), acr, variants, name, "", kind, parent))
    return tuple(sorted(agencies, key=lambda a: a.id))


def register_csv(agencies: tuple[Agency, ...]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(("id", "acronym", "variants", "name_es", "name_en", "kind", "parent"))
    for a in agencies:
        w.writerow((a.id, a.acronym, ";".join(a.variants), a.name_es, a.name_en, a.kind, a.parent))
    return buf.getvalue()


def countries_csv(codes: list[str]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(("code", "name_en", "name_es", "wikidata", "geonames"))
    for code in sorted(codes):
        c = _COUNTRY[code]
        w.writerow(c[:5])
    return buf.getvalue()


# --------------------------------------------------------------------------------------------------------------
# Documents
# --------------------------------------------------------------------------------------------------------------

_SENTENCE_END = (".", "!", "?", ":", ";", "…")
_SUP = re.compile(r"<sup>\d+</sup>")


def _open_ended(plain: str) -> bool:
    """Whether a block's text does not end a sentence (a page break after it may be read as cutting it)."""
    return not plain.rstrip(" \"'”’»)*").endswith(_SENTENCE_END)


def _plain(marked: str) -> str:
    """Marked-up text as the parser reads it: no footnote calls, no emphasis, no escapes."""
    text = _SUP.sub("", marked) if "<sup>" in marked else marked
    if "*" in text or "\\" in text:
        text = text.replace("\\$", "$").replace("*", "")
    return " ".join(text.split())


@dataclass
class _Entry:
    objective: int
    number: int
    title: str
    agencies: tuple[str, ...]
    line: int
    style: str
    results: int = 0
    challenges: int = 0
    tables: int = 0
    footnotes: set[int] = field(default_factory=set)


class _Writer:
    """Lines of one document, with page breaks, footnotes and the bookkeeping of what the parser will see."""

    # Kinds of piece: "para" (paragraph or bold line: a page break before one may continue the block before it),
    # "item", "cont" (the continuation of a cut block), and structure that ends any block: "title", "section",
    # "heading", "table", "objective", "front".
    def __init__(self, rng: random.Random, features: Counter):
        self.rng = rng
        self.lines: list[str] = []
        self.pending: list[list[str]] = []  # footnote definitions waiting for the next page break
        self.next_footnote = 1
        self.last_open = False  # the block a page break could continue is open-ended
        self.entry: _Entry | None = None
        self.section = "description"
        self.features = features
        self.page_p = 0.05

    @property
    def line_no(self) -> int:
        return len(self.lines) + 1

    def ref(self) -> str:
        """A footnote call; its definition is printed at the next page break."""
        n = self.next_footnote
        self.next_footnote += 1
        r = self.rng
        url = f"https://www.{r.choice(_DOMAINS)}/{r.choice(('documentos', 'informes', 'datos', 'es/programas'))}/" \
              f"{r.randint(100, 9999)}"
        form = r.random()
        if form < 0.35:
            lines = [f"<sup>{n}</sup> {r.choice(_FOOTNOTE_TEXTS)}."]
        elif form < 0.6:
            lines = [f"<sup>{n}</sup> <{url}>"]
        elif form < 0.75:
            lines = [f"<sup>{n}</sup> Para mayor información acerca de los resultados e informes anuales véase:  ",
                     f"<{url}> <{url}/anexo>"]
            self.features["footnote-hard-break-urls"] += 1
        elif form < 0.9:
            lines = [f"<sup>{n}</sup> Para consultar el documento puede ingresar al siguiente vínculo electrónico:",
                     "", f"<{url}?idiom=es>"]
            self.features["footnote-url-next-line"] += 1
        else:
            host = r.choice(_DOMAINS)
            lines = [f"<sup>{n}</sup> [www.{host}](http://www.{host})"]
        self.pending.append(lines)
        if self.entry is not None:
            self.entry.footnotes.add(n)
        self.features["footnotes"] += 1
        return f"<sup>{n}</sup>"

    def _page_break(self) -> None:
        if self.pending:
            if self.rng.random() < 0.35:
                self.lines += ["", "---"]
                self.features["separators"] += 1
            for fn in self.pending:
                self.lines.append("")
                self.lines += fn
            self.pending = []
        self.lines += ["", "", ""]
        self.features["page-breaks"] += 1

    def can_break_before(self, kind: str) -> bool:
        return not (kind == "para" and self.last_open)

    def piece(self, lines: list[str], kind: str, gap: int | str = 1, open_end: bool = False) -> None:
        """Append lines after ``gap`` blank lines (``"page"``: a page break, with pending footnotes; ``"auto"``:
        one blank line or, now and then, a page break where it cannot be misread)."""
        if gap == "auto":
            p = self.page_p * (4 if self.pending else 1)
            gap = "page" if self.can_break_before(kind) and self.rng.random() < p else 1
        if gap == "page":
            assert kind == "cont" or self.can_break_before(kind), "a page break here would join two blocks"
            self._page_break()
        elif self.lines:
            self.lines += [""] * int(gap)
        self.lines += lines
        if kind in ("para", "item", "cont"):
            self.last_open = open_end
        else:
            self.last_open = False

    def finish(self) -> str:
        if self.pending:
            self._page_break()
        while self.lines and not self.lines[-1]:
            self.lines.pop()
        return "\n".join(self.lines) + "\n"


class _ReportMaker:
    def __init__(self, *, slug: str, country: str, year: int, n_entries: int, seed: int,
                 register: tuple[Agency, ...], objective_titles: list[str]):
        self.slug, self.country, self.year = slug, country, year
        self.rng = random.Random(f"gcm-synth:{seed}:report:{slug}")
        self.register = register
        self.objective_titles = objective_titles
        self.n_entries = n_entries
        self.features: Counter = Counter()
        self.w = _Writer(self.rng, self.features)
        self.entries: list[_Entry] = []
        # A few agencies carry most entries, as in the real report.
        agencies = list(register)
        self.rng.shuffle(agencies)
        self.agencies = agencies
        self.agency_cum = list(itertools.accumulate(1.0 / (i + 1) ** 0.9 for i in range(len(agencies))))
        self.seen_titles: list[str] = []

    # -- small pieces of text ----------------------------------------------------------------------------------
    def pick(self, seq):
        return self.rng.choice(seq)

    def date_span(self) -> str:
        r = self.rng
        y = self.year
        d1, d2 = r.randint(1, 28), r.randint(1, 28)
        m1, m2 = self.pick(_MONTHS[:6]), self.pick(_MONTHS[5:])
        y2 = y - 1 + r.randint(0, 1)
        if (m1, y - 1) == (m2, y2) and d1 > d2:  # both in June of one year: the span must not end before it starts
            d1, d2 = d2, d1
        return f"del {d1} de {m1} de {y - 1} al {d2} de {m2} de {y2}"

    def figure(self) -> str:
        r = self.rng
        x = r.random()
        if x < 0.45:
            return _n(r.randint(10, 250_000))
        if x < 0.6:
            return f"{r.randint(2, 950)} mil"
        if x < 0.75:
            return str(r.randint(2, 99))
        return _n(r.randint(1_000, 999_999))

    def money(self) -> str:
        return "\\$" + _n(self.rng.randint(20_000, 3_000_000_000))

    def pct(self) -> str:
        r = self.rng
        return f"{r.randint(1, 99)}.{r.randint(0, 9)}%" if r.random() < 0.7 else f"{r.randint(1, 99)} por ciento"

    def org(self) -> str:
        """An international organisation now and then (as often as the real report names partners), else another
        actor."""
        if self.rng.random() < 0.2:
            name, acr = self.pick(_ORGS)
            return f"{name} ({acr})"
        return self.pick(_ACTORS)

    def pop(self) -> str:
        return self.pick(_POPULATIONS) if self.rng.random() < 0.45 else self.pick(_GENERIC_POPULATIONS)

    def agency_name(self) -> str:
        a = self.rng.choices(self.agencies, cum_weights=self.agency_cum)[0]
        return f"{a.name_es} ({a.acronym})"

    def sentence(self, kind: str = "desc") -> str:
        r, pick = self.rng, self.pick
        if kind == "desc":
            t = r.randrange(10)
            if t == 0:
                return (f"El programa tiene por objetivo {pick(_INF)} {pick(_AIMS)} de {self.pop()}, "
                        f"mediante acciones coordinadas con {pick(_PLACES)}.")
            if t == 1:
                return (f"Se colabora con {self.org()} en el proyecto de {pick(_AIMS)[3:]}, cuyo propósito es "
                        f"{pick(_INF)} {pick(_AIMS)} en {pick(_PLACES)}.")
            if t == 2:
                return (f"Está dirigido a {self.pop()} y su periodo de implementación es de "
                        f"{pick(_MONTHS[:6])} a {pick(_MONTHS[6:])} de {self.year}.")
            if t == 3:
                who = self.agency_name() if r.random() < 0.4 else "unidad responsable"
                return (f"La {who} coordina esta acción con {r.randint(2, 16)} dependencias, {self.org()} y "
                        f"organizaciones de la sociedad civil.")
            if t == 4:
                return (f"Desde {self.year - r.randint(1, 15)}, el programa opera en {r.randint(2, 32)} entidades "
                        f"federativas con un presupuesto anual de {self.money()}.")
            if t == 5:
                return f"Con ello se busca {pick(_INF)} {pick(_AIMS)}, en particular de {self.pop()}."
            if t == 6:
                return ("Las acciones se desarrollan de manera permanente y se actualizan anualmente con información "
                        "de los registros administrativos disponibles.")
            if t == 7:
                return (f"El programa inició en {self.year - r.randint(1, 20)} y anualmente se emite una convocatoria "
                        f"para {self.pop()} interesadas en {pick(_AIMS)}.")
            if t == 8:
                return (f"Asimismo, se trabaja en conjunto con {self.org()} para {pick(_INF)} {pick(_AIMS)} y "
                        f"{pick(_AIMS)}, con un enfoque de derechos humanos, género e interculturalidad.")
            return (f"La población objetivo son {self.pop()}, a quienes se brinda orientación sobre "
                    f"{pick(_AIMS)} en {pick(_PLACES)}.")
        if kind == "result":
            if r.random() < 0.45:  # results without a figure
                return pick((
                    f"Se elaboró una propuesta de lineamientos para {pick(_INF)} {pick(_AIMS)}, que está en revisión "
                    "por el grupo de trabajo.",
                    f"Se fortaleció la atención a {self.pop()} al capacitar al personal de {pick(_PLACES)}.",
                    f"Se aprobó el documento de trabajo sobre {pick(_AIMS)[3:]} y su plan de seguimiento.",
                    f"Se publicaron materiales informativos sobre {pick(_AIMS)[3:]} en las redes sociales "
                    "institucionales.",
                    f"Se facilitó la elaboración de políticas y programas apegados a información confiable sobre "
                    f"{pick(_AIMS)[3:]}.",
                    f"Se consolidó la coordinación con {self.org()} para {pick(_INF)} {pick(_AIMS)}.",
                ))
            t = r.randrange(8)
            if t == 0:
                return f"{self.date_span().capitalize()}, {pick(_VERBS)} {self.figure()} {pick(_COUNTED)}."
            if t == 1:
                a, b = r.randint(5, 20_000), r.randint(5, 20_000)
                return (f"Se registró un total de {_n(a + b)} {pick(_COUNTED)} ({_n(a)} mujeres y {_n(b)} "
                        f"hombres).")
            if t == 2:
                return (f"Se atendieron cerca de {r.randint(2, 900)} mil {pick(_COUNTED)} en {r.randint(2, 32)} "
                        f"entidades federativas.")
            if t == 3:
                return (f"La cobertura alcanzó el {self.pct()} de {self.pop()}, frente al {self.pct()} "
                        f"registrado en {self.year - 2}.")
            if t == 4:
                return f"En colaboración con {self.org()}, {pick(_VERBS)} {self.figure()} {pick(_COUNTED)}."
            if t == 5:
                return f"Se otorgó financiamiento por {self.money()} a {r.randint(2, 60)} proyectos."
            if t == 6:
                return (f"Al {r.randint(1, 30)} de {pick(_MONTHS)} de {self.year}, el registro está integrado por "
                        f"{_n(r.randint(1_000, 999_999))} {pick(_COUNTED)}.")
            return (f"Se elaboraron {r.randint(2, 120)} fichas de información sobre {self.pop()} en "
                    f"{pick(_PLACES)}.")
        # challenge
        t = r.randrange(6)
        if t == 0:
            return f"Contar con {pick(_RESOURCES)} suficientes para {pick(_INF)} {pick(_AIMS)}."
        if t == 1:
            return f"Fortalecer la coordinación entre los tres órdenes de gobierno para {pick(_INF)} {pick(_AIMS)}."
        if t == 2:
            return f"La falta de {pick(_RESOURCES)} limita {pick(_AIMS)} en {pick(_PLACES)}."
        if t == 3:
            return ("Dar continuidad a los trabajos y alinear sus acuerdos con las políticas nacionales de "
                    f"{pick(_AIMS)[3:]}.")
        if t == 4:
            return f"Ampliar la cobertura del programa a {self.pop()} de {pick(_PLACES)}."
        return (f"Los efectos de la pandemia han mermado la capacidad de acción para {pick(_INF)} {pick(_AIMS)}, "
                f"en particular de {self.pop()}.")

    def paragraph(self, kind: str = "desc", n: tuple[int, int] = (2, 4), ref: float = 0.05) -> str:
        parts = [self.sentence(kind) for _ in range(self.rng.randint(*n))]
        if self.rng.random() < ref:
            i = self.rng.randrange(len(parts))
            parts[i] = parts[i][:-1] + self.w.ref() + "."  # a call before the final stop: still ends a sentence
        return " ".join(parts)

    # -- blocks: paragraphs and items, sometimes cut in two by a page break -------------------------------------
    def block(self, text: str, kind: str, prefix: str = "", gap: int | str = "auto", cut: float = 0.0) -> None:
        """One block (paragraph or list item); with probability ``cut`` it is cut by a page break (and the
        footnotes it calls) and continues on a line that starts lower-case."""
        w = self.w
        words = text.split(" ")
        if self.rng.random() < cut and len(words) >= 14:
            spots = [i for i in range(5, len(words) - 4)
                     if words[i - 1].isalpha() and words[i][:1].isalpha() and words[i][:1].islower()]
            if spots:
                i = self.rng.choice(spots)
                first, rest = " ".join(words[:i]), " ".join(words[i:])
                if self.rng.random() < 0.5:
                    first += w.ref()  # the footnote whose definition cuts the block
                    self.features["cut-by-footnote"] += 1
                else:
                    self.features["cut-by-page-break"] += 1
                w.piece([prefix + first], kind, gap, open_end=True)
                w.piece([rest], "cont", "page", open_end=_open_ended(_plain(rest)))
                return
        w.piece([prefix + text], kind, gap, open_end=_open_ended(_plain(text)))

    def count(self, n: int = 1) -> None:
        e = self.w.entry
        assert e is not None
        if self.w.section == "results":
            e.results += n
        elif self.w.section == "challenges":
            e.challenges += n

    def para(self, text: str, gap: int | str = "auto", cut: float = 0.025) -> None:
        self.block(text, "para", "", gap, cut)
        self.count()

    def items(self, texts: list[str], marker: str = "-", start: int = 1, cut: float = 0.015,
              first_gap: int | str = "auto", sub: float = 0.0) -> None:
        for k, text in enumerate(texts):
            m = f"{start + k}." if marker == "1." else marker
            gap: int | str = first_gap if k == 0 else 0
            if k > 0 and self.rng.random() < 0.04 and self.w.can_break_before("item"):
                gap = "page"  # a list cut in two by a page break
                self.features["list-cut-by-page-break"] += 1
            self.block(text, "item", f"{m} ", gap, cut)
            self.count()
            if self.rng.random() < sub:
                subs = [self.short_item() for _ in range(self.rng.randint(2, 4))]
                for s in subs:
                    self.w.piece([f"  - {s}"], "item", 0, open_end=_open_ended(_plain(s)))
                self.count(len(subs))
                self.features["sub-lists"] += 1

    def short_item(self) -> str:
        r = self.rng
        t = r.randrange(4)
        if t == 0:
            return f"{self.pick(_KINDS)} {self.pick(_CONNECT)} {self.pick(self.pick(list(_TOPICS.values())))}"
        if t == 1:
            return f"{self.figure()} {self.pick(_COUNTED)} en {self.pick(_PLACES)}"
        if t == 2:
            return f"Análisis sobre {self.pick(_AIMS)[3:]} entre {self.year - 8} y {self.year - 1}"
        return f"{self.pop().capitalize()} atendidas: {self.figure()}."

    def table(self, section_heading: bool = False) -> None:
        r, w = self.rng, self.w
        shape = r.randrange(3)
        rows: list[str]
        if shape == 0:
            heads = ["Programa", "Comités", "Integrantes", "Mujeres", "Hombres", "Monto"]
            rows = ["\t".join(f"<b>{h}</b>" for h in heads)]
            for _ in range(r.randint(2, 7)):
                a, b = r.randint(1, 9000), r.randint(1, 9000)
                label = f"{self.pick(_KINDS)} {self.pick(_CONNECT)} {self.pick(_AIMS)[3:]}"
                if r.random() < 0.1:
                    label += f" {w.ref()}"
                rows.append("\t".join([label, _n(r.randint(1, 6000)), _n(a + b), _n(a), _n(b), self.money()]))
        elif shape == 1:
            years = list(range(self.year - r.randint(3, 6), self.year + 1))
            cells = [str(y) for y in years]
            if r.random() < 0.4:
                cells[-1] += f" {w.ref()}"
            rows = [f"{self.pick(_COUNTED).capitalize()}" + "\t" * len(years), "\t".join(cells),
                    "\t".join(_n(r.randint(100, 50_000)) for _ in years)]
        else:
            rows = [f"<b>{self.pick(_COUNTED).capitalize()}:</b>\t"]
            total = 0
            for a in r.sample(self.agencies, min(len(self.agencies), r.randint(2, 4))):
                k = r.randint(100, 60_000)
                total += k
                rows.append(f"{a.acronym}\t{_n(k)}")
            rows.append(f"<b>Total</b>\t<b>{_n(total)}</b>")
        w.piece(rows, "table", 1)
        self.w.entry.tables += 1  # type: ignore[union-attr]
        self.features["tables"] += 1
        self.features["table-rows"] += len(rows)

    # -- structure ---------------------------------------------------------------------------------------------
    def title_text(self, objective: int) -> tuple[str, str]:
        """(title as printed without the agency parenthesis, the same as the parser reads it)."""
        r = self.rng
        if self.seen_titles and r.random() < 0.04:
            self.features["title-repeated-across-objectives"] += 1
            t = self.pick(self.seen_titles)
            return t, _plain(t)
        kind = self.pick(_KINDS)
        topic = self.pick(_TOPICS[objective])
        t = f"{kind} {self.pick(_CONNECT)} {topic}{self.pick(_TITLE_SUFFIX)}"
        if r.random() < 0.04:
            words = t.split(" ")
            i = r.randrange(1, len(words))
            if words[i].isalpha():
                words[i] = f"*{words[i]}*"
                self.features["title-italic"] += 1
            t = " ".join(words)
        self.seen_titles.append(t)
        return t, _plain(t)

    def agencies_for_title(self) -> tuple[str, tuple[str, ...]]:
        """(the parenthesis as printed, the acronyms as printed)."""
        r = self.rng

        def printed(a: Agency) -> str:
            if a.variants and r.random() < 0.3:
                self.features["agency-variant"] += 1
                return self.pick(a.variants)
            return a.acronym

        a = r.choices(self.agencies, cum_weights=self.agency_cum)[0]
        if r.random() < 0.12:
            b = r.choices(self.agencies, cum_weights=self.agency_cum)[0]
            while b.id == a.id:
                b = self.pick(self.agencies)
            pa, pb = printed(a), printed(b)
            sep = r.choices(("/", " y ", ", "), (0.7, 0.15, 0.15))[0]
            self.features["two-agencies"] += 1
            return f"({pa}{sep}{pb})", (pa, pb)
        pa = printed(a)
        return f"({pa})", (pa,)

    def entry(self, objective: int, number: int, style: str, gap: int | str, empty: bool) -> None:
        r, w = self.rng, self.w
        title, plain = self.title_text(objective)
        if r.random() < 0.035:
            paren, agencies = "", ()
            if r.random() < 0.5:
                extra = self.pick(_OTHER_PARENS)
                title, plain = f"{title} {extra}", f"{plain} {extra}"
            self.features["title-no-agency"] += 1
        else:
            paren, agencies = self.agencies_for_title()
            if r.random() < 0.1:
                extra = self.pick(_OTHER_PARENS + ("(PIMSA)", "(SIPC)", "(CURP)", "(IGM)"))
                title, plain = f"{title} {extra}", f"{plain} {extra}"
                self.features["title-other-parenthesis"] += 1
        printed = f"{number}. {title}" + (f" {paren}" if paren else "")
        if paren and r.random() < 0.05:
            printed += "."
            self.features["title-final-stop"] += 1
        e = _Entry(objective, number, plain, agencies, 0, style)
        self.w.entry = e
        self.w.section = "description"
        if style.startswith("h"):
            level = int(style[1])
            hashes = "#" * level
            line = f"{hashes} {printed}" if style.endswith("plain") else f"{hashes} **{printed}**"
        elif style == "bold":
            line = f"**{printed}**"
        else:
            line = f"- {printed}**"
        w.piece([line], "title", gap)
        e.line = len(w.lines)  # the line just written (1-based)
        self.features[f"title-{style}"] += 1
        self.entries.append(e)
        if empty:
            self.features["title-without-body"] += 1
            return
        self.description()
        has_results = r.random() < 0.95
        sec_style = self.section_style()
        if has_results:
            self.section("results", sec_style)
            self.results()
        else:
            self.features["results-missing"] += 1
        if r.random() < (0.83 if has_results else 0.5):
            self.section("challenges", sec_style if r.random() < 0.85 else self.section_style())
            self.challenges()
        else:
            self.features["challenges-missing"] += 1

    def section_style(self) -> str:
        r = self.rng
        x = r.random()
        if x < 0.1:
            return "bold"
        level = r.choices((2, 3, 4, 5), (0.35, 0.45, 0.15, 0.05))[0]
        return f"h{level}" + ("-plain" if r.random() < 0.05 else "")

    def section(self, which: str, style: str) -> None:
        r = self.rng
        if which == "results":
            word = r.choices(("Resultados", "RESULTADOS", "Resultado", "Resultados:"), (0.9, 0.04, 0.03, 0.03))[0]
        else:
            word = r.choices(("Retos identificados", "Retos Identificados", "RETOS IDENTIFICADOS", "Retos",
                              "Retos identificados:", "Reto identificado"), (0.8, 0.08, 0.03, 0.03, 0.03, 0.03))[0]
        if style == "bold":
            line = f"**{word}**"
        else:
            hashes = "#" * int(style[1])
            line = f"{hashes} {word}" if style.endswith("plain") else f"{hashes} **{word}**"
        self.features[f"section-{style}"] += 1
        if word not in ("Resultados", "Retos identificados"):
            self.features["section-odd-capitals"] += 1
        self.w.piece([line], "section", "auto")
        self.w.section = which

    def description(self) -> None:
        r, w = self.rng, self.w
        self.para(self.paragraph("desc", (2, 6), ref=0.03), gap=1)
        for _ in range(r.choices((0, 1, 2, 3), (0.55, 0.3, 0.11, 0.04))[0]):
            self.para(self.paragraph("desc", (2, 4), ref=0.02))
        x = r.random()
        if x < 0.07:
            # list items that end in a parenthesis but are not programmes
            n = r.randint(3, 6)
            self.para(f"La acción tuvo observancia en {n} programas:", cut=0)
            texts = []
            for _ in range(n):
                t = f"{self.pick(_KINDS)} {self.pick(_CONNECT)} {self.pick(_AIMS)[3:]}"
                if r.random() < 0.5:
                    t += f" ({self.pick(self.agencies).acronym})"
                    self.features["item-ending-in-parenthesis"] += 1
                texts.append(t)
            if r.random() < 0.3:
                texts[-1] = (f"1. {self.pick(_KINDS)} {self.pick(_CONNECT)} {self.pick(_AIMS)[3:]} "
                             f"({self.pick(self.agencies).acronym})")
                self.features["item-numbered-with-parenthesis"] += 1
            self.items(texts, cut=0)
        elif x < 0.11:
            # campaigns: bold list items (with ** but no number), each followed by a paragraph
            for name in r.sample(_CAMPAIGNS, r.randint(2, 4)):
                text = f"**{name}**"
                if r.random() < 0.3:
                    a, b = r.sample(self.agencies, 2)
                    text = f"**{name} ({a.acronym} y {b.acronym}).**"
                    self.features["bold-item-ending-in-parenthesis"] += 1
                w.piece([f"- {text}"], "item", "auto", open_end=_open_ended(_plain(text)))
                self.count()
                self.para(self.paragraph("desc", (1, 3)))
            self.features["campaign-items"] += 1
        elif x < 0.18:
            # a label and a numbered list that restarts its numbering after a blank line (10., 11., …)
            self.para(self.pick(("Estrategia:", "Serán beneficiadas las siguientes localidades:",
                                 "Periodo de implementación:", "Algunos de estos programas son:")), cut=0)
            n = r.choice((2, 3, 3, 4, 4, 5, 6, 12))
            texts = [self.short_item() for _ in range(n)]
            split = r.randint(1, n - 1) if n > 9 and r.random() < 0.5 else n
            self.items(texts[:split], marker="1.")
            if split < n:
                self.items(texts[split:], marker="1.", start=split + 1, first_gap=1)
                self.features["numbered-list-split-by-blank"] += 1
        elif x < 0.22:
            self.para(f"**{self.pick(('Objetivo general:', 'Antecedentes:', 'Cobertura:'))}** "
                      f"{self.sentence('desc')}")
            self.features["bold-paragraph"] += 1
        elif x < 0.25:
            w.piece([f"#### {self.pick(('Antecedentes', 'Objetivos específicos', 'Cobertura'))}"], "heading", "auto")
            self.features["subheading-in-description"] += 1
            self.para(self.paragraph("desc", (1, 3)))
        elif x < 0.265:
            self.para(f"Durante el periodo {self.date_span()}, se registraron las siguientes cifras:", cut=0)
            self.table()

    def results(self) -> None:
        r = self.rng
        x = r.random()
        if x < 0.5:
            self.items([self.item_text("result") for _ in range(r.choice((1, 1, 2, 2, 3, 3, 4, 5)))], sub=0.05,
                       first_gap="auto")
        elif x < 0.72:
            for k in range(r.randint(1, 2)):
                self.para(self.paragraph("result", (1, 3)))
        elif x < 0.8:
            self.para(self.pick(("Como producto de estas acciones se pueden destacar los siguientes resultados:",
                                 f"Del 1 de junio de {self.year - 1} al 30 de junio de {self.year}, se obtuvieron "
                                 "los siguientes resultados:")), cut=0)
            self.items([self.item_text("result") for _ in range(r.randint(2, 4))], sub=0.08)
        elif x < 0.86:
            # numbered result items that look like programme titles, numbered from anywhere
            start = r.randint(1, 9)
            texts = [f"{self.pick(_CAMPAIGNS).rstrip('?').lstrip('¿')}: {self.sentence('result')}"
                     for _ in range(r.randint(2, 4))]
            self.items(texts, marker="1.", start=start)
            self.features["numbered-results-like-titles"] += 1
            if r.random() < 0.5:
                self.para(f"Del {r.randint(1, 28)} de {self.pick(_MONTHS)} de {self.year - 2} al 30 de junio de "
                          f"{self.year}", cut=0)  # a bare date line, open-ended
                self.items([self.item_text("result") for _ in range(r.randint(1, 3))])
        elif x < 0.94:
            # sub-headings such as years, each with its items
            self.para("Al cierre del periodo se han realizado las siguientes acciones:", cut=0)
            for label in (str(self.year - 1), f"{self.year} (Enero-Julio)", "Taller Formador de Formadores:")[
                          :r.randint(2, 3)]:
                self.w.piece([f"#### {label}"], "heading", "auto")
                self.items([self.item_text("result") for _ in range(r.randint(1, 3))])
            self.features["subheadings-in-results"] += 1
        else:
            self.para(f"Durante el periodo {self.date_span()}, se registraron los siguientes datos:", cut=0)
            self.table()
        if r.random() < 0.08:
            self.para(self.paragraph("result", (1, 2)))

    def item_text(self, kind: str) -> str:
        t = self.sentence(kind)
        if self.rng.random() < 0.15:
            t = t[:-1]  # items without a final stop, as printed
            self.features["item-without-stop"] += 1
        if self.rng.random() < 0.015:
            t = t + self.w.ref() if _open_ended(t) else t[:-1] + self.w.ref() + "."
        if self.rng.random() < 0.25:
            t = t + " " + self.sentence(kind)
        return t

    def challenges(self) -> None:
        r = self.rng
        x = r.random()
        if x < 0.72:
            self.para(self.paragraph("challenge", (1, 2)))
            if r.random() < 0.1:
                self.para(self.paragraph("challenge", (1, 2)))
        elif x < 0.95:
            self.items([self.sentence("challenge") for _ in range(r.randint(2, 4))], marker="1.", cut=0.02)
            self.features["numbered-challenges"] += 1
        else:
            self.items([self.item_text("challenge") for _ in range(r.randint(2, 4))])

    def front_matter(self) -> tuple[str, str]:
        r, w = self.rng, self.w
        cc = _COUNTRY[self.country]
        interior = next((a for a in self.register if a.name_es.endswith("Gobernación")), self.register[0])
        unit = next((a for a in self.register if a.name_es.startswith("Unidad de Política")), interior)
        title = (f"Compendio sintético de los programas, acciones y buenas prácticas de las dependencias y entidades "
                 f"de la Administración Pública de {cc[2]}, alineadas a los Objetivos del Pacto Mundial para una "
                 f"Migración Segura, Ordenada y Regular ({self.year})")
        day, month = r.randint(1, 28), r.randint(7, 12)
        place_date = f"{cc[5]} {day} de {_MONTHS[month - 1]} de {self.year}."
        self.published = date(self.year, month, day)
        w.lines += ["", "", ""]
        w.piece([f"**{_ascii(interior.acronym).upper()}**  ", interior.name_es.upper()], "front", 0)
        w.piece([f"**{self.year}**  ", "INFORME NACIONAL DE IMPLEMENTACIÓN", "DOCUMENTO SINTÉTICO DE PRUEBA"],
                "front", 3)
        w.piece([f"# {self.year}"], "front", 1)
        w.piece([f"**{title}**"], "front", 1)
        w.piece(["**Pacto Mundial**  ", "PARA LA **Migración**"], "front", 3)
        words = unit.name_es.split(" ")
        half = max(1, len(words) // 2)
        w.piece([f"**{' '.join(words[:half])}  ", f"{' '.join(words[half:])}**"], "front", 1)
        w.piece([interior.name_es], "front", 1)
        w.piece([f"**{title}**"], "front", 3)
        w.piece([place_date], "front", 1)
        w.piece(["## **INTRODUCCIÓN**"], "front", 1)
        for p in _INTRO:
            w.piece([p.format(country=cc[2], y0=self.year - 1, y1=self.year, generator=GENERATOR)], "front", 1)
        self.publisher = (interior.name_es + (", " + unit.name_es if unit is not interior else ""), unit.acronym)
        return _plain(title), place_date

    def distribute(self) -> list[int]:
        r = self.rng
        empty = set(r.sample(range(1, OBJECTIVES + 1), r.choice((1, 1, 2, 3))))
        weights = [0.0 if o in empty else REAL_WEIGHTS[o - 1] + 0.5 for o in range(1, OBJECTIVES + 1)]
        counts = [0] * OBJECTIVES
        for o in r.choices(range(OBJECTIVES), weights, k=self.n_entries):
            counts[o] += 1
        return counts

    def make(self) -> tuple[str, ReportTruth, dict]:
        r, w = self.rng, self.w
        title, place_date = self.front_matter()
        counts = self.distribute()
        for objective in range(1, OBJECTIVES + 1):
            style = r.choices(("h2", "h3", "bold"), (0.9, 0.07, 0.03))[0]
            text = f"Objetivo {objective}. {self.objective_titles[objective - 1]}."
            line = f"**{text}**" if style == "bold" else f"{'#' * int(style[1])} **{text}**"
            self.features[f"objective-{style}"] += 1
            w.entry = None
            w.piece([line], "objective", "page" if r.random() < 0.3 else 1)
            if counts[objective - 1] == 0:
                self.features["objective-without-programme"] += 1
            empty_next = False
            for number in range(1, counts[objective - 1] + 1):
                if empty_next:
                    style_t, gap = "item", 0
                else:
                    style_t = r.choices(("h2", "h3", "h4", "h5", "h2-plain", "h3-plain", "bold", "item"),
                                        (0.38, 0.38, 0.08, 0.02, 0.01, 0.03, 0.05, 0.05))[0]
                    gap = "auto"
                empty = (style_t == "item" and number < counts[objective - 1] and r.random() < 0.4)
                self.entry(objective, number, style_t, gap, empty)
                empty_next = empty
        text = w.finish()
        data = text.encode("utf-8")
        entries = tuple(EntryTruth(e.objective, e.number, e.title, e.agencies, e.line, e.results, e.challenges,
                                   e.tables, tuple(sorted(e.footnotes)), e.style) for e in self.entries)
        truth = ReportTruth(
            slug=self.slug, country=self.country, year=self.year, source=f"source/{self.slug}.md", title=title,
            place_date=place_date, sha256=hashlib.sha256(data).hexdigest(), lines=text.count("\n"),
            bytes=len(data), counts=tuple(counts), entries=entries, footnotes=w.next_footnote - 1,
            features=dict(sorted(self.features.items())),
        )
        meta = {"published": self.published, "publisher": self.publisher}
        return text, truth, meta


def _toml_str(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def metadata_toml(truth: ReportTruth, meta: dict, seed: int) -> str:
    cc = _COUNTRY[truth.country]
    publisher, publisher_agency = meta["publisher"]
    title_en = (f"Synthetic compendium of the programmes of the government of {cc[1]} aligned with the objectives of "
                f"the Global Compact for Safe, Orderly and Regular Migration ({truth.year}); benchmark data")
    return "\n".join([
        f"# Synthetic report generated by {GENERATOR} (seed {seed}): benchmark and test data, not a government "
        "document.",
        f"slug = {_toml_str(truth.slug)}",
        f"country = {_toml_str(truth.country)}",
        f"year = {truth.year}",
        'language = "es"',
        f"source_file = {_toml_str(truth.slug + '.md')}",
        f"sha256 = {_toml_str(truth.sha256)}",
        "synthetic = true",
        "",
        f"title = {_toml_str(truth.title)}",
        f"title_en = {_toml_str(title_en)}",
        f"publisher = {_toml_str(publisher)}",
        f"publisher_agency = {_toml_str(publisher_agency)}",
        f"place = {_toml_str(cc[5])}",
        f"published = {meta['published'].isoformat()}",
        "",
        "[reporting_period]",
        f"start = {truth.year - 1}-06-01",
        f"end = {truth.year}-06-30",
        "",
    ])


# --------------------------------------------------------------------------------------------------------------
# The corpus
# --------------------------------------------------------------------------------------------------------------


def objective_titles() -> list[str]:
    """The 23 objectives' Spanish titles, from the project's reference data."""
    try:
        from gcm_graph import paths

        path = paths.reference_file("gcm-objectives.csv")
    except ImportError:  # run from a checkout without the package installed
        path = Path(__file__).resolve().parent.parent / "data" / "reference" / "gcm-objectives.csv"
    with open(path, encoding="utf-8") as fh:
        rows = sorted(csv.DictReader(fh), key=lambda row: int(row["number"]))
    titles = [row["title_es"].strip().rstrip(".") for row in rows]
    assert len(titles) == OBJECTIVES, path
    return titles


def plan(reports: int, entries: int, countries: list[str] | None = None) -> list[tuple[str, str, int, int]]:
    """(slug, country, year, entries) for each report: countries in turn, one edition a year per country."""
    if reports < 1:
        raise ValueError("at least one report")
    if entries < 0:
        raise ValueError("entries must not be negative")
    codes = [c.upper() for c in (countries or [c[0] for c in COUNTRIES])]
    unknown = [c for c in codes if c not in _COUNTRY]
    if unknown:
        raise ValueError(f"unknown country code(s) {unknown}; choose among {', '.join(c[0] for c in COUNTRIES)}")
    out = []
    base, extra = divmod(entries, reports)
    for i in range(reports):
        cc = codes[i % len(codes)]
        year = 2019 + i // len(codes)
        out.append((f"{cc.lower()}-{year}", cc, year, base + (1 if i < extra else 0)))
    return out


def build_corpus(reports: int = 1, entries: int = REAL_ENTRIES, seed: int = 0,
                 countries: list[str] | None = None) -> Corpus:
    """Generate the corpus in memory: documents, metadata, registers, countries and the ground truth."""
    t0 = time.perf_counter()
    gc_was_enabled = gc.isenabled()
    gc.disable()  # millions of small objects, no cycles: collection passes only cost time
    try:
        corpus = _build_corpus(reports, entries, seed, countries)
    finally:
        if gc_was_enabled:
            gc.enable()
    corpus.seconds = time.perf_counter() - t0
    return corpus


def _build_corpus(reports: int, entries: int, seed: int, countries: list[str] | None) -> Corpus:
    titles = objective_titles()
    specs = plan(reports, entries, countries)
    codes = list(dict.fromkeys(cc for _, cc, _, _ in specs))
    registers = {cc: make_register(cc, seed) for cc in codes}
    files: dict[str, bytes] = {}
    truths = []
    for slug, cc, year, n in specs:
        maker = _ReportMaker(slug=slug, country=cc, year=year, n_entries=n, seed=seed, register=registers[cc],
                             objective_titles=titles)
        text, truth, meta = maker.make()
        files[f"source/{slug}.md"] = text.encode("utf-8")
        files[f"source/{slug}.toml"] = metadata_toml(truth, meta, seed).encode("utf-8")
        truths.append(truth)
    for cc, agencies in registers.items():
        files[f"reference/agencies-{cc.lower()}.csv"] = register_csv(agencies).encode("utf-8")
    files["reference/countries.csv"] = countries_csv(codes).encode("utf-8")
    corpus = Corpus(seed, tuple(truths), registers, files)
    files[TRUTH_FILE] = corpus.truth_json().encode("utf-8")
    return corpus


def write_corpus(corpus: Corpus, out: Path) -> Corpus:
    """Write the corpus into ``out`` (created; a previous synthetic corpus there is replaced, anything else is
    refused)."""
    out = Path(out)
    if out.exists() and any(out.iterdir()) and not (out / TRUTH_FILE).exists():
        raise FileExistsError(f"{out} is not empty and holds no synthetic corpus ({TRUTH_FILE}); refusing to write")
    for sub in ("source", "reference"):
        if (out / sub).exists():
            shutil.rmtree(out / sub)
    for rel, data in sorted(corpus.files.items()):
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    corpus.out = out
    return corpus


def generate(out: Path, reports: int = 1, entries: int = REAL_ENTRIES, seed: int = 0,
             countries: list[str] | None = None) -> Corpus:
    """Generate and write a corpus; returns it with its ground truth."""
    t0 = time.perf_counter()
    corpus = write_corpus(build_corpus(reports, entries, seed, countries), out)
    corpus.seconds = time.perf_counter() - t0
    return corpus


def parse_size(size: str) -> tuple[int, int]:
    """``"10x"`` → (10 reports, 1760 entries): K times the real document, spread over K reports (at least one)."""
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*[x×]\s*", size)
    if not m or float(m.group(1)) <= 0:
        raise ValueError(f"size must look like 1x, 10x or 100x, got {size!r}")
    k = float(m.group(1))
    return max(1, round(k)), round(REAL_ENTRIES * k)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        prog="synth.py",
        description="Generate synthetic GCM implementation reports in the irregular Markdown of the real compendium, "
                    "with agency registers, a countries table and the ground truth, deterministically from a seed.",
        epilog="Build them with: gcm-graph build --sources OUT/source --reference OUT/reference --out DIST. "
               f"1x = {REAL_ENTRIES} programme entries (the real document's size).",
    )
    p.add_argument("--out", required=True, metavar="DIR",
                   help="output folder: source/, reference/ and truth.json are written there (a previous synthetic "
                        "corpus in it is replaced; a folder holding anything else is refused)")
    p.add_argument("--size", metavar="Kx", help="K times the real document, spread over K reports: 1x, 10x, 100x "
                                                 "(default 1x unless --reports/--entries are given)")
    p.add_argument("--reports", type=int, metavar="N", help="number of reports (default: from --size, or from "
                                                            "--entries / 176)")
    p.add_argument("--entries", type=int, metavar="M", help="programme entries in all, spread evenly over the "
                                                            "reports (default: from --size, or 176 per report)")
    p.add_argument("--seed", type=int, default=0, help="random seed (default: %(default)s)")
    p.add_argument("--countries", metavar="CC,CC", help="country codes to use in turn (default: all of "
                                                         f"{','.join(c[0] for c in COUNTRIES)})")
    p.add_argument("-q", "--quiet", action="store_true", help="print nothing")
    args = p.parse_args(argv)
    try:
        if args.size and (args.reports or args.entries is not None):
            p.error("give --size, or --reports/--entries, not both")
        if args.size:
            reports, entries = parse_size(args.size)
        elif args.reports or args.entries is not None:
            reports = args.reports or max(1, round((args.entries or 0) / REAL_ENTRIES))
            entries = args.entries if args.entries is not None else REAL_ENTRIES * reports
        else:
            reports, entries = 1, REAL_ENTRIES
        countries = [c.strip() for c in args.countries.split(",") if c.strip()] if args.countries else None
        corpus = generate(Path(args.out), reports, entries, args.seed, countries)
    except (ValueError, FileExistsError) as exc:
        print(f"synth.py: error: {exc}", file=sys.stderr)
        return 2
    if not args.quiet:
        n = len(corpus.registers)
        print(f"{len(corpus.reports)} report(s), {corpus.entries} programme entries, {corpus.lines} lines, "
              f"{corpus.bytes / 1e6:.2f} MB, {n} countr{'y' if n == 1 else 'ies'} into {corpus.out} in "
              f"{corpus.seconds:.2f} s (seed {args.seed})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
