import json
import re
import uuid

import pytest
from django.urls import reverse

from tests.factories import LookForFactory, ProgramFactory, VisitFactory
from visits.models import Observation, Visit

JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture
def visit(personas):
    return VisitFactory(program=ProgramFactory(district=personas.district))


def url(visit):
    return reverse("visits:observations", args=["lakeside", visit.pk])


def body(**changes):
    return {
        "client_id": str(uuid.UUID(int=1)),
        "kind": "classroom",
        "setting": "Room 12",
        "notes": "Pairs explained",
    } | changes


def test_a_save_sent_twice_is_stored_once(as_member, personas, visit):
    client = as_member(personas.visit_team)
    first = client.post(url(visit), body(), **JSON)
    second = client.post(url(visit), body(), **JSON)
    assert (first.status_code, first.json()["status"]) == (201, "stored")
    assert (second.status_code, second.json()["status"]) == (200, "duplicate")
    assert Observation.objects.count() == 1


def test_a_replay_with_changed_content_is_refused_clearly(as_member, personas, visit):
    client = as_member(personas.visit_team)
    client.post(url(visit), body(), **JSON)
    response = client.post(url(visit), body(notes="Something else"), **JSON)
    assert response.status_code == 409
    assert "already saved with different content" in response.json()["errors"]["__all__"][0]
    assert Observation.objects.get().notes == "Pairs explained"


def test_first_observation_starts_the_visit(as_member, personas, visit):
    as_member(personas.visit_team).post(url(visit), body(), **JSON)
    visit.refresh_from_db()
    assert visit.status == Visit.Status.IN_PROGRESS


def test_a_closed_visit_takes_no_observations(as_member, personas, visit):
    Visit.objects.filter(pk=visit.pk).update(status="closed")
    response = as_member(personas.visit_team).post(url(visit), body(), **JSON)
    assert response.status_code == 400
    assert "closed to new observations" in response.json()["errors"]["__all__"][0]
    assert not Observation.objects.exists()


def test_a_look_for_from_another_program_is_refused(as_member, personas, visit):
    other = LookForFactory(program=ProgramFactory(district=personas.district))
    response = as_member(personas.visit_team).post(url(visit), body(look_fors=[other.pk]), **JSON)
    assert response.status_code == 400
    assert "belongs to another program" in str(response.json()["errors"]["look_fors"])


def test_kind_is_required_and_said_so(as_member, personas, visit):
    response = as_member(personas.visit_team).post(url(visit), body(kind=""), **JSON)
    assert response.json()["errors"]["kind"] == ["Choose what you observed."]


def test_without_javascript_the_form_posts_and_returns_for_the_next_one(as_member, personas, visit):
    look_for = LookForFactory(program=visit.program)
    client = as_member(personas.visit_team)
    response = client.post(url(visit), body(look_fors=[look_for.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("visits:observe", args=["lakeside", visit.pk])
    assert list(Observation.objects.get().look_fors.all()) == [look_for]


def test_board_and_campus_leaders_cannot_log(as_member, personas, visit):
    for user in (personas.board, personas.campus_leader):
        assert as_member(user).post(url(visit), body(), **JSON).status_code == 403


def test_private_notes_are_hidden_from_campus_leaders(as_member, personas, visit):
    as_member(personas.visit_team).post(
        url(visit), body(notes="Team-only note", private="on"), **JSON
    )
    page = reverse("visits:visit", args=["lakeside", visit.pk])
    assert "Team-only note" in as_member(personas.visit_team).get(page).text
    assert "Team-only note" not in as_member(personas.campus_leader).get(page).text


def test_observation_page_reminds_never_to_name_students(as_member, personas, visit):
    response = as_member(personas.visit_team).get(
        reverse("visits:observe", args=["lakeside", visit.pk])
    )
    assert "Never write a student" in response.text


def test_theory_shows_how_often_its_then_was_seen(as_member, personas, visit):
    from tests.factories import StrandFactory, TheoryFactory

    theory = TheoryFactory(
        strand=StrandFactory(district=personas.district), then_clause="students explain"
    )
    look_for = LookForFactory(
        program=visit.program, theory=theory, text="Students explain their thinking"
    )
    client = as_member(personas.visit_team)
    client.post(url(visit), body(client_id=str(uuid.UUID(int=7)), look_fors=[look_for.pk]), **JSON)
    client.post(url(visit), body(client_id=str(uuid.UUID(int=8)), notes="Lecture"), **JSON)
    page = client.get(reverse("theories:index", args=["lakeside"]) + f"?open={theory.strand_id}")
    assert "Seen in 50% of 2 visit observations, at 1 campus." in page.text
    detail = client.get(reverse("theories:theory", args=["lakeside", theory.pk])).text
    assert "Implementation evidence from visits" in detail
    assert visit.campus.name in detail


def test_the_tablet_page_carries_whose_outbox_it_is_and_the_servers_rules(
    as_member, personas, visit
):
    page = as_member(personas.visit_team).get(
        reverse("visits:observe", args=["lakeside", visit.pk])
    )
    html = page.content.decode()
    assert f'data-user="{personas.visit_team.pk}"' in html
    rules = json.loads(re.search(r'id="observation-rules"[^>]*>(.*?)</script>', html).group(1))
    assert rules["kind"] == {"required": "Choose what you observed."}
    assert rules["setting"]["max_length"] == 120
    assert rules["notes"]["too_long"] == (
        "Ensure this value has at most 5000 characters (it has {count})."
    )
    assert 'value=""' not in str(page.context["form"]["kind"])


def test_the_tablet_speaks_the_readers_language(as_member, personas, visit):
    page = as_member(personas.visit_team).get(
        reverse("visits:observe", args=["lakeside", visit.pk]), HTTP_ACCEPT_LANGUAGE="es-MX"
    )
    html = page.content.decode()
    texts = json.loads(re.search(r'id="outbox-texts"[^>]*>(.*?)</script>', html).group(1))
    rules = json.loads(re.search(r'id="observation-rules"[^>]*>(.*?)</script>', html).group(1))
    assert texts["waiting"] == ["{count} pendiente de envío", "{count} pendientes de envío"]
    assert texts["discard"] == "Descartar"
    assert rules["kind"]["required"] == "Elija lo que observó."
