"""Reported figures read from results and tables: cases established by reading data/source/mx-2020.md."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from gcm_graph.enrich import enrich, load_registers
from gcm_graph.enrich.numbers import NumberReader
from gcm_graph.records import ParsedReport


@pytest.fixture(scope="module")
def registers():
    return load_registers()


@pytest.fixture(scope="module")
def enriched(real_source, real_doc, registers):
    return enrich(ParsedReport(real_source.meta, real_doc), registers, real_source.text)


@pytest.fixture(scope="module")
def numbers(registers):
    return NumberReader(registers.rules_for("es"))


def q(enriched, key, text):
    found = [x for x in enriched.entry(key).quantities if x.text == text]
    assert len(found) == 1, [x.text for x in enriched.entry(key).quantities]
    return found[0]


def test_thousands_with_commas_and_what_they_count(enriched):
    jobs = q(enriched, "2-2", "45,689 empleos directos")
    assert (jobs.value, jobs.unit, jobs.counted, jobs.line, jobs.result) == (45689, "jobs", "empleos directos", 398, 2)
    assert q(enriched, "2-2", "190,755 indirectos").unit == "jobs"


def test_mil_and_millones_scale_the_value(enriched):
    visits = q(enriched, "1-10", "667 mil visitas")
    assert (visits.value, visits.unit) == (667000, "visits")
    people = q(enriched, "15-6", "2.5 millones de personas")
    assert (people.value, people.unit, people.counted) == (2500000, "people", "personas")
    assert q(enriched, "20-4", "Más de medio millón de personas beneficiadas").qualifier == "Más de"


def test_money_in_pesos_and_dollars(enriched):
    usd = q(enriched, "1-13", "$158,412 USD")
    assert (usd.value, usd.unit) == (158412, "dollars")
    # "destinando $138,412 para equipos binacionales": a bare $ after a USD amount is in dollars too (line 271).
    assert q(enriched, "1-13", "$138,412").unit == "dollars"
    mdp = q(enriched, "20-3", "$16,103 MDP")
    assert (mdp.value, mdp.unit) == (16103000000, "pesos")


def test_apostrophe_before_the_millions(enriched):
    litres = q(enriched, "15-16", "10'520,560 litros de agua potable")
    assert (litres.value, litres.unit) == (10520560, "litres")


def test_malformed_grouping_keeps_the_text_and_says_how_it_was_read(enriched):
    leaflets = q(enriched, "3-2", "8,8000 trípticos")
    assert leaflets.value == 88000 and leaflets.unit == "copies"
    assert "malformed" in leaflets.note and "8,8000" in leaflets.note
    assert q(enriched, "5-1", "8,5441 tarjetas de residente temporal dentro").value == 85441


def test_a_space_after_the_thousands_comma(enriched):
    returns = q(enriched, "21-1", "140, 694")
    assert (returns.value, returns.period, returns.year, returns.counted) == (140694, "2015", 2015, "eventos")


def test_percentages_are_decimals(enriched):
    share = q(enriched, "15-3", "69.12% del total de esta población")
    assert (share.value, share.unit) == (Decimal("69.12"), "percent")


def test_ranges_keep_both_ends(enriched):
    stay = q(enriched, "13-1", "12 a 15 migrantes")
    assert (stay.value, stay.upper, stay.unit, stay.year) == (12, 15, "people", 2019)


def test_years_are_not_counts(enriched):
    # 5-2: "de 2014 a junio de 2020 se han expedido 566,324 tarjetas": 2014 and 2020 are the period.
    cards = q(enriched, "5-2", "566,324 tarjetas de visitante regional")
    assert (cards.period, cards.year) == ("de 2014 a junio de 2020", 2020)
    for e in enriched:
        for x in e.quantities:
            if x.result is not None:
                assert not re.fullmatch(r"(?:19|20)\d\d", x.text.strip()), (e.key, x)


def test_law_articles_phone_numbers_times_and_names_are_not_counts(numbers, programmes):
    description_5_6 = programmes["5-6"].description[0].text  # "Art. 2, 10, 52, 54, 55, 56, 107, 120, 132 y 133"
    assert "Art. 2, 10, 52" in description_5_6
    assert [description_5_6[h.start:h.end] for h in numbers.read(description_5_6)] == []
    campaign = next(b.text for b in programmes["3-2"].description if "018005533000" in b.text)
    assert numbers.read(campaign) == []
    radio = next(b.text for b in programmes["3-7"].results if "de 9 a 10 am" in b.text)
    assert numbers.read(radio) == []
    assert numbers.read("derivado de la pandemia de COVID 19, la NOM-027-SSA3-2013 y el Acuerdo 02/04/17") == []


def test_a_table_with_column_headings(enriched):
    cell = [x for x in enriched.entry("2-3").quantities if x.table == 1 and x.row == 2 and x.column == 6][0]
    assert (cell.value, cell.unit, cell.column_heading, cell.label, cell.text) == (
        2373371778, "pesos", "Monto Vigilado", "Programa Sembrando Vida", "$2,373,371,778")
    members = [x for x in enriched.entry("2-3").quantities if x.table == 1 and x.row == 2 and x.column == 3][0]
    assert (members.value, members.unit, members.counted) == (1110, "people", "Integrantes")


def test_a_table_whose_column_headings_are_years(enriched):
    cards = {x.year: x.value for x in enriched.entry("7-3").quantities if x.table == 1}
    assert cards == {2014: 623, 2015: 1481, 2016: 3971, 2017: 9642, 2018: 17722, 2019: 40966, 2020: 9978}


def test_a_table_of_periods_and_volumes(enriched):
    # 20-2 (2978): "Periodo | Volumen | Periodo | Volumen"; the lead-in says what is counted.
    rows = {(x.year, x.value) for x in enriched.entry("20-2").quantities}
    assert rows == {(2015, 183), (2018, 2404), (2016, 232), (2019, 3864), (2017, 1541), (2020, 1069)}
    assert {x.counted for x in enriched.entry("20-2").quantities} == {"transacciones realizadas"}


def test_label_and_value_cells(enriched):
    temporary = [x for x in enriched.entry("4-3").quantities if x.table == 1 and x.row == 1 and x.column == 1][0]
    assert (temporary.value, temporary.label, temporary.counted) == (74458, "Residente temporal", "tarjetas")
    by_place = [x for x in enriched.entry("7-4").quantities if x.label == "Estados Unidos"][0]
    assert (by_place.value, by_place.counted) == (42, "Por ubicación")


def test_a_label_before_a_colon_is_what_is_counted(enriched):
    cpve = q(enriched, "4-4", "1,162,557")
    assert (cpve.counted, cpve.unit) == ("CPVE tramitadas", "documents")
    assert cpve.period == "desde el 8 de febrero de 2016 al 31 de julio de 2020"


def test_the_period_of_a_list_comes_from_its_lead_in(enriched):
    observers = q(enriched, "3-3", "2,575 observadores")
    assert observers.period == "del 1 de julio de 2019 al 30 de junio de 2020"


def test_every_source_text_occurs_in_its_source(enriched, programmes):
    for e in enriched:
        p = programmes[e.key]
        for x in e.quantities:
            if x.table is not None:
                assert x.text == p.tables[x.table - 1].rows[x.row - 1][x.column - 1].strip()
            else:
                assert x.text in p.results[x.result - 1].text, (e.key, x)


def test_counts_read_from_the_whole_document(enriched):
    quantities = [x for e in enriched for x in e.quantities]
    assert len(quantities) >= 500
    assert len({x.unit for x in quantities}) >= 30
    assert sum(1 for x in quantities if x.table is not None) >= 110
