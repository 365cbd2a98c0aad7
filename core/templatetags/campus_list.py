"""The campus list's rows, written here rather than cell by cell in the template: a large
district lists hundreds of campuses with ten cells each, and the template engine's lookups, then
Django's lazy-aware escaping and localizing per cell, were most of the page's time."""

from html import escape

from django import template
from django.urls import reverse
from django.utils.formats import date_format, localize
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from core.models import Campus
from core.numbers import plain

register = template.Library()


def _writer(kind):
    """How a column of `kind` writes a value; each distinct value is written once a request
    (a list has a few dozen dates and counts among thousands of cells)."""
    write = {
        "date": lambda value: date_format(value, "SHORT_DATE_FORMAT"),
        "percent": lambda value: f"{localize(value)}%",
        "result": lambda value: localize(plain(value)),
    }.get(kind, localize)
    written = {None: "–"}

    def cell(value):
        if value not in written:
            written[value] = escape(str(write(value)))
        return written[value]

    return cell


@register.simple_tag
def campus_rows(campuses, columns, district_slug):
    """One <tr> per campus (dicts of core.selectors.campuses_for_district): its name linking to
    its page, level, grades, region, cohort, then each column's value (* when it is hidden from
    the reader)."""
    levels = {value: escape(str(label)) for value, label in Campus.Level.choices}
    # One reverse for the whole list; each row puts its id in.
    page = escape(reverse("core:campus", args=[district_slug, 0]).removesuffix("0/"))
    hidden = '<abbr title="{}">*</abbr>'.format(
        escape(gettext("Fewer students than the district shows"))
    )
    cells = [
        (
            column.key,
            f"{column.key}_masked" if column.masked is not None else None,
            _writer(column.kind),
        )
        for column in columns
    ]
    rows = []
    for campus in campuses:
        written = "".join(
            f"<td>{hidden if masked and campus[masked] else write(campus[key])}</td>"
            for key, masked, write in cells
        )
        rows.append(
            f'<tr><td><a href="{page}{campus["pk"]}/">{escape(campus["name"])}</a></td>'
            f"<td>{levels.get(campus['level']) or escape(campus['level'])}</td>"
            f"<td>{escape(campus['grade_span'])}</td><td>{escape(campus['region'])}</td>"
            f"<td>{escape(campus['cohort'])}</td>{written}</tr>"
        )
    # Every value above was escaped as it was written.
    return mark_safe("\n".join(rows))
