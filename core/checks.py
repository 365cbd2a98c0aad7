from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.caches, deploy=True)
def cache_is_shared(app_configs, **kwargs):
    """Several web and worker processes must see one cache: sessions, sign-in rate limits and
    the cached pages would otherwise depend on which process answers."""
    if settings.CACHES["default"]["BACKEND"].endswith("LocMemCache"):
        return [
            checks.Warning(
                "The cache lives in each process's memory.",
                hint="Set CACHE_URL to a Redis URL every web and worker process shares.",
                id="core.W001",
            )
        ]
    return []
