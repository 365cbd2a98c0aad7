"""Inviting many people at once from a CSV file: upload, preview every row, then confirm."""

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.forms import InvitationImportConfirmForm
from accounts.invitation_import import plan_invitation_import
from accounts.models import Invitation
from accounts.services import invitation_import_apply
from core.csv_import import ImportFileError
from core.roles import Role
from tests.factories import CampusFactory, DepartmentFactory, InvitationFactory

pytestmark = pytest.mark.usefixtures("tasks_in_process")

CSV = """Email,Name,Role,Campuses,Title
Ana.Ruiz@Lakeside.test,Ana Ruiz,Campus leader,Lakeside Elementary,Principal
ben@lakeside.test,Ben Cho,Jefe de departamento,special education,
carla@lakeside.test,Carla Núñez,cabinet,,Assistant Superintendent
"""


def url(slug="lakeside"):
    return reverse("people:invite_csv", args=[slug])


def upload(client, text, name="people.csv"):
    data = text.encode("utf-8") if isinstance(text, str) else text
    return client.post(url(), {"file": SimpleUploadedFile(name, data, "text/csv")})


def confirm(client, preview_response):
    token = preview_response.context["confirm_form"].initial["token"]
    return client.post(url(), {"token": token}, follow=True)


def actions(plan):
    return {row.values["email"]: row.action for row in plan.rows}


# --- The plan ------------------------------------------------------------------------------


def test_roles_are_read_in_english_spanish_or_as_their_code(personas):
    plan = plan_invitation_import(personas.district, CSV)
    assert actions(plan) == {
        "ana.ruiz@lakeside.test": "invite",
        "ben@lakeside.test": "invite",
        "carla@lakeside.test": "invite",
    }
    roles = [row.values["role"] for row in plan.rows]
    assert roles == [Role.CAMPUS_LEADER, Role.DEPARTMENT_LEAD, Role.CABINET]
    assert [c.name for c in plan.rows[0].campuses] == ["Lakeside Elementary"]
    assert [d.name for d in plan.rows[1].departments] == ["Special Education"]


def test_campus_names_match_without_accents_or_case(personas):
    CampusFactory(district=personas.district, name="Peña Middle School")
    plan = plan_invitation_import(
        personas.district,
        "email,role,campus\nx@lakeside.test,campus_leader,pena MIDDLE school; LAKESIDE elementary\n",
    )
    (row,) = plan.rows
    assert row.action == "invite"
    assert sorted(c.name for c in row.campuses) == ["Lakeside Elementary", "Peña Middle School"]


def test_another_districts_campus_name_is_refused(personas):
    CampusFactory(district=personas.other_district, name="Hillcrest High")
    DepartmentFactory(district=personas.other_district, name="Hillcrest Finance")
    plan = plan_invitation_import(
        personas.district,
        "email,role,campus\n"
        "x@lakeside.test,Campus leader,Hillcrest High\n"
        "y@lakeside.test,Department lead,Hillcrest Finance\n",
    )
    assert [row.action for row in plan.rows] == ["reject", "reject"]
    assert "no campus called “Hillcrest High”" in plan.rows[0].errors[0]
    assert "no department called “Hillcrest Finance”" in plan.rows[1].errors[0]


def test_bad_rows_are_rejected_with_their_reason(personas):
    text = (
        "email,name,role,campus,title\n"
        ",No Address,cabinet,,\n"
        "not-an-address,Someone,cabinet,,\n"
        "king@lakeside.test,King,emperor,,\n"
        "lead@lakeside.test,Lead,campus leader,,\n"
        "long@lakeside.test," + "x" * 201 + ",board,,\n"
        "twice@lakeside.test,Once,board,,\n"
        "TWICE@lakeside.test,Twice,board,,\n"
    )
    plan = plan_invitation_import(personas.district, text)
    reasons = [(row.line, row.action, " ".join(row.errors)) for row in plan.rows]
    assert reasons[0][1:] == ("reject", "The email address is empty.")
    assert "is not an email address" in reasons[1][2]
    assert "Role “emperor” is not one of: District admin, Cabinet" in reasons[2][2]
    assert reasons[3][2] == "A campus leader leads at least one campus."
    assert "Name is longer than 200 characters" in reasons[4][2]
    assert reasons[5][1] == "invite"
    assert reasons[6][1:] == ("reject", "Row 7 of this file has the same email address.")


def test_members_are_skipped_and_pending_addresses_invited_again(personas):
    InvitationFactory(district=personas.district, email="waiting@lakeside.test")
    plan = plan_invitation_import(
        personas.district,
        "email,role\nCABINET@lakeside.test,board\nwaiting@lakeside.test,board\n"
        "outsider@hillcrest.test,board\n",
    )
    assert actions(plan) == {
        "cabinet@lakeside.test": "member",
        "waiting@lakeside.test": "reinvite",
        "outsider@hillcrest.test": "invite",
    }


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("name,title\nAna,Principal\n", "no column was recognised for Email and Role"),
        ("", "The file is empty."),
        ("email,role\n" + "x@lakeside.test,board\n" * 2001, "at most 2000 are accepted"),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_as_a_whole(personas, text, message):
    with pytest.raises(ImportFileError, match=message):
        plan_invitation_import(personas.district, text)


# --- Confirming ----------------------------------------------------------------------------


def test_confirming_invites_everyone_at_once_and_then_emails_them(
    personas, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        plan = invitation_import_apply(district=personas.district, text=CSV, by=personas.admin)
        assert not mail.outbox
    for callback in callbacks:
        callback()
    assert len(plan.to_invite) == 3
    assert sorted(m.to[0] for m in mail.outbox) == [
        "ana.ruiz@lakeside.test",
        "ben@lakeside.test",
        "carla@lakeside.test",
    ]
    ana = Invitation.objects.get(email="ana.ruiz@lakeside.test")
    assert (ana.full_name, ana.title, ana.role) == ("Ana Ruiz", "Principal", Role.CAMPUS_LEADER)


def test_a_row_that_no_longer_fits_saves_nothing(personas, django_capture_on_commit_callbacks):
    # Between preview and confirm, Ben became a member: the file is planned again, and the
    # district's campus is deleted, so Ana's row cannot be invited.
    personas.district.campuses.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        plan = invitation_import_apply(district=personas.district, text=CSV, by=personas.admin)
    assert [row.action for row in plan.rows] == ["reject", "invite", "invite"]
    assert Invitation.objects.count() == 2


def test_a_refused_invitation_rolls_the_whole_file_back(
    personas, monkeypatch, django_capture_on_commit_callbacks
):
    from django.core.exceptions import ValidationError

    from accounts import services

    real = services.invitation_create

    def refuse_carla(**kwargs):
        if kwargs["email"].startswith("carla"):
            raise ValidationError("Refused.")
        return real(**kwargs)

    monkeypatch.setattr(services, "invitation_create", refuse_carla)
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(ImportFileError, match=r"Row 4: Refused\. Nothing was saved"),
    ):
        invitation_import_apply(district=personas.district, text=CSV, by=personas.admin)
    assert not Invitation.objects.exists()
    assert not mail.outbox


# --- The pages -----------------------------------------------------------------------------


def test_preview_shows_each_row_and_invites_no_one(as_member, personas):
    text = CSV + "bad-address,Zed,cabinet,,\n"
    response = upload(as_member(personas.admin), text)
    assert response.status_code == 200
    assert "<strong>3</strong> to invite" in response.text
    assert "“bad-address” is not an email address." in response.text
    assert "Invite 3 people" in response.text
    assert not Invitation.objects.exists()


def test_preview_then_confirm_invites_and_emails(
    as_member, personas, django_capture_on_commit_callbacks
):
    client = as_member(personas.admin)
    preview = upload(client, CSV)
    with django_capture_on_commit_callbacks(execute=True):
        response = confirm(client, preview)
    assert response.redirect_chain[-1][0] == reverse("people:index", args=["lakeside"])
    assert "3 invitations are on their way." in response.text
    assert Invitation.objects.filter(district=personas.district).count() == 3
    assert len(mail.outbox) == 3
    assert "carla@lakeside.test" in response.text


def test_html_in_a_file_is_shown_as_text(as_member, personas):
    script = '<script>alert("x")</script>'
    response = upload(
        as_member(personas.admin),
        f"email,name,role,campus,title\nx@lakeside.test,{script},cabinet,{script},{script}\n",
    )
    assert script not in response.text
    assert "&lt;script&gt;" in response.text


def test_a_tampered_preview_is_refused(as_member, personas):
    response = as_member(personas.admin).post(url(), {"token": "forged"})
    assert response.status_code == 200
    assert "No one was invited." in response.text
    assert not Invitation.objects.exists()


def test_a_preview_from_another_district_cannot_be_confirmed_here(as_member, personas):
    token = InvitationImportConfirmForm.sign(district=personas.other_district, text=CSV)
    response = as_member(personas.admin).post(url(), {"token": token})
    assert "This preview belongs to another district." in response.text
    assert not Invitation.objects.exists()


def test_a_binary_or_empty_upload_is_refused_beside_the_field(as_member, personas):
    client = as_member(personas.admin)
    response = upload(client, b"\x00\x01\x02PK binary")
    assert 'id="id_file_error"' in response.text
    response = client.post(url(), {})
    assert "Choose a CSV file to upload." in response.text


def test_preview_query_budget_does_not_grow_with_the_file(
    as_member, personas, django_assert_max_num_queries
):
    client = as_member(personas.admin)
    small = "email,role,campus\n" + "".join(
        f"p{n}@lakeside.test,campus leader,Lakeside Elementary\n" for n in range(3)
    )
    big = "email,role,campus\n" + "".join(
        f"p{n}@lakeside.test,campus leader,Lakeside Elementary\n" for n in range(300)
    )
    with django_assert_max_num_queries(12) as captured:
        upload(client, small)
    with django_assert_max_num_queries(len(captured.captured_queries)):
        upload(client, big)


def test_only_admins_may_upload(as_member, personas):
    response = upload(as_member(personas.cabinet), CSV)
    assert response.status_code == 403
    assert not Invitation.objects.exists()
