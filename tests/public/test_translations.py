"""Every sentence of the public page and the board summary ships in Spanish."""

import ast
import re

import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation.template import templatize

TRANSLATED_IN_FULL = [
    "templates/public/plan.html",
    "templates/public/_feedback_base.html",
    "templates/public/feedback.html",
    "templates/public/feedback_thanks.html",
    "templates/public/feedback_list.html",
    "templates/public/feedback_detail.html",
    "templates/reports/pdf/base.html",
    "templates/reports/pdf/board_summary.html",
]
CALL = re.compile(r"\b(n?gettext)\((u'(?:[^'\\]|\\.)*'(?:, u'(?:[^'\\]|\\.)*')?)")


def _messages(path):
    source = (settings.BASE_DIR / path).read_text()
    for function, arguments in CALL.findall(templatize(source)):
        texts = ast.literal_eval(f"({arguments},)")
        yield function, texts


@pytest.mark.parametrize("path", TRANSLATED_IN_FULL)
def test_every_message_has_a_spanish_translation(path):
    missing = []
    messages = list(_messages(path))
    assert len(messages) >= 3, "The template's messages were not found"
    with translation.override("es"):
        for function, texts in messages:
            if function == "gettext":
                translated = translation.gettext(texts[0])
            else:
                translated = translation.ngettext(texts[0], texts[1], 2)
            if translated in texts:
                missing.append(texts[0])
    assert not missing, f"Translate these in locale/es/LC_MESSAGES/django.po: {missing}"


def test_the_catalogue_is_compiled():
    # `make test` compiles it; a stale or missing .mo would show English on the Spanish page.
    with translation.override("es"):
        assert translation.gettext("Goals and how we measure them") == "Metas y cómo las medimos"
