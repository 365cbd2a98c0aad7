from django.apps import AppConfig


class BenchmarkingConfig(AppConfig):
    name = "benchmarking"
    verbose_name = "Discovery Analysis"

    def ready(self):
        from . import answers  # noqa: F401  (registers what this app answers; see core.hooks)
