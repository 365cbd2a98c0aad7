from playwright.sync_api import expect

from district_plan.models import CampusGoal, CampusStrategy
from tests.e2e.conftest import assert_accessible, sign_in, small_touch_targets


def test_a_principal_updates_their_campus_plan_on_a_tablet(open_page, demo):
    page = open_page("tablet-portrait")
    sign_in(page, "principal@demo.test")
    led = page.locator("main p", has_text="You lead").get_by_role("link").first
    campus_name = led.inner_text()
    led.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(campus_name)
    page.get_by_role("link", name="Open the campus plan").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(campus_name)
    assert_accessible(page, "campus-plan", wcag=True)
    assert small_touch_targets(page) == []

    page.get_by_role("link", name="Add a campus goal").click()
    form = page.locator("#plan-body form")
    form.get_by_label("District goal it serves").select_option(index=1)
    form.get_by_label("Title").fill("Every third grader reads at Lakeview")
    form.get_by_role("button", name="Save campus goal").click()
    goal = page.locator(".goal", has_text="Every third grader reads at Lakeview")
    expect(goal).to_be_visible()

    goal.get_by_role("link", name="Add a performance objective").click()
    objective_form = goal.locator("form")
    objective_form.get_by_label("Objective").fill("Grade 3 readers up five points")
    objective_form.get_by_label("District measure").select_option(index=1)
    objective_form.get_by_label("Baseline at this campus").fill("50")
    objective_form.get_by_label("Target at this campus").fill("55")
    objective_form.get_by_role("button", name="Save performance objective").click()
    objective = page.locator("li", has_text="Grade 3 readers up five points")
    expect(objective.locator(".badge")).to_be_visible()

    strategy = page.locator("#campus-strategies li").first
    strategy.get_by_role("link", name="Edit").click()
    editing = page.locator("#campus-strategies .editing")
    editing.get_by_label("Status").select_option("done")
    editing.get_by_role("button", name="Save campus strategy").click()
    expect(page.locator("#campus-strategies li").first.locator(".badge")).to_have_text("Done")

    page.reload()
    expect(page.locator(".goal", has_text="Every third grader reads at Lakeview")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert_accessible(page, "campus-plan-edited", wcag=True)
    assert CampusGoal.objects.filter(title="Every third grader reads at Lakeview").exists()
    assert CampusStrategy.objects.filter(status="done").exists()
