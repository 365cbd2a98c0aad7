"""What the service worker may keep for offline use: the empty observation form, naming no one."""

import base64
import re

import pytest
from django.urls import reverse

from tests.factories import ProgramFactory, VisitFactory
from visits.models import Observation


@pytest.fixture
def visit(personas):
    return VisitFactory(program=ProgramFactory(district=personas.district))


def shell(visit):
    return reverse("visits:observe_shell", args=["lakeside", visit.pk])


def test_the_shell_is_the_empty_form_and_names_no_one(as_member, personas, visit):
    Observation.objects.create(
        district=personas.district, visit=visit, kind="classroom", notes="Earlier note"
    )
    client = as_member(personas.visit_team)
    page = client.get(reverse("visits:observe", args=["lakeside", visit.pk])).text
    assert personas.visit_team.get_full_name() in page
    text = client.get(shell(visit)).text
    assert 'id="observation-form"' in text
    assert visit.campus.name in text
    assert personas.visit_team.get_full_name() not in text
    assert personas.visit_team.email not in text
    assert "Earlier note" not in text
    assert "Sign out" not in text


def test_the_shell_leaves_messages_for_the_next_page(as_member, personas, visit):
    client = as_member(personas.visit_team)
    client.post(
        reverse("visits:observations", args=["lakeside", visit.pk]),
        {"client_id": "00000000-0000-0000-0000-000000000001", "kind": "classroom"},
    )
    assert "Observation saved" not in client.get(shell(visit)).text
    next_page = client.get(reverse("visits:observe", args=["lakeside", visit.pk])).text
    assert "Observation saved" in next_page


def test_only_those_who_log_visits_get_the_shell(as_member, personas, visit):
    assert as_member(personas.board).get(shell(visit)).status_code == 403
    assert as_member(personas.outsider).get(shell(visit)).status_code == 404


def main_of(html):
    """The page's main content, without what differs on every load (tokens, the tablet id),
    the online page's outbox key and the shell's offline notice."""
    main = html[html.index("<main") : html.index("</main>")]
    main = re.sub(r'value="[^"]*"', 'value=""', main)
    main = re.sub(r'<script id="outbox-key"[^<]*</script>', "", main)
    main = re.sub(r'<p class="notice">[^<]*offline[^<]*</p>', "", main)
    return " ".join(main.split())


def test_offline_the_tablet_gets_the_same_observation_page(as_member, personas, visit):
    client = as_member(personas.visit_team)
    page = client.get(reverse("visits:observe", args=["lakeside", visit.pk])).text
    assert main_of(client.get(shell(visit)).text) == main_of(page)


def outbox_key(html):
    found = re.search(r'<script id="outbox-key" type="application/json">"([^"]+)"</script>', html)
    return found and base64.b64decode(found[1])


def test_only_the_online_page_carries_the_writers_outbox_key(as_member, personas, visit):
    observe = reverse("visits:observe", args=["lakeside", visit.pk])
    client = as_member(personas.visit_team)
    page = client.get(observe)
    key = outbox_key(page.text)
    assert len(key) == 32
    assert "no-store" in page["Cache-Control"]
    # Signing back in gives the writer the same key, so their unsent observations open again.
    assert outbox_key(as_member(personas.visit_team).get(observe).text) == key
    assert outbox_key(as_member(personas.admin).get(observe).text) not in (None, key)
    assert outbox_key(client.get(shell(visit)).text) is None
