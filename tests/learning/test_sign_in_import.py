"""Importing a sign-in sheet: upload → preview of every row → confirm in one transaction."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.csv_import import MAX_FILE_BYTES, ImportFileError
from learning.models import Participant, Participation
from learning.services import sign_in_sheet_apply
from learning.sign_in_import import plan_sign_in_sheet
from tests.factories import OfferingFactory, ParticipationFactory, SessionFactory

DAY = datetime.date(2026, 11, 3)


def url(offering):
    return reverse("learning:import", args=["lakeside", offering.pk])


def upload(client, offering, text):
    data = text.encode("utf-8") if isinstance(text, str) else text
    return client.post(url(offering), {"file": SimpleUploadedFile("sheet.csv", data, "text/csv")})


def confirm(client, offering, preview):
    token = preview.context["confirm_form"].initial["token"]
    return client.post(url(offering), {"token": token})


@pytest.fixture
def session(offering):
    return SessionFactory(offering=offering, date=DAY)


SHEET = """Name,Campus,Role,Date
Ana Peña,Lakeside Elementary,Teacher,11/3/2026
Marcus Lee,lakeside elementary,teacher,2026-11-03
Mei Chen,Lakeside Elementary,Instructional coach,2026-11-03
"""


def test_preview_counts_by_campus_and_role_and_saves_nothing(
    as_member, personas, offering, session
):
    response = upload(as_member(personas.cabinet), offering, SHEET)
    assert response.status_code == 200
    text = response.text
    assert "<strong>3</strong> to count" in text
    assert "Lakeside Elementary · Teachers: 0 → <strong>2</strong>" in text
    assert "Lakeside Elementary · Instructional coaches: 0 → <strong>1</strong>" in text
    assert not Participation.objects.exists()


def test_confirm_writes_the_counts_and_importing_again_changes_nothing(
    as_member, personas, offering, session, campus
):
    client = as_member(personas.cabinet)
    response = confirm(client, offering, upload(client, offering, SHEET))
    assert response.status_code == 302
    counts = {(p.staff_role, p.count) for p in Participation.objects.filter(session=session)}
    assert counts == {("teacher", 2), ("coach", 1)}
    assert not Participant.objects.exists()  # this offering keeps no names
    again = upload(client, offering, SHEET)
    assert "Nothing to import" in again.text


def test_without_names_the_sheets_tally_replaces_the_recorded_count(
    personas, offering, session, campus
):
    ParticipationFactory(session=session, campus=campus, staff_role="teacher", count=9)
    plan = plan_sign_in_sheet(offering, SHEET)
    teachers = next(c for c in plan.changes if c.staff_role == "teacher")
    assert (teachers.old, teachers.new) == (9, 2)


def test_with_names_kept_new_people_are_added_and_counted_once(
    as_member, personas, session, campus
):
    offering = session.offering
    offering.keeps_names = True
    offering.save()
    ParticipationFactory(session=session, campus=campus, staff_role="teacher", count=5)
    client = as_member(personas.cabinet)
    confirm(client, offering, upload(client, offering, SHEET))
    assert sorted(Participant.objects.values_list("name", flat=True)) == [
        "Ana Peña",
        "Marcus Lee",
        "Mei Chen",
    ]
    assert Participation.objects.get(session=session, staff_role="teacher").count == 7
    preview = upload(client, offering, SHEET)
    assert "<strong>3</strong> already recorded" in preview.text
    page = client.get(reverse("learning:offering", args=["lakeside", offering.pk])).text
    assert "Ana Peña" in page


def test_unicode_names_and_a_byte_order_mark_are_read(personas, offering, session):
    plan = plan_sign_in_sheet(
        offering,
        "\ufeffName,Campus,Role,Date\nZoë Ñúñez-李,Lakeside Elementary,Principal,11/3/26\n",
    )
    [row] = plan.rows
    assert (row.action, row.values["name"], row.staff_role) == (
        "add",
        "Zoë Ñúñez-李",
        "campus_leader",
    )


def test_bad_rows_are_refused_each_with_its_reason(personas, offering, session, other_campus):
    plan = plan_sign_in_sheet(
        offering,
        "Name,Campus,Role,Date\n"
        "Ana Peña,Hillcrest Elementary,Teacher,11/3/2026\n"
        "Marcus Lee,Lakeside Elementary,Teacher,11/4/2026\n"
        "Mei Chen,Lakeside Elementary,Janitor,11/3/2026\n"
        "Sam Ray,Lakeside Elementary,Teacher,15/11/2026\n"
        ",Lakeside Elementary,Teacher,11/3/2026\n"
        "Grace Kim,Lakeside Elementary,Teacher,11/3/2026\n"
        "grace kim,Lakeside Elementary,Coach,11/3/2026\n",
    )
    reasons = [row.errors for row in plan.rows]
    assert reasons[0] == ["“Hillcrest Elementary” is not a campus of this district."]
    assert reasons[1] == ["This offering has no session on Nov 4, 2026."]
    assert reasons[2][0].startswith("Role “Janitor” is not one of: teachers, campus leaders")
    assert reasons[3] == ["“15/11/2026” is not a date like 2026-11-15 or 11/15/2026."]
    assert reasons[4] == ["The name is empty."]
    assert reasons[5] == []
    assert reasons[6] == ["Row 7 of this file has the same person on this date."]
    assert plan.counts == {"add": 1, "unchanged": 0, "reject": 6}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "The file is empty."),
        ("\n\n", "The file is empty."),
        ("Person,School\nAna,Lakeside Elementary\n", "missing: name, role, date"),
        ("Name,Campus,Role,Date\n", "has no one signed in"),
        (b"\x00\x01PK", "This is not a CSV text file."),
        (b"x" * (MAX_FILE_BYTES + 1), "files up to 2 MB are accepted"),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_next_to_the_field(
    as_member, personas, offering, session, text, message
):
    response = upload(as_member(personas.cabinet), offering, text)
    assert response.status_code == 200
    assert message in response.text
    assert 'class="errorlist' in response.text
    assert not Participation.objects.exists()


def test_too_many_rows_are_refused(personas, offering, session):
    rows = "".join(f"P{n},Lakeside Elementary,Teacher,11/3/2026\n" for n in range(5001))
    with pytest.raises(ImportFileError, match="at most 5000"):
        plan_sign_in_sheet(offering, "Name,Campus,Role,Date\n" + rows)


def test_a_preview_of_one_offering_cannot_be_confirmed_on_another(
    as_member, personas, offering, session
):
    client = as_member(personas.cabinet)
    preview = upload(client, offering, SHEET)
    elsewhere = OfferingFactory(district=personas.district)
    SessionFactory(offering=elsewhere, date=DAY)
    token = preview.context["confirm_form"].initial["token"]
    response = client.post(url(elsewhere), {"token": token})
    assert "This preview could not be read; upload the file again." in response.text
    assert not Participation.objects.exists()


def test_confirm_writes_everything_or_nothing(personas, offering, session, monkeypatch):
    offering.keeps_names = True
    offering.save()

    def fail(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(Participant.objects, "bulk_create", fail)
    with pytest.raises(RuntimeError):
        sign_in_sheet_apply(offering=offering, user=personas.cabinet, text=SHEET)
    assert not Participation.objects.exists()


def test_only_editors_import_and_outsiders_get_404(as_member, personas, offering, session):
    assert as_member(personas.visit_team).get(url(offering)).status_code == 403
    assert as_member(personas.outsider).get(url(offering)).status_code == 404
