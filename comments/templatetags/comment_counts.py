from django import template
from django.urls import reverse

from comments import registry, selectors

register = template.Library()


@register.inclusion_tag("comments/_link.html", takes_context=True)
def comments_link(context, record, count=None):
    """A link to the record's comments saying how many are open: `count` when the page read it
    with the records (comments.selectors.open_comments_of), else from the district's counts,
    read once per request, so a page showing many records asks one query, not one each."""
    request = context["request"]
    entry = registry.for_model(type(record))
    if count is None:
        if not hasattr(request, "_open_comment_counts"):
            request._open_comment_counts = selectors.open_counts(request.district)
        count = request._open_comment_counts.get(selectors.count_key(record), 0)
    return {
        "count": count,
        "url": reverse("comments:thread", args=[request.district.slug, entry.kind, record.pk]),
    }
