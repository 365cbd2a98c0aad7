"""An offering's follow-up: how often its look-fors were seen before its first session and since."""

import datetime

from django.urls import reverse

from learning.selectors import follow_up
from tests.factories import LookForFactory, ProgramFactory, SessionFactory, VisitFactory
from tests.helpers import travel_to
from visits.models import Observation


def observe(visit, *look_fors):
    observation = Observation.objects.create(
        district=visit.district, visit=visit, kind="classroom", fingerprint="t"
    )
    observation.look_fors.set(look_fors)
    return observation


def test_look_fors_seen_before_the_first_session_and_since(as_member, personas, offering):
    with travel_to("2026-12-01"):
        program = ProgramFactory(district=personas.district)
        discourse = LookForFactory(program=program, text="Students explain their thinking")
        other = LookForFactory(program=program, text="Objective posted")
        offering.look_fors.set([discourse])
        SessionFactory(offering=offering, date=datetime.date(2026, 10, 1))
        SessionFactory(offering=offering, date=datetime.date(2026, 11, 1))
        before = VisitFactory(program=program, date=datetime.date(2026, 9, 15))
        since = VisitFactory(program=program, date=datetime.date(2026, 10, 20))
        # A visit on the day of the first session already counts as since.
        same_day = VisitFactory(program=program, date=datetime.date(2026, 10, 1))
        too_early = VisitFactory(program=program, date=datetime.date(2025, 12, 1))
        observe(before, discourse)
        observe(before, other)
        observe(before)
        observe(before)
        observe(since, discourse)
        observe(since, discourse, other)
        observe(since)
        observe(same_day, discourse)
        observe(too_early, discourse)

        [row] = follow_up(offering=offering, first_date=datetime.date(2026, 10, 1))["rows"]
        assert row["before"] == {"seen": 1, "observations": 4, "percent": 25}
        assert row["since"] == {"seen": 3, "observations": 4, "percent": 75}

        page = as_member(personas.board).get(
            reverse("learning:offering", args=["lakeside", offering.pk])
        )
        assert "25% (1 of 4)" in page.text
        assert "75% (3 of 4)" in page.text


def test_an_offering_without_sessions_lists_its_look_fors_without_counts(
    as_member, personas, offering
):
    look_for = LookForFactory(program__district=personas.district, text="Students explain")
    offering.look_fors.set([look_for])
    page = as_member(personas.board).get(
        reverse("learning:offering", args=["lakeside", offering.pk])
    )
    assert "Students explain" in page.text
    assert "Observations are compared once the first session is dated." in page.text
