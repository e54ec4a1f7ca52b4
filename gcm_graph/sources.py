"""Source documents on disk: their metadata (``<slug>.toml``), hash check and decoding.

File I/O lives here and in the CLI; the parser only ever sees text.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from datetime import date
from pathlib import Path

from .errors import SourceError
from .records import Source, SourceMeta

_SLUG = re.compile(r"^[a-z]{2}-[0-9]{4}[a-z0-9-]*$")
_REQUIRED = ("slug", "country", "year", "language", "sha256", "title", "publisher", "place", "published")


def _date(value: object, key: str, path: Path) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise SourceError(f"'{key}' must be a date (YYYY-MM-DD), got {value!r}", str(path)) from None


def load_meta(path: Path) -> SourceMeta:
    """Read and check one metadata file."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SourceError("metadata file not found", str(path)) from None
    except tomllib.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", None)
        raise SourceError(f"malformed TOML: {exc}", str(path), line) from None
    missing = [k for k in _REQUIRED if k not in data]
    if missing:
        raise SourceError(f"missing key(s): {', '.join(missing)}", str(path))
    slug = str(data["slug"])
    if not _SLUG.match(slug):
        raise SourceError(f"slug {slug!r} must look like 'mx-2020' (country code, year)", str(path))
    if slug != path.stem:
        raise SourceError(f"slug {slug!r} differs from the file name {path.stem!r}", str(path))
    country = str(data["country"]).upper()
    if not re.fullmatch(r"[A-Z]{2}", country) or not slug.startswith(country.lower() + "-"):
        raise SourceError(f"country {data['country']!r} must be the ISO 3166-1 alpha-2 code the slug starts with",
                          str(path))
    sha = str(data["sha256"]).lower()
    if not re.fullmatch(r"[0-9a-f]{64}", sha):
        raise SourceError("sha256 must be 64 hexadecimal digits", str(path))
    period = data.get("reporting_period", {})
    published = _date(data["published"], "published", path)
    return SourceMeta(
        slug=slug, country=country, year=int(data["year"]), title=str(data["title"]),
        publisher=str(data["publisher"]), publisher_agency=data.get("publisher_agency"), place=str(data["place"]),
        published=published,
        period_start=_date(period.get("start", published), "reporting_period.start", path),
        period_end=_date(period.get("end", published), "reporting_period.end", path),
        language=str(data["language"]), sha256=sha, source_file=str(data.get("source_file", f"{slug}.md")),
        title_en=data.get("title_en"), url=data.get("url"),
    )


def decode(raw: bytes, path: Path) -> str:
    """UTF-8 text, or an error naming the first line that is not UTF-8."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise SourceError("the document is UTF-16 encoded; convert it to UTF-8", str(path), 1)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise SourceError(f"not UTF-8 (byte 0x{raw[exc.start]:02x}); is it Latin-1 or Windows-1252? "
                          "Convert it to UTF-8", str(path), line, column) from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise SourceError("the document contains NUL bytes: not a text file in UTF-8", str(path), line)
    return text.removeprefix("\ufeff")


def read_source(meta_path: Path) -> Source:
    """The document beside ``meta_path``, checked against the metadata's sha256."""
    meta = load_meta(meta_path)
    doc = meta_path.parent / meta.source_file
    try:
        raw = doc.read_bytes()
    except FileNotFoundError:
        raise SourceError(f"source document {meta.source_file!r} named by {meta_path.name} not found", str(doc)) from None
    digest = hashlib.sha256(raw).hexdigest()
    if digest != meta.sha256:
        raise SourceError(f"sha256 {digest} does not match {meta_path.name} ({meta.sha256}): the document changed; "
                          "check it and update the metadata", str(doc))
    return Source(meta=meta, path=str(doc), text=decode(raw, doc))


def discover(sources_dir: Path) -> list[Path]:
    """Metadata files of every report in ``sources_dir``, sorted by slug."""
    if not sources_dir.is_dir():
        raise SourceError("sources folder not found", str(sources_dir))
    found = sorted(sources_dir.glob("*.toml"))
    if not found:
        raise SourceError("no <slug>.toml metadata file in the sources folder", str(sources_dir))
    return found
