from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = "Meetings and decisions"

    def ready(self):
        from . import answers  # noqa: F401  (registers what this app answers; see core.hooks)
