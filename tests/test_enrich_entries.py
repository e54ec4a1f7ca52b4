"""Challenge themes, repeated programmes, stated dates and footnote links, on the real compendium."""

from __future__ import annotations

import pytest

from gcm_graph.enrich import enrich, load_registers
from gcm_graph.enrich.repeats import title_key
from gcm_graph.records import ParsedReport


@pytest.fixture(scope="module")
def enriched(real_source, real_doc):
    return enrich(ParsedReport(real_source.meta, real_doc), load_registers(), real_source.text)


def themes(enriched, key, index):
    ch = enriched.entry(key).challenges[index - 1]
    return {link.target: [m.text for m in link.matches] for link in ch.themes}


def test_every_challenge_has_a_theme_and_other_only_as_a_fallback(enriched, programmes):
    for e in enriched:
        assert len(e.challenges) == len(programmes[e.key].challenges)
        for ch in e.challenges:
            targets = [link.target for link in ch.themes]
            assert targets, (e.key, ch.index)
            if "other" in targets:
                assert targets == ["other"] and ch.themes[0].matches == ()


def test_few_challenges_fall_back_to_other(enriched):
    others = [(e.key, ch.index) for e in enriched for ch in e.challenges if ch.themes[0].target == "other"]
    # 7-11 opens and closes its list with sentences that are no challenge (1326, 1338).
    assert ("7-11", 1) in others and ("7-11", 11) in others
    assert len(others) <= 5


def test_a_challenge_gets_several_themes_from_keyword_stems(enriched):
    # 1-13 (276): "Ante la desaparición del fideicomiso … darle continuidad … comprometer recursos".
    found = themes(enriched, "1-13", 1)
    assert found["funding"] == ["fideicomiso", "financiaba", "comprometer recursos"]
    assert found["continuity"] == ["continuidad"]


def test_a_stem_inside_a_word(enriched):
    # 17-12 (2751): "Transversalización de la perspectiva antidiscriminatoria".
    assert themes(enriched, "17-12", 2) == {"discrimination": ["antidiscriminatoria"]}


def test_repeated_programme_with_the_same_title_and_agency_is_one_programme(enriched):
    assert enriched.entry("16-12").programme == "7-14"  # Campaña de Doble Nacionalidad en Estados Unidos (SRE)
    assert enriched.entry("10-6").programme == "7-20"  # Protocolo … Víctimas Mexicanas de Trata (SRE)


def test_same_title_different_agencies_are_different_programmes(enriched, programmes):
    # "Semana Binacional de Salud": SSA in 15-4, SRE in 16-11.
    assert title_key(programmes["15-4"].title) == title_key(programmes["16-11"].title)
    assert enriched.entry("15-4").programme == "15-4" and enriched.entry("16-11").programme == "16-11"


def test_similar_titles_stay_distinct(enriched):
    # "Oficiales de Protección a la Infancia (OPI)" (7-1) and "Programa para Oficiales de Protección a la
    # Infancia" (12-1).
    assert enriched.entry("12-1").programme == "12-1"


def test_distinct_programmes_and_entries(enriched):
    programmes = enriched.programmes()
    assert len(enriched.entries) == 176 and len(programmes) == 174
    assert {k: v for k, v in programmes.items() if len(v) > 1} == {"7-14": ("7-14", "16-12"), "7-20": ("7-20", "10-6")}


def dates(enriched, key):
    return {(d.text, d.start.iso, d.end.iso if d.end else None) for d in enriched.entry(key).dates}


def test_exact_dates_and_periods(enriched):
    assert ("Del 1 de junio de 2019 al 30 de junio de 2020", "2019-06-01", "2020-06-30") in dates(enriched, "1-18")
    assert ("del 17 al 20 de diciembre de 2019", "2019-12-17", "2019-12-20") in {
        (t.lower(), a, b) for t, a, b in dates(enriched, "2-1")}
    assert ("de 2010", "2010", None) in dates(enriched, "6-4")  # "de 2010 a la fecha": a year
    assert ("19.08.19", "2019-08-19", None) in dates(enriched, "16-7")
    assert ("de octubre a junio de 2020", "2019-10", "2020-06") in dates(enriched, "1-4")


def test_dates_without_a_year_are_not_exact(enriched):
    # 16-4 (2416): "Del 9 al 10 de diciembre": no year is stated.
    assert not any("9 al 10 de diciembre" in t for t, _, _ in dates(enriched, "16-4"))


def test_footnote_urls_are_links(enriched):
    assert enriched.entry("1-3").links == (
        "http://politicamigratoria.gob.mx/es/PoliticaMigratoria/movilidades",
        "http://www.politicamigratoria.gob.mx/es/PoliticaMigratoria/Rutas",
        "http://www.politicamigratoria.gob.mx/es/PoliticaMigratoria/Contextos")
    assert sum(len(e.links) for e in enriched) >= 15


def test_a_country_without_an_agency_register_still_enriches(real_source, real_doc):
    from dataclasses import replace

    registers = load_registers()
    registers.agencies.pop("MX")
    report = ParsedReport(replace(real_source.meta, country="GT"), real_doc)
    other = enrich(report, registers)
    assert all(e.collaborating == () for e in other)
    assert other.entry("10-5").partners[0].target == "unodc"
    assert other.entry("16-12").programme == "7-14"
