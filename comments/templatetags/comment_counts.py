from django import template
from django.urls import reverse

from comments import registry, selectors

register = template.Library()


@register.inclusion_tag("comments/_link.html", takes_context=True)
def comments_link(context, record):
    """A link to the record's comments saying how many are open. The district's counts are
    read once per request, so a page showing many records asks one query, not one each."""
    request = context["request"]
    entry = registry.for_model(type(record))
    if not hasattr(request, "_open_comment_counts"):
        request._open_comment_counts = selectors.open_counts(request.district)
    return {
        "count": request._open_comment_counts.get(selectors.count_key(record), 0),
        "url": reverse("comments:thread", args=[request.district.slug, entry.kind, record.pk]),
    }
