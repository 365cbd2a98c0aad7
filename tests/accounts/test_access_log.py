"""The district's access log: its own events and the sign-ins of its members, newest first,
filtered, paginated and downloadable as CSV."""

import csv
import io

import pytest
from django.urls import reverse

from accounts.models import AccessEvent
from accounts.services import access_event_record
from core.roles import Role
from tests.factories import MembershipFactory, UserFactory


def log_url(slug="lakeside"):
    return reverse("people:log", args=[slug])


def export_url(slug="lakeside"):
    return reverse("people:log_export", args=[slug])


def rows(response):
    text = b"".join(response).decode("utf-8-sig") if response.streaming else response.text
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))


@pytest.fixture
def events(personas):
    Kind = AccessEvent.Kind
    return {
        "here": access_event_record(
            kind=Kind.INVITED,
            email="new@lakeside.test",
            district=personas.district,
            actor=personas.admin,
        ),
        "member_sign_in": access_event_record(kind=Kind.SIGNED_IN, user=personas.cabinet),
        "member_failed": access_event_record(kind=Kind.SIGN_IN_FAILED, email="BOARD@lakeside.test"),
        "stranger": access_event_record(kind=Kind.SIGN_IN_FAILED, email="who@nowhere.test"),
        "outsider_sign_in": access_event_record(kind=Kind.SIGNED_IN, user=personas.outsider),
        "elsewhere": access_event_record(
            kind=Kind.INVITED, email="new@hillcrest.test", district=personas.other_district
        ),
    }


def test_the_log_shows_the_districts_events_and_its_members_sign_ins_only(
    as_member, personas, events
):
    page = as_member(personas.admin).get(log_url()).text
    for email in ("new@lakeside.test", "cabinet@lakeside.test", "board@lakeside.test"):
        assert email in page
    for email in ("who@nowhere.test", "outsider@hillcrest.test", "new@hillcrest.test"):
        assert email not in page
    # Newest first.
    assert page.index("board@lakeside.test") < page.index("cabinet@lakeside.test")
    assert page.index("cabinet@lakeside.test") < page.index("new@lakeside.test")


def test_a_deactivated_members_failed_sign_ins_still_show(as_member, personas, events):
    MembershipFactory(
        user=UserFactory(email="gone@lakeside.test"), district=personas.district, is_active=False
    )
    access_event_record(kind=AccessEvent.Kind.SIGN_IN_FAILED, email="gone@lakeside.test")
    assert "gone@lakeside.test" in as_member(personas.admin).get(log_url()).text


def test_filters_by_kind_and_by_part_of_an_address(as_member, personas, events):
    client = as_member(personas.admin)
    page = client.get(log_url(), {"kind": "signed_in"}).text
    assert "cabinet@lakeside.test" in page
    assert "new@lakeside.test" not in page
    page = client.get(log_url(), {"q": "BOARD@"}).text
    assert "board@lakeside.test" in page
    assert "cabinet@lakeside.test" not in page


def test_an_unknown_kind_is_refused_beside_the_field(as_member, personas, events):
    response = as_member(personas.admin).get(log_url(), {"kind": "coup"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.text


def test_fifty_events_a_page_and_bad_page_numbers_fall_back(as_member, personas):
    for n in range(120):
        access_event_record(
            kind=AccessEvent.Kind.INVITED, email=f"p{n}@lakeside.test", district=personas.district
        )
    client = as_member(personas.admin)
    first = client.get(log_url()).text
    assert "p119@lakeside.test" in first
    assert "p69@lakeside.test" not in first
    assert "Page 1 of 3" in first
    third = client.get(log_url(), {"page": "3"}).text
    assert "p0@lakeside.test" in third
    for bad in ("0", "-1", "abc", "99999999999999999999", "²"):
        assert client.get(log_url(), {"page": bad}).status_code == 200


@pytest.mark.parametrize("count", [10, 100])
def test_the_log_asks_the_same_queries_however_long_it_is(
    as_member, personas, django_assert_max_num_queries, count
):
    for n in range(count):
        access_event_record(
            kind=AccessEvent.Kind.ROLE_CHANGED,
            user=personas.board,
            actor=UserFactory(),
            district=personas.district,
            detail=f"change {n}",
        )
    client = as_member(personas.admin)
    with django_assert_max_num_queries(8):
        assert client.get(log_url()).status_code == 200


def test_the_people_page_links_to_the_log(as_member, personas):
    assert (
        log_url() in as_member(personas.admin).get(reverse("people:index", args=["lakeside"])).text
    )


def test_the_csv_has_every_matching_line_with_the_same_filters(as_member, personas, events):
    client = as_member(personas.admin)
    response = client.get(export_url(), {"kind": "sign_in_failed"})
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    lines = rows(response)
    assert lines[0] == ["when", "what", "email", "by", "detail", "ip_address"]
    assert [line[2] for line in lines[1:]] == ["board@lakeside.test"]
    assert lines[1][1] == "Sign-in failed"
    every = rows(client.get(export_url()))
    assert {line[2] for line in every[1:]} == {
        "new@lakeside.test",
        "cabinet@lakeside.test",
        "board@lakeside.test",
    }


def test_the_csv_cannot_carry_a_spreadsheet_formula(as_member, personas):
    access_event_record(
        kind=AccessEvent.Kind.ROLE_CHANGED,
        user=personas.board,
        district=personas.district,
        detail='=HYPERLINK("https://evil.example","x")',
    )
    lines = rows(as_member(personas.admin).get(export_url()))
    assert lines[1][4] == '\'=HYPERLINK("https://evil.example","x")'


def test_html_in_a_detail_is_shown_as_text(as_member, personas):
    access_event_record(
        kind=AccessEvent.Kind.ROLE_CHANGED,
        user=personas.board,
        district=personas.district,
        detail='<script>alert("x")</script>',
    )
    page = as_member(personas.admin).get(log_url()).text
    assert '<script>alert("x")</script>' not in page
    assert "&lt;script&gt;" in page


def test_a_member_of_another_district_gets_404(as_member, personas, events):
    client = as_member(personas.outsider)
    assert client.get(log_url()).status_code == 404
    assert client.get(export_url()).status_code == 404


@pytest.mark.parametrize("role", [r for r in Role if r != Role.ADMIN])
def test_only_district_admins_read_the_log(as_member, personas, events, role):
    client = as_member(personas.by_role()[role])
    assert client.get(log_url()).status_code == 403
    assert client.get(export_url()).status_code == 403
