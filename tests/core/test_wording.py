"""core.wording: the district's text in the reader's language, or the English, marked."""

from types import SimpleNamespace

from django.utils import translation

from core.wording import in_language


def test_the_spanish_wording_is_chosen_on_a_spanish_page_and_needs_no_mark():
    goal = SimpleNamespace(title="Read by grade 3", title_es="Leer en 3.er grado")
    with translation.override("es"):
        title = in_language(goal, "title")
    assert (title, title.language) == ("Leer en 3.er grado", "es")
    with translation.override("es"):
        assert title.lang == ""


def test_english_stands_in_for_a_missing_translation_and_is_marked_english():
    goal = SimpleNamespace(title="Read by grade 3", title_es="   ")
    with translation.override("es"):
        title = in_language(goal, "title")
        assert (title, title.language) == ("Read by grade 3", "en")
        assert title.lang == ' lang="en"'


def test_the_english_page_shows_the_english_unmarked_though_a_translation_exists():
    goal = {"title": "Read by grade 3", "title es": "Leer en 3.er grado"}
    with translation.override("en"):
        title = in_language(goal, "title")
        assert (title, title.lang) == ("Read by grade 3", "")


def test_a_published_document_keeps_the_translation_under_its_field_and_language():
    theory = {"so that": "students read", "so that es": "los estudiantes leen"}
    assert in_language(theory, "so that", "es") == "los estudiantes leen"
    assert in_language(theory, "if", "es") == ""
