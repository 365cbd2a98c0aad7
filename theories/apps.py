from django.apps import AppConfig


class TheoriesConfig(AppConfig):
    name = "theories"
    verbose_name = "Theories of action"

    def ready(self):
        from . import answers  # noqa: F401  (registers what this app answers; see core.hooks)
