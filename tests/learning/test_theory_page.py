"""The theory's page lists the professional learning delivered for it (part of the IF)."""

import datetime

from django.urls import reverse
from django.utils import timezone

from tests.factories import OfferingFactory, ParticipationFactory, SessionFactory
from tests.helpers import page_queries


def theory_url(theory):
    return reverse("theories:theory", args=["lakeside", theory.pk])


def test_the_theory_page_lists_its_offerings_with_dates_and_people(
    as_member, personas, offering, theory, campus
):
    first = SessionFactory(offering=offering, date=datetime.date(2026, 9, 8))
    SessionFactory(offering=offering, date=datetime.date(2026, 10, 6))
    ParticipationFactory(session=first, campus=campus, count=12)
    ParticipationFactory(session=first, campus=campus, staff_role="coach", count=3)
    text = as_member(personas.board).get(theory_url(theory)).text
    learning = text[text.index("Professional learning delivered") :]
    link = reverse("learning:offering", args=["lakeside", offering.pk])
    assert f'<a href="{link}">Structured discourse</a>' in learning
    assert "Sep 8, 2026; Oct 6, 2026" in learning
    assert "15 people took part" in learning


def test_a_theory_without_learning_says_so(as_member, personas, theory):
    text = as_member(personas.board).get(theory_url(theory)).text
    assert "No professional learning is tied to this theory yet." in text


def test_the_theory_page_reads_the_same_queries_for_one_offering_or_twenty(
    client, personas, theory, campus
):
    client.force_login(personas.cabinet)

    def offerings(count):
        for number in range(count):
            offering = OfferingFactory(district=personas.district)
            offering.theories.set([theory])
            for days in (3, 10):
                session = SessionFactory(
                    offering=offering,
                    date=timezone.localdate() - datetime.timedelta(days=days + number),
                )
                ParticipationFactory(session=session, campus=campus)

    offerings(1)
    one = page_queries(client, theory_url(theory))
    offerings(19)
    twenty = page_queries(client, theory_url(theory))
    assert one == twenty
