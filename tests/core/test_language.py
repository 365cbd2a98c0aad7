"""The interface language: English unless a person picks Spanish (or their browser asks)."""

from django.urls import reverse


def _home(personas):
    return reverse("dashboard:home", args=[personas.district.slug])


def test_the_interface_is_english_by_default(as_member, personas):
    page = as_member(personas.cabinet).get(_home(personas)).text
    assert '<html lang="en">' in page
    assert ">Theories of action</a>" in page


def test_picking_spanish_in_the_footer_turns_the_interface_spanish(as_member, personas):
    client = as_member(personas.cabinet)
    response = client.post(reverse("set_language"), {"language": "es", "next": _home(personas)})
    assert response.status_code == 302
    assert response["Location"] == _home(personas)
    page = client.get(_home(personas)).text
    assert '<html lang="es">' in page
    assert ">Teorías de acción</a>" in page
    assert '<option value="es" lang="es" selected>Español</option>' in page


def test_a_spanish_browser_gets_the_spanish_interface(as_member, personas):
    page = as_member(personas.cabinet).get(_home(personas), HTTP_ACCEPT_LANGUAGE="es-MX").text
    assert '<html lang="es">' in page


def test_the_sign_in_page_offers_the_switch_too(client):
    page = client.get(reverse("accounts:login")).text
    assert 'name="language"' in page
    assert "csrfmiddlewaretoken" in page


def test_an_unknown_language_or_a_foreign_next_address_is_ignored(client, db):
    response = client.post(
        reverse("set_language"), {"language": "xx", "next": "https://evil.example/"}
    )
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]
    assert client.get(reverse("accounts:login")).text.count('<html lang="en">') == 1
