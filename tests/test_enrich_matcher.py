"""The shared matcher and the text helpers, on synthetic variants of what the compendium prints."""

from __future__ import annotations

import unicodedata

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


# -- the indexed matcher finds what trying every label everywhere finds ----------------------------------------------

def _trace(source, keep_case=False):
    """Folded text and, per folded character, its source offset: each character folded on its own."""
    import unicodedata

    out, origin, space = [], [], True
    for i, ch in enumerate(source):
        if ch.isspace():
            if not space:
                out.append(" ")
                origin.append(i)
            space = True
            continue
        space = False
        for f in (ch if keep_case else "".join(c for c in unicodedata.normalize("NFD", ch.lower())
                                               if not unicodedata.combining(c))):
            out.append(f)
            origin.append(i)
    if out and out[-1] == " ":
        out.pop()
        origin.pop()
    return "".join(out), origin


def _reference_find(labels, text):
    """The matcher as first written: every label's pattern run over the whole folded (or case-kept) text, overlaps
    resolved longest first. Slow and obviously right: the indexed matcher must agree with it."""
    import re

    from gcm_graph.enrich.matcher import Hit

    word = r"[^\W_]"

    folded, cased = _trace(text), _trace(text, True)
    candidates = []
    for label in dict.fromkeys(lb for lb in labels if lb.text.strip()):
        body = " ".join(label.text.split()) if label.exact else _trace(label.text)[0]
        left = rf"(?<!{word})" if re.match(word, body) and not label.stem else ""
        right = rf"(?!{word})" if re.search(word + "$", body) and not label.stem else ""
        rx = left + r"\s+".join(re.escape(w) for w in body.split(" ")) + right
        mapped, origin = cased if label.exact else folded
        for m in re.finditer(rx, mapped):
            if m.end() == m.start():
                continue
            s, e = origin[m.start()], origin[m.end() - 1] + 1
            while e < len(text) and unicodedata.combining(text[e]):
                e += 1
            if label.stem:
                while e < len(text) and (text[e].isalnum() or unicodedata.combining(text[e])):
                    e += 1
                while s > 0 and (text[s - 1].isalnum() or unicodedata.combining(text[s - 1])):
                    s -= 1
            printed = text[s:e]
            lw, pw = label.text.split(), printed.split()
            acronyms = [w for w in lw if is_acronym(w)]
            if not label.exact and (len(lw) != len(pw) and acronyms or len(lw) == len(pw) and any(
                    p != w for w, p in zip(lw, pw) if is_acronym(w))):
                continue
            candidates.append(Hit(label, s, e, printed))
    candidates.sort(key=lambda h: (-(h.end - h.start), h.start, h.label.target is not None, h.label.text))
    kept = []
    for hit in candidates:
        if all(hit.end <= k.start or hit.start >= k.end for k in kept):
            kept.append(hit)
    return sorted(kept, key=lambda h: (h.start, h.end))


TRICKY_LABELS = [
    Label("iom", "Organización Internacional para las Migraciones"), Label("iom", "OIM", "acronym", exact=True),
    Label("un-women", "ONU-Mujeres"), Label("un", "ONU", "acronym", exact=True), Label("un", "Naciones Unidas"),
    Label("unhcr", "ACNUR", "acronym", exact=True), Label("giz", "GIZ- México", "variant"),
    Label("migrants", "migrantes"), Label("migrants", "personas migrantes"), Label("children", "NNA"),
    Label("unaccompanied", "NNA no acompañados"), Label("refugees", "refugiados"),
    Label(None, "Comisión Mexicana de Ayuda a Refugiados", "block"),
    Label("justice", "procuración de justicia", stem=True), Label("justice", "denuncia", stem=True),
    Label("funding", "presupuest", stem=True), Label("a", "aa", stem=True), Label("aa", "aa"),
    Label("dup1", "Trata de personas"), Label("dup2", "trata de personas"),
]

TRICKY_TEXTS = [
    "con la ORGANIZACIÓN  internacional\npara las migraciones (OIM) y la oim",
    "ONU-Mujeres, ONU Mujeres, la ONU y las Naciones\u00a0Unidas; onu-mujeres",
    "Organizacio\u0301n Internacional para las Migraciones y la OIM",  # a combining accent: traced letter by letter
    "la oﬁcina de la OIM y el ACNUR",  # a ligature folds to two letters
    "ΟΣ y la OIM",  # a capital sigma
    "personas migrantes, migrantes y transmigrantes; NNA no  acompañados, nna no acompañados y NNAs",
    "la Comisión Mexicana de Ayuda a Refugiados atiende a refugiados",
    "denuncias, antidenuncia, procuración   de justicia, la procuracion de justicias",
    "aaaa aa aaa", "  GIZ- México y GIZ-México  ", "trata de personas", "",
]


def test_the_index_finds_what_every_label_everywhere_finds():
    m = Matcher(TRICKY_LABELS)
    for text in TRICKY_TEXTS:
        got = [(h.label, h.start, h.end, h.text) for h in m.find(text)]
        assert got == [(h.label, h.start, h.end, h.text) for h in _reference_find(TRICKY_LABELS, text)], text


def test_registers_on_the_real_document_agree_with_the_reference(programmes):
    from gcm_graph.enrich import load_registers
    from gcm_graph.enrich.text import passages

    registers = load_registers()
    matchers = [registers.partner_matcher("es"), registers.population_matcher("es", "MX"),
                registers.theme_matcher("es"), registers.agency_matcher("MX", "es")]
    texts = [p.text for key in sorted(programmes)[::7] for p in passages(programmes[key])]
    assert len(texts) > 100
    for m in matchers:
        for text in texts:
            assert [(h.label, h.start, h.end) for h in m.find(text)] == \
                [(h.label, h.start, h.end) for h in _reference_find(m.labels, text)], text


def test_folding_one_to_one_gives_the_offsets_of_tracing_each_character():
    sources = ["  Niñas,\n  NIÑOS y  adolescentes ", "Organizacio\u0301n  del trabajo", "la oﬁcina ΟΣ x",
               "a\u00a0b\u2028c", "İstanbul ß ½", ""]
    for src in sources:
        for keep_case in (False, True):
            f = Folded.of(src, keep_case=keep_case)
            text, origin = _trace(src, keep_case)
            assert (f.text, list(f.origin)) == (text, origin), src
            for start in range(len(text)):
                e = origin[len(text) - 1] + 1
                while e < len(src) and unicodedata.combining(src[e]):
                    e += 1
                assert f.span(start, len(text)) == (origin[start], e), (src, start)
