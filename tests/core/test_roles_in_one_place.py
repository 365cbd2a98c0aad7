"""Who may do what is decided in core/roles.py only. A view or selector that compares a role
itself (`membership.role == "campus_leader"`) or draws its own 403 page drifts from the rules
the roles matrix tests, so this scan fails on either, in apps added later too."""

import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings

from core.roles import Role

ROLE_NAMES = "|".join(re.escape(role.value) for role in Role)
DECIDING_ITSELF = [
    re.compile(r"\bRole\.[A-Z_]+"),
    re.compile(rf"""["'](?:{ROLE_NAMES})["']"""),
    re.compile(r"\.role\b"),
    re.compile(r"core/forbidden\.html"),
]


def modules():
    base = Path(settings.BASE_DIR).resolve()
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if path.parent != base:
            continue
        for name in ("views.py", "selectors.py"):
            if (path / name).exists():
                yield path / name


def offences(text):
    return [
        f"{number}: {line.strip()}"
        for number, line in enumerate(text.splitlines(), start=1)
        if any(pattern.search(line) for pattern in DECIDING_ITSELF)
    ]


@pytest.mark.parametrize(
    "path", list(modules()), ids=lambda path: f"{path.parent.name}/{path.name}"
)
def test_views_and_selectors_leave_role_decisions_to_core_roles(path):
    assert offences(path.read_text(encoding="utf-8")) == []


def test_the_scan_catches_a_view_deciding_by_role_name():
    assert offences('    if membership.role == "campus_leader":')
    assert offences("    if membership.role == Role.ADMIN:")
    assert offences('    return render(request, "core/forbidden.html", status=403)')
    assert not offences("    if can(request.membership, Capability.EDIT_PLAN):")


def test_the_scan_reads_the_apps_views():
    names = {f"{path.parent.name}/{path.name}" for path in modules()}
    assert {"visits/views.py", "visits/selectors.py", "theories/views.py"} <= names
