from django.apps import AppConfig


class TheoriesConfig(AppConfig):
    name = "theories"
    verbose_name = "Theories of action"
