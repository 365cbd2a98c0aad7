"""Families and the community write to the district from the public page, in English or Spanish,
without signing in; the form keeps programs out without asking anything of a person."""

import datetime
import re

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from district_plan.models import Goal
from public import spam
from public.models import Feedback
from tests.factories import GoalFactory, PlanFactory

START = datetime.datetime(2026, 11, 17, 15, 0, tzinfo=datetime.UTC)


def form_url(district, language="es"):
    return reverse("public:feedback_in", args=[district.slug, language])


def started(page):
    return re.search(r'name="started" value="([^"]+)"', page).group(1)


def submit(client, district, *, after=10, language="es", at=START, **fields):
    """Opens the form at `at`, then sends it `after` seconds later, as a person would."""
    with time_machine.travel(at, tick=False):
        token = started(client.get(form_url(district, language)).text)
    data = {"message": "¿Habrá noches de lectura en la biblioteca?", "started": token} | fields
    with time_machine.travel(at + datetime.timedelta(seconds=after), tick=False):
        return client.post(form_url(district, language), data)


@pytest.fixture
def goal(published):
    return Goal.objects.get(title="Early literacy for every reader")


def test_a_family_writes_about_a_goal_in_spanish_without_signing_in(client, personas, goal):
    response = submit(
        client,
        personas.district,
        goal=goal.pk,
        name="Rosa Martínez",
        email="rosa@example.test",
    )
    assert response.status_code == 302
    thanks = client.get(response["Location"])
    assert thanks["Content-Language"] == "es"
    assert "Su mensaje se envió a la dirección del distrito." in thanks.text
    feedback = Feedback.objects.get()
    assert (feedback.goal, feedback.language, feedback.status) == (goal, "es", "new")
    assert (feedback.name, feedback.email) == ("Rosa Martínez", "rosa@example.test")
    assert feedback.message == "¿Habrá noches de lectura en la biblioteca?"


def test_the_plan_page_asks_beside_each_goal_and_once_for_the_whole_plan(client, personas, goal):
    page = client.get(reverse("public:plan_in", args=[personas.district.slug, "es"])).text
    assert f'href="{form_url(personas.district)}?goal={goal.pk}"' in page
    assert f'href="{form_url(personas.district)}"' in page
    assert "Díganos qué piensa" in page


def test_the_form_opens_on_the_goal_it_was_reached_from(client, personas, goal):
    page = client.get(f"{form_url(personas.district)}?goal={goal.pk}").text
    assert f'<option value="{goal.pk}" selected>Early literacy for every reader</option>' in page
    assert '<option value="">Todo el plan</option>' in page


def test_the_bare_address_follows_the_browsers_language(client, personas, published):
    response = client.get(
        reverse("public:feedback", args=[personas.district.slug]) + "?goal=7",
        HTTP_ACCEPT_LANGUAGE="es",
    )
    assert response["Location"] == f"{form_url(personas.district)}?goal=7"


def test_a_message_about_the_whole_plan_names_no_goal(client, personas, published):
    assert submit(client, personas.district, language="en", goal="").status_code == 302
    assert Feedback.objects.get().goal is None
    assert Feedback.objects.get().language == "en"


def test_the_honeypot_keeps_nothing_yet_thanks_the_sender(client, personas, published):
    response = submit(client, personas.district, website="https://spam.example/")
    assert response.status_code == 302
    assert response["Location"].endswith("/feedback/thanks/")
    assert Feedback.objects.count() == 0


def test_the_honeypot_is_hidden_from_people_and_screen_readers(client, personas, published):
    page = client.get(form_url(personas.district)).text
    assert re.search(r'<div class="hp" aria-hidden="true">\s*<label', page)
    assert 'name="website"' in page
    assert 'tabindex="-1"' in page


def test_a_form_sent_faster_than_anyone_types_is_refused_and_keeps_the_message(
    client, personas, published
):
    response = submit(client, personas.district, after=1, message="Gracias por el plan")
    assert response.status_code == 200
    assert "Fue más rápido de lo que nadie puede escribir." in response.text
    assert "Gracias por el plan</textarea>" in response.text
    assert Feedback.objects.count() == 0
    # The form shown again carries a new start: sent a little later, it goes.
    with time_machine.travel(START + datetime.timedelta(seconds=30), tick=False):
        again = client.post(
            form_url(personas.district),
            {"message": "Gracias por el plan", "started": started(response.text)},
        )
    assert again.status_code == 302
    assert Feedback.objects.get().message == "Gracias por el plan"


def test_a_form_open_for_hours_asks_to_be_sent_again(client, personas, published):
    response = submit(client, personas.district, after=3 * 60 * 60, message="Sigo aquí")
    assert "Este formulario estuvo abierto más de dos horas." in response.text
    assert "Sigo aquí</textarea>" in response.text
    assert Feedback.objects.count() == 0


def test_a_forged_or_missing_start_is_refused(client, personas, published):
    for token in ("", "forged:1abc:xyz"):
        response = client.post(form_url(personas.district), {"message": "Hola", "started": token})
        assert "No se pudo comprobar este formulario." in response.text
    assert Feedback.objects.count() == 0


def test_a_start_drawn_for_another_district_is_refused(client, personas, published):
    with time_machine.travel(START, tick=False):
        token = spam.started_token(personas.other_district)
    with time_machine.travel(START + datetime.timedelta(minutes=1), tick=False):
        response = client.post(form_url(personas.district), {"message": "Hola", "started": token})
    assert "No se pudo comprobar este formulario." in response.text


def test_an_address_that_sent_too_many_is_told_to_wait_and_may_send_later(
    client, personas, published
):
    for n in range(5):
        assert submit(client, personas.district, message=f"Mensaje {n}").status_code == 302
    refused = submit(client, personas.district, message="Uno más")
    assert refused.status_code == 429
    assert "Se enviaron muchos mensajes desde su conexión" in refused.text
    assert "Uno más</textarea>" in refused.text
    assert Feedback.objects.count() == 5
    # Someone else, elsewhere, is not held up.
    other = Client(REMOTE_ADDR="203.0.113.9")
    assert submit(other, personas.district, message="Desde otra casa").status_code == 302
    # Once the window has passed, the first address may write again.
    later = START + datetime.timedelta(minutes=11)
    assert submit(client, personas.district, at=later, message="Uno más").status_code == 302
    assert Feedback.objects.count() == 7


def test_a_full_day_of_messages_is_refused_until_the_next_day(client, personas, published):
    for n in range(20):
        at = START + datetime.timedelta(minutes=11 * (n // 5))
        assert submit(client, personas.district, at=at, message=f"M{n}").status_code == 302
    at = START + datetime.timedelta(minutes=11 * 4)
    assert submit(client, personas.district, at=at).status_code == 429


def test_each_mistake_is_said_next_to_its_field_in_spanish(client, personas, published):
    response = submit(client, personas.district, message="   ", email="no-es-un-correo")
    assert response.status_code == 200
    message_error = re.search(r'id="id_message_error">(.*?)</ul>', response.text, re.S).group(1)
    email_error = re.search(r'id="id_email_error">(.*?)</ul>', response.text, re.S).group(1)
    assert "Escriba su mensaje." in message_error
    assert "correo electrónico válida" in email_error
    assert Feedback.objects.count() == 0


def test_the_english_form_says_its_mistakes_in_english(client, personas, published):
    response = submit(client, personas.district, language="en", message="")
    assert "Write your message." in response.text
    assert response["Content-Language"] == "en"


def test_correcting_a_mistake_at_once_is_not_taken_for_a_program(client, personas, published):
    response = submit(client, personas.district, email="rosa@")
    with time_machine.travel(START + datetime.timedelta(seconds=11), tick=False):
        fixed = client.post(
            form_url(personas.district),
            {
                "message": "¿Habrá noches de lectura?",
                "email": "rosa@example.test",
                "started": started(response.text),
            },
        )
    assert fixed.status_code == 302
    assert Feedback.objects.get().email == "rosa@example.test"


def test_html_and_script_are_kept_as_typed_and_shown_as_text(client, as_member, personas, goal):
    script = '<script>alert("x")</script><b>hola</b>'
    submit(client, personas.district, message=script, name=script)
    feedback = Feedback.objects.get()
    assert feedback.message == script
    page = as_member(personas.cabinet).get(
        reverse("publication:feedback", args=[personas.district.slug, feedback.pk])
    )
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;b&gt;hola&lt;/b&gt;" in page.text
    assert script not in page.text


def test_a_huge_message_or_name_is_refused_and_unicode_is_kept(client, personas, published):
    huge = submit(client, personas.district, message="a" * 3001, name="n" * 121)
    assert huge.status_code == 200
    assert "3000" in re.search(r'id="id_message_error">(.*?)</ul>', huge.text, re.S).group(1)
    assert re.search(r'id="id_name_error">', huge.text)
    assert Feedback.objects.count() == 0
    text = "Peña ščř 学校 \u202eمدرسة\u202c 🏫"
    assert submit(client, personas.district, message=text, name="José 🏫").status_code == 302
    assert (Feedback.objects.get().message, Feedback.objects.get().name) == (text, "José 🏫")


def test_a_nul_byte_is_refused(client, personas, published):
    response = submit(client, personas.district, message="a\x00b")
    assert response.status_code == 200
    assert re.search(r'id="id_message_error">', response.text)
    assert Feedback.objects.count() == 0


def test_another_districts_goal_is_refused(client, personas, published):
    foreign = GoalFactory(plan=PlanFactory(district=personas.other_district))
    response = submit(client, personas.district, goal=foreign.pk)
    assert response.status_code == 200
    assert "Escoja una opción válida" in response.text
    assert Feedback.objects.count() == 0


def test_nothing_submitted_is_shown_on_the_public_page(client, personas, goal):
    submit(
        client,
        personas.district,
        goal=goal.pk,
        message="Un secreto de familia",
        name="Rosa Martínez",
        email="rosa@example.test",
    )
    for language in ("es", "en"):
        page = client.get(reverse("public:plan_in", args=[personas.district.slug, language])).text
        assert "Early literacy for every reader" in page
        for private in ("Un secreto de familia", "Rosa Martínez", "rosa@example.test"):
            assert private not in page


def test_the_form_is_never_kept_by_a_cache_and_needs_its_csrf_token(personas, published):
    client = Client(enforce_csrf_checks=True)
    page = client.get(form_url(personas.district))
    assert "no-store" in page["Cache-Control"]
    assert 'name="csrfmiddlewaretoken"' in page.text
    with time_machine.travel(datetime.datetime.now(datetime.UTC) + datetime.timedelta(minutes=1)):
        refused = client.post(
            form_url(personas.district), {"message": "Hola", "started": started(page.text)}
        )
    assert refused.status_code == 403
    assert Feedback.objects.count() == 0


def test_an_unpublished_plan_takes_no_feedback(client, personas, published):
    personas.district.plan_published = False
    personas.district.save()
    assert client.get(form_url(personas.district)).status_code == 404
    assert client.get(form_url(personas.district, "fr")).status_code == 404


def test_the_form_answers_only_in_the_languages_the_page_is_published_in(client, published):
    from core.models import District

    district = published.district
    assert client.get(form_url(district, "es")).status_code == 200
    District.objects.filter(pk=district.pk).update(public_translations=[])
    assert client.get(form_url(district, "es")).status_code == 404
    english = client.get(form_url(district, "en"))
    assert english.status_code == 200
    assert form_url(district, "es") not in english.text
    bare = client.get(reverse("public:feedback", args=[district.slug]), HTTP_ACCEPT_LANGUAGE="es")
    assert bare["Location"] == form_url(district, "en")
