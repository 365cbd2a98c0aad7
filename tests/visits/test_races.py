"""Two people doing the same first thing at the same moment: the second gets what the first
made, never an IntegrityError.

The other person's insert is held open in a thread, so this request cannot see it, tries to
insert the same row, waits on the unique index and then has to read the other's row."""

import threading
import time
from contextlib import contextmanager

from django.db import connection, transaction
from django.urls import reverse

from tests.factories import VisitFactory
from visits import services
from visits.models import CalendarFeed, ProblemOfPractice


@contextmanager
def held_open(write, seconds=0.6):
    """Runs `write` in another connection's transaction and commits it `seconds` later."""
    written, failed = threading.Event(), []

    def other():
        try:
            with transaction.atomic():
                write()
                written.set()
                time.sleep(seconds)
        except Exception as exc:
            failed.append(exc)
            written.set()
        finally:
            connection.close()

    thread = threading.Thread(target=other)
    thread.start()
    assert written.wait(5)
    try:
        yield
    finally:
        thread.join()
    assert not failed, failed


def test_two_first_requests_for_the_calendar_address_share_one(transactional_db, personas):
    user, district = personas.visit_team, personas.district
    with held_open(lambda: CalendarFeed.objects.create(user=user, district=district)):
        feed = services.calendar_feed_for(user=user, district=district)
    assert CalendarFeed.objects.get(user=user, district=district) == feed


def test_two_renewals_of_the_calendar_address_leave_one(transactional_db, personas):
    user, district = personas.visit_team, personas.district
    services.calendar_feed_for(user=user, district=district)
    with held_open(lambda: services.calendar_feed_renew(user=user, district=district)):
        renewed = services.calendar_feed_renew(user=user, district=district)
    assert CalendarFeed.objects.get(user=user, district=district) == renewed


def test_two_people_adding_the_same_problem_of_practice_share_one(
    transactional_db, personas, as_member
):
    visit = VisitFactory(program__district=personas.district)
    data = {"version": visit.version, "strengths": "Pairs talk.", "new_problem": "wait time"}
    url = reverse("visits:debrief", args=[visit.district.slug, visit.pk])
    client = as_member(personas.visit_team)
    with held_open(
        lambda: ProblemOfPractice.objects.create(district=personas.district, name="Wait time")
    ):
        response = client.post(url, data)
    assert response.status_code == 302
    assert [p.name for p in visit.problems.all()] == ["Wait time"]


def test_a_problem_named_in_letters_that_lowercase_alike_is_the_same_problem(as_member, personas):
    # The Kelvin sign lowercases to "k" but does not uppercase to "K": a case-insensitive
    # lookup and the lowercase unique index disagree on it.
    ProblemOfPractice.objects.create(district=personas.district, name="kpi review")
    visit = VisitFactory(program__district=personas.district)
    response = as_member(personas.visit_team).post(
        reverse("visits:debrief", args=[visit.district.slug, visit.pk]),
        {"version": visit.version, "strengths": "Pairs talk.", "new_problem": "\u212apI review"},
    )
    assert response.status_code == 302
    assert [p.name for p in visit.problems.all()] == ["kpi review"]
