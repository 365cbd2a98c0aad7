"""One "today" for the whole app: the district's local date, whatever the server's clock zone."""

import datetime
import re

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import ActionItemFactory, ProgramFactory, VisitFactory
from tests.helpers import travel_to

APP_PACKAGES = ["core", "accounts", "district_plan", "theories", "benchmarking", "visits"]
APP_PACKAGES += ["reports", "public", "config", "bench"]
NAIVE_TODAY = re.compile(r"\bdate\.today\b|\bdatetime\.now\(\)|\butcnow\(")


def test_no_app_code_reads_the_servers_own_date():
    offenders = [
        f"{path.relative_to(settings.BASE_DIR)}:{number}"
        for package in APP_PACKAGES
        for path in (settings.BASE_DIR / package).rglob("*.py")
        if "migrations" not in path.parts
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if NAIVE_TODAY.search(line)
    ]
    assert not offenders, f"Use timezone.localdate() / timezone.now(): {offenders}"


@pytest.fixture
def item_due_on_the_last_of_august(personas):
    visit = VisitFactory(
        program=ProgramFactory(
            district=personas.district,
            start_date=datetime.date(2026, 8, 3),
            end_date=datetime.date(2026, 12, 18),
        ),
        campus=personas.district.campuses.get(),
        date=datetime.date(2026, 8, 25),
    )
    return ActionItemFactory(visit=visit, due_date=datetime.date(2026, 8, 31))


@pytest.mark.parametrize(
    ("moment", "overdue"),
    [
        # 23:30 in Chicago is already September 1 in UTC: the item is still due today.
        ("2026-08-31T23:30", 0),
        ("2026-09-01T00:30", 1),
    ],
)
def test_an_item_becomes_overdue_at_the_districts_midnight(
    as_member, personas, item_due_on_the_last_of_august, moment, overdue
):
    with travel_to(moment):
        page = as_member(personas.cabinet).get(reverse("actions:index", args=["lakeside"]))
    assert f"<strong>{overdue}</strong> overdue" in page.text
