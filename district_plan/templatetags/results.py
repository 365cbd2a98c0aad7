"""A result's cell, written here rather than through an include: a measure's page lists a
large district's every campus and group, over a thousand cells."""

import functools

from django import template
from django.utils.formats import localize
from django.utils.html import format_html
from django.utils.translation import get_language, gettext

from core.charts import year_label

register = template.Library()


@functools.lru_cache(maxsize=4096)
def _written(value, language):
    # A district's results are a few hundred distinct numbers; each is localized once.
    return localize(value)


@register.simple_tag
def result_cell(cell):
    """A district_plan.selectors.ResultCell: its value; * with the reason when it is masked;
    the value marked "small group" for the cabinet; a dash when there is no result."""
    if cell is None:
        return "–"
    if cell.masked:
        return format_html(
            '<abbr title="{}">*</abbr>', gettext("Fewer students than the district shows")
        )
    if cell.small:
        return format_html(
            '{} <span class="badge warn">{}</span>',
            _written(cell.value, get_language()),
            gettext("small group"),
        )
    return _written(cell.value, get_language())


@register.filter
def school_year(day):
    """A result's date as the school year it closes (2025-26), as the charts label it."""
    return year_label(day)
