"""The parser against the real compendium. Each hard case was found by reading the document; the test names say
what makes it hard."""

from __future__ import annotations

import re

from gcm_graph.parse import OBJECTIVE_COUNT
from gcm_graph.parse.markup import clean_inline

# Programme entries per objective, counted by reading the document (objective 22 has none).
COUNTS_READ = {1: 18, 2: 5, 3: 10, 4: 6, 5: 8, 6: 5, 7: 21, 8: 6, 9: 7, 10: 7, 11: 4, 12: 3, 13: 1, 14: 5, 15: 16,
               16: 13, 17: 17, 18: 4, 19: 2, 20: 5, 21: 8, 22: 0, 23: 5}


def test_every_objective_present_in_order(real_doc):
    assert [o.number for o in real_doc.objectives] == list(range(1, OBJECTIVE_COUNT + 1))


def test_programme_numbers_run_one_to_n(real_doc):
    for o in real_doc.objectives:
        assert [p.number for p in o.programmes] == list(range(1, len(o.programmes) + 1)), o.number


def test_counts_per_objective_match_reading(real_doc):
    assert {o.number: len(o.programmes) for o in real_doc.objectives} == COUNTS_READ
    assert len(real_doc.programmes) == sum(COUNTS_READ.values())


def test_accounting_leaves_no_line_unattributed(real_doc, real_text):
    assert real_doc.unattributed == ()
    non_blank = [i + 1 for i, line in enumerate(real_text.split("\n")) if line.strip()]
    assert [r.line for r in real_doc.roles] == non_blank  # each non-blank line exactly once


def test_objective_without_programme(real_doc):
    empty = [o.number for o in real_doc.objectives if not o.programmes]
    assert empty == [22]


def test_objective_printed_titles_kept(real_doc):
    assert real_doc.objectives[14].printed_title == "Proporcionar a los migrantes, acceso a servicios básicos."


def test_titles_as_list_items_with_unbalanced_bold(programmes, real_text):
    lines = real_text.split("\n")
    for key in ("10-1", "10-2", "10-3"):
        p = programmes[key]
        assert lines[p.first_line - 1].startswith(f"- {p.number}. ")
        assert not p.title.endswith("*")
    assert programmes["10-2"].title == "Guía de atención inmediata a víctimas de trata de personas"
    assert programmes["10-3"].agencies == ("IMJUVE",)


def test_programme_with_no_text_at_all(programmes):
    p = programmes["10-1"]
    assert (p.first_line, p.last_line) == (1719, 1719)
    assert p.description == p.results == p.challenges == ()
    assert p.agencies == ("CEAV",)


def test_title_in_bold_only_line_without_heading(programmes):
    assert programmes["2-5"].title == "Capacitación nacional e internacional sobre sequía"
    assert programmes["2-5"].agencies == ("IMTA",)
    assert programmes["15-2"].agencies == ("SSA",)


def test_title_as_heading_without_bold(programmes):
    assert programmes["7-3"].title == "Visitante por Razones Humanitarias"
    assert programmes["7-4"].title == "Aplicación Denuncia Paisano"


def test_numbered_result_items_are_not_titles(programmes):
    results = programmes["9-7"].results
    assert [b.marker for b in results[:3]] == ["6.", "7.", "8."]
    assert results[0].text.startswith("Negocio Mortal:")
    assert len(programmes["9-7"].results) == 8


def test_bold_list_item_ending_in_parenthesis_is_not_a_programme(programmes):
    p = programmes["3-2"]
    assert any(b.text == "Te la Pintan Retebonito (S.R.E y S.T.P.S)." for b in p.description)
    assert programmes["3-3"].title == "Programa paisano"


def test_other_parentheses_before_the_agency_stay_in_the_title(programmes):
    assert programmes["1-9"].title == "Migración y Salud (Publicación)"
    assert programmes["21-8"].title.endswith("Organización Internacional para las Migraciones (OIM)")
    assert programmes["21-8"].agencies == ("SRE",)
    assert programmes["16-13"].title == "Ventanilla de Atención Integral para la Mujer (VAIM)"  # no space before (SRE)
    assert programmes["7-15"].title.endswith("(MCLAP, por sus siglas en inglés)")


def test_two_agencies_in_one_parenthesis(programmes):
    assert programmes["11-2"].agencies == ("SHCP", "SAT")
    assert programmes["15-16"].agencies == ("SEMARNAT", "CONAGUA")


def test_title_without_agency(programmes):
    p = programmes["23-5"]
    assert p.agencies == ()
    assert p.title.endswith("en el marco del Plan Estratégico 2019-2022")


def test_agency_variants_are_kept_as_printed(programmes):
    assert programmes["1-13"].agencies == ("CONACYT",)
    assert programmes["1-14"].agencies == ("CONACyT",)


def test_title_with_its_own_number_prefix(programmes):
    assert programmes["21-7"].title.startswith("E005. Programa de Calidad")


def test_challenge_list_cut_by_a_footnote_continues(programmes):
    items = programmes["1-6"].challenges
    assert [b.marker for b in items] == ["1.", "2.", "3."]
    assert items[2].first_line == 179


def test_paragraph_cut_by_footnotes_and_page_break_is_joined(programmes):
    first = programmes["2-4"].description[0]
    assert "consolidación de empresas que resuelvan problemáticas sociales" in first.text
    assert (first.first_line, first.last_line) == (443, 451)


def test_list_item_cut_by_page_break_is_joined(programmes):
    item = next(b for b in programmes["3-3"].results if "caravanas" in b.text)
    assert "1,630 familias de connacionales" in item.text


def test_sections_at_any_level_in_bold_only_with_varying_capitals(programmes):
    assert programmes["15-1"].results_line == 2048 and len(programmes["15-1"].results) == 3  # **Resultados**
    assert programmes["14-4"].challenges_line is not None  # ##### **Retos identificados**
    assert len(programmes["3-3"].challenges) == 1  # ### **Retos Identificados**


def test_programme_without_results_or_challenges(programmes):
    p = programmes["1-11"]
    assert p.results_line is None and p.challenges_line is None
    assert len(p.description) == 2


def test_result_subheadings_such_as_years_are_kept(programmes):
    headings = [b.heading for b in programmes["10-5"].results]
    assert headings.count("2019") == 3
    assert "2020 (Enero-Julio)" in headings
    assert headings[-1] == "Taller Formador de Formadores:"


def test_sub_lists_keep_their_depth(programmes):
    depths = [b.depth for b in programmes["1-3"].results]
    assert depths[:6] == [0, 1, 1, 1, 1, 1]


def test_footnotes_attached_where_referenced(programmes):
    # Footnote 19 is printed inside 8-1 but referenced from 7-21.
    assert [f.number for f in programmes["7-21"].footnotes] == [19]
    assert 19 not in [f.number for f in programmes["8-1"].footnotes]
    fn4 = programmes["1-5"].footnotes[0]
    assert fn4.number == 4 and fn4.urls[0].startswith("https://www.oecd-ilibrary.org/")
    assert (fn4.first_line, fn4.last_line) == (150, 152)
    assert len(programmes["23-1"].footnotes[0].urls) == 3  # three URLs on lines joined by hard breaks


def test_tables_rows_and_cells(programmes):
    table = programmes["2-3"].tables[0]
    assert table.section == "results"
    assert table.rows[0] == ("Programa Federal", "Comités", "Integrantes", "Hombres", "Mujeres", "Monto Vigilado")
    assert table.rows[1][-1] == "$2,373,371,778"
    assert len(table.rows) == 10
    assert table.footnote_refs == (9,)
    assert len(programmes["7-4"].tables) == 3


def test_source_spans_start_at_title_and_do_not_overlap(real_doc, real_text):
    lines = real_text.split("\n")
    spans = [(p.first_line, p.last_line) for p in real_doc.programmes]
    for (a0, a1), (b0, _b1) in zip(spans, spans[1:]):
        assert a0 <= a1 < b0
    for p in real_doc.programmes:
        assert re.match(rf"^[#\-\s*]*{p.number}\. ", lines[p.first_line - 1])


def test_titles_and_agencies_are_exactly_as_printed(real_doc, real_text):
    lines = real_text.split("\n")
    for p in real_doc.programmes:
        printed = clean_inline(lines[p.first_line - 1])[0]
        assert p.title in printed, p.key
        for acronym in p.agencies:
            assert acronym in printed, p.key


def test_report_front_matter(real_doc):
    assert real_doc.title.startswith("Compendio General con los Programas")
    assert real_doc.place_date == "Ciudad de México 18 de septiembre de 2020."
    assert real_doc.introduction[-1].text.startswith("Finalmente, el periodo a reportar")
