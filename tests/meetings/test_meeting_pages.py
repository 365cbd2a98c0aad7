"""The meetings list, a meeting's page, and recording, editing and deleting a meeting."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership
from meetings.models import Meeting
from tests.factories import DecisionFactory, MeetingFactory, MembershipFactory
from tests.helpers import page_queries


def url(name, *args):
    return reverse(f"meetings:{name}", args=["lakeside", *args])


def days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


def form_data(**changes):
    data = {
        "kind": "cabinet_retreat",
        "title": "Fall cabinet retreat",
        "date": days(-3).isoformat(),
        "start_time": "08:30",
        "place": "Service center, Room B",
        "facilitator": "",
        "facilitator_name": "Rosa Delgado",
        "facilitator_organisation": "Region 4 Education Service Center",
        "guests": "Ann Lee, Lakeside PTA\nBo Kim, City Library",
        "agenda": "Goals for next year",
        "notes": "",
    }
    return data | changes


@pytest.fixture
def meeting(personas):
    return MeetingFactory(district=personas.district, title="Winter retreat", date=days(-10))


def test_list_shows_upcoming_soonest_first_and_past_latest_first(as_member, personas):
    for title, offset in (
        ("Later town hall", 20),
        ("Next training", 5),
        ("Old retreat", -30),
        ("Recent debrief", -2),
    ):
        MeetingFactory(district=personas.district, title=title, date=days(offset))
    text = as_member(personas.board).get(url("index")).text
    upcoming, past = text.split("Past</h2>")
    assert upcoming.index("Next training") < upcoming.index("Later town hall")
    assert past.index("Recent debrief") < past.index("Old retreat")
    assert "Old retreat" not in upcoming


def test_list_reads_the_same_number_of_queries_however_many_meetings(as_member, personas):
    client = as_member(personas.board)
    MeetingFactory(district=personas.district, date=days(-1))
    few = page_queries(client, url("index"))
    for offset in range(-20, 20, 2):
        DecisionFactory(meeting=MeetingFactory(district=personas.district, date=days(offset)))
    assert page_queries(client, url("index")) == few


def test_list_pages_past_meetings(as_member, personas):
    for offset in range(1, 36):
        MeetingFactory(district=personas.district, title=f"Past {offset:02d}", date=days(-offset))
    client = as_member(personas.board)
    first = client.get(url("index")).text
    assert "Past 01" in first
    assert "Past 35" not in first
    assert "Past 35" in client.get(url("index") + "?page=2").text


def test_cabinet_records_a_retreat_with_an_outside_facilitator(as_member, personas):
    attendee = Membership.objects.get(user=personas.board, district=personas.district)
    response = as_member(personas.cabinet).post(
        url("new"), form_data(attendees=[attendee.pk]), follow=True
    )
    meeting = Meeting.objects.get(title="Fall cabinet retreat")
    assert meeting.district == personas.district
    assert list(meeting.attendees.all()) == [attendee]
    text = response.text
    assert "Meeting recorded." in text
    assert "Rosa Delgado" in text
    assert "Region 4 Education Service Center" in text
    assert "Bo Kim" in text
    assert "City Library" in text
    assert personas.board.get_full_name() in text


def test_meeting_page_shows_a_link_place_as_a_link(as_member, personas):
    meeting = MeetingFactory(district=personas.district, place="https://meet.example.org/abc")
    text = as_member(personas.board).get(url("meeting", meeting.pk)).text
    assert '<a href="https://meet.example.org/abc"' in text


def test_facilitator_is_a_member_or_an_outsider_not_both(as_member, personas):
    member = Membership.objects.get(user=personas.cabinet, district=personas.district)
    response = as_member(personas.cabinet).post(url("new"), form_data(facilitator=member.pk))
    assert response.status_code == 200
    assert "Name either a member of the district or an outside facilitator" in response.text
    assert not Meeting.objects.exists()


def test_another_districts_member_is_refused_next_to_the_field(as_member, personas):
    stranger = MembershipFactory(district=personas.other_district)
    response = as_member(personas.cabinet).post(
        url("new"), form_data(facilitator_name="", facilitator=stranger.pk, attendees=[stranger.pk])
    )
    assert response.status_code == 200
    assert response.text.count("Choose a member") >= 1
    assert "Choose members of this district." in response.text
    assert not Meeting.objects.exists()


def test_an_implausible_date_is_refused(as_member, personas):
    response = as_member(personas.cabinet).post(url("new"), form_data(date="1900-01-01"))
    assert "Choose a date within five years of today." in response.text
    assert not Meeting.objects.exists()


def test_board_reads_meetings_but_may_not_record_them(as_member, personas, meeting):
    client = as_member(personas.board)
    page = client.get(url("meeting", meeting.pk)).text
    assert "Winter retreat" in page
    assert "Edit meeting" not in page
    assert client.get(url("new")).status_code == 403
    assert client.post(url("edit", meeting.pk), form_data()).status_code == 403
    assert client.post(url("delete", meeting.pk)).status_code == 403
    assert Meeting.objects.filter(pk=meeting.pk, title="Winter retreat").exists()


def test_outsider_gets_404_for_a_meeting(as_member, personas, meeting):
    client = as_member(personas.outsider)
    assert client.get(url("meeting", meeting.pk)).status_code == 404
    own = reverse("meetings:meeting", args=["hillcrest", meeting.pk])
    assert client.get(own).status_code == 404


def test_edit_saves_and_a_stale_edit_shows_the_conflict(as_member, personas, meeting):
    client = as_member(personas.cabinet)
    stale = form_data(title="Winter retreat, day one", version=meeting.version)
    client.post(url("edit", meeting.pk), form_data(title="Winter retreat, revised", version=1))
    meeting.refresh_from_db()
    assert meeting.title == "Winter retreat, revised"
    assert meeting.version == 2
    response = client.post(url("edit", meeting.pk), stale)
    assert "Someone else saved this while you were editing" in response.text
    assert "Winter retreat, day one" in response.text
    meeting.refresh_from_db()
    assert meeting.title == "Winter retreat, revised"


def test_delete_asks_first_then_deletes(as_member, personas, meeting):
    client = as_member(personas.cabinet)
    assert "Delete this meeting?" in client.get(url("delete", meeting.pk)).text
    assert Meeting.objects.filter(pk=meeting.pk).exists()
    response = client.post(url("delete", meeting.pk), follow=True)
    assert "deleted" in response.text
    assert not Meeting.objects.filter(pk=meeting.pk).exists()


def test_history_names_who_changed_the_meeting(as_member, personas, meeting):
    client = as_member(personas.cabinet)
    client.post(url("edit", meeting.pk), form_data(title="Renamed retreat", version=1))
    text = client.get(url("history", meeting.pk)).text
    assert "Renamed retreat" in text
    assert personas.cabinet.get_full_name() in text


def test_meeting_page_reads_a_fixed_number_of_queries(as_member, personas, meeting):
    client = as_member(personas.cabinet)
    DecisionFactory(meeting=meeting)
    few = page_queries(client, url("meeting", meeting.pk))
    for _ in range(5):
        DecisionFactory(meeting=meeting)
    meeting.attendees.set(Membership.objects.filter(district=personas.district))
    assert page_queries(client, url("meeting", meeting.pk)) == few


def test_meeting_page_draws_its_decision_and_follow_up_forms_when_opened(
    as_member, personas, meeting
):
    # The forms offer every campus: a large district's 275 campuses are drawn only on request.
    campus = personas.district.campuses.first()
    client = as_member(personas.cabinet)
    page = client.get(url("meeting", meeting.pk)).text
    assert campus.name not in page
    assert f'hx-get="{url("decision_new", meeting.pk)}"' in page
    assert f'href="{url("follow_up_new", meeting.pk)}"' in page

    opened = client.get(
        url("follow_up_new", meeting.pk),
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="follow-up-new",
    ).text
    assert campus.name in opened
    assert "<html" not in opened
    assert 'name="description"' in opened
    decision = client.get(
        url("decision_new", meeting.pk), HTTP_HX_REQUEST="true", HTTP_HX_TARGET="decision-new"
    ).text
    assert "<html" not in decision
    assert 'name="text"' in decision
