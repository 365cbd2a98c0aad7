"""Parts of a page rendered once per change of the district, not once per request.

A fragment is kept in the shared cache under the district's change marker
(core.history.latest_change_marker), the day, the reader's language and what the reader may do
there, so it is never stale and never shows a control to someone who may not use it; the cache's
key prefix moves with each release (config.settings.RELEASE). The CSRF token of the forms in a
fragment is the reader's own: the fragment is kept with a placeholder put in its place on each
request.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from core.history import latest_change_marker
from core.roles import Capability, can

# The key changes every day; the timeout only lets the entries of past days go.
FRAGMENT_SECONDS = 24 * 60 * 60

# The same in every process of a deployment (one renders, another serves) and unguessable, so
# no text a member typed can be taken for it.
_CSRF_PLACEHOLDER = (
    "csrf-" + hashlib.sha256(f"fragment-csrf:{settings.SECRET_KEY}".encode()).hexdigest()[:32]
)


def change_marker(request):
    """The district's change marker, read once for all the fragments of a page that only reads
    (each reading is a union of every history table); a request that may write reads it anew."""
    if request.method not in ("GET", "HEAD"):
        return latest_change_marker(request.district)
    if not hasattr(request, "_change_marker"):
        request._change_marker = latest_change_marker(request.district)
    return request._change_marker


def fragment_key(request, name, *parts):
    """The fragment's key for this reader today, as of the district's latest change."""
    may = ",".join(c.value for c in Capability if can(request.membership, c))
    district = request.district
    return ":".join(
        (
            "fragment",
            name,
            str(district.pk),
            *map(str, parts),
            timezone.localdate().isoformat(),
            get_language() or "",
            may,
            str(change_marker(request)),
        )
    )


def cached_fragment(request, template_name, *, key, context):
    """`template_name` (a template or a template's partial) rendered for `request` with
    `context()`, or the copy kept since the district last changed. `key` names what the
    fragment shows (the template and the records' ids) within the district."""
    cache_key = fragment_key(request, template_name, *key)
    html = cache.get(cache_key)
    if html is None:
        html = render_to_string(
            template_name, context() | {"csrf_token": _CSRF_PLACEHOLDER}, request=request
        )
        cache.set(cache_key, html, FRAGMENT_SECONDS)
    return mark_safe(html.replace(_CSRF_PLACEHOLDER, get_token(request)))
