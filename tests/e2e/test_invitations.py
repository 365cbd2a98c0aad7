"""The whole of inviting, as the issue that built it asked: a district admin invites one person
by the form and two by CSV; one of them opens the emailed link, chooses a password and lands in
the district, another accepts through the district's identity provider (a real OpenID Connect
provider on this machine), and the admin then deactivates the first, whose open browser loses
the district at its next page."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts.models import AccessEvent, IdentityProvider, Invitation, Membership
from config.celery import app
from tests.e2e.conftest import assert_accessible, sign_in
from tests.oidc_mock import running_provider

CSV = """Email,Name,Role,Campuses,Title
ana.ruiz@demo.test,Ana Ruiz,Directivo de escuela,alder creek elementary,Principal
ben.cho@demo.test,Ben Cho,Department lead,Special Education,
"""
LINK = re.compile(r"https?://\S+(/accounts/invitation/\S+/)")


@pytest.fixture
def tasks_in_process():
    # The live server runs in this process: emails queued there land in mail.outbox.
    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before


@pytest.fixture
def demo_provider(demo):
    with running_provider() as server:
        # seed_demo points `demo` at the provider `make run` starts; here, at this test's.
        IdentityProvider.objects.filter(district__slug="demo").update(server_url=server.url)
        yield server


def test_admin_invites_three_who_join_by_password_and_by_the_provider_then_deactivates_one(
    open_page, demo_provider, tasks_in_process, tmp_path
):
    mail.outbox = []
    page = open_page("tablet-landscape")
    sign_in(page, "admin@demo.test")
    page.goto("/d/demo/people/")
    page.get_by_role("link", name="Invite someone").click()
    page.get_by_label("Email address").fill("rosa.diaz@demo.test")
    page.get_by_label("Name").fill("Rosa Díaz")
    page.get_by_label("Role").select_option(label="Board")
    assert_accessible(page, "invite-form", wcag=True)
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.get_by_role("status")).to_contain_text(
        "An invitation is on its way to rosa.diaz@demo.test."
    )

    csv_file = tmp_path / "people.csv"
    csv_file.write_text(CSV, encoding="utf-8")
    page.get_by_role("link", name="Invite from a CSV file").click()
    page.get_by_label("People to invite (CSV)").set_input_files(str(csv_file))
    page.get_by_role("button", name="Preview invitations").click()
    expect(page.get_by_role("heading", name="Preview: invitations")).to_be_visible()
    expect(page.locator("tbody tr")).to_have_count(2)
    assert Invitation.objects.filter(district__slug="demo").count() == 1
    assert_accessible(page, "invite-csv-preview", wcag=True)
    page.get_by_role("button", name="Invite 2 people").click()
    expect(page.get_by_role("status")).to_contain_text("2 invitations are on their way.")
    expect(page.locator("#invitations-heading + .table-wrap tbody tr")).to_have_count(3)
    assert sorted(m.to[0] for m in mail.outbox) == [
        "ana.ruiz@demo.test",
        "ben.cho@demo.test",
        "rosa.diaz@demo.test",
    ]

    (email,) = [m for m in mail.outbox if m.to == ["ana.ruiz@demo.test"]]
    link = LINK.search(email.body).group(1)
    invitee = open_page("phone")
    invitee.goto(link)
    expect(invitee.get_by_role("heading", level=1)).to_contain_text("Join")
    expect(invitee.locator("main")).to_contain_text("Campus leader")
    assert_accessible(invitee, "accept-invitation", wcag=True)
    invitee.get_by_label("Your name").fill("Ana Ruiz")
    invitee.get_by_label("Password", exact=True).fill("lantern-orchard-2026")
    invitee.get_by_label("The same password again").fill("lantern-orchard-2026")
    invitee.get_by_role("button", name="Accept and sign in").click()
    expect(invitee).to_have_url(re.compile(r"/d/demo/$"))
    expect(invitee.get_by_role("status")).to_contain_text("Welcome to")
    membership = Membership.objects.get(user__email="ana.ruiz@demo.test", district__slug="demo")
    assert [c.name for c in membership.campuses.all()] == ["Alder Creek Elementary"]

    invitee.goto(link)
    expect(invitee.get_by_role("heading", level=1)).to_have_text("This invitation cannot be used")

    (email,) = [m for m in mail.outbox if m.to == ["ben.cho@demo.test"]]
    demo_provider.set_user("ben.cho@demo.test", name="Ben Cho")
    ben = open_page("tablet-portrait")
    # The provider's page pulls its stylesheet from a CDN; the test needs none of it.
    ben.route(re.compile(r"^https://cdn\."), lambda route: route.abort())
    ben.goto(LINK.search(email.body).group(1))
    ben.get_by_role("button", name="Accept with Demo ID").click()
    expect(ben).to_have_url(re.compile(r"/oauth2/authorize\?"))
    ben.locator("input[name=sub]").fill("ben.cho@demo.test")
    ben.get_by_role("button", name="Authorize").click()
    expect(ben).to_have_url(re.compile(r"/d/demo/$"))
    membership = Membership.objects.get(user__email="ben.cho@demo.test", district__slug="demo")
    assert [d.name for d in membership.departments.all()] == ["Special Education"]

    page.goto("/d/demo/people/")
    page.locator("tr", has_text="ana.ruiz@demo.test").get_by_role("link").first.click()
    page.get_by_role("link", name="Deactivate").click()
    page.get_by_role("button", name="Deactivate").click()
    expect(page.get_by_role("status")).to_contain_text(
        "ana.ruiz@demo.test can no longer use this district."
    )
    invitee.goto("/d/demo/")
    expect(invitee.get_by_role("heading", name="Sign in")).to_be_visible()
    expect(ben.get_by_role("heading", level=1)).to_be_visible()
    ben.reload()
    expect(ben).to_have_url(re.compile(r"/d/demo/$"))
    kinds = set(AccessEvent.objects.filter(district__slug="demo").values_list("kind", flat=True))
    assert {"invited", "invitation_accepted", "deactivated"} <= kinds
