"""Browser tests: Playwright drives Debian's Chromium against pytest-django's live server."""

import io
import os
import shutil
from pathlib import Path

import axe_playwright_python
import pytest
from django.core.management import call_command
from playwright.sync_api import sync_playwright

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
AXE_JS = Path(axe_playwright_python.__file__).parent / "axe.min.js"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

SIZES = {
    "laptop": {"viewport": {"width": 1366, "height": 768}},
    "tablet-landscape": {"viewport": {"width": 1024, "height": 768}, "has_touch": True},
    "tablet-portrait": {"viewport": {"width": 768, "height": 1024}, "has_touch": True},
    "phone": {"viewport": {"width": 375, "height": 812}, "has_touch": True, "is_mobile": True},
}


def pytest_collection_modifyitems(items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    # Playwright's sync API runs an event loop in this thread for the whole session; the ORM
    # calls the tests make around it (seeding, flushing, checking results) are synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()
    del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.fixture
def open_page(browser, live_server):
    contexts = []
    blocked = []

    def report_csp(message):
        if "Content Security Policy" in message.text:
            blocked.append(message.text)

    def open_page(size="laptop", **options):
        context = browser.new_context(base_url=live_server.url, **SIZES[size], **options)
        context.set_default_timeout(10_000)
        # The policy stays on in the browser: anything it blocks fails the test.
        context.on("console", report_csp)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()
    assert not blocked, "\n".join(blocked)


@pytest.fixture
def demo(transactional_db):
    call_command("seed_demo", size="small", stdout=io.StringIO())


def sign_in(page, email, password="demo-pass-2026"):
    """Signing in with a password: the email step, then the password."""
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()


WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def assert_accessible(page, name, *, wcag=False):
    """No serious or critical axe-core violations on the page as it is now; with `wcag`, no
    violation at all of the WCAG 2.2 A and AA rules."""
    # Evaluated rather than added as a <script>: the page's policy refuses inline scripts.
    page.evaluate(AXE_JS.read_text())
    options = {"resultTypes": ["violations"]}
    if wcag:
        options["runOnly"] = {"type": "tag", "values": WCAG_22_AA}
    result = page.evaluate("async (options) => await axe.run(document, options)", options)
    bad = [v for v in result["violations"] if wcag or v["impact"] in ("serious", "critical")]
    if bad:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    assert not bad, "\n".join(
        f"{v['impact']}: {v['id']}: {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in bad
    )


def small_touch_targets(page):
    """Interactive elements smaller than 44 by 44 CSS pixels. A checkbox or radio button is
    tapped through its label, so the label is what is measured."""
    return page.evaluate(
        """() => [...document.querySelectorAll(
              'nav a, header a, header button, button, .button, input:not([type=hidden]), select, textarea')]
            .filter(el => el.offsetParent !== null)
            .map(el => ['checkbox', 'radio'].includes(el.type)
                ? (el.closest('label') || document.querySelector(`label[for="${el.id}"]`) || el) : el)
            .map(el => { const r = el.getBoundingClientRect();
                         return {text: (el.innerText || el.name || el.id).trim().slice(0, 40),
                                 width: Math.round(r.width), height: Math.round(r.height)}; })
            .filter(box => box.width < 44 || box.height < 44)"""
    )
