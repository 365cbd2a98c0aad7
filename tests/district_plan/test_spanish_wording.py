"""The Spanish wording of the plan's texts, edited beside the English, and how much there is."""

from django.urls import reverse

from district_plan.models import Goal
from tests.factories import GoalFactory, MeasureFactory, PlanFactory, StrandFactory, TheoryFactory
from tests.helpers import page_queries
from theories.models import Strand, TheoryOfAction

HX = {"HTTP_HX_REQUEST": "true"}


def _goal_url(goal):
    return reverse("plan:goal", args=["lakeside", goal.pk])


def test_the_goal_edit_form_asks_for_the_spanish_beside_the_english(as_member, personas):
    goal = GoalFactory(plan__district=personas.district, title_es="Leer a tiempo")
    page = as_member(personas.cabinet).get(_goal_url(goal), **HX).text
    english, spanish = page.index('name="title"'), page.index('name="title_es"')
    assert english < spanish < page.index('name="description"')
    assert "Title in Spanish</label>" in page
    assert 'lang="es"' in page[spanish - 200 : spanish + 200]
    assert "Leer a tiempo" in page


def test_an_in_place_edit_saves_both_languages_and_keeps_the_history(as_member, personas):
    goal = GoalFactory(plan__district=personas.district, title="Read")
    client = as_member(personas.cabinet)
    response = client.post(
        _goal_url(goal),
        {"title": "Read by grade 3", "title_es": "Leer en 3.er grado", "version": goal.version},
    )
    assert response.status_code == 302
    goal.refresh_from_db()
    assert (goal.title, goal.title_es) == ("Read by grade 3", "Leer en 3.er grado")
    history = client.get(reverse("plan:history", args=["lakeside", goal.plan_id])).text
    assert "Leer en 3.er grado" in history


def test_a_stale_spanish_edit_is_a_conflict_that_overwrites_nothing(as_member, personas):
    goal = GoalFactory(plan__district=personas.district, title="Read")
    client = as_member(personas.cabinet)
    client.post(_goal_url(goal), {"title": "Read", "title_es": "Leer", "version": 1}, **HX)
    response = client.post(
        _goal_url(goal), {"title": "Read", "title_es": "Lectura", "version": 1}, **HX
    )
    assert "Someone else saved this while you were editing" in response.text
    assert "Title in Spanish" in response.text
    assert Goal.objects.get(pk=goal.pk).title_es == "Leer"


def test_a_too_long_translation_is_refused_next_to_its_field(as_member, personas):
    goal = GoalFactory(plan__district=personas.district, title="Read")
    response = as_member(personas.cabinet).post(
        _goal_url(goal), {"title": "Read more", "title_es": "x" * 301, "version": 1}
    )
    assert "Ensure this value has at most 300 characters" in response.text
    goal.refresh_from_db()
    assert (goal.title, goal.title_es) == ("Read", "")


def test_a_theory_and_its_strand_are_translated_in_their_edit_forms(as_member, personas):
    strand = StrandFactory(district=personas.district, name="Expectations")
    theory = TheoryFactory(strand=strand, status="adopted", if_clause="we coach")
    client = as_member(personas.cabinet)
    client.post(
        reverse("theories:strand", args=["lakeside", strand.pk]),
        {"name": "Expectations", "name_es": "Expectativas", "version": strand.version},
    )
    client.post(
        reverse("theories:theory", args=["lakeside", theory.pk]),
        {
            "strand": strand.pk,
            "if_clause": "we coach",
            "if_clause_es": "acompañamos",
            "then_clause": theory.then_clause,
            "status": "adopted",
            "progress": theory.progress,
            "version": theory.version,
        },
    )
    assert Strand.objects.get(pk=strand.pk).name_es == "Expectativas"
    assert TheoryOfAction.objects.get(pk=theory.pk).if_clause_es == "acompañamos"


def test_the_plan_page_says_how_many_public_texts_are_in_spanish(as_member, personas):
    plan = PlanFactory(district=personas.district, title="Plan", title_es="Plan", vision="")
    goal = GoalFactory(plan=plan, title="Read", title_es="Leer")
    MeasureFactory(goal=goal)
    GoalFactory(plan=plan, title="Proposed, not public", status="proposed")
    page = as_member(personas.cabinet).get(reverse("plan:plan", args=["lakeside", plan.pk])).text
    assert "Spanish: 2 of 3 texts the public page shows." in page


def test_the_count_costs_the_same_for_one_goal_and_many(client, personas):
    plan = PlanFactory(district=personas.district)
    strand = StrandFactory(district=personas.district)
    MeasureFactory(goal=GoalFactory(plan=plan))
    TheoryFactory(strand=strand, status="adopted")
    client.force_login(personas.cabinet)
    url = reverse("plan:plan", args=["lakeside", plan.pk])
    few = page_queries(client, url)
    for _ in range(5):
        MeasureFactory(goal=GoalFactory(plan=plan, title_es="Meta"))
        TheoryFactory(strand=strand, status="adopted")
    assert page_queries(client, url) == few
