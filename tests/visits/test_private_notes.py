"""'Private to the visit team' means that visit's team and the district's admins."""

import io

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from pypdf import PdfReader

from core.roles import Role
from reports.models import Report
from reports.tasks import render_report
from tests.factories import (
    ActionItemFactory,
    MembershipFactory,
    ProgramFactory,
    UserFactory,
    VisitFactory,
)
from visits.models import Observation

SECRET = "Teacher in room 4 seemed overwhelmed"


@pytest.fixture
def visit(personas):
    visit = VisitFactory(program=ProgramFactory(district=personas.district))
    visit.team.add(personas.visit_team)
    Observation.objects.create(
        district=personas.district,
        visit=visit,
        kind="classroom",
        notes=SECRET,
        private=True,
        observer=personas.visit_team,
    )
    Observation.objects.create(
        district=personas.district,
        visit=visit,
        kind="campus_tour",
        notes="Anchor charts on every floor",
        observer=personas.visit_team,
    )
    return visit


@pytest.fixture
def colleague(personas):
    """A visit-team member of the same district who is not on this visit's team."""
    user = UserFactory(email="colleague@lakeside.test")
    MembershipFactory(user=user, district=personas.district, role=Role.VISIT_TEAM)
    return user


def page(visit):
    return reverse("visits:visit", args=["lakeside", visit.pk])


def test_a_member_of_the_visits_team_reads_the_private_note(as_member, personas, visit):
    teammate = UserFactory(email="teammate@lakeside.test")
    MembershipFactory(user=teammate, district=personas.district, role=Role.CABINET)
    visit.team.add(teammate)
    assert SECRET in as_member(teammate).get(page(visit)).text


def test_a_visit_team_member_not_on_this_visit_does_not(as_member, colleague, visit):
    text = as_member(colleague).get(page(visit)).text
    assert SECRET not in text
    assert "Anchor charts on every floor" in text


def test_cabinet_not_on_the_team_does_not(as_member, personas, visit):
    response = as_member(personas.cabinet).get(page(visit))
    assert response.status_code == 200
    assert "Anchor charts on every floor" in response.text
    assert SECRET not in response.text


def test_a_district_admin_does(as_member, personas, visit):
    assert SECRET in as_member(personas.admin).get(page(visit)).text


def test_whoever_wrote_it_still_does_after_leaving_the_team(as_member, personas, visit):
    visit.team.remove(personas.visit_team)
    assert SECRET in as_member(personas.visit_team).get(page(visit)).text


def test_the_visit_report_leaves_private_notes_out(personas, visit, media):
    report = Report.objects.create(
        district=personas.district, kind="visit", visit=visit, title="Visit"
    )
    render_report(report.pk)
    report.refresh_from_db()
    with default_storage.open(report.file.name, "rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    text = " ".join(p.extract_text() for p in reader.pages).replace("\n", " ")
    assert "Anchor charts on every floor" in text
    assert "overwhelmed" not in text


def test_the_action_items_csv_leaves_private_notes_out(as_member, personas, visit):
    ActionItemFactory(visit=visit, description="Share the anchor-chart routine")
    response = as_member(personas.admin).get(reverse("actions:export", args=["lakeside"]))
    text = b"".join(response.streaming_content if response.streaming else [response.content])
    assert "Share the anchor-chart routine" in text.decode()
    assert "overwhelmed" not in text.decode()
