from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Districts and campuses"

    def ready(self):
        from core import checks  # noqa: F401 - registers the deployment checks
