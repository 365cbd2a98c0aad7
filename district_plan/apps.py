from django.apps import AppConfig


class DistrictPlanConfig(AppConfig):
    name = "district_plan"
    verbose_name = "District plan"
