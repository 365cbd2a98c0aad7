from django.apps import AppConfig


class DashboardConfig(AppConfig):
    """Pages and commands that compose several apps: the district home and the demo data."""

    name = "dashboard"
