from django.apps import AppConfig


class DistrictPlanConfig(AppConfig):
    name = "district_plan"
    verbose_name = "District plan"

    def ready(self):
        from . import answers  # noqa: F401  (registers what this app answers; see core.hooks)
