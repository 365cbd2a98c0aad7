"""The two locks (README, Dependencies): requirements.lock is what production installs (the
Dockerfile, `pip install --require-hashes`), requirements-dev.lock adds tests and tools. Both pin
every package with the hashes of its files, and production's has every package the app's code
imports, so the image never meets a ModuleNotFoundError that the test venv (both locks) hides.
Files are read, nothing is fetched."""

import ast
import re
import sys
import tomllib
from functools import cache
from importlib.metadata import packages_distributions as _packages_distributions
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PROD_LOCK = ROOT / "requirements.lock"
DEV_LOCK = ROOT / "requirements-dev.lock"

# The app's own packages: the import-linter root packages (pyproject.toml).
APP_PACKAGES = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"][
    "root_packages"
]

# Needed at run time without an import in the app's code.
RUNTIME = {
    "gunicorn": "serves the site (Dockerfile, docker-compose.yml)",
    "psycopg": "the PostgreSQL driver behind DATABASE_URL",
    "redis": "the Celery broker and the cache (CACHE_URL)",
    "boto3": "files on S3 (STORAGE_BACKEND=s3, through django-storages)",
}

# Imports of development packages the production image may lack, each inside the function that
# needs it and saying so when it is missing.
DEV_ONLY_IMPORTS = {
    # The demo district's pretend identity provider, for `make run` only.
    "dashboard/management/commands/demo_identity_provider.py": {"oidc_provider_mock"},
}


# {import name: [distributions]} of the test venv, which has both locks installed.
packages_distributions = cache(_packages_distributions)


def normalize(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def read_lock(path):
    """{name: (version, hashes)} from a lock written by `make lock`."""
    text = re.sub(r"\\\n", " ", path.read_text())
    pins = {}
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        requirement, *options = line.split(" --")
        requirement = requirement.split(";", 1)[0].strip()
        match = re.fullmatch(r"([A-Za-z0-9._-]+)(\[[^\]]*\])?==(\S+)", requirement.replace(" ", ""))
        assert match, f"{path.name}: {requirement!r} is not pinned with =="
        hashes = [o.split("=", 1)[1].strip() for o in options if o.startswith("hash=")]
        pins[normalize(match[1])] = (match[3], hashes)
    return pins


def read_in(path):
    names = set()
    for raw in path.read_text().splitlines():
        line = raw.split("#", 1)[0].strip()
        if line and not line.startswith("-"):
            names.add(normalize(re.match(r"[A-Za-z0-9._-]+", line)[0]))
    return names


PROD = read_lock(PROD_LOCK)
DEV = read_lock(DEV_LOCK)


def imported_modules(path):
    """Top-level names of the absolute imports in a file, at any depth (functions included)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def settings_modules():
    """Modules the settings name as dotted strings (INSTALLED_APPS, MIDDLEWARE, backends)."""
    tree = ast.parse((ROOT / "config" / "settings.py").read_text())
    return {
        node.value.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and re.fullmatch(r"[A-Za-z_]\w*(\.\w+)*", node.value)
    }


def third_party(modules):
    return {
        m
        for m in modules
        if m not in sys.stdlib_module_names and m not in APP_PACKAGES and m != "__future__"
    }


def production_needs():
    """{module: [where]} for every third-party module the app's code or settings use."""
    needs = {}
    for package in APP_PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            where = path.relative_to(ROOT).as_posix()
            for module in third_party(imported_modules(path)) - DEV_ONLY_IMPORTS.get(where, set()):
                needs.setdefault(module, []).append(where)
    installed = packages_distributions()
    for module in third_party(settings_modules()):
        if module in installed:
            needs.setdefault(module, []).append("config/settings.py (a dotted name)")
    return needs


@pytest.mark.parametrize("lock", [PROD, DEV], ids=["requirements.lock", "requirements-dev.lock"])
def test_every_pin_carries_hashes(lock):
    assert len(lock) > 10
    unhashed = sorted(name for name, (_version, hashes) in lock.items() if not hashes)
    assert not unhashed, f"pinned without --hash: {unhashed}; run `make lock`"
    for name, (_version, hashes) in lock.items():
        assert all(re.fullmatch(r"sha256:[0-9a-f]{64}", h) for h in hashes), name


def test_a_package_in_both_locks_has_one_version():
    differ = {n: (PROD[n][0], DEV[n][0]) for n in PROD.keys() & DEV.keys() if PROD[n] != DEV[n]}
    assert not differ, differ


def test_each_lock_has_what_its_in_file_asks_for():
    assert read_in(ROOT / "requirements.in") - PROD.keys() == set(), "run `make lock`"
    assert read_in(ROOT / "requirements-dev.in") - DEV.keys() == set(), "run `make lock`"


def test_the_production_lock_has_no_test_tools():
    tools = read_in(ROOT / "requirements-dev.in") & PROD.keys()
    assert not tools, f"development packages in requirements.lock: {sorted(tools)}"
    assert {"pytest", "playwright", "ruff", "uv"} <= DEV.keys()


def test_the_production_lock_has_every_package_the_app_imports():
    installed = packages_distributions()
    missing = {}
    for module, where in production_needs().items():
        distributions = {normalize(d) for d in installed.get(module, [])}
        if not distributions & PROD.keys():
            missing[module] = where[:3]
    assert not missing, f"imported by the app but not in requirements.lock: {missing}"
    assert {"django", "celery", "weasyprint", "pydyf"} <= production_needs().keys()


def test_packages_needed_without_an_import_are_in_the_production_lock():
    assert RUNTIME.keys() - PROD.keys() == set()


def test_dev_only_imports_are_in_the_dev_lock_and_only_there():
    installed = packages_distributions()
    for where, modules in DEV_ONLY_IMPORTS.items():
        assert modules <= imported_modules(ROOT / where), f"{where} no longer imports {modules}"
        for module in modules:
            distributions = {normalize(d) for d in installed[module]}
            assert distributions & DEV.keys(), module
            assert not distributions & PROD.keys(), f"{module} is in production: drop the entry"


def test_a_missing_import_would_be_caught(tmp_path, monkeypatch):
    # The check itself: an app module importing a dev-only package is reported.
    package = tmp_path / "core"
    package.mkdir()
    (package / "shortcut.py").write_text("def f():\n    import pypdf  # noqa\n")
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    monkeypatch.setattr(sys.modules[__name__], "APP_PACKAGES", ["core"])
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "settings.py").write_text("")
    with pytest.raises(AssertionError, match="pypdf"):
        test_the_production_lock_has_every_package_the_app_imports()
