import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible, sign_in, small_touch_targets
from visits.models import ActionItem


def open_group(page, key=None):
    """Opens an owner group (the first one without `key`) as a person would, and returns it."""
    fold = page.locator(f"#owner-{key}-items-fold" if key else "details.fold").first
    fold.locator("> summary").click()
    expect(fold.locator("li.action-item").first).to_be_visible()
    return fold


@pytest.mark.parametrize("size", ["laptop", "tablet-portrait", "phone"])
def test_an_item_closed_with_a_note_and_evidence_is_found_under_done(open_page, demo, size):
    page = open_page(size)
    sign_in(page, "visitor@demo.test")
    page.goto("/d/demo/actions/?show=open")
    item = open_group(page).locator("li.action-item").first
    pk = int(item.get_attribute("id").removeprefix("item-"))
    item.get_by_text("Add a note or evidence").click()
    if size != "laptop":
        assert small_touch_targets(page) == []
    item.get_by_label("Note").fill("Shared at the staff meeting")
    item.get_by_label("Evidence").fill("https://drive.example.org/agenda")
    item.get_by_role("combobox", name="Status of").select_option("done")
    item.get_by_role("button", name="Update").click()
    expect(page.get_by_role("status")).to_contain_text("Action item updated.")
    stored = ActionItem.objects.get(pk=pk)
    assert (stored.status, stored.status_note, stored.evidence) == (
        "done",
        "Shared at the staff meeting",
        "https://drive.example.org/agenda",
    )
    page.goto("/d/demo/actions/?show=all")
    group = open_group(page, stored.owner_key)
    done = group.locator("li.action-item", has_text="Shared at the staff meeting")
    expect(done.get_by_role("link", name="https://drive.example.org/agenda")).to_be_visible()
    assert_accessible(page, f"actions-done-{size}")


@pytest.mark.parametrize("size", ["laptop", "tablet-portrait", "phone"])
def test_an_owner_group_opens_in_place_with_its_items(open_page, demo, size):
    page = open_page(size)
    sign_in(page, "cabinet@demo.test")
    page.goto("/d/demo/actions/?show=all")
    page.evaluate("window.__noReload = true")
    summary = page.locator("details.fold > summary").first
    expect(summary).to_contain_text("open")
    expect(page.locator("li.action-item")).to_have_count(0)
    group = open_group(page)
    item = group.locator("li.action-item").first
    expect(item.locator("form.inline-status")).to_be_visible()
    assert page.evaluate("window.__noReload") is True
    assert_accessible(page, f"actions-group-open-{size}", wcag=True)
    if size != "laptop":
        assert small_touch_targets(page) == []


def test_without_javascript_a_groups_link_opens_it(browser, live_server, demo):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 390, "height": 844}, java_script_enabled=False
    )
    page = context.new_page()
    sign_in(page, "cabinet@demo.test")
    page.goto("/d/demo/actions/?show=all")
    section = page.locator("section[id^=owner-]").first
    section.locator("summary").first.click()
    section.get_by_role("link", name="Show its items").click()
    expect(page.locator("li.action-item").first).to_be_visible()
    assert "show=all&open=" in page.url
    context.close()
