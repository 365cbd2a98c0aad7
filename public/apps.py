from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "public"
    verbose_name = "Public plan page"

    def ready(self):
        from public import answers  # noqa: F401  (registers the answers to the plan's hooks)
