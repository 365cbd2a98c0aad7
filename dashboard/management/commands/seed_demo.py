import time

from django.core.management.base import BaseCommand

from core.models import District
from dashboard.demo import DEMO_PASSWORD, demo_logins, refresh_planner_statistics, seed_demo


class Command(BaseCommand):
    help = (
        "Replaces the demo districts (`demo` and `other`) and the demo accounts with fresh "
        "demo data. small: 8 campuses; large: a big urban district of about 275 campuses."
    )

    def add_arguments(self, parser):
        parser.add_argument("--size", choices=["small", "large"], default="small")
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing if any district exists already (used by `make run`).",
        )

    def handle(self, *args, size, if_empty, **options):
        if if_empty and District.objects.exists():
            self.stdout.write("Districts exist already; demo data left as it is.")
        else:
            started = time.monotonic()
            result = seed_demo(size=size)
            refresh_planner_statistics()
            self.stdout.write(
                self.style.SUCCESS(
                    f"Seeded {result.district.name} ({result.campuses} campuses, size {size}) "
                    f"and {result.other.name} in {time.monotonic() - started:.1f} s."
                )
            )
        self.stdout.write(f"\nDemo sign-ins (password {DEMO_PASSWORD} for all):\n{demo_logins()}\n")
        self.stdout.write(
            "The demo plan's public page, no sign-in needed: /p/demo/ (in Spanish: /p/demo/es/)\n"
        )
