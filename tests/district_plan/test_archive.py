"""Archiving a plan: the district admin confirms it first, and can restore the plan."""

import datetime

import pytest
from django.urls import reverse

from core.history import history, record_events
from district_plan.models import Plan
from tests.factories import PlanFactory


def url(name, *args):
    return reverse(f"plan:{name}", args=["lakeside", *args])


@pytest.fixture
def plan(personas):
    return PlanFactory(
        district=personas.district,
        title="Lakeside Forward",
        status="adopted",
        adopted_on=datetime.date(2025, 8, 12),
    )


def test_archiving_asks_for_confirmation_first(as_member, personas, plan):
    admin = as_member(personas.admin)
    plan_page = admin.get(url("plan", plan.pk)).text
    # The plan page links to a confirmation; it has no button that archives at once.
    assert f'<form method="post" action="{url("archive", plan.pk)}"' not in plan_page
    assert f'href="{url("archive", plan.pk)}"' in plan_page
    confirm = admin.get(url("archive", plan.pk))
    assert confirm.status_code == 200
    assert "Archive “Lakeside Forward”?" in confirm.text
    assert "no longer shows it" in confirm.text
    plan.refresh_from_db()
    assert plan.status == "adopted"


def test_admin_archives_after_confirming_and_restores_the_plan(as_member, personas, plan):
    admin = as_member(personas.admin)
    response = admin.post(url("archive", plan.pk), {"version": plan.version}, follow=True)
    assert "Plan archived." in response.text
    plan.refresh_from_db()
    assert plan.status == "archived"
    assert 'action="{}"'.format(url("unarchive", plan.pk)) in response.text

    response = admin.post(url("unarchive", plan.pk), {"version": plan.version}, follow=True)
    assert "Plan restored" in response.text
    plan.refresh_from_db()
    assert plan.status == "adopted"
    assert plan.adopted_on == datetime.date(2025, 8, 12)
    statuses = [
        (change.old, change.new, entry.user)
        for entry in reversed(history([record_events(plan)]))
        for change in entry.changes
        if entry.action == "changed" and change.field == "status"
    ]
    assert statuses == [
        ("Adopted", "Archived", personas.admin),
        ("Archived", "Adopted", personas.admin),
    ]


def test_a_draft_plan_is_restored_as_a_draft(as_member, personas):
    draft = PlanFactory(district=personas.district, status="archived")
    as_member(personas.admin).post(url("unarchive", draft.pk), {"version": draft.version})
    draft.refresh_from_db()
    assert draft.status == "draft"


@pytest.mark.parametrize("role", ["cabinet", "board", "visit_team"])
def test_only_the_district_admin_archives_or_restores(as_member, personas, plan, role):
    member = as_member(getattr(personas, role))
    assert member.get(url("archive", plan.pk)).status_code == 403
    assert member.post(url("archive", plan.pk), {"version": plan.version}).status_code == 403
    plan.refresh_from_db()
    assert plan.status == "adopted"
    Plan.objects.filter(pk=plan.pk).update(status="archived")
    assert member.post(url("unarchive", plan.pk), {"version": plan.version}).status_code == 403
    plan.refresh_from_db()
    assert plan.status == "archived"
    assert "Archive this plan" not in member.get(url("plan", plan.pk)).text


def test_a_stale_confirmation_does_not_archive(as_member, personas, plan):
    admin = as_member(personas.admin)
    response = admin.post(url("archive", plan.pk), {"version": plan.version - 1}, follow=True)
    assert "The plan changed meanwhile" in response.text
    plan.refresh_from_db()
    assert plan.status == "adopted"


@pytest.mark.parametrize("version", ["", "abc", "-1", "99999999999999999999"])
def test_bad_versions_are_refused_with_a_message(as_member, personas, plan, version):
    admin = as_member(personas.admin)
    for action in ("archive", "unarchive"):
        response = admin.post(url(action, plan.pk), {"version": version}, follow=True)
        assert response.status_code == 200
        assert "The plan changed meanwhile" in response.text
    plan.refresh_from_db()
    assert plan.status == "adopted"
