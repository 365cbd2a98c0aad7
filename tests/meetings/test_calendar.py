"""Meetings on a month calendar and in the calendar feed."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import MeetingFactory
from tests.helpers import page_queries, travel_to
from visits.models import CalendarFeed


@pytest.fixture(autouse=True)
def _today():
    with travel_to("2026-11-17"):
        yield


def calendar_url(query=""):
    return reverse("meetings:calendar", args=["lakeside"]) + query


def test_month_shows_its_meetings_on_their_days_weekends_included(as_member, personas):
    MeetingFactory(
        district=personas.district,
        title="Saturday retreat",
        date=datetime.date(2026, 11, 21),
        start_time=datetime.time(9, 0),
    )
    MeetingFactory(
        district=personas.district, title="December town hall", date=datetime.date(2026, 12, 10)
    )
    client = as_member(personas.board)
    text = client.get(calendar_url()).text
    assert "November 2026" in text
    assert "Saturday retreat" in text
    assert "December town hall" not in text
    assert "December town hall" in client.get(calendar_url("?year=2026&month=12")).text


@pytest.mark.parametrize("query", ["?year=9999&month=12", "?year=2026&month=13", "?year=²&month=1"])
def test_an_impossible_month_shows_this_month(as_member, personas, query):
    response = as_member(personas.board).get(calendar_url(query))
    assert response.status_code == 200
    assert "November 2026" in response.text


def test_month_costs_the_same_queries_however_many_meetings(as_member, personas):
    client = as_member(personas.board)
    few = page_queries(client, calendar_url())
    for day in range(1, 28):
        MeetingFactory(district=personas.district, date=datetime.date(2026, 11, day))
    assert page_queries(client, calendar_url()) == few


def test_outsider_gets_404_for_the_calendar(as_member, personas):
    assert as_member(personas.outsider).get(calendar_url()).status_code == 404


def test_calendar_feed_lists_meetings_with_their_time_and_place(as_member, personas):
    MeetingFactory(
        district=personas.district,
        title="Board study session",
        date=datetime.date(2026, 12, 1),
        start_time=datetime.time(18, 0),
        place="Board room",
    )
    MeetingFactory(
        district=personas.district, title="All-day retreat", date=datetime.date(2026, 12, 5)
    )
    MeetingFactory(
        district=personas.other_district, title="Their meeting", date=datetime.date(2026, 12, 5)
    )
    as_member(personas.cabinet).get(reverse("visits:calendar_feed", args=["lakeside"]))
    feed = Client().get(f"/ics/{CalendarFeed.objects.get().token}.ics").content.decode()
    assert "SUMMARY:Meeting: Board study session" in feed
    assert "DTSTART;TZID=" in feed
    assert "20261201T180000" in feed
    assert "LOCATION:Board room" in feed
    assert "DTSTART;VALUE=DATE:20261205" in feed
    assert "Their meeting" not in feed
