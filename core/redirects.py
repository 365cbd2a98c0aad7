from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request, fallback=""):
    """The `next` address a request names (form field, else query string) when it stays on
    this site; otherwise `fallback`. Every view that sends someone on to a `next` goes through
    here, so no link can bounce a signed-in person to another site."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    # Only a path on this site: a bare word would be resolved against wherever the form was.
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback
