"""Every change is in the history, whatever path made it: pages that save directly, `.update()`
calls, bulk imports, the admin and tasks. Each test makes a change one way and finds it on a
history page, with who made it."""

import datetime
import uuid

import pytest
from celery import shared_task
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from benchmarking.frameworks import built_in_framework, framework_copy
from benchmarking.models import Indicator
from core.history import acting_as, district_events, history, last_change, latest_change_marker
from core.models import Campus, District, HistoryEntry
from dashboard.demo import seed_demo
from tests.factories import (
    ActionItemFactory,
    CampusFactory,
    GoalFactory,
    MeasureFactory,
    MembershipFactory,
    PlanFactory,
    ProgramFactory,
    StrandFactory,
    TheoryFactory,
    UserFactory,
    VisitFactory,
)
from tests.helpers import page_queries, travel_to
from visits.models import Visit
from visits.tasks import send_action_item_email

HX = {"HTTP_HX_REQUEST": "true"}
TODAY = datetime.date(2026, 11, 17)


@pytest.fixture(autouse=True)
def _today():
    with travel_to(TODAY):
        yield


def history_list(page):
    return page[page.index('<ol class="history') : page.index("</ol>")]


def district_history(client):
    return history_list(client.get(reverse("core:history", args=["lakeside"])).text)


def by(user):
    return f"</strong> by {user.get_full_name()}"


def test_the_plan_history_lists_the_goals_added_to_it(as_member, personas):
    plan = PlanFactory(district=personas.district)
    client = as_member(personas.cabinet)
    client.post(
        reverse("plan:goal_new", args=["lakeside"]) + f"?plan={plan.pk}",
        {"title": "Every child reads by grade 3", "description": ""},
        **HX,
    )
    page = client.get(reverse("plan:history", args=["lakeside", plan.pk])).text
    assert "No changes recorded yet" not in page
    assert "Goal: Every child reads by grade 3" in page
    assert f"Created{by(personas.cabinet)}" in page


def test_the_plan_history_lists_its_theories_actions_and_measure_values(as_member, personas):
    plan = PlanFactory(district=personas.district)
    goal = GoalFactory(plan=plan)
    theory = TheoryFactory(strand=StrandFactory(district=personas.district))
    theory.goals.add(goal)
    measure = MeasureFactory(goal=goal, name="Attendance rate")
    client = as_member(personas.cabinet)
    client.post(
        reverse("plan:measure", args=["lakeside", measure.pk]),
        {"observed_on": TODAY.isoformat(), "value": "93", "note": "Fall count"},
    )
    client.post(
        reverse("theories:action_new", args=["lakeside", theory.pk]),
        {
            "description": "Coach every new teacher",
            "status": "not_started",
            "progress": "not_assessed",
        },
        **HX,
    )
    page = history_list(client.get(reverse("plan:history", args=["lakeside", plan.pk])).text)
    assert "Measure value: Attendance rate" in page
    assert "<td>Fall count</td>" in page
    assert "Action: Coach every new teacher" in page


def test_a_look_for_added_on_the_program_page(as_member, personas):
    program = ProgramFactory(district=personas.district)
    client = as_member(personas.cabinet)
    client.post(
        reverse("visits:look_for_new", args=["lakeside", program.pk]),
        {"text": "Students explain their reasoning"},
    )
    page = district_history(client)
    assert "Look for: Students explain their reasoning" in page
    assert f"Created{by(personas.cabinet)}" in page


def test_a_problem_of_practice_made_by_the_debrief(as_member, personas):
    visit = VisitFactory(program__district=personas.district)
    client = as_member(personas.visit_team)
    client.post(
        reverse("visits:debrief", args=["lakeside", visit.pk]),
        {"version": visit.version, "strengths": "Pairs talk", "new_problem": "Wait time"},
    )
    page = district_history(client)
    assert "Problem of practice: Wait time" in page
    assert "<td>Pairs talk</td>" in page
    assert f"Created{by(personas.visit_team)}" in page


def test_the_nightly_report_toggle(as_member, personas):
    client = as_member(personas.admin)
    client.post(reverse("reports:nightly", args=["lakeside"]), {"nightly": "on"})
    page = district_history(client)
    assert f"District: {personas.district.name}" in page
    assert '<th scope="row">Nightly board summary</th><td>No</td><td>Yes</td>' in page
    assert f"Changed{by(personas.admin)}" in page


def test_the_visit_status_set_by_the_first_observation(as_member, personas):
    visit = VisitFactory(program=ProgramFactory(district=personas.district))
    client = as_member(personas.visit_team)
    client.post(
        reverse("visits:observations", args=["lakeside", visit.pk]),
        {"client_id": str(uuid.uuid4()), "kind": "classroom", "setting": "Room 4", "notes": "x"},
        HTTP_ACCEPT="application/json",
    )
    assert Visit.objects.get(pk=visit.pk).status == Visit.Status.IN_PROGRESS
    page = district_history(client)
    assert '<th scope="row">Status</th><td>Planned</td><td>In progress</td>' in page


def test_framework_wording(as_member, personas):
    framework = framework_copy(framework=built_in_framework(), district=personas.district)
    client = as_member(personas.cabinet)
    edit = reverse("discovery:framework_edit", args=["lakeside", framework.pk])
    form = client.get(edit).context["form"]
    data = {name: field.initial for name, field in form.fields.items()}
    first = Indicator.objects.filter(building_block__framework=framework).order_by("pk").first()
    client.post(edit, data | {f"indicator-{first.pk}": "Families are partners from birth"})
    page = district_history(client)
    assert f"<td>{first.name}</td><td>Families are partners from birth</td>" in page
    assert f"Changed{by(personas.cabinet)}" in page


def test_publishing_the_plan_page(as_member, personas):
    client = as_member(personas.admin)
    client.post(reverse("publication:manage", args=["lakeside"]), {"plan_published": "on"})
    page = district_history(client)
    assert '<th scope="row">Public plan page</th><td>No</td><td>Yes</td>' in page


def test_a_campus_deleted_in_the_django_admin(client, personas):
    campus = CampusFactory(district=personas.district, name="Closed Elementary")
    client.force_login(UserFactory(is_staff=True, is_superuser=True, full_name="Root User"))
    client.post(reverse("admin:core_campus_delete", args=[campus.pk]), {"post": "yes"})
    client.force_login(personas.cabinet)
    page = district_history(client)
    assert "Campus: Closed Elementary" in page
    assert "Deleted</strong> by Root User" in page


def test_campuses_created_by_a_bulk_import(as_member, personas):
    client = as_member(personas.admin)
    url = reverse("core:campus_import", args=["lakeside"])
    csv = b"Campus Name,School Type,Grades\nHarbor Middle,Middle,6-8\n"
    preview = client.post(url, {"file": SimpleUploadedFile("c.csv", csv, "text/csv")})
    client.post(url, {"token": preview.context["confirm_form"].initial["token"]})
    page = district_history(client)
    assert "Campus: Harbor Middle" in page
    assert f"Created{by(personas.admin)}" in page


@shared_task(name="tests.rename_campus")
def rename_campus(campus_id, name):
    Campus.objects.filter(pk=campus_id).update(name=name)


def test_a_task_is_named_as_the_one_who_changed(personas):
    campus = CampusFactory(district=personas.district, name="Lakeside Middle")
    rename_campus.apply(args=(campus.pk, "Lakeside Middle School"))
    renamed = [e for e in history(district_events(personas.district)) if e.task]
    assert [(e.task, e.object_label) for e in renamed] == [
        ("tests.rename_campus", "Lakeside Middle School")
    ]


def test_an_email_sent_about_an_action_item_is_not_a_change_to_it(personas):
    visit = VisitFactory(program=ProgramFactory(district=personas.district))
    item = ActionItemFactory(
        visit=visit, assignee=personas.visit_team, due_date=TODAY - datetime.timedelta(days=1)
    )
    send_action_item_email.apply(args=(item.pk, "overdue"))
    item.refresh_from_db()
    assert item.overdue_notified_at is not None
    entries = [e for e in history(district_events(personas.district)) if e.kind == "Action item"]
    assert [e.action for e in entries] == ["created"]


def test_the_district_history_costs_the_same_queries_however_long_it_is(client, db):
    seed_demo(size="small")
    client.force_login(MembershipFactory(district__slug="demo", role="admin").user)
    url = reverse("core:history", args=["demo"])
    small = page_queries(client, url)
    district = District.objects.get(slug="demo")
    program = ProgramFactory(district=district)
    for number in range(30):
        campus = CampusFactory(district=district, name=f"New campus {number}")
        # A team joining a visit reads as a change of the visit, which is named after its campus.
        VisitFactory(program=program, campus=campus).team.add(UserFactory())
    assert page_queries(client, url) == small
    # Two reads per tracked table (its newest events, then their earlier snapshots), plus the
    # page's own: a new tracked model raises the ceiling, a query per change does not fit.
    assert small <= 2 * len(district_events(district)) + 60


def test_a_change_made_in_english_reads_in_spanish(as_member, personas):
    theory = TheoryFactory(strand=StrandFactory(district=personas.district), then_clause="before")
    client = as_member(personas.cabinet)
    client.post(
        reverse("theories:theory", args=["lakeside", theory.pk]),
        {
            "strand": theory.strand_id,
            "if_clause": theory.if_clause,
            "then_clause": "after",
            "status": "adopted",
            "progress": theory.progress,
            "version": theory.version,
        },
        HTTP_ACCEPT_LANGUAGE="en",
        **HX,
    )
    url = reverse("theories:history", args=["lakeside", theory.pk])
    spanish = history_list(client.get(url, HTTP_ACCEPT_LANGUAGE="es").text)
    assert "<strong>Modificado</strong> por" in spanish
    assert "ENTONCES (lo que veremos en la práctica)</th><td>before</td><td>after</td>" in spanish
    assert "<td>Propuesta</td><td>Aprobada</td>" in spanish
    english = history_list(client.get(url, HTTP_ACCEPT_LANGUAGE="en").text)
    assert "THEN (what we will see in practice)</th><td>before</td><td>after</td>" in english
    assert "<td>Proposed</td><td>Adopted</td>" in english


def test_linking_a_theory_to_a_goal_shows_on_both_histories(as_member, personas):
    plan = PlanFactory(district=personas.district)
    goal = GoalFactory(plan=plan, title="Readers by grade 3")
    theory = TheoryFactory(strand=StrandFactory(district=personas.district))
    client = as_member(personas.cabinet)
    client.post(
        reverse("theories:theory", args=["lakeside", theory.pk]),
        {
            "strand": theory.strand_id,
            "if_clause": theory.if_clause,
            "then_clause": theory.then_clause,
            "status": theory.status,
            "progress": theory.progress,
            "goals": [goal.pk],
            "version": theory.version,
        },
        **HX,
    )
    row = '<th scope="row">Goals</th><td>(blank)</td><td>Readers by grade 3</td>'
    theory_page = client.get(reverse("theories:history", args=["lakeside", theory.pk])).text
    assert row in history_list(theory_page)
    assert row in history_list(client.get(reverse("plan:history", args=["lakeside", plan.pk])).text)


def test_the_last_change_is_found_behind_the_apps_own_bookkeeping(personas):
    visit = VisitFactory(program=ProgramFactory(district=personas.district))
    with acting_as(personas.cabinet):
        item = ActionItemFactory(
            visit=visit, assignee=personas.visit_team, due_date=TODAY - datetime.timedelta(days=1)
        )
    send_action_item_email.apply(args=(item.pk, "overdue"))
    change = last_change(item)
    assert (change.action, change.user) == ("created", personas.cabinet)


def test_history_recorded_before_the_database_kept_it_is_still_read(as_member, personas):
    campus = CampusFactory(district=personas.district, name="Lakeside Middle")
    HistoryEntry.objects.create(
        district=personas.district,
        content_type=ContentType.objects.get_for_model(Campus),
        object_id=campus.pk,
        object_label="Lakeside Middle",
        action="changed",
        changes=[
            {"field": "name", "label": "Name", "old": "Lakeside MS", "new": "Lakeside Middle"}
        ],
        user=personas.admin,
    )
    page = as_member(personas.cabinet).get(reverse("core:history", args=["lakeside"])).text
    earlier = page[page.index("Recorded before the database kept the history") :]
    assert "Campus: Lakeside Middle" in earlier
    assert f"{by(personas.admin)}" in earlier
    assert "<td>Lakeside MS</td><td>Lakeside Middle</td>" in earlier


def test_the_change_marker_grows_with_a_change_and_is_planned_once_per_connection(personas):
    """Cached parts of pages are kept under the marker; planning its union of every history
    table took 3 ms against 0.4 to run it, so the server keeps the plan."""
    before = latest_change_marker(personas.district)
    assert latest_change_marker(personas.district) == before
    CampusFactory(district=personas.district)
    assert latest_change_marker(personas.district) > before
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements "
            "WHERE statement LIKE 'SELECT COALESCE(SUM(pgh_id), 0)%%'"
        )
        assert cursor.fetchone()[0] == 1
    with CaptureQueriesContext(connection) as captured:
        latest_change_marker(personas.district)
    assert captured.captured_queries[0]["sql"].startswith("SELECT COALESCE(SUM(pgh_id), 0)")
