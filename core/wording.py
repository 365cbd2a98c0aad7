"""The district's own words in the reader's language.

A text the public sees is written in English and may have a translation beside it: the field
`<field>_es` on a model, the key "<field> es" in a published document (district_plan.documents).
`in_language` picks the one for the reader and says which language it is in, so that the
element holding an English text on a Spanish page carries lang="en" and a screen reader reads
it with an English voice instead of mispronouncing it.
"""

from collections.abc import Mapping

from django.conf import settings
from django.utils import translation
from django.utils.html import format_html

SOURCE = settings.LANGUAGE_CODE
TRANSLATIONS = tuple(code for code, _name in settings.LANGUAGES if code != SOURCE)


class Wording(str):
    """A text, with `language`: the language it is written in."""

    def __new__(cls, text, language):
        wording = super().__new__(cls, text or "")
        wording.language = language
        return wording

    @property
    def lang(self):
        """The attribute the element holding the text needs: none when the text is in the
        page's language, else lang="…"."""
        if not self or self.language == page_language():
            return ""
        return format_html(' lang="{}"', self.language)


def page_language():
    return (translation.get_language() or SOURCE).split("-")[0]


def in_language(item, field, language=None):
    """`field` of `item` (a record or a document's mapping) in `language` (by default the
    active one) when it is written in it, else in English."""
    language = language or page_language()
    if isinstance(item, Mapping):
        english = item.get(field, "")
        translated = item.get(f"{field} {language}", "") if language != SOURCE else ""
    else:
        english = getattr(item, field, "")
        translated = getattr(item, f"{field}_{language}", "") if language != SOURCE else ""
    if translated and translated.strip():
        return Wording(translated, language)
    return Wording(english, SOURCE)
