from django import template

from core.wording import in_language

register = template.Library()


@register.simple_tag
def wording(item, field):
    """`{% wording goal "title" as title %}<h3{{ title.lang }}>{{ title }}</h3>`: the text in
    the page's language when the district wrote it, else the English, marked (core.wording)."""
    return in_language(item, field)
