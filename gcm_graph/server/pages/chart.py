"""The front page's chart of programme entries per GCM objective, an inline SVG drawn here: columns for wide
screens, rows for narrow ones (the stylesheet shows one or the other)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..markup import Html, html, join


@dataclass(frozen=True)
class Bar:
    number: int
    title_en: str
    title_es: str
    programmes: int
    href: str


def nice_ceiling(value: int, ticks: int = 5) -> tuple[int, int]:
    """An axis maximum ≥ ``value`` and its tick step, both round numbers."""
    if value <= 0:
        return 1, 1
    raw = value / ticks
    magnitude = 10 ** math.floor(math.log10(raw)) if raw >= 1 else 1
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    step = max(1, int(step))
    return int(math.ceil(value / step) * step), step


def _bar_title(bar: Bar) -> str:
    return (f"Objective {bar.number}: {bar.title_en} — {bar.programmes} programme{'s' if bar.programmes != 1 else ''}"
            f"\nObjetivo {bar.number}: {bar.title_es} — {bar.programmes} programa{'s' if bar.programmes != 1 else ''}")


def chart_columns(bars: list[Bar]) -> Html:
    """Vertical columns, one per objective (wide screens)."""
    width, height, left, right, top, bottom = 760, 300, 44, 8, 16, 46
    plot_w, plot_h = width - left - right, height - top - bottom
    top_value, step = nice_ceiling(max((b.programmes for b in bars), default=0))
    slot = plot_w / max(1, len(bars))
    parts: list[Html] = []
    for v in range(0, top_value + 1, step):
        y = top + plot_h * (1 - v / top_value)
        parts.append(html('<line class="grid" x1="{}" x2="{}" y1="{:.1f}" y2="{:.1f}" stroke="#d9dee5"/>'
                          '<text class="tick" x="{}" y="{:.1f}" text-anchor="end" font-size="11" fill="#444">{}</text>',
                          left, width - right, y, y, left - 6, y + 4, v))
    for i, b in enumerate(bars):
        x = left + i * slot + slot * 0.15
        h = plot_h * b.programmes / top_value
        y = top + plot_h - h
        cx = left + i * slot + slot / 2
        parts.append(html(
            '<a href="{href}" class="bar-link" aria-label="{title}"><rect class="bar" data-objective="{n}" '
            'data-programmes="{v}" x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" fill="#1f5fa8" rx="2">'
            '<title>{title}</title></rect>'
            '<text class="value" x="{cx:.1f}" y="{ty:.1f}" text-anchor="middle" font-size="11" fill="#222">{v}</text>'
            '<text class="label" x="{cx:.1f}" y="{ly}" text-anchor="middle" font-size="12" fill="#222">{n}</text></a>',
            href=b.href, title=_bar_title(b), n=b.number, v=b.programmes, x=x, y=y, w=slot * 0.7, h=h, cx=cx,
            ty=y - 4, ly=top + plot_h + 16))
    axis_x = html('<text class="axis" x="{:.1f}" y="{}" text-anchor="middle" font-size="12" fill="#444">'
                  'GCM objective · Objetivo del Pacto Mundial</text>', left + plot_w / 2, height - 8)
    axis_y = html('<text class="axis" transform="translate(12 {:.1f}) rotate(-90)" text-anchor="middle" '
                  'font-size="12" fill="#444">Programmes · Programas</text>', top + plot_h / 2)
    return html('<svg class="chart chart-columns" viewBox="0 0 {} {}" role="img" aria-labelledby="chart-title" '
                'xmlns="http://www.w3.org/2000/svg">{}{}{}</svg>', width, height, join(parts), axis_x, axis_y)


def chart_rows(bars: list[Bar]) -> Html:
    """Horizontal bars, one row per objective (narrow screens)."""
    width, row, left, right, top = 340, 20, 28, 34, 18
    plot_w = width - left - right
    top_value, _ = nice_ceiling(max((b.programmes for b in bars), default=0))
    height = top + row * len(bars) + 6
    parts: list[Html] = [html('<text class="axis" x="{}" y="12" font-size="10" fill="#444">'
                              'objective · objetivo</text>', 2)]
    for i, b in enumerate(bars):
        y = top + i * row
        w = plot_w * b.programmes / top_value
        parts.append(html(
            '<a href="{href}" class="bar-link" aria-label="{title}">'
            '<text class="label" x="{lx}" y="{ty:.1f}" text-anchor="end" font-size="11" fill="#222">{n}</text>'
            '<rect class="bar" data-objective="{n}" data-programmes="{v}" x="{x}" y="{y:.1f}" width="{w:.1f}" '
            'height="{h:.1f}" fill="#1f5fa8" rx="2"><title>{title}</title></rect>'
            '<text class="value" x="{vx:.1f}" y="{ty:.1f}" font-size="11" fill="#222">{v}</text></a>',
            href=b.href, title=_bar_title(b), n=b.number, v=b.programmes, lx=left - 6, x=left, y=y + 3, w=w,
            h=row - 6, ty=y + row / 2 + 4, vx=left + w + 4))
    return html('<svg class="chart chart-rows" viewBox="0 0 {} {}" role="img" aria-labelledby="chart-title" '
                'xmlns="http://www.w3.org/2000/svg">{}</svg>', width, height, join(parts))
