"""The layers of the code (README, Layout) are import-linter contracts in pyproject.toml, run
by `make lint`. This runs them on the project as it is, and on a copy with one forbidden import
added, which they must refuse."""

import shutil
import subprocess
import sys
from pathlib import Path

from django.conf import settings

BASE = Path(settings.BASE_DIR)
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"
PACKAGES = [
    "config",
    "core",
    "accounts",
    "district_plan",
    "theories",
    "visits",
    "benchmarking",
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


def test_core_importing_a_domain_app_breaks_the_layers(tmp_path):
    root = copy_of_the_project(tmp_path)
    (root / "core" / "shortcut.py").write_text("from visits.models import Visit  # noqa\n")
    result = lint_imports(root)
    assert result.returncode != 0
    assert "core is not allowed to import visits" in result.stdout


def test_a_domain_app_importing_the_dashboard_breaks_the_layers(tmp_path):
    root = copy_of_the_project(tmp_path)
    (root / "theories" / "shortcut.py").write_text("import dashboard.views  # noqa\n")
    result = lint_imports(root)
    assert result.returncode != 0
    assert "theories is not allowed to import dashboard" in result.stdout


def test_the_plan_importing_theories_breaks_the_layers(tmp_path):
    root = copy_of_the_project(tmp_path)
    (root / "district_plan" / "shortcut.py").write_text("import theories.selectors  # noqa\n")
    result = lint_imports(root)
    assert result.returncode != 0
    assert "district_plan is not allowed to import theories" in result.stdout


def test_theories_importing_visits_breaks_the_layers(tmp_path):
    root = copy_of_the_project(tmp_path)
    (root / "theories" / "shortcut.py").write_text("from visits import selectors  # noqa\n")
    result = lint_imports(root)
    assert result.returncode != 0
    assert "theories is not allowed to import visits" in result.stdout


def test_the_report_services_importing_the_tasks_breaks_the_layers(tmp_path):
    # Even inside a function, where it hides from a reader of the module's imports.
    root = copy_of_the_project(tmp_path)
    with (root / "reports" / "services.py").open("a") as services:
        services.write(
            "\n\ndef _enqueue(report_id):\n    from reports.tasks import render_report\n"
        )
    result = lint_imports(root)
    assert result.returncode != 0
    assert "reports.services is not allowed to import reports.tasks" in result.stdout


def test_the_report_services_reaching_the_tasks_through_the_queue_breaks_the_layers(tmp_path):
    root = copy_of_the_project(tmp_path)
    with (root / "reports" / "services.py").open("a") as services:
        services.write("\n\ndef _enqueue(report_id):\n    from reports import queue  # noqa\n")
    result = lint_imports(root)
    assert result.returncode != 0
    assert "reports.services is not allowed to import reports.tasks" in result.stdout
    assert "reports.queue" in result.stdout
