"""The layers of the code (README, Layout) are import-linter contracts in pyproject.toml, run
by `make lint`. This runs them on the project as it is, and on a copy with one forbidden import
added, which they must refuse."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

BASE = Path(settings.BASE_DIR)
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"
PACKAGES = [
    "config",
    "core",
    "accounts",
    "comments",
    "district_plan",
    "theories",
    "visits",
    "benchmarking",
    "learning",
    "meetings",
    "reports",
    "public",
    "dashboard",
]


def lint_imports(root):
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
    )


def copy_of_the_project(tmp_path):
    for package in PACKAGES:
        shutil.copytree(
            BASE / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    shutil.copy(BASE / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_the_project_keeps_its_layers():
    result = lint_imports(BASE)
    assert result.returncode == 0, result.stdout


# Each: the file a forbidden import is added to (appended, so an existing module can hide it
# inside a function), the import, and what lint-imports must say of it.
FORBIDDEN = {
    "core-imports-a-domain-app": (
        "core/shortcut.py",
        "from visits.models import Visit  # noqa\n",
        "core is not allowed to import visits",
    ),
    "a-domain-app-imports-the-dashboard": (
        "theories/shortcut.py",
        "import dashboard.views  # noqa\n",
        "theories is not allowed to import dashboard",
    ),
    "comments-import-a-domain-app": (
        "comments/shortcut.py",
        "import theories.models  # noqa\n",
        "comments is not allowed to import theories",
    ),
    "visits-import-meetings": (
        "visits/shortcut.py",
        "import meetings.models  # noqa\n",
        "visits is not allowed to import meetings",
    ),
    "the-plan-imports-theories": (
        "district_plan/shortcut.py",
        "import theories.selectors  # noqa\n",
        "district_plan is not allowed to import theories",
    ),
    "theories-import-visits": (
        "theories/shortcut.py",
        "from visits import selectors  # noqa\n",
        "theories is not allowed to import visits",
    ),
    # Inside a function, where it hides from a reader of the module's imports.
    "report-services-import-the-tasks": (
        "reports/services.py",
        "\n\ndef _enqueue(report_id):\n    from reports.tasks import render_report\n",
        "reports.services is not allowed to import reports.tasks",
    ),
    "report-services-reach-the-tasks-through-the-queue": (
        "reports/services.py",
        "\n\ndef _enqueue(report_id):\n    from reports import queue  # noqa\n",
        "reports.services is not allowed to import reports.tasks",
        "reports.queue",
    ),
}


@pytest.mark.parametrize("case", FORBIDDEN)
def test_a_forbidden_import_breaks_the_layers(tmp_path, case):
    path, line, *said = FORBIDDEN[case]
    root = copy_of_the_project(tmp_path)
    with (root / path).open("a") as module:
        module.write(line)
    result = lint_imports(root)
    assert result.returncode != 0
    assert all(words in result.stdout for words in said), result.stdout
