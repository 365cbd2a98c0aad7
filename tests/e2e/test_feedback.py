"""A family writes in Spanish from a phone; a cabinet member answers on a laptop and publishes a
response, which the Spanish public page then shows."""

import re

import pytest
from playwright.sync_api import expect

from public.models import Feedback
from tests.e2e.conftest import assert_accessible, sign_in, small_touch_targets

PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True}
LAPTOP = {"viewport": {"width": 1366, "height": 768}}
MESSAGE = "¿Habrá tutorías de lectura después de clases en la escuela de mi hijo?"
RESPONSE = (
    "Este año todas las escuelas primarias ofrecen tutorías de lectura dos tardes por semana."
)


@pytest.fixture
def new_page(browser, live_server):
    contexts, blocked = [], []

    def new_page(size):
        context = browser.new_context(base_url=live_server.url, locale="en-US", **size)
        context.set_default_timeout(10_000)
        context.on(
            "console", lambda m: "Content Security Policy" in m.text and blocked.append(m.text)
        )
        contexts.append(context)
        return context.new_page()

    yield new_page
    for context in contexts:
        context.close()
    assert not blocked, "\n".join(blocked)


def fits(page, width):
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert small_touch_targets(page) == []


def test_a_family_writes_in_spanish_on_a_phone_and_reads_the_published_response(new_page, demo):
    family = new_page(PHONE)
    family.goto("/p/demo/es/")
    family.get_by_role("link", name=re.compile("^Díganos qué piensa sobre la meta 1")).click()
    expect(family.get_by_role("heading", level=1, name="Díganos qué piensa")).to_be_visible()
    expect(family.get_by_label("¿Sobre qué es?")).not_to_have_value("")
    assert_accessible(family, "feedback-form-es", wcag=True)
    fits(family, 390)

    # Sent empty at once: the mistake is said beside the field, in Spanish.
    family.get_by_role("button", name="Enviar").tap()
    expect(family.get_by_text("Escriba su mensaje.")).to_be_visible()
    assert_accessible(family, "feedback-form-es-errors", wcag=True)

    family.get_by_label("Su mensaje").fill(MESSAGE)
    family.get_by_label("Su nombre (opcional)").fill("Lucía Herrera")
    family.get_by_label("Su correo electrónico (opcional)").fill("lucia@example.test")
    # A person takes a few seconds to write; the form refuses anything faster.
    family.wait_for_timeout(3500)
    family.get_by_role("button", name="Enviar").tap()
    expect(family.get_by_role("heading", level=1, name="Gracias")).to_be_visible()
    assert_accessible(family, "feedback-thanks-es", wcag=True)
    fits(family, 390)
    assert Feedback.objects.filter(message=MESSAGE, language="es").exists()

    cabinet = new_page(LAPTOP)
    sign_in(cabinet, "cabinet@demo.test")
    cabinet.wait_for_url(re.compile(r"/d/"))
    cabinet.goto("/d/demo/public/")
    cabinet.get_by_role("link", name="Read and answer the feedback").click()
    expect(
        cabinet.get_by_role("heading", level=1, name="Feedback from families and the community")
    ).to_be_visible()
    assert_accessible(cabinet, "feedback-queue", wcag=True)
    cabinet.locator("li", has_text=MESSAGE).get_by_role("link").click()
    expect(cabinet.get_by_text(MESSAGE)).to_be_visible()
    expect(cabinet.get_by_text("lucia@example.test")).to_be_visible()
    assert_accessible(cabinet, "feedback-item", wcag=True)

    cabinet.get_by_label("Answer", exact=True).fill(
        "Gracias por escribirnos. Sí: su escuela ofrece tutorías los martes y jueves."
    )
    cabinet.get_by_role("button", name="Save the answer").click()
    expect(cabinet.get_by_role("status").first).to_contain_text("Answer saved.")

    cabinet.get_by_label("Public response", exact=True).fill(RESPONSE)
    cabinet.get_by_label("Language of the response").select_option("es")
    cabinet.get_by_label("Publish this response on the public page").check()
    cabinet.get_by_role("button", name="Save the response").click()
    expect(cabinet.get_by_role("status").first).to_contain_text("Public response saved.")
    assert cabinet.evaluate("document.documentElement.scrollWidth") <= 1366

    family.goto("/p/demo/es/")
    expect(family.get_by_text(RESPONSE)).to_be_visible()
    expect(family.get_by_text(MESSAGE)).to_have_count(0)
    assert_accessible(family, "public-es-with-responses", wcag=True)
    fits(family, 390)
