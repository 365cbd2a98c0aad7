"""The district's own words in Spanish on the public page, and the languages it is published in."""

import re

import pytest
from django.urls import reverse

from core.models import District
from dashboard.demo import seed_demo
from district_plan.documents import public_document, translation_count
from district_plan.models import Goal, Measure, Plan
from public.selectors import adopted_plan, fingerprint, published_document
from public.services import plan_publish
from tests.factories import MembershipFactory
from tests.helpers import page_queries
from theories.models import Strand, TheoryOfAction


def _url(district, language):
    return reverse("public:plan_in", args=[district.slug, language])


def _translate(plan):
    """Every text of Lakeside's published plan in Spanish."""
    Plan.objects.filter(pk=plan.pk).update(
        title_es="Lakeside Adelante 2025–2028", vision_es="Cada estudiante lee con alegría."
    )
    plan.competencies.update(name_es="Solucionador curioso")
    plan.goals.update(title_es="Lectura temprana para cada lector")
    Measure.objects.filter(goal__plan=plan).update(name_es="Lectores de 3.er grado")
    Strand.objects.filter(district=plan.district).update(name_es="Enseñanza y aprendizaje")
    TheoryOfAction.objects.filter(district=plan.district).update(
        if_clause_es="los asesores modelan la lectura en grupos pequeños",
        then_clause_es="los maestros usan grupos pequeños a diario",
    )
    plan.refresh_from_db()


def test_spanish_wording_shows_unmarked_and_english_fallbacks_are_marked(
    client, published, personas, publish_now
):
    Goal.objects.filter(plan=published).update(title_es="Lectura temprana para cada lector")
    publish_now(published, personas.admin)
    page = client.get(_url(personas.district, "es")).text
    assert "<span>Lectura temprana para cada lector</span>" in page
    # Not translated: shown in English, and said to be English to a screen reader.
    assert '<h1 lang="en">Lakeside Forward 2025–2028</h1>' in page
    english = client.get(_url(personas.district, "en")).text
    assert "<span>Early literacy for every reader</span>" in english
    assert "Lectura temprana" not in english


def test_html_in_a_translation_is_shown_as_text(client, published, personas, publish_now):
    Goal.objects.filter(plan=published).update(title_es="<script>alert(1)</script>Metas")
    publish_now(published, personas.admin)
    page = client.get(_url(personas.district, "es")).text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;Metas" in page
    assert "<script>alert(1)" not in page


def test_the_spanish_page_costs_what_the_english_one_does(client, published, personas, publish_now):
    _translate(published)
    publish_now(published, personas.admin)
    english = page_queries(client, _url(personas.district, "en"))
    assert page_queries(client, _url(personas.district, "es")) <= english <= 12


def test_the_count_of_translated_texts_follows_the_published_document(published, personas):
    document = public_document(published)
    translated, total = translation_count(document, "es")
    # Title, vision, a competency's name, a goal's title, a measure's name, a theory's IF and
    # THEN, its strand; blank English texts (descriptions, SO THAT) are not counted.
    assert (translated, total) == (0, 8)
    _translate(published)
    assert translation_count(public_document(published), "es") == (8, 8)


def test_a_language_not_published_is_not_found_and_a_spanish_browser_reads_english(
    client, published, personas
):
    District.objects.filter(pk=personas.district.pk).update(public_translations=[])
    assert client.get(_url(personas.district, "es")).status_code == 404
    response = client.get(
        reverse("public:plan", args=[personas.district.slug]), HTTP_ACCEPT_LANGUAGE="es"
    )
    assert response.status_code == 200
    assert response["Content-Language"] == "en"
    assert _url(personas.district, "es") not in response.text


def _choose_spanish(client):
    return client.post(
        reverse("publication:manage", args=["lakeside"]),
        {"plan_published": "on", "public_translations": ["es"]},
    )


def test_spanish_cannot_be_published_while_texts_lack_it(as_member, published, personas):
    District.objects.filter(pk=personas.district.pk).update(public_translations=[])
    response = _choose_spanish(as_member(personas.admin))
    assert response.status_code == 200
    assert "every text the public page shows is in Spanish: 0 of 8 are" in response.text
    assert District.objects.get(pk=personas.district.pk).public_translations == []


def test_spanish_is_published_once_the_published_page_is_translated(
    as_member, client, published, personas, publish_now
):
    District.objects.filter(pk=personas.district.pk).update(public_translations=[])
    _translate(published)
    client = as_member(personas.admin)
    # Translated but not yet published: the public page would still be in English.
    assert "0 of 8 are" in _choose_spanish(client).text
    publish_now(published, personas.admin)
    assert _choose_spanish(client).status_code == 302
    assert District.objects.get(pk=personas.district.pk).public_translations == ["es"]
    assert client.get(_url(personas.district, "es")).status_code == 200


def test_the_publication_page_says_how_much_is_in_spanish(as_member, published, personas):
    page = as_member(personas.admin).get(reverse("publication:manage", args=["lakeside"])).text
    assert "Spanish: 0 of 8 texts on the published page." in page


@pytest.fixture
def demo(db):
    seed_demo(size="small")
    return District.objects.get(slug="demo")


def test_the_demo_spanish_page_reads_entirely_in_spanish(client, demo):
    page = client.get(_url(demo, "es")).text
    # The menu names English in English (lang="en"); the plan itself is all Spanish.
    main = page[page.index("<main") : page.index("</main>")]
    assert "Cada estudiante lee al nivel de su grado" in main
    assert "Todos los estudiantes" in main
    assert not re.search(r'\slang="en"', main)


def test_an_untranslated_goal_of_the_demo_is_marked_english(client, demo):
    plan = adopted_plan(demo)
    goal = Goal.objects.filter(plan=plan, status="adopted").order_by("order").first()
    Goal.objects.filter(pk=goal.pk).update(title_es="")
    admin = MembershipFactory(district=demo, role="admin").user
    plan_publish(plan=plan, user=admin, reviewed=fingerprint(public_document(plan)))
    translated, total = translation_count(published_document(plan), "es")
    assert translated == total - 1
    page = client.get(_url(demo, "es")).text
    assert f'<span lang="en">{goal.title}</span>' in page


def test_the_large_demo_plan_is_translated_too(db):
    seed_demo(size="large")
    plan = adopted_plan(District.objects.get(slug="demo"))
    translated, total = translation_count(published_document(plan), "es")
    assert translated == total > 100


def test_publishing_warns_when_the_spanish_page_would_show_english(as_member, published, personas):
    Goal.objects.filter(plan=published).update(title="Reading early")
    page = as_member(personas.admin).get(reverse("publication:publish", args=["lakeside"])).text
    assert "after this 0 of 8 texts will be in Spanish" in page
