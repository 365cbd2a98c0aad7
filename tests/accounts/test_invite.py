"""District admins invite people by a form, see who has not answered, send again and withdraw."""

import datetime
import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import AccessEvent, Invitation, invitation_token_hash
from accounts.selectors import invitation_by_token
from accounts.services import invitation_create, invitation_resend, invitation_revoke
from core.roles import Role
from tests.factories import (
    CampusFactory,
    DepartmentFactory,
    InvitationFactory,
    MembershipFactory,
    UserFactory,
)

LINK = re.compile(r"https?://\S+/accounts/invitation/(\S+)/")


pytestmark = pytest.mark.usefixtures("tasks_in_process")


def invite_url(slug="lakeside"):
    return reverse("people:invite", args=[slug])


def invite(personas, capture, **fields):
    values = {
        "district": personas.district,
        "email": "new.teacher@lakeside.test",
        "full_name": "Nueva Maestra",
        "role": Role.CABINET,
        "title": "",
        "campuses": [],
        "departments": [],
        "by": personas.admin,
    } | fields
    with capture(execute=True):
        return invitation_create(**values)


def token_in(message):
    return LINK.search(message.body).group(1)


# --- The service ---------------------------------------------------------------------------


def test_an_invitation_stores_a_hash_of_the_emailed_token_never_the_token(
    personas, django_capture_on_commit_callbacks
):
    invitation = invite(personas, django_capture_on_commit_callbacks, email="New@Lakeside.TEST")
    (message,) = mail.outbox
    token = token_in(message)
    assert message.to == ["new@lakeside.test"]
    assert invitation.email == "new@lakeside.test"
    assert invitation.token_hash == invitation_token_hash(token)
    assert token not in str(Invitation.objects.filter(pk=invitation.pk).values().get())
    assert invitation_by_token(token) == invitation
    assert "Lakeside Unified School District" in message.subject
    assert "Cabinet" in message.body


def test_the_link_expires_after_invitation_days(
    personas, settings, django_capture_on_commit_callbacks
):
    settings.INVITATION_DAYS = 3
    invitation = invite(personas, django_capture_on_commit_callbacks)
    assert invitation.expires_at - invitation.sent_at == datetime.timedelta(days=3)


def test_the_email_links_to_the_site_the_admin_used(
    as_member, personas, django_capture_on_commit_callbacks
):
    client = as_member(personas.admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(invite_url(), {"email": "x@lakeside.test", "role": Role.BOARD})
    (message,) = mail.outbox
    assert "http://testserver/accounts/invitation/" in message.body


def test_inviting_is_in_the_access_log(personas, django_capture_on_commit_callbacks):
    invite(personas, django_capture_on_commit_callbacks)
    event = AccessEvent.objects.get(kind=AccessEvent.Kind.INVITED)
    assert (event.email, event.district, event.actor) == (
        "new.teacher@lakeside.test",
        personas.district,
        personas.admin,
    )


def test_a_member_of_this_district_is_not_invited(personas, django_capture_on_commit_callbacks):
    with pytest.raises(ValidationError) as refused:
        invite(personas, django_capture_on_commit_callbacks, email="Cabinet@Lakeside.test")
    assert "already a member of this district" in str(refused.value.message_dict["email"])
    assert not Invitation.objects.exists()
    assert not mail.outbox


def test_a_deactivated_member_is_pointed_to_reactivation(
    personas, django_capture_on_commit_callbacks
):
    membership = personas.board.memberships.get()
    membership.is_active = False
    membership.save()
    with pytest.raises(ValidationError, match="reactivate them"):
        invite(personas, django_capture_on_commit_callbacks, email="board@lakeside.test")


def test_a_member_of_another_district_can_be_invited_here(
    personas, django_capture_on_commit_callbacks
):
    invitation = invite(
        personas, django_capture_on_commit_callbacks, email="outsider@hillcrest.test"
    )
    assert invitation.district == personas.district
    assert len(mail.outbox) == 1


def test_inviting_a_pending_address_again_replaces_its_invitation(
    personas, django_capture_on_commit_callbacks
):
    first = invite(personas, django_capture_on_commit_callbacks)
    second = invite(
        personas, django_capture_on_commit_callbacks, role=Role.BOARD, full_name="N. M."
    )
    assert second.pk == first.pk
    assert Invitation.objects.get().role == Role.BOARD
    old, new = (token_in(m) for m in mail.outbox)
    assert invitation_by_token(old) is None
    assert invitation_by_token(new) == second


def test_a_campus_leader_needs_a_campus_of_this_district(
    personas, django_capture_on_commit_callbacks
):
    with pytest.raises(ValidationError) as refused:
        invite(personas, django_capture_on_commit_callbacks, role=Role.CAMPUS_LEADER)
    assert "campuses" in refused.value.message_dict
    elsewhere = CampusFactory(district=personas.other_district)
    with pytest.raises(ValidationError, match="must belong to"):
        invite(
            personas,
            django_capture_on_commit_callbacks,
            role=Role.CAMPUS_LEADER,
            campuses=[elsewhere],
        )
    assert not Invitation.objects.exists()


def test_resending_makes_a_new_link_and_the_old_one_stops_working(
    personas, django_capture_on_commit_callbacks
):
    invitation = invite(personas, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        invitation_resend(invitation=invitation, by=personas.admin)
    old, new = (token_in(m) for m in mail.outbox)
    assert old != new
    assert invitation_by_token(old) is None
    assert invitation_by_token(new).pk == invitation.pk


def test_an_email_queued_before_a_resend_is_not_sent(personas, django_capture_on_commit_callbacks):
    from accounts.tasks import send_invitation_email

    invitation = invite(personas, django_capture_on_commit_callbacks)
    old = token_in(mail.outbox[0])
    with django_capture_on_commit_callbacks(execute=True):
        invitation_resend(invitation=invitation, by=personas.admin)
    # A retry of the first email, run late by a worker.
    assert send_invitation_email(invitation.pk, old, "http://testserver") == "nothing to send"
    assert len(mail.outbox) == 2


def test_a_withdrawn_invitation_link_no_longer_works(personas, django_capture_on_commit_callbacks):
    invitation = invite(personas, django_capture_on_commit_callbacks)
    invitation_revoke(invitation=invitation, by=personas.admin)
    assert invitation_by_token(token_in(mail.outbox[0])).status == Invitation.Status.REVOKED
    assert AccessEvent.objects.filter(
        kind=AccessEvent.Kind.INVITATION_WITHDRAWN, email=invitation.email, actor=personas.admin
    ).exists()
    # Withdrawn, the address may be invited afresh.
    invite(personas, django_capture_on_commit_callbacks)
    assert Invitation.objects.count() == 2


def test_the_email_is_in_the_language_the_invitee_picked(
    personas, django_capture_on_commit_callbacks
):
    UserFactory(email="lectora@hillcrest.test", language="es")
    invite(personas, django_capture_on_commit_callbacks, email="lectora@hillcrest.test")
    (message,) = mail.outbox
    assert message.subject.startswith("Está invitado")
    assert "Gabinete" in message.body


def test_a_newcomer_gets_the_email_in_english_whatever_the_admin_reads(
    personas, django_capture_on_commit_callbacks
):
    with translation.override("es"):
        invite(personas, django_capture_on_commit_callbacks)
    assert mail.outbox[0].subject.startswith("You are invited")


# --- The pages -----------------------------------------------------------------------------


def test_the_admin_invites_by_the_form(as_member, personas, django_capture_on_commit_callbacks):
    campus = CampusFactory(district=personas.district, name="Rio Vista Middle")
    client = as_member(personas.admin)
    page = client.get(invite_url())
    assert "Rio Vista Middle" in page.text
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            invite_url(),
            {
                "email": "Principal2@Lakeside.test",
                "full_name": "Rosa Díaz",
                "role": Role.CAMPUS_LEADER,
                "title": "Principal",
                "campuses": [campus.pk],
            },
            follow=True,
        )
    assert response.redirect_chain[-1][0] == reverse("people:index", args=["lakeside"])
    assert "An invitation is on its way to principal2@lakeside.test." in response.text
    invitation = Invitation.objects.get()
    assert list(invitation.campuses.all()) == [campus]
    assert invitation.invited_by == personas.admin
    assert len(mail.outbox) == 1


def test_the_form_offers_only_this_districts_campuses_and_departments(as_member, personas):
    CampusFactory(district=personas.other_district, name="Hillcrest High")
    DepartmentFactory(district=personas.other_district, name="Hillcrest Finance")
    page = as_member(personas.admin).get(invite_url()).text
    assert "Lakeside Elementary" in page
    assert "Special Education" in page
    assert "Hillcrest" not in page


def test_another_districts_campus_is_refused_beside_the_field(as_member, personas):
    elsewhere = CampusFactory(district=personas.other_district)
    response = as_member(personas.admin).post(
        invite_url(),
        {"email": "x@lakeside.test", "role": Role.CAMPUS_LEADER, "campuses": [elsewhere.pk]},
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    assert not Invitation.objects.exists()


def test_refusals_are_shown_beside_their_field(as_member, personas):
    client = as_member(personas.admin)
    response = client.post(invite_url(), {"email": "cabinet@lakeside.test", "role": Role.BOARD})
    assert 'id="id_email_error"' in response.text
    assert "already a member of this district" in response.text
    response = client.post(invite_url(), {"email": "x@lakeside.test", "role": Role.DEPARTMENT_LEAD})
    assert 'id="id_departments_error"' in response.text
    assert not Invitation.objects.exists()


def test_names_written_as_html_are_shown_as_text(
    as_member, personas, django_capture_on_commit_callbacks
):
    client = as_member(personas.admin)
    script = '<script>alert("x")</script>'
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            invite_url(),
            {"email": "x@lakeside.test", "role": Role.BOARD, "full_name": script, "title": script},
        )
    page = client.get(reverse("people:index", args=["lakeside"])).text
    assert script not in page
    assert "&lt;script&gt;" in page


def test_the_people_page_lists_pending_invitations_in_a_fixed_number_of_queries(
    as_member, personas, django_assert_max_num_queries
):
    campus = personas.district.campuses.get()
    department = personas.district.departments.get()
    for _ in range(3):
        InvitationFactory(district=personas.district, invited_by=personas.admin, campuses=[campus])
        InvitationFactory(district=personas.district, departments=[department])
    client = as_member(personas.admin)
    url = reverse("people:index", args=["lakeside"])
    client.get(url)
    with django_assert_max_num_queries(14) as captured:
        page = client.get(url)
    for _ in range(10):
        InvitationFactory(district=personas.district, invited_by=personas.admin, campuses=[campus])
    with django_assert_max_num_queries(len(captured.captured_queries)):
        page = client.get(url)
    assert page.text.count("Send again") == 16


def test_accepted_withdrawn_and_other_districts_invitations_are_not_listed(as_member, personas):
    InvitationFactory(district=personas.district, email="waiting@lakeside.test")
    InvitationFactory(
        district=personas.district, email="took@lakeside.test", accepted_at=timezone.now()
    )
    InvitationFactory(
        district=personas.district, email="gone@lakeside.test", revoked_at=timezone.now()
    )
    InvitationFactory(district=personas.other_district, email="elsewhere@hillcrest.test")
    page = as_member(personas.admin).get(reverse("people:index", args=["lakeside"])).text
    assert "waiting@lakeside.test" in page
    for email in ("took@", "gone@", "elsewhere@"):
        assert email not in page


def test_an_expired_invitation_is_listed_as_expired_and_can_be_sent_again(
    as_member, personas, django_capture_on_commit_callbacks
):
    invitation = InvitationFactory(
        district=personas.district, expires_at=timezone.now() - datetime.timedelta(days=1)
    )
    client = as_member(personas.admin)
    page = client.get(reverse("people:index", args=["lakeside"])).text
    assert "Expired" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("people:invitation_resend", args=["lakeside", invitation.pk]))
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.PENDING
    assert len(mail.outbox) == 1


def test_resend_and_withdraw_ask_first_then_act_on_post(
    as_member, personas, django_capture_on_commit_callbacks
):
    invitation = InvitationFactory(district=personas.district, email="someone@lakeside.test")
    client = as_member(personas.admin)
    for name in ("people:invitation_resend", "people:invitation_revoke"):
        page = client.get(reverse(name, args=["lakeside", invitation.pk]))
        assert page.status_code == 200
        assert "someone@lakeside.test" in page.text
    assert not mail.outbox
    invitation.refresh_from_db()
    assert invitation.revoked_at is None
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("people:invitation_revoke", args=["lakeside", invitation.pk]), follow=True
        )
    assert "its link no longer works" in response.text
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    # Withdrawn, it has no pages of its own any more.
    url = reverse("people:invitation_resend", args=["lakeside", invitation.pk])
    assert client.post(url).status_code == 404
    assert not mail.outbox


INVITATION_PAGES = ["people:invite", "people:invite_csv"]
INVITATION_OBJECT_PAGES = ["people:invitation_resend", "people:invitation_revoke"]


def _urls(personas, district):
    invitation = InvitationFactory(district=personas.district)
    return [reverse(name, args=[district.slug]) for name in INVITATION_PAGES] + [
        reverse(name, args=[district.slug, invitation.pk]) for name in INVITATION_OBJECT_PAGES
    ]


@pytest.mark.parametrize("role", [r for r in Role if r != Role.ADMIN])
def test_only_district_admins_may_invite(as_member, personas, role):
    client = as_member(personas.by_role()[role])
    for url in _urls(personas, personas.district):
        assert client.get(url).status_code == 403, url
        assert client.post(url).status_code == 403, url
    assert "Invite someone" not in client.get(reverse("dashboard:home", args=["lakeside"])).text


def test_an_outsider_gets_404_for_every_invitation_page(as_member, personas):
    client = as_member(personas.outsider)
    for url in _urls(personas, personas.district):
        assert client.get(url).status_code == 404, url
        assert client.post(url).status_code == 404, url


def test_another_districts_invitation_is_404_inside_your_own(as_member, personas):
    # The outsider administers Hillcrest and names a Lakeside invitation there.
    invitation = InvitationFactory(district=personas.district)
    client = as_member(personas.outsider)
    for name in INVITATION_OBJECT_PAGES:
        url = reverse(name, args=["hillcrest", invitation.pk])
        assert client.get(url).status_code == 404
        assert client.post(url).status_code == 404
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


def test_a_member_of_two_districts_is_managed_separately_in_each(
    as_member, personas, django_capture_on_commit_callbacks
):
    MembershipFactory(user=personas.cabinet, district=personas.other_district, role=Role.BOARD)
    client = as_member(personas.outsider)
    response = client.post(
        reverse("people:invite", args=["hillcrest"]),
        {"email": "cabinet@lakeside.test", "role": Role.CABINET},
    )
    assert "already a member of this district" in response.text
