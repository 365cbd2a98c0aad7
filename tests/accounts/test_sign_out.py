"""Signing out on a shared tablet."""

from django.urls import reverse


def test_signing_out_clears_the_browser_cache_but_not_the_outbox(as_member, personas):
    client = as_member(personas.visit_team)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    # "storage" would also wipe the IndexedDB outbox: unsent observations of the writer.
    assert response["Clear-Site-Data"] == '"cache"'
    home = client.get(reverse("dashboard:home", args=["lakeside"]))
    assert home["Location"].startswith(reverse("accounts:login"))
