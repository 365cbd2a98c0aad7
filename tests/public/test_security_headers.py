from django.urls import reverse

from tests.core.test_content_security_policy import assert_strict


def test_the_public_page_sends_the_policy(client, published, personas):
    for url in (
        reverse("public:plan", args=[personas.district.slug]),
        reverse("public:plan_in", args=[personas.district.slug, "es"]),
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert_strict(response)


def test_a_missing_public_page_sends_the_policy(client, db):
    response = client.get(reverse("public:plan", args=["nowhere"]))
    assert response.status_code == 404
    assert_strict(response)
