import re

from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible, sign_in

READING = "Every student reads on grade level by the end of grade 3"
PATHWAYS = "Every graduate leaves with a credential, an admission or an enlistment plan"


def test_a_board_member_on_a_tablet_filters_the_scorecard_to_one_strand(open_page, demo):
    page = open_page("tablet-portrait")
    sign_in(page, "board@demo.test")
    page.get_by_role("link", name="Open the scorecard").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Scorecard")
    rows = page.locator("#scorecard-results .scorecard-goal")
    expect(rows.filter(has_text=READING)).to_have_count(1)
    assert_accessible(page, "scorecard", wcag=True)

    page.evaluate("window.__sameDocument = true")
    page.get_by_label("Strand").select_option(label="Motivation")
    expect(rows.filter(has_text=READING)).to_have_count(0)
    expect(rows.filter(has_text=PATHWAYS)).to_have_count(1)
    assert page.evaluate("window.__sameDocument") is True
    expect(page).to_have_url(re.compile(r"strand=\d+"))
    # Each row says its goal's status in words, and opens the goal.
    expect(rows.first.locator(".badge").first).to_have_text(
        re.compile("On track|Behind|Needs update|No data")
    )
    assert_accessible(page, "scorecard-one-strand", wcag=True)
    page.get_by_role("link", name=PATHWAYS).click()
    expect(page).to_have_url(re.compile(r"/d/demo/plan/plans/\d+/#goal-\d+"))


def test_the_scorecard_does_not_scroll_sideways_on_a_phone(open_page, demo):
    page = open_page("phone")
    sign_in(page, "board@demo.test")
    for path in ("/d/demo/scorecard/", "/d/demo/scorecard/table/"):
        page.goto(path)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert_accessible(page, "scorecard-table-phone", wcag=True)
