"""The calendar feed: a secret address that only works for a current member, and a calendar
file no visit's text can break."""

import pytest
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from tests.factories import CampusFactory, ProgramFactory, VisitFactory
from tests.personas import PASSWORD
from visits.models import CalendarFeed


@pytest.fixture
def calendar_app():
    return Client()


@pytest.fixture
def feed_url(as_member, personas):
    VisitFactory(
        program=ProgramFactory(district=personas.district), campus=personas.district.campuses.get()
    )
    as_member(personas.visit_team).get(reverse("visits:calendar_feed", args=["lakeside"]))
    return f"/ics/{CalendarFeed.objects.get(user=personas.visit_team).token}.ics"


def test_the_feed_answers_a_current_member(calendar_app, feed_url):
    response = calendar_app.get(feed_url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")


def test_a_deactivated_user_s_feed_stops(calendar_app, feed_url, personas):
    personas.visit_team.is_active = False
    personas.visit_team.save()
    assert calendar_app.get(feed_url).status_code == 404


def test_a_former_member_s_feed_stops(calendar_app, feed_url, personas):
    personas.visit_team.memberships.all().delete()
    assert calendar_app.get(feed_url).status_code == 404


def test_a_member_deactivated_in_the_district_loses_the_feed(calendar_app, feed_url, personas):
    personas.visit_team.memberships.update(is_active=False)
    assert calendar_app.get(feed_url).status_code == 404


def test_changing_the_password_gives_a_new_address(calendar_app, feed_url, personas, client):
    client.force_login(personas.visit_team)
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "a-much-longer-passphrase-2027",
            "new_password2": "a-much-longer-passphrase-2027",
        },
    )
    assert response.status_code == 302
    assert calendar_app.get(feed_url).status_code == 404
    page = client.get(reverse("visits:calendar_feed", args=["lakeside"]))
    new_url = f"/ics/{CalendarFeed.objects.get(user=personas.visit_team).token}.ics"
    assert new_url != feed_url
    assert new_url in page.text
    assert calendar_app.get(new_url).status_code == 200


def test_a_password_set_anywhere_else_rotates_it_too(calendar_app, feed_url, personas):
    # For example by a superuser in the admin, or `manage.py changepassword`.
    personas.visit_team.set_password("another-long-passphrase-2027")
    personas.visit_team.save()
    assert calendar_app.get(feed_url).status_code == 404


def test_other_people_s_feeds_survive_a_password_change(calendar_app, feed_url, personas):
    personas.cabinet.set_password("another-long-passphrase-2027")
    personas.cabinet.save()
    assert calendar_app.get(feed_url).status_code == 200


def events(response):
    return [c for c in Calendar.from_ical(response.content).walk() if c.name == "VEVENT"]


def test_a_carriage_return_in_a_focus_cannot_add_events(calendar_app, feed_url, personas):
    visit = VisitFactory(
        program=ProgramFactory(district=personas.district),
        campus=CampusFactory(district=personas.district, name="Oak Ridge, North; Campus"),
        focus="Math talk\rEND:VEVENT\rBEGIN:VEVENT\rSUMMARY:Injected\rDTSTART:20260101",
    )
    response = calendar_app.get(feed_url)
    body = response.content
    # A bare CR is a line break to many calendar apps; none may reach the file.
    assert b"\r" not in body.replace(b"\r\n", b"")
    found = events(response)
    assert len(found) == 2
    assert "Injected" not in [str(e["SUMMARY"]) for e in found]
    mine = next(e for e in found if str(e["UID"]).startswith(f"visit-{visit.pk}@"))
    assert str(mine["SUMMARY"]) == "Visit: Oak Ridge, North; Campus"
    assert str(mine["DESCRIPTION"]).startswith("Math talk")


def test_long_lines_are_folded(calendar_app, feed_url, personas):
    VisitFactory(
        program=ProgramFactory(district=personas.district),
        campus=personas.district.campuses.get(),
        focus="Académico " * 60,
    )
    response = calendar_app.get(feed_url)
    lines = response.content.split(b"\r\n")
    assert max(len(line) for line in lines) <= 75
    assert any(line.startswith(b" ") for line in lines)
    assert any(
        str(e["DESCRIPTION"]).strip() == ("Académico " * 60).strip() for e in events(response)
    )


def test_the_feed_is_written_in_the_language_its_owner_chose(calendar_app, feed_url, personas):
    personas.visit_team.language = "es"
    personas.visit_team.save()
    # A calendar app asks in whatever language its computer speaks.
    text = calendar_app.get(feed_url, HTTP_ACCEPT_LANGUAGE="en-US").content.decode()
    assert "SUMMARY:Visita: Lakeside Elementary" in text
