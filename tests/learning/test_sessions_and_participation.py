"""Sessions and participation counts, entered on the offering's page."""

import datetime

from django.urls import reverse
from django.utils import timezone

from learning.models import Participation, Session
from tests.factories import ParticipationFactory, SessionFactory


def url(name, *args):
    return reverse(f"learning:{name}", args=["lakeside", *args])


def test_cabinet_adds_a_session_with_a_place(as_member, personas, offering):
    client = as_member(personas.cabinet)
    day = timezone.localdate() + datetime.timedelta(days=10)
    response = client.post(
        url("session_new", offering.pk), {"date": day.isoformat(), "place": "Room 3"}
    )
    assert response["Location"] == url("offering", offering.pk) + "#sessions"
    session = Session.objects.get(offering=offering)
    assert (session.date, session.place) == (day, "Room 3")
    assert "Room 3" in client.get(url("offering", offering.pk)).text


def test_a_session_date_far_from_today_is_refused_next_to_the_field(as_member, personas, offering):
    response = as_member(personas.cabinet).post(
        url("session_new", offering.pk), {"date": "2062-01-15"}
    )
    assert response.status_code == 200
    assert "Choose a session date within five years of today." in response.text
    assert not Session.objects.filter(offering=offering).exists()


def test_editing_a_session_moves_its_date(as_member, personas, offering):
    session = SessionFactory(offering=offering)
    day = session.date + datetime.timedelta(days=1)
    response = as_member(personas.cabinet).post(
        url("session", session.pk),
        {"date": day.isoformat(), "place": "Library", "version": session.version},
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.date, session.place, session.version) == (day, "Library", 2)


def test_deleting_a_session_asks_first_and_takes_its_counts(as_member, personas, offering, campus):
    line = ParticipationFactory(session=SessionFactory(offering=offering), campus=campus)
    client = as_member(personas.cabinet)
    assert "Delete this session?" in client.get(url("session_delete", line.session_id)).text
    client.post(url("session_delete", line.session_id))
    assert not Participation.objects.filter(pk=line.pk).exists()


def test_participation_is_set_per_session_campus_and_role(as_member, personas, offering, campus):
    session = SessionFactory(offering=offering)
    client = as_member(personas.cabinet)
    data = {"session": session.pk, "campus": campus.pk, "staff_role": "coach", "count": 4}
    client.post(url("participation", offering.pk), data)
    client.post(url("participation", offering.pk), data | {"count": 6})
    [line] = Participation.objects.filter(session=session)
    assert (line.staff_role, line.count) == ("coach", 6)
    page = client.get(url("offering", offering.pk)).text
    assert "Instructional coaches" in page
    assert "6 people took part across the sessions." in page


def test_a_count_of_zero_removes_the_line(as_member, personas, offering, campus):
    line = ParticipationFactory(session=SessionFactory(offering=offering), campus=campus)
    as_member(personas.cabinet).post(
        url("participation", offering.pk),
        {
            "session": line.session_id,
            "campus": campus.pk,
            "staff_role": line.staff_role,
            "count": 0,
        },
    )
    assert not Participation.objects.filter(pk=line.pk).exists()


def test_another_districts_campus_or_a_negative_count_is_refused(
    as_member, personas, offering, other_campus, campus
):
    session = SessionFactory(offering=offering)
    client = as_member(personas.cabinet)
    foreign = client.post(
        url("participation", offering.pk),
        {"session": session.pk, "campus": other_campus.pk, "staff_role": "teacher", "count": 3},
    )
    negative = client.post(
        url("participation", offering.pk),
        {"session": session.pk, "campus": campus.pk, "staff_role": "teacher", "count": -3},
    )
    assert "Select a valid choice" in foreign.text
    assert "greater than or equal to 0" in negative.text
    assert not Participation.objects.exists()


def test_another_offerings_session_is_not_a_choice(as_member, personas, offering, campus):
    SessionFactory(offering=offering)
    elsewhere = SessionFactory(offering__district=personas.district)
    response = as_member(personas.cabinet).post(
        url("participation", offering.pk),
        {"session": elsewhere.pk, "campus": campus.pk, "staff_role": "teacher", "count": 3},
    )
    assert "Select a valid choice" in response.text
    assert not Participation.objects.exists()


def test_outsider_gets_404_for_sessions(as_member, personas, offering):
    session = SessionFactory(offering=offering)
    client = as_member(personas.outsider)
    assert client.get(url("session", session.pk)).status_code == 404
    assert client.post(url("session_delete", session.pk)).status_code == 404
    assert client.post(url("participation", offering.pk)).status_code == 404
    assert Session.objects.filter(pk=session.pk).exists()
