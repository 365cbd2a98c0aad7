"""The coherence panel ("Gaps in the plan"): counts by kind, counted once per change of the
district (district_plan.selectors.plan_gaps, district_gaps), and the list of one kind opened
on request: the fragment for htmx, the panel on a page of its own without JavaScript."""

import datetime
import re

import pytest
from django.urls import reverse

from tests.factories import (
    ActionFactory,
    GoalFactory,
    MeasureFactory,
    MeasureValueFactory,
    MembershipFactory,
    PlanFactory,
    StrandFactory,
    TheoryFactory,
)
from tests.helpers import page_queries, travel_to

HX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "gap-list"}
TODAY = "2026-11-17"


def url(name, *args):
    return reverse(f"plan:{name}", args=["lakeside", *args])


def kind_count(page, label):
    """The number the panel shows beside a kind of gap."""
    assert page.status_code == 200
    found = re.search(
        rf">{re.escape(label)}</a> <span class=\"badge warn\">(\d+)</span>", page.text
    )
    return int(found[1]) if found else 0


@pytest.fixture
def plan(personas):
    with travel_to(TODAY):
        return PlanFactory(
            district=personas.district,
            start_year=2026,
            end_year=2028,
            status="adopted",
            adopted_on=datetime.date(2026, 6, 1),
        )


@pytest.fixture
def theory(personas, plan):
    with travel_to(TODAY):
        theory = TheoryFactory(strand=StrandFactory(district=personas.district), short_name="Coach")
        theory.goals.add(GoalFactory(plan=plan, title="Readers by grade 3"))
    return theory


def test_the_panel_counts_each_kind_and_links_to_its_list(as_member, personas, plan, theory):
    with travel_to(TODAY):
        GoalFactory(plan=plan, title="Goal without theory")
        ActionFactory(theory=theory, description="Late", due_date=datetime.date(2026, 11, 10))
        ActionFactory(theory=theory, description="Later", due_date=datetime.date(2026, 11, 16))
        ActionFactory(theory=theory, description="Soon", due_date=datetime.date(2026, 12, 1))
        page = as_member(personas.board).get(url("index"))
    assert "4 things to fix" in page.text
    assert kind_count(page, "Goals with no theory of action") == 1
    assert kind_count(page, "Theories with no measure") == 1
    assert kind_count(page, "Actions past due") == 2
    assert kind_count(page, "Theories with no action") == 0
    assert f'href="{url("plan_gaps_actions-past-due", plan.pk)}"' in page.text
    assert 'hx-target="#gap-list"' in page.text
    # The entries themselves load on request.
    assert "Late" not in page.text
    assert page.context["freshness"]["actions_current"] == 1


def test_htmx_gets_the_list_of_one_kind_alone(as_member, personas, plan, theory):
    with travel_to(TODAY):
        ActionFactory(theory=theory, description="Late", due_date=datetime.date(2026, 11, 10))
        page = as_member(personas.board).get(url("plan_gaps_actions-past-due", plan.pk), **HX)
    assert page.status_code == 200
    assert page.text.lstrip().startswith('<div id="gap-list">')
    assert "Actions past due</h3>" in page.text
    assert "Action past due since" in page.text
    assert f'href="/d/lakeside/theories/#theory-{theory.pk}">Late</a>' in page.text
    assert "coherence-heading" not in page.text


def test_without_javascript_the_list_opens_in_the_panel_on_a_page(
    as_member, personas, plan, theory
):
    with travel_to(TODAY):
        ActionFactory(theory=theory, description="Late", due_date=datetime.date(2026, 11, 10))
        page = as_member(personas.board).get(url("plan_gaps_actions-past-due", plan.pk))
    assert page.status_code == 200
    assert f"<h1>{plan.title}</h1>" in page.text
    assert '<h2 id="coherence-heading">Gaps in the plan</h2>' in page.text
    assert '<div id="gap-list">' in page.text
    assert "Late</a>" in page.text
    assert f'href="{url("plan", plan.pk)}"' in page.text


def test_a_kind_with_nothing_left_says_so(as_member, personas, plan, theory):
    with travel_to(TODAY):
        page = as_member(personas.board).get(url("plan_gaps_goals", plan.pk), **HX)
    assert "Nothing of this kind is left to fix." in page.text


def test_an_unknown_kind_or_another_districts_plan_is_404(as_member, personas, plan):
    client = as_member(personas.board)
    assert client.get(f"/d/lakeside/plan/plans/{plan.pk}/gaps/everything/").status_code == 404
    assert client.get("/d/lakeside/plan/gaps/everything/").status_code == 404
    other = PlanFactory(district=personas.other_district)
    assert client.get(url("plan_gaps_goals", other.pk)).status_code == 404


def test_outsider_gets_404(as_member, personas, plan):
    client = as_member(personas.outsider)
    assert client.get(url("plan_gaps_goals", plan.pk)).status_code == 404
    assert client.get(url("gaps_goals")).status_code == 404


def test_the_theories_page_opens_the_districts_gaps(as_member, personas, plan, theory):
    with travel_to(TODAY):
        client = as_member(personas.board)
        page = client.get(reverse("theories:index", args=["lakeside"]))
        listed = client.get(url("gaps_theories-without-measures"), **HX)
        without_js = client.get(url("gaps_theories-without-measures"))
    assert kind_count(page, "Theories with no measure") == 1
    assert f'href="{url("gaps_theories-without-measures")}"' in page.text
    assert f'#theory-{theory.pk}">Coach</a>' in listed.text
    assert f'#theory-{theory.pk}">Coach</a>' in without_js.text
    assert f'href="{reverse("theories:index", args=["lakeside"])}"' in without_js.text


def test_home_plan_and_theories_count_the_same_gaps(as_member, personas, plan, theory):
    with travel_to(TODAY):
        GoalFactory(plan=plan, title="Goal without theory")
        client = as_member(personas.board)
        home = client.get(reverse("dashboard:home", args=["lakeside"])).text
        plan_page = client.get(url("index")).text
        theories = client.get(reverse("theories:index", args=["lakeside"])).text
    # The goal without a theory, and the theory without a measure or an action.
    assert "3 gaps in the plan</a>" in home
    assert "3 things to fix" in plan_page
    assert "3 things to fix" in theories


def test_an_edit_changes_the_counts_at_once(as_member, personas, plan, theory):
    with travel_to(TODAY):
        client = as_member(personas.cabinet)
        before = kind_count(client.get(url("index")), "Theories with no action")
        ActionFactory(theory=theory, due_date=datetime.date(2026, 12, 1))
        after = kind_count(client.get(url("index")), "Theories with no action")
    assert (before, after) == (1, 0)


def test_a_new_day_counts_an_action_that_fell_due(as_member, personas, plan, theory):
    with travel_to(TODAY):
        ActionFactory(theory=theory, description="Train", due_date=datetime.date(2026, 11, 17))
        today = kind_count(as_member(personas.board).get(url("index")), "Actions past due")
    with travel_to("2026-11-18"):
        tomorrow = kind_count(as_member(personas.board).get(url("index")), "Actions past due")
    assert (today, tomorrow) == (0, 1)


@pytest.mark.parametrize(("days", "stale"), [(31, 0), (32, 1)])
def test_a_measure_needs_an_update_once_its_cycle_passed_as_its_page_says(
    as_member, personas, plan, theory, days, stale
):
    goal = theory.goals.get()
    with travel_to(TODAY):
        measure = MeasureFactory(goal=goal, update_cycle="monthly")
        MeasureValueFactory(
            measure=measure, observed_on=datetime.date(2026, 11, 17) - datetime.timedelta(days)
        )
        client = as_member(personas.board)
        counted = kind_count(client.get(url("index")), "Measures that need an update")
        status = client.get(url("measure", measure.pk)).text
    assert counted == stale
    assert ("Needs update" in status) == bool(stale)


def test_a_retired_theory_is_not_a_gap(as_member, personas, plan, theory):
    with travel_to(TODAY):
        retired = TheoryFactory(strand=theory.strand, status="retired")
        retired.goals.add(theory.goals.get())
        page = as_member(personas.board).get(url("index"))
    assert kind_count(page, "Theories with no measure") == 1
    assert kind_count(page, "Theories with no action") == 1


def test_the_counts_follow_the_language(as_member, personas, plan, theory, settings):
    from benchmarking.frameworks import built_in_framework
    from benchmarking.services import analysis_create, finding_add

    with travel_to(TODAY):
        analysis = analysis_create(
            district=personas.district,
            user=None,
            name="Spring",
            framework=built_in_framework(),
            starts_on=datetime.date(2026, 9, 1),
            ends_on=datetime.date(2026, 12, 1),
            campuses=[],
        )
        finding_add(analysis=analysis, user=None, kind="need", text="Coaching time")
        client = as_member(personas.board)
        english = client.get(url("index")).text
        spanish = client.get(url("index"), HTTP_ACCEPT_LANGUAGE="es-MX").text
    assert "1 finding that no improvement pathway answers yet" in english
    assert "Discovery findings with no response" not in spanish
    assert "Vacíos en el plan" in spanish


def test_the_plan_page_counts_and_draws_once_then_reads_the_cache(
    as_member, personas, plan, theory
):
    with travel_to(TODAY):
        client = as_member(personas.board)
        counted = page_queries(client, url("index"))
        cached = page_queries(client, url("index"))
    # The plans, the session's member, the district's change marker; the gaps and the plan's
    # body come from the cache.
    assert cached <= 5 < counted


def _many_gaps(district, plan, count):
    strand = StrandFactory(district=district)
    goal = GoalFactory(plan=plan)
    for _ in range(count):
        theory = TheoryFactory(strand=strand)
        theory.goals.add(goal)
        ActionFactory(theory=theory, due_date=datetime.date(2026, 11, 1))
        MeasureFactory(goal=None, theory=theory, district=district, update_cycle="monthly")


@pytest.mark.parametrize("kind", ["actions-past-due", "measures-needing-update"])
def test_the_list_query_count_is_the_same_for_few_and_many_gaps(client, personas, plan, kind):
    with travel_to(TODAY):
        client.force_login(personas.board)
        _many_gaps(personas.district, plan, 3)
        few = page_queries(client, url(f"plan_gaps_{kind}", plan.pk))
        few_panel = page_queries(client, url("index"))
        _many_gaps(personas.district, plan, 60)
        many = page_queries(client, url(f"plan_gaps_{kind}", plan.pk))
        many_panel = page_queries(client, url("index"))
    assert few == many
    assert few <= 12
    assert few_panel == many_panel


def test_home_query_count_is_the_same_for_few_and_many_gaps(client, personas, plan):
    home = reverse("dashboard:home", args=["lakeside"])
    with travel_to(TODAY):
        client.force_login(MembershipFactory(district=personas.district).user)
        _many_gaps(personas.district, plan, 3)
        few = page_queries(client, home)
        _many_gaps(personas.district, plan, 60)
        many = page_queries(client, home)
    assert few == many
