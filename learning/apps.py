from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "learning"
    verbose_name = "Professional learning"

    def ready(self):
        from . import answers  # noqa: F401  (registers what this app answers; see core.hooks)
