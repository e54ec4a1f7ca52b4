"""The shared matcher and the text helpers, on synthetic variants of what the compendium prints."""

from __future__ import annotations

from gcm_graph.enrich.matcher import Label, Matcher, is_acronym
from gcm_graph.enrich.text import Folded, Passage, fold


def find(labels, text):
    return [(h.target, h.text) for h in Matcher(labels).find(text)]


def test_fold_lowers_removes_accents_and_collapses_white_space():
    assert fold("  Organización   Mundial\n del TRABAJO ") == "organizacion mundial del trabajo"
    assert fold("Niñas, Niños") == "ninas, ninos"


def test_folded_offsets_point_back_to_the_source():
    src = "la  Organización\nMundial"
    f = Folded.of(src)
    start = f.text.index("organizacion")
    s, e = f.span(start, start + len("organizacion mundial"))
    assert src[s:e] == "Organización\nMundial"


def test_names_match_whatever_the_case_accents_or_spacing_and_report_the_printed_words():
    labels = [Label("ilo", "Organización Internacional del Trabajo"),
              Label("ilo", "Organización Mundial del Trabajo")]
    assert find(labels, "con la ORGANIZACION  mundial del trabajo (OIT)") == [
        ("ilo", "ORGANIZACION  mundial del trabajo")]


def test_acronyms_are_case_sensitive_whole_words():
    labels = [Label("children", "NNA"), Label("eu", "UE", exact=True), Label("sica", "SICA", exact=True)]
    text = "los connacionales y la nna; DEBICUENTA, SENASICA, que y la UE con SICA y NNA"
    assert find(labels, text) == [("eu", "UE"), ("sica", "SICA"), ("children", "NNA")]


def test_acronym_words_inside_a_longer_label_must_be_printed_as_written():
    labels = [Label("unaccompanied", "NNA no acompañados")]
    assert find(labels, "nna no acompañados") == []
    assert find(labels, "a NNA no  acompañados") == [("unaccompanied", "NNA no  acompañados")]
    assert is_acronym("NNAs") and is_acronym("ONU-Mujeres") and not is_acronym("México")


def test_the_longest_overlapping_label_wins():
    labels = [Label("un", "ONU", exact=True), Label("un-women", "ONU-Mujeres"), Label("un", "Naciones Unidas"),
              Label("unodc", "Oficina de las Naciones Unidas contra la Droga y el Delito")]
    text = "con ONU-Mujeres, la Oficina de las Naciones Unidas contra la Droga y el Delito y la ONU"
    assert find(labels, text) == [("un-women", "ONU-Mujeres"),
                                  ("unodc", "Oficina de las Naciones Unidas contra la Droga y el Delito"),
                                  ("un", "ONU")]


def test_a_blocking_label_hides_the_words_it_contains():
    labels = [Label("refugees", "refugiados"), Label(None, "Comisión Mexicana de Ayuda a Refugiados")]
    hits = Matcher(labels).find("la Comisión Mexicana de Ayuda a Refugiados atiende a refugiados")
    assert [(h.target, h.text) for h in hits] == [(None, "Comisión Mexicana de Ayuda a Refugiados"),
                                                 ("refugees", "refugiados")]


def test_keyword_stems_match_inside_words_and_report_the_whole_word():
    labels = [Label("funding", "presupuest", stem=True), Label("discrimination", "discrimina", stem=True)]
    assert find(labels, "Medidas presupuestarias y perspectiva antidiscriminatoria") == [
        ("funding", "presupuestarias"), ("discrimination", "antidiscriminatoria")]


def test_names_need_word_boundaries():
    assert find([Label("un", "onu")], "pronunciarse") == []
    assert find([Label("x", "trata")], "tratamiento y contratación") == []


def test_passage_lines_and_sentences():
    p = Passage("results", 1, "Primera frase con 12. Segunda frase aquí.", 10, 11, ((0, 10), (22, 11)))
    assert p.line_at(3) == 10 and p.line_at(30) == 11
    assert p.text[slice(*p.sentence_bounds(30))] == "Segunda frase aquí."
