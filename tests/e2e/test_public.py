"""A parent reads the district's plan on a phone, in Spanish; an admin previews and publishes."""

import re

from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible, sign_in, small_touch_targets


def test_parent_reads_the_plan_in_spanish_on_a_phone_without_javascript(open_page, demo):
    page = open_page("phone", java_script_enabled=False, locale="en-US")
    page.goto("/p/demo/")
    expect(
        page.get_by_role("heading", level=2, name="Goals and how we measure them")
    ).to_be_visible()
    page.get_by_role("link", name="Español").click()
    expect(page).to_have_url(re.compile("/p/demo/es/$"))
    expect(page.get_by_role("heading", level=2, name="Metas y cómo las medimos")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    strand = page.locator("details.strand").first
    strand.locator("summary").tap()
    expect(strand.get_by_text("ENTONCES").first).to_be_visible()
    results = page.locator("details.results").first
    results.locator("summary").tap()
    expect(results.get_by_role("columnheader", name="Grupo de estudiantes")).to_be_visible()
    # The default student groups are named in Spanish on the Spanish page.
    expect(results.get_by_role("rowheader", name="Todos los estudiantes")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


def test_public_page_passes_wcag_aa_at_phone_size_in_both_languages(open_page, demo):
    page = open_page("phone")
    for language in ("en", "es"):
        page.goto(f"/p/demo/{language}/")
        page.locator("details.strand").first.locator("summary").tap()
        page.locator("details.results").first.locator("summary").tap()
        assert_accessible(page, f"public-{language}", wcag=True)
        assert small_touch_targets(page) == []
        summaries = page.evaluate(
            "[...document.querySelectorAll('summary')].map(s => s.getBoundingClientRect().height)"
        )
        assert min(summaries) >= 44


def test_admin_previews_then_unpublishes_and_the_link_stops_answering(open_page, demo):
    page = open_page("tablet-landscape")
    sign_in(page, "admin@demo.test")
    page.goto("/d/demo/")
    page.get_by_role("link", name="Public page").click()
    expect(page.get_by_role("heading", name="Public plan page")).to_be_visible()
    assert_accessible(page, "public-manage")
    page.get_by_role("link", name="Español").click()
    expect(page.get_by_role("note")).to_contain_text("Vista previa")
    page.go_back()
    page.get_by_label(re.compile("Publish the adopted plan")).uncheck()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status").first).to_contain_text("The plan is not public.")

    visitor = open_page("phone")
    response = visitor.goto("/p/demo/")
    assert response.status == 404


def test_admin_reviews_what_waits_and_publishes_it(open_page, demo):
    # The demo's vision was revised after the board adopted the plan.
    revision = "say plainly where we fall short"
    visitor = open_page("phone")
    visitor.goto("/p/demo/en/")
    expect(visitor.get_by_text(revision)).to_have_count(0)

    page = open_page("tablet-landscape")
    sign_in(page, "admin@demo.test")
    page.goto("/d/demo/public/")
    expect(page.get_by_role("heading", name="Waiting to be published")).to_be_visible()
    expect(page.get_by_text(revision).first).to_be_visible()
    page.get_by_role("link", name="Review and publish").click()
    assert_accessible(page, "public-publish")
    page.get_by_role("button", name="Publish these changes").click()
    expect(page.get_by_role("status").first).to_contain_text(
        "The public page now shows the plan as it is."
    )
    visitor.reload()
    expect(visitor.get_by_text(revision)).to_be_visible()


def test_admin_confirms_archiving_and_restores_the_plan(open_page, demo):
    page = open_page("tablet-landscape")
    sign_in(page, "admin@demo.test")
    page.goto("/d/demo/plan/")
    page.get_by_role("link", name="Archive this plan").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Archive")
    assert_accessible(page, "plan-archive-confirm")
    page.get_by_role("button", name="Archive this plan").click()
    expect(page.get_by_role("status").first).to_contain_text("Plan archived.")
    visitor = open_page("phone")
    assert visitor.goto("/p/demo/").status == 404
    page.get_by_role("button", name="Restore this plan").click()
    expect(page.get_by_role("status").first).to_contain_text("Plan restored")
    assert visitor.goto("/p/demo/").status == 200
