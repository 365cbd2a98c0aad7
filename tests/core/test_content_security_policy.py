"""Every page forbids inline script and style and anything not served by this site."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# WeasyPrint reads these to make PDFs; no browser ever loads them.
PDF_TEMPLATES = ROOT / "templates" / "reports" / "pdf"


def policy(response):
    header = response.headers.get("Content-Security-Policy", "")
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


def assert_strict(response):
    directives = policy(response)
    assert directives.get("default-src") == ["'self'"], response.headers
    for name in ("script-src", "style-src"):
        assert "'unsafe-inline'" not in directives.get(name, []), directives
        assert "'unsafe-eval'" not in directives.get(name, []), directives
    assert directives.get("frame-ancestors") == ["'none'"]
    assert directives.get("object-src") == ["'none'"]


@pytest.mark.parametrize(
    "url", ["/d/lakeside/", "/d/lakeside/plan/", "/d/lakeside/campuses/", "/d/lakeside/actions/"]
)
def test_member_pages_send_the_policy(as_member, personas, url):
    response = as_member(personas.cabinet).get(url)
    assert response.status_code == 200
    assert_strict(response)


def test_sign_in_and_admin_send_the_policy(client, personas):
    assert_strict(client.get("/accounts/login/"))
    client.force_login(personas.admin)
    assert_strict(client.get("/admin/", follow=True))


def test_error_pages_send_the_policy(as_member, personas):
    client = as_member(personas.board)
    missing = client.get("/d/lakeside/no-such-page/")
    assert missing.status_code == 404
    assert_strict(missing)
    forbidden = client.get("/d/lakeside/campuses/import/")
    assert forbidden.status_code == 403
    assert_strict(forbidden)


def _served_templates():
    for path in (ROOT / "templates").rglob("*.html"):
        if PDF_TEMPLATES not in path.parents:
            yield path


INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "an inline <script>"),
    (re.compile(r"<style\b", re.I), "a <style> element"),
    (re.compile(r"\sstyle\s*=", re.I), "a style attribute"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "an inline event handler"),
    (re.compile(r"\bhx-on", re.I), "an htmx inline handler"),
    (re.compile(r"javascript:", re.I), "a javascript: URL"),
]


@pytest.mark.parametrize("path", list(_served_templates()), ids=lambda p: str(p.relative_to(ROOT)))
def test_templates_have_no_inline_script_or_style(path):
    text = path.read_text()
    for pattern, what in INLINE:
        match = pattern.search(text)
        assert match is None, f"{what} in {path.name}: {match.group(0) if match else ''}"
