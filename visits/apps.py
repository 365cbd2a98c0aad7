from django.apps import AppConfig


class VisitsConfig(AppConfig):
    name = "visits"
    verbose_name = "Communities of Practice visits"

    def ready(self):
        from . import answers  # noqa: F401  (registers what this app answers; see core.hooks)
