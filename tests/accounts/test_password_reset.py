import re

from django.core import mail

from accounts.models import AccessEvent
from tests.personas import PASSWORD

RESET = "/accounts/password/reset/"
NEW_PASSWORD = "a-new-passphrase-for-spring"


def reset_link(message):
    return re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+)", message.body).group(1)


def test_the_sign_in_page_offers_a_password_reset(client):
    page = client.get("/accounts/login/")
    assert f'href="{RESET}"' in page.text


def test_the_reset_page_is_in_the_sites_frame(client):
    page = client.get(RESET)
    assert page.status_code == 200
    assert 'class="account-page"' in page.text
    assert 'id="id_email"' in page.text


def test_a_known_address_gets_a_link_that_sets_a_new_password(client, personas):
    response = client.post(RESET, {"email": "Cabinet@Lakeside.test"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["cabinet@lakeside.test"]

    link = reset_link(mail.outbox[0])
    form_page = client.get(link, follow=True)
    set_password_url = form_page.request["PATH_INFO"]
    done = client.post(
        set_password_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}, follow=True
    )
    assert done.status_code == 200
    personas.cabinet.refresh_from_db()
    assert personas.cabinet.check_password(NEW_PASSWORD)
    assert AccessEvent.objects.filter(
        kind=AccessEvent.Kind.PASSWORD_RESET, user=personas.cabinet
    ).exists()

    # The link is single-use.
    again = client.get(link, follow=True)
    assert "password1" not in again.text


def test_an_unknown_address_gets_the_same_answer(client, personas):
    known = client.post(RESET, {"email": "cabinet@lakeside.test"})
    unknown = client.post(RESET, {"email": "nobody@lakeside.test"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    # Nothing in the unknown address's email leads to a password form.
    assert all("/password/reset/key/" not in m.body for m in mail.outbox[1:])


def test_a_weak_new_password_is_explained_next_to_the_field(client, personas):
    client.post(RESET, {"email": "cabinet@lakeside.test"})
    form_page = client.get(reset_link(mail.outbox[0]), follow=True)
    response = client.post(
        form_page.request["PATH_INFO"], {"password1": "12345", "password2": "12345"}
    )
    assert response.status_code == 200
    assert "This password is too short." in response.text
    personas.cabinet.refresh_from_db()
    assert personas.cabinet.check_password(PASSWORD)


def test_requests_for_one_address_are_rate_limited(client, personas):
    answers = [client.post(RESET, {"email": "cabinet@lakeside.test"}) for _ in range(8)]
    assert answers[0].status_code == 302
    assert answers[-1].status_code == 429
    assert len(mail.outbox) < 8
