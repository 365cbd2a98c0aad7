"""Reading settings from the environment: a bad value stops the process with a message saying
which variable is wrong. Used by config/settings.py and config/gunicorn.conf.py (gunicorn reads
its configuration before Django is loaded)."""

import hashlib
import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name, default):
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be one of 1/0/true/false/yes/no, not {raw!r}.")


def env_int(name, default, minimum=None):
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        value = default
    else:
        try:
            value = int(raw)
        except ValueError:
            raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name} must be {minimum} or more, not {value}.")
    return value


def env_list(name, default):
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def source_digest(root):
    """A digest of what the running code renders with: the project's Python packages, its
    templates and its compiled translations (the virtualenv and tests aside). Equal on every
    host of one release, whatever the files' dates."""
    digest = hashlib.sha256()
    folders = [
        folder
        for folder in sorted(root.iterdir())
        if (folder / "__init__.py").exists() or folder.name in ("templates", "locale")
    ]
    for folder in folders:
        if folder.name == "tests":
            continue
        for path in sorted(folder.rglob("*")):
            if path.suffix in (".py", ".html", ".mo") and path.is_file():
                digest.update(str(path.relative_to(root)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()
