import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import assert_accessible, sign_in, small_touch_targets
from visits.models import ActionItem


@pytest.mark.parametrize("size", ["laptop", "tablet-portrait", "phone"])
def test_an_item_closed_with_a_note_and_evidence_is_found_under_done(open_page, demo, size):
    page = open_page(size)
    sign_in(page, "visitor@demo.test")
    page.goto("/d/demo/actions/?show=open")
    item = page.locator("li.action-item:visible").first
    pk = int(item.locator("form.inline-status").get_attribute("action").strip("/").split("/")[-1])
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
    page.locator("#done-heading").click()
    done = page.locator("li.action-item", has_text="Shared at the staff meeting")
    expect(done.get_by_role("link", name="https://drive.example.org/agenda")).to_be_visible()
    assert_accessible(page, f"actions-done-{size}")
