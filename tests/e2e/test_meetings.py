"""A cabinet member records a retreat, as a new user would: found from the menu, an outside
facilitator named with their organisation, a decision that created a goal, and the plan saying
where that goal was decided."""

import re

from playwright.sync_api import expect

from meetings.models import Decision, Meeting
from tests.e2e.conftest import assert_accessible, sign_in, small_touch_targets

GOAL = "Chronic absence falls below 10% on every campus"
NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"


def test_cabinet_records_a_retreat_whose_decision_created_a_goal(
    open_page, browser, live_server, demo
):
    page = open_page("laptop")
    sign_in(page, "cabinet@demo.test")
    page.wait_for_url(re.compile(r"/d/demo/"))
    page.get_by_role("link", name="Meetings", exact=True).click()
    page.get_by_role("link", name="Record a meeting").click()
    page.get_by_label("Kind of meeting").select_option(label="Cabinet retreat")
    page.get_by_label("Title").fill("Winter cabinet retreat")
    page.get_by_label("Place or link").fill("Service center, Room B")
    page.get_by_label("Or an outside facilitator").fill("Marta Ruiz")
    page.get_by_label("Outside facilitator's organisation").fill(
        "Region 4 Education Service Center"
    )
    page.get_by_label("Camila Cabinet").check()
    page.get_by_label("Agenda").fill("Attendance data; a goal for next year")
    assert_accessible(page, "meeting-form")
    page.get_by_role("button", name="Save meeting").click()

    expect(page.get_by_text("Meeting recorded.")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Region 4 Education Service Center")
    page.get_by_label("Decision", exact=True).fill("Set a goal for chronic absence")
    page.get_by_label("Goal", exact=True).select_option(label=f"{GOAL} (Strategic Plan 2025–2028)")
    page.get_by_role("button", name="Add decision").click()
    expect(page.get_by_text("Decision recorded.")).to_be_visible()
    meeting = Meeting.objects.get(title="Winter cabinet retreat")
    assert meeting.facilitator_organisation == "Region 4 Education Service Center"
    assert Decision.objects.get(meeting=meeting).goal.title == GOAL
    assert_accessible(page, "meeting-page")
    # The follow-up form's campus menu is drawn when someone opens it, not on every view.
    page.get_by_text("Add a follow-up action", exact=True).click()
    expect(page.locator("#follow-up-new select[name=campus]")).to_be_attached()
    assert_accessible(page, "meeting-page-follow-up-open")

    page.locator(".decisions, #decisions").get_by_role("link", name=re.compile(GOAL)).click()
    goal = page.locator("li.goal", has_text=GOAL)
    expect(goal).to_contain_text("Decided at Winter cabinet retreat on")
    goal.get_by_role("link", name="Winter cabinet retreat").click()
    expect(page.get_by_role("heading", name="Winter cabinet retreat")).to_be_visible()

    phone = browser.new_context(
        base_url=live_server.url,
        viewport={"width": 390, "height": 844},
        has_touch=True,
        is_mobile=True,
    )
    try:
        small = phone.new_page()
        sign_in(small, "cabinet@demo.test")
        small.wait_for_url(re.compile(r"/d/demo/"))
        small.goto(f"/d/demo/meetings/{meeting.pk}/")
        expect(small.get_by_role("heading", name="Winter cabinet retreat")).to_be_visible()
        assert small.evaluate(NO_SIDEWAYS_SCROLL)
        assert small_touch_targets(small) == []
        assert_accessible(small, "meeting-page-phone")
    finally:
        phone.close()
