"""International partners and collaborating agencies found in the real compendium: cases established by reading it."""

from __future__ import annotations

import pytest

from gcm_graph.enrich import csv_links, enrich, load_registers
from gcm_graph.records import ParsedReport


@pytest.fixture(scope="module")
def enriched(real_source, real_doc):
    return enrich(ParsedReport(real_source.meta, real_doc), load_registers(), real_source.text)


def partners(enriched, key):
    return {link.target: link for link in enriched.entry(key).partners}


def evidence(link):
    return [(m.section, m.text, m.line) for m in link.matches]


def test_ilo_printed_as_organizacion_mundial_del_trabajo(enriched):
    # Line 54: "la Organización Mundial del Trabajo (OIT)" — the official "Internacional del Trabajo" never occurs.
    link = partners(enriched, "1-1")["ilo"]
    assert ("description", "Organización Mundial del Trabajo", 54) in evidence(link)
    assert ("description", "OIT", 54) in evidence(link)


def test_unodc_misspelt_undoc(enriched):
    # Lines 1791 and 1796: "(UNDOC)" for UNODC, after the name without "las".
    found = evidence(partners(enriched, "10-5")["unodc"])
    assert ("results", "UNDOC", 1791) in found and ("results", "UNDOC", 1796) in found
    assert ("results", "Oficina de Naciones Unidas contra la Droga y el Delito", 1791) in found


def test_unodc_as_its_spanish_acronym_onudd(enriched):
    assert ("description", "ONUDD", 1611) in evidence(partners(enriched, "9-1")["unodc"])


def test_un_women_is_not_also_the_un(enriched):
    # Line 1440: "en colaboración con ONU-Mujeres": the whole word "ONU" is inside it.
    assert set(partners(enriched, "7-18")) == {"un-women"}


def test_mexican_bodies_are_not_international_partners(enriched):
    # 4-1 names COMAR ("Comisión Mexicana de Ayuda a Refugiados", line 748) and INM, no international body.
    assert enriched.entry("4-1").partners == ()
    # 16-1 names ACNUR and GIZ next to COMAR: only they are partners.
    assert set(partners(enriched, "16-1")) == {"giz", "unhcr", "un"}
    # AMEXCID ("Agencia Mexicana de Cooperación Internacional", 486) is no partner of the IMTA entry; FAO is.
    assert set(partners(enriched, "2-5")) == {"fao"}


def test_look_alike_acronyms_are_not_iom(enriched):
    # OMI (CONAPO's observatory, 226) and IMO (International Migration Outlook, 133) are not OIM.
    assert enriched.entry("1-10").partners == ()
    assert set(partners(enriched, "1-5")) == {"oecd"}


def test_eu_by_its_spanish_acronym_but_not_inside_debicuenta(enriched):
    assert ("description", "UE", 2905) in evidence(partners(enriched, "19-1")["eu"])
    assert "eu" not in partners(enriched, "20-3")  # "DEBICUENTA" (2999, 3021) contains "UE"


def test_unhcr_variants(enriched):
    assert ("results", "ACNUR", 1843) in evidence(partners(enriched, "11-1")["unhcr"])
    assert ("description", "Oficina del Alto Comisionado de las Naciones Unidas para los Refugiados", 1922) in \
        evidence(partners(enriched, "12-1")["unhcr"])


def test_an_organisation_that_is_the_programmes_subject_counts(enriched):
    assert partners(enriched, "23-4")["gfmd"].matches[0].section == "title"
    assert partners(enriched, "14-4")["gcf"].matches[0].text == "Foro Consular Global"


def test_csv_names_partners_by_spanish_acronym_in_order_of_appearance(enriched):
    links = csv_links(enriched)
    assert links[("mx-2020", "1-1")]["partners"] == ["OIM", "DAES", "OIT"]
    assert links[("mx-2020", "7-18")]["partners"] == ["ONU Mujeres"]
    assert len(links) == 176


def test_every_partner_match_is_where_it_says(enriched, real_text):
    lines = real_text.split("\n")
    for e in enriched:
        for link in e.partners:
            for m in link.matches:
                assert " ".join(m.text.split())[:20] in " ".join(lines[m.line - 1].split()), (e.key, m)


def test_collaborating_agencies_named_in_the_text(enriched):
    collab = {link.target for link in enriched.entry("1-2").collaborating}
    assert "inm" in collab  # "Se trabaja con el Instituto Nacional de Migración" (line 72), UPMRIP responsible
    # RENAPO belongs to SEGOB: SEGOB named in 4-2 is not a collaborator of its own unit.
    assert "segob" not in {link.target for link in enriched.entry("4-2").collaborating}
    # "IMSS-BIENESTAR" is a programme, not IMSS collaborating with SFP (2-3).
    assert "imss" not in {link.target for link in enriched.entry("2-3").collaborating}


def test_responsible_agencies_are_never_collaborators(enriched, programmes):
    registers = load_registers()
    register = registers.agencies_for("MX")
    for e in enriched:
        responsible = {register.lookup(a).id for a in programmes[e.key].agencies}
        assert not responsible & {link.target for link in e.collaborating}, e.key
