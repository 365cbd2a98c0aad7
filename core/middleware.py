from django.utils.cache import add_never_cache_headers

# Downloads leave the app as files; a browser or proxy must not keep a copy of them either,
# including the calendar feed, which calendar apps fetch without signing in.
DOWNLOAD_TYPES = ("text/csv", "text/calendar", "application/pdf")


class NoStoreMiddleware:
    """Every page a signed-in member sees and every export answers `Cache-Control: no-store`,
    so a shared tablet's browser cache (and any proxy) keeps nothing after sign-out. The public
    plan page under /p/ stays cacheable; static files are answered earlier, by WhiteNoise."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith("/p/"):
            return response
        download = response.get("Content-Type", "").startswith(DOWNLOAD_TYPES)
        if download or request.user.is_authenticated:
            add_never_cache_headers(response)
        return response
