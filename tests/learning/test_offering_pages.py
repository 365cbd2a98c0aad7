"""The professional-learning list, an offering's page, and adding, editing and deleting one."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from learning.models import Offering, Participant, Session
from tests.factories import (
    OfferingFactory,
    ParticipationFactory,
    SessionFactory,
    TheoryFactory,
)
from tests.helpers import page_queries


def url(name, *args):
    return reverse(f"learning:{name}", args=["lakeside", *args])


def form_data(offering, **changes):
    data = {
        "title": offering.title,
        "theories": [t.pk for t in offering.theories.all()],
        "audience": offering.audience,
        "description": offering.description,
        "facilitator": "",
        "outside_facilitator": offering.outside_facilitator,
        "outside_organization": offering.outside_organization,
        "look_fors": [],
        "version": offering.version,
    }
    return data | changes


def test_every_member_reads_the_list_with_sessions_and_people(as_member, personas, offering):
    session = SessionFactory(offering=offering, date=timezone.localdate())
    ParticipationFactory(session=session, campus=personas.district.campuses.first(), count=17)
    text = as_member(personas.board).get(url("index")).text
    assert "Structured discourse" in text
    assert "Shared discourse" in text
    assert "1 session" in text
    assert "<td>17</td>" in text
    assert "Add professional learning" not in text


def test_cabinet_adds_an_offering_with_an_outside_facilitator(as_member, personas, theory):
    client = as_member(personas.cabinet)
    response = client.post(
        url("new"),
        {
            "title": "Talk moves",
            "theories": [theory.pk],
            "audience": "K–5 teachers",
            "outside_facilitator": "Renata Salas",
            "outside_organization": "Region 4 ESC",
        },
    )
    offering = Offering.objects.get(title="Talk moves")
    assert response.status_code == 302
    assert response["Location"] == url("offering", offering.pk) + "#sessions"
    assert list(offering.theories.all()) == [theory]
    page = client.get(url("offering", offering.pk)).text
    assert "Renata Salas (Region 4 ESC)" in page


def test_an_outside_facilitator_needs_an_organization_and_not_a_member_too(as_member, personas):
    client = as_member(personas.cabinet)
    member = personas.cabinet.memberships.get()
    response = client.post(
        url("new"),
        {"title": "Talk moves", "facilitator": member.pk, "outside_facilitator": "Renata"},
    )
    assert "Choose a member or name an outside facilitator, not both." in response.text
    response = client.post(url("new"), {"title": "Talk moves", "outside_facilitator": "Renata"})
    assert "Say which organization the outside facilitator comes from." in response.text
    assert not Offering.objects.filter(title="Talk moves").exists()


def test_another_districts_theory_is_not_a_choice(as_member, personas):
    foreign = TheoryFactory(strand__district=personas.other_district)
    response = as_member(personas.cabinet).post(
        url("new"), {"title": "Talk moves", "theories": [foreign.pk]}
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    assert not Offering.objects.filter(title="Talk moves").exists()


@pytest.mark.parametrize("role", ["visit_team", "campus_leader", "department_lead", "board"])
def test_only_the_cabinet_and_admins_edit(as_member, personas, offering, role):
    client = as_member(getattr(personas, role))
    assert client.get(url("new")).status_code == 403
    assert client.post(url("edit", offering.pk), form_data(offering)).status_code == 403
    assert client.post(url("delete", offering.pk)).status_code == 403
    assert Offering.objects.filter(pk=offering.pk).exists()
    assert client.get(url("offering", offering.pk)).status_code == 200


def test_editing_saves_a_new_version(as_member, personas, offering):
    client = as_member(personas.admin)
    response = client.post(url("edit", offering.pk), form_data(offering, title="Discourse, part 2"))
    assert response.status_code == 302
    offering.refresh_from_db()
    assert (offering.title, offering.version) == ("Discourse, part 2", 2)


def test_a_second_editor_is_shown_the_conflict_and_nothing_is_overwritten(
    as_member, personas, offering
):
    client = as_member(personas.cabinet)
    stale = form_data(offering, title="Mine")
    client.post(url("edit", offering.pk), form_data(offering, title="Theirs"))
    response = client.post(url("edit", offering.pk), stale)
    assert response.status_code == 200
    assert "Someone else saved this while you were editing" in response.text
    assert "Theirs" in response.text
    assert "Mine" in response.text
    offering.refresh_from_db()
    assert offering.title == "Theirs"


def test_delete_asks_first_then_deletes_with_the_sessions(as_member, personas, offering):
    SessionFactory(offering=offering)
    client = as_member(personas.cabinet)
    page = client.get(url("delete", offering.pk))
    assert "Delete this professional learning?" in page.text
    assert Offering.objects.filter(pk=offering.pk).exists()
    response = client.post(url("delete", offering.pk))
    assert response["Location"] == url("index")
    assert not Offering.objects.filter(pk=offering.pk).exists()
    assert not Session.objects.filter(offering_id=offering.pk).exists()


def test_history_shows_who_changed_the_offering_and_its_sessions(as_member, personas, offering):
    client = as_member(personas.cabinet)
    client.post(url("edit", offering.pk), form_data(offering, title="Discourse, part 2"))
    client.post(url("session_new", offering.pk), {"date": timezone.localdate().isoformat()})
    text = client.get(url("history", offering.pk)).text
    assert "Discourse, part 2" in text
    assert "Session" in text
    assert personas.cabinet.get_full_name() in text


def test_outsider_gets_404(as_member, personas, offering):
    client = as_member(personas.outsider)
    for name in ("offering", "edit", "delete", "history"):
        assert client.get(url(name, offering.pk)).status_code == 404
    assert client.get(url("index")).status_code == 404


def _offerings(district, count, theory):
    campus = district.campuses.first()
    for number in range(count):
        offering = OfferingFactory(district=district, title=f"Series {number}")
        offering.theories.set([theory])
        session = SessionFactory(
            offering=offering, date=timezone.localdate() - datetime.timedelta(days=number)
        )
        ParticipationFactory(session=session, campus=campus)


def test_the_list_reads_a_fixed_number_of_queries(client, personas, theory):
    client.force_login(personas.board)
    _offerings(personas.district, 2, theory)
    few = page_queries(client, url("index"))
    _offerings(personas.district, 30, theory)
    many = page_queries(client, url("index"))
    assert few == many
    assert many <= 8


def test_the_offering_page_reads_a_fixed_number_of_queries(client, personas, offering):
    client.force_login(personas.cabinet)
    campus = personas.district.campuses.first()
    session = SessionFactory(offering=offering)
    ParticipationFactory(session=session, campus=campus)
    few = page_queries(client, url("offering", offering.pk))
    for days in range(2, 12):
        more = SessionFactory(
            offering=offering, date=timezone.localdate() - datetime.timedelta(days=days)
        )
        for role in ("teacher", "coach"):
            ParticipationFactory(session=more, campus=campus, staff_role=role)
    many = page_queries(client, url("offering", offering.pk))
    assert few == many
    assert many <= 16


def test_an_offering_that_stops_keeping_names_forgets_them(as_member, personas, offering, campus):
    offering.keeps_names = True
    offering.save()
    session = SessionFactory(offering=offering)
    Participant.objects.create(
        district=personas.district,
        session=session,
        name="Ana Peña",
        campus=campus,
        staff_role="teacher",
    )
    client = as_member(personas.cabinet)
    client.post(url("edit", offering.pk), form_data(offering, title="Renamed", keeps_names="on"))
    assert Participant.objects.filter(session=session).exists()
    offering.refresh_from_db()
    client.post(url("edit", offering.pk), form_data(offering))
    assert not Participant.objects.filter(session=session).exists()
    assert "Ana Peña" not in client.get(url("offering", offering.pk)).text
