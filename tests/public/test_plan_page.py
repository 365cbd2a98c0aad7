"""The public plan page: anyone can read it, it shows only what the district published."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from district_plan.models import Goal, Plan
from district_plan.services import part_update
from tests.factories import (
    GoalFactory,
    MeasureFactory,
    MeasureValueFactory,
    PlanFactory,
    StrandFactory,
    TheoryFactory,
)
from tests.helpers import page_queries, query_budget
from visits.models import Observation


def _url(district, language=None):
    if language:
        return reverse("public:plan_in", args=[district.slug, language])
    return reverse("public:plan", args=[district.slug])


def test_unpublished_plan_is_not_found(client, published, personas):
    personas.district.plan_published = False
    personas.district.save()
    assert client.get(_url(personas.district)).status_code == 404
    assert client.get(_url(personas.district, "es")).status_code == 404


def test_published_district_without_an_adopted_plan_is_not_found(client, published, personas):
    Plan.objects.filter(pk=published.pk).update(status="draft", adopted_on=None)
    assert client.get(_url(personas.district)).status_code == 404


def test_unknown_district_or_language_is_not_found(client, published, personas):
    assert client.get("/p/no-such-district/").status_code == 404
    assert client.get(_url(personas.district, "fr")).status_code == 404


def test_anyone_reads_the_adopted_plan_and_its_progress_without_signing_in(
    client, published, personas
):
    response = client.get(_url(personas.district, "en"))
    assert response.status_code == 200
    page = response.text
    assert "Lakeside Forward 2025–2028" in page
    assert "Every Lakeside student reads with joy by third grade." in page
    assert "Curious problem solver" in page
    assert "Early literacy for every reader" in page
    assert "Third graders reading on grade level" in page
    assert "52.5 %" in page
    assert "coaches model small-group reading daily" in page
    assert "completed 3 action items" in page
    assert "August 12, 2025" in page


def test_charts_have_a_text_alternative(client, published, personas):
    page = client.get(_url(personas.district, "en")).text
    assert 'role="img"' in page
    assert "<desc" in page
    assert "latest 52.5 % on" in page


def test_the_page_leaves_out_what_was_not_published(client, published, personas):
    draft = PlanFactory(district=personas.district, start_year=2028, end_year=2030)
    GoalFactory(plan=draft, title="A goal still in draft")
    StrandFactory(district=personas.district, name="A strand with only proposals")
    Observation.objects.create(
        district=personas.district,
        visit=published.district.action_items.first().visit,
        kind="classroom",
        notes="Student J. struggled with decoding",
        fingerprint="x",
    )
    response = client.get(_url(personas.district, "en"))
    assert response.status_code == 200
    page = response.text
    # What was published is there: the adopted plan, its goal, strand and theory, the latest
    # value, how many action items were done.
    assert "Lakeside Forward 2025–2028" in page
    assert "Early literacy for every reader" in page
    assert "Teaching and learning" in page
    assert "coaches model small-group reading daily" in page
    assert "52.5 %" in page
    assert "completed 3 action items" in page
    assert "A goal still in draft" not in page
    assert "A strand with only proposals" not in page
    assert "secret new program" not in page
    assert "old workbooks" not in page
    assert "Student J." not in page
    assert "Mrs. Alvarez" not in page
    assert "Room 12" not in page
    assert "Dana Whitfield" not in page


def test_staff_names_show_only_when_the_district_allows_them(client, published, personas):
    personas.district.public_shows_names = True
    personas.district.save()
    assert "Led by <span>Dana Whitfield</span>" in client.get(_url(personas.district, "en")).text


def test_spanish_page_has_spanish_words_dates_and_numbers(client, published, personas):
    response = client.get(_url(personas.district, "es"))
    page = response.text
    assert response["Content-Language"] == "es"
    assert '<html lang="es">' in page
    assert "Metas y cómo las medimos" in page
    assert "Teorías de acción" in page
    assert "12 de agosto de 2025" in page
    assert "52,5 %" in page
    assert "ENTONCES" in page
    assert "Goals and how we measure them" not in page
    # What the district wrote stays in English, and says so for screen readers.
    assert '<span lang="en">Early literacy for every reader</span>' in page


def test_bare_address_follows_the_browser_language(client, published, personas):
    response = client.get(_url(personas.district), HTTP_ACCEPT_LANGUAGE="es-MX,es;q=0.9")
    assert "Metas y cómo las medimos" in response.text
    assert "Accept-Language" in response["Vary"]
    english = client.get(_url(personas.district), HTTP_ACCEPT_LANGUAGE="en-US")
    assert "Goals and how we measure them" in english.text


def test_both_languages_link_to_each_other(client, published, personas):
    page = client.get(_url(personas.district, "es")).text
    assert f'href="{_url(personas.district, "en")}" lang="en"' in page
    assert 'aria-current="page">Español' in page


def test_markup_typed_into_the_plan_is_shown_as_text(client, published, personas, publish_now):
    GoalFactory(plan=published, title="<script>alert('x')</script>")
    publish_now(published, personas.admin)
    page = client.get(_url(personas.district, "en")).text
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert" in page


def test_query_count_does_not_grow_with_the_plan(client, published, personas, publish_now):
    small = page_queries(client, _url(personas.district, "en"))
    strand = StrandFactory(district=personas.district)
    for _ in range(6):
        goal = GoalFactory(plan=published)
        measure = MeasureFactory(goal=goal)
        MeasureValueFactory(measure=measure)
        TheoryFactory(strand=strand, status="adopted")
    publish_now(published, personas.admin)
    cache.clear()
    assert page_queries(client, _url(personas.district, "en")) == small
    assert small <= 12


def test_a_cached_page_costs_three_queries(client, published, personas):
    client.get(_url(personas.district, "es"))
    with query_budget(3):
        response = client.get(_url(personas.district, "es"))
    assert "Metas y cómo las medimos" in response.text


def test_a_published_change_shows_at_once(client, published, personas, publish_now):
    assert "Early literacy for every reader" in client.get(_url(personas.district, "en")).text
    goal = Goal.objects.get(title="Early literacy for every reader")
    part_update(
        instance=goal,
        expected_version=goal.version,
        user=personas.cabinet,
        data={"title": "Every child a reader"},
    )
    publish_now(published, personas.admin)
    page = client.get(_url(personas.district, "en")).text
    assert "Every child a reader" in page
    assert "Early literacy for every reader" not in page


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_page_works_without_javascript(client, published, personas, language):
    page = client.get(_url(personas.district, language)).text
    assert "<script" not in page
    assert "<details" in page


def test_the_cached_page_is_rebuilt_the_next_day(client, published, personas, monkeypatch):
    import datetime

    from django.utils import timezone

    client.get(_url(personas.district, "en"))
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda: tomorrow)
    page = client.get(_url(personas.district, "en")).text
    assert f"Figures as of {tomorrow:%B %-d, %Y}." in page


def test_moving_a_theory_shows_once_published(client, published, personas, publish_now):
    from theories.models import TheoryOfAction
    from theories.services import theory_move

    first = TheoryOfAction.objects.get(if_clause="coaches model small-group reading daily")
    second = TheoryFactory(
        strand=first.strand, status="adopted", if_clause="principals walk classrooms weekly"
    )
    publish_now(published, personas.admin)
    page = client.get(_url(personas.district, "en")).text
    assert page.index("coaches model") < page.index("principals walk")
    theory_move(theory=second, offset=-5, user=personas.cabinet)
    assert client.get(_url(personas.district, "en")).text == page
    publish_now(published, personas.admin)
    page = client.get(_url(personas.district, "en")).text
    assert page.index("principals walk") < page.index("coaches model")


def test_the_page_is_served_when_the_cache_is_down(client, published, personas, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
        }
    }
    response = client.get(_url(personas.district, "en"))
    assert response.status_code == 200
    assert "Early literacy for every reader" in response.text


def test_building_the_page_costs_eight_queries(client, published, personas):
    with query_budget(8):
        assert client.get(_url(personas.district, "en")).status_code == 200
