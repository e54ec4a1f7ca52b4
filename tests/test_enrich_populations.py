"""Target populations: served, not merely mentioned. Cases established by reading data/source/mx-2020.md."""

from __future__ import annotations

import re

import pytest

from gcm_graph.enrich import enrich, load_registers
from gcm_graph.enrich.populations import PopulationRule
from gcm_graph.enrich.text import passages
from gcm_graph.records import ParsedReport


@pytest.fixture(scope="module")
def registers():
    return load_registers()


@pytest.fixture(scope="module")
def enriched(real_source, real_doc, registers):
    return enrich(ParsedReport(real_source.meta, real_doc), registers, real_source.text)


@pytest.fixture(scope="module")
def rule(registers):
    return PopulationRule(registers.rules_for("es"), registers.population_matcher("es", "MX"))


def pops(enriched, key):
    return {link.target: link for link in enriched.entry(key).populations}


def test_a_statistics_project_listing_groups_does_not_serve_them(enriched, rule, programmes):
    # 1-11 (line 240): INM will add statistics on "niñas, niños y adolescentes, mujeres víctimas de delito, adultos
    # mayores, indígenas, personas con discapacidad y población LGBTTI": named, not served.
    assert enriched.entry("1-11").populations == ()
    mentioned = {m.match.target for m in rule.mentions(passages(programmes["1-11"]))}
    assert {"children-and-adolescents", "older-persons", "lgbti-people", "persons-with-disabilities"} <= mentioned


def test_a_title_naming_a_group_as_a_topic_is_not_a_service(rule, programmes):
    verdicts = {(m.match.target, m.served, m.reason) for m in rule.mentions(passages(programmes["1-3"]))
                if m.match.section == "title"}
    assert verdicts == {("people-under-international-protection", False, "title names it as a topic ('estudios')")}


def test_children_served_by_child_protection_officers(enriched):
    found = pops(enriched, "7-1")
    assert found["children-and-adolescents"].matches[0].rule == "cue 'acompanamiento a'"
    assert found["unaccompanied-children"].matches[0].line == 1060


def test_a_counted_group_is_served(enriched):
    # 10-5, line 1779: "Se atendieron 51 personas extranjeras víctimas de trata(1 NNA y 50 adultos)".
    assert any(m.rule == "counted" and m.text == "NNA" and m.line == 1779
               for m in pops(enriched, "10-5")["children-and-adolescents"].matches)
    assert pops(enriched, "15-3")["women"].matches[0].text == "mujeres migrantes"


def test_refugiados_inside_comar_is_no_refugee_population(enriched, rule, programmes):
    # 4-1 (748, 750) names the "Comisión Mexicana de Ayuda a Refugiados" only.
    assert "refugees" not in pops(enriched, "4-1")
    assert all(m.match.target != "refugees" for m in rule.mentions(passages(programmes["4-1"])))
    # 16-1 serves "personas refugiadas" (title, 2344) besides naming COMAR.
    assert pops(enriched, "16-1")["refugees"].matches[0].section == "title"


def test_nna_inside_connacionales_is_no_child(enriched):
    # 3-3 speaks of "connacionales" throughout (lines 596-617) and of no child.
    assert "children-and-adolescents" not in pops(enriched, "3-3")
    assert "nationals-abroad" in pops(enriched, "3-3")


def test_domestic_programmes_in_the_sfp_list_are_not_migration_services(enriched):
    # 2-3 lists "Jóvenes Escribiendo el Futuro" and "Programa de Derechos Indígenas" (413-433).
    assert enriched.entry("2-3").populations == ()


def test_groups_named_in_challenges_do_not_link(enriched):
    # 6-2's challenge names "los trabajadores migrantes temporales" (1009); the entry serves them through its
    # description, and no match comes from the challenges of any entry.
    assert all(m.section != "challenges" for e in enriched for link in e.populations for m in link.matches)


def test_every_link_states_its_rule(enriched):
    rules = {m.rule for e in enriched for link in e.populations for m in link.matches}
    assert rules <= {"title", "counted"} | {r for r in rules if re.fullmatch(r"cue '[a-z ]+'", r)}
    assert {"title", "counted"} <= rules


def test_links_point_to_thesaurus_concepts(enriched, registers):
    linked = {link.target for e in enriched for link in e.populations}
    assert linked <= set(registers.populations)
    assert len(linked) >= 25


def test_unaccompanied_children_are_narrower_than_children(registers):
    assert registers.populations["unaccompanied-children"].broader == ("children-and-adolescents",)


def test_csv_lists_population_slugs(enriched):
    from gcm_graph.enrich import csv_links

    assert csv_links(enriched)[("mx-2020", "7-19")]["populations"][0] == "unaccompanied-children"
