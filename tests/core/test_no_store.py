"""Nothing a signed-in member reads, and no export, is kept in a browser's or proxy's cache."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse

from district_plan.documents import public_document
from public.selectors import fingerprint
from public.services import plan_publish
from tests.factories import PlanFactory, ProgramFactory, ReportFactory, VisitFactory
from visits.models import CalendarFeed


def no_store(response):
    return "no-store" in response.get("Cache-Control", "")


@pytest.fixture
def visit(personas):
    return VisitFactory(program=ProgramFactory(district=personas.district))


def test_signed_in_pages_are_not_stored(as_member, personas, visit):
    client = as_member(personas.visit_team)
    for path in (
        reverse("dashboard:home", args=["lakeside"]),
        reverse("visits:visit", args=["lakeside", visit.pk]),
        reverse("visits:calendar_feed", args=["lakeside"]),
        reverse("visits:index", args=["lakeside"]),
        reverse("accounts:pick_district") + "?all=1",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert no_store(response), path


def test_csv_exports_are_not_stored(as_member, personas, visit):
    client = as_member(personas.board)
    for path in (
        reverse("actions:export", args=["lakeside"]),
        reverse("theories:export", args=["lakeside"]),
        reverse("plan:measures_export", args=["lakeside"]),
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert no_store(response), path


def test_a_downloaded_report_is_not_stored(as_member, personas, media):
    name = default_storage.save("reports/lakeside/1.pdf", ContentFile(b"%PDF-1.7 summary"))
    report = ReportFactory(district=personas.district, status="ready", file=name, sha256="a")
    response = as_member(personas.board).get(
        reverse("reports:download", args=["lakeside", report.pk])
    )
    assert response.status_code == 200
    assert no_store(response)


def test_the_calendar_feed_is_not_stored(as_member, personas, visit):
    as_member(personas.visit_team).get(reverse("visits:calendar_feed", args=["lakeside"]))
    response = Client().get(f"/ics/{CalendarFeed.objects.get().token}.ics")
    assert response.status_code == 200
    assert no_store(response)


def test_the_public_page_may_be_cached(as_member, personas):
    personas.district.plan_published = True
    personas.district.save()
    plan = PlanFactory(
        district=personas.district, status="adopted", adopted_on=datetime.date(2025, 8, 1)
    )
    plan_publish(plan=plan, user=personas.admin, reviewed=fingerprint(public_document(plan)))
    for client in (Client(), as_member(personas.cabinet)):
        response = client.get("/p/lakeside/en/")
        assert response.status_code == 200
        assert not no_store(response)
