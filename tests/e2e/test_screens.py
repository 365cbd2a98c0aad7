"""How the screens behave in the browser: collapsible sections, the phone menu, focus after an
in-place form opens, cards swapped in place, a keyboard-reachable heat-map table, the plan's
gaps opened one kind at a time."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible, sign_in
from theories.models import TheoryOfAction

NAV_LINKS = [
    "Home",
    "Plan",
    "Theories of action",
    "Discovery",
    "Visits",
    "Action items",
    "Reports",
    "Campuses",
    "Public page",
]

MARKERS = """() => [...document.querySelectorAll('summary')]
    .filter(summary => summary.offsetParent !== null)
    .map(summary => {
        const marker = getComputedStyle(summary, '::before');
        return {text: summary.innerText.trim().slice(0, 40), open: summary.parentElement.open,
                content: marker.content, transform: marker.transform};
    })"""


def test_collapsible_sections_show_a_marker_that_turns_when_open(open_page, demo):
    page = open_page()
    sign_in(page, "cabinet@demo.test")
    for path in ("/d/demo/plan/", "/d/demo/theories/", "/d/demo/actions/"):
        page.goto(path)
        summaries = page.evaluate(MARKERS)
        assert summaries, path
        for summary in summaries:
            assert summary["content"] not in ("none", "normal"), (path, summary)
    # The marker turns with a transition; without motion the turned state is read at once.
    page.emulate_media(reduced_motion="reduce")
    page.goto("/d/demo/theories/")
    add_strand = page.locator("summary", has_text="Add a strand")
    closed = add_strand.evaluate("s => getComputedStyle(s, '::before').transform")
    add_strand.click()
    opened = add_strand.evaluate("s => getComputedStyle(s, '::before').transform")
    assert closed != opened


def test_phone_header_collapses_the_navigation_into_a_menu(open_page, demo):
    page = open_page("phone")
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, "cabinet@demo.test")
    page.goto("/d/demo/plan/")
    header = page.locator("header.site-header")
    assert header.bounding_box()["height"] <= 0.15 * 844
    nav = page.get_by_role("navigation", name="District")
    expect(nav.get_by_role("link", name="Plan", exact=True)).to_be_hidden()
    menu = page.get_by_role("button", name="Menu")
    expect(menu).to_have_attribute("aria-expanded", "false")
    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    for name in NAV_LINKS:
        expect(nav.get_by_role("link", name=name, exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    assert_accessible(page, "phone-menu-open", wcag=True)
    page.keyboard.press("Escape")
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(menu).to_be_focused()
    nav.get_by_role("link", name="Plan", exact=True).wait_for(state="hidden")


def test_laptop_header_shows_the_navigation_without_a_menu(open_page, demo):
    page = open_page()
    sign_in(page, "cabinet@demo.test")
    page.goto("/d/demo/plan/")
    nav = page.get_by_role("navigation", name="District")
    for name in NAV_LINKS:
        expect(nav.get_by_role("link", name=name, exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Menu")).to_be_hidden()


def test_phone_without_javascript_still_shows_every_link(browser, live_server, demo):
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": 390, "height": 844},
        java_script_enabled=False,
    )
    page = context.new_page()
    sign_in(page, "cabinet@demo.test")
    page.goto("/d/demo/plan/")
    nav = page.get_by_role("navigation", name="District")
    for name in NAV_LINKS:
        expect(nav.get_by_role("link", name=name, exact=True)).to_be_visible()
    context.close()


@pytest.mark.parametrize("size", ["phone", "tablet-portrait", "laptop"])
def test_the_plans_gaps_open_one_kind_in_place(open_page, demo, size):
    page = open_page(size)
    sign_in(page, "cabinet@demo.test")
    page.goto("/d/demo/plan/")
    panel = page.locator("section.coherence")
    expect(panel).to_contain_text("things to fix")
    expect(panel.locator("#gap-list li")).to_have_count(0)
    panel.get_by_role("link", name="Theories with no measure").click()
    heading = page.locator("#gap-list-heading")
    expect(heading).to_have_text("Theories with no measure")
    expect(heading).to_be_focused()
    expect(page).to_have_url(re.compile(r"/d/demo/plan/$"))
    entries = panel.locator("#gap-list li")
    expect(entries.first).to_contain_text("Theory with no measure")
    expect(entries.first.get_by_role("link")).to_have_attribute("href", re.compile("#theory-"))
    panel.get_by_role("link", name="Actions past due").click()
    expect(heading).to_have_text("Actions past due")
    expect(panel.locator("#gap-list")).to_have_count(1)
    assert_accessible(page, f"plan-gaps-{size}", wcag=True)


def test_without_javascript_a_kind_of_gap_opens_on_its_own_page(browser, live_server, demo):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    sign_in(page, "cabinet@demo.test")
    page.goto("/d/demo/plan/")
    page.get_by_role("link", name="Actions past due").click()
    expect(page).to_have_url(re.compile(r"/plans/\d+/gaps/actions-past-due/$"))
    expect(page.locator("#gap-list li").first).to_contain_text("Action past due since")
    context.close()


def test_heat_map_table_scrolls_by_keyboard(open_page, demo):
    page = open_page("tablet-portrait")
    sign_in(page, "cabinet@demo.test")
    page.goto("/d/demo/discovery/")
    page.get_by_role("link", name="Discovery Analysis", exact=True).last.click()
    region = page.get_by_role("region", name="Average gap by scope and building block")
    expect(region).to_have_attribute("tabindex", "0")
    assert_accessible(page, "discovery-analysis-tablet", wcag=True)


def test_adding_an_action_swaps_the_theory_card_in_place(open_page, demo):
    theory = TheoryOfAction.objects.filter(district__slug="demo").first()
    card_id = f"#theory-{theory.pk}"
    page = open_page()
    sign_in(page, "cabinet@demo.test")
    page.goto(f"/d/demo/theories/{card_id}")
    card = page.locator(card_id)
    card.get_by_role("link", name="Add an action").click()
    description = card.get_by_label("Description")
    expect(description).to_be_focused()
    description.fill("Share the walkthrough form with every principal")
    card.get_by_role("button", name="Add action").click()
    expect(card).to_contain_text("Share the walkthrough form with every principal")
    expect(page.locator(card_id)).to_have_count(1)
    expect(page.locator(f"{card_id} {card_id}")).to_have_count(0)


def test_a_form_opened_in_place_takes_the_focus(open_page, demo):
    theory = TheoryOfAction.objects.filter(district__slug="demo").first()
    page = open_page("tablet-portrait")
    sign_in(page, "cabinet@demo.test")
    page.goto(f"/d/demo/theories/#theory-{theory.pk}")
    page.locator(f"#theory-{theory.pk}").get_by_role("link", name="Edit theory").click()
    expect(page.locator(f"#theory-{theory.pk} form :focus")).to_have_count(1)
    page.goto("/d/demo/plan/")
    page.get_by_role("link", name="Add a goal").click()
    expect(page.get_by_label("Title", exact=True)).to_be_focused()
