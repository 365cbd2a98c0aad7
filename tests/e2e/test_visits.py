import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import User
from tests.e2e.conftest import assert_accessible, sign_in, small_touch_targets
from tests.e2e.test_action_items import open_group
from visits.models import ActionItem, LookFor, Observation, Visit


def log(page, kind, setting):
    page.get_by_text(kind, exact=True).click()
    page.get_by_label("Setting").fill(setting)
    page.get_by_label("Students explain their thinking to a peer").check()
    page.get_by_role("button", name="Save observation").click()
    expect(page.locator("#save-confirmation")).to_contain_text("Saved on this tablet")


def test_three_observations_logged_offline_survive_a_reload_and_are_stored_once(open_page, demo):
    visit = Visit.objects.filter(district__slug="demo", status="planned").order_by("date").first()
    page = open_page("tablet-portrait")
    sign_in(page, "visitor@demo.test")
    page.goto(f"/d/demo/visits/{visit.pk}/observe/")
    expect(page.locator("html")).to_have_attribute("data-offline-ready", "yes", timeout=15_000)
    assert_accessible(page, "observe")
    assert small_touch_targets(page) == []

    page.context.set_offline(True)
    log(page, "Classroom instruction", "Room 12")
    log(page, "Campus tour", "Library")
    log(page, "Staff collaboration", "Grade 3 team room")
    status = page.locator("#queue-status")
    expect(status).to_contain_text("3 waiting to send")
    assert Observation.objects.filter(visit=visit).count() == 0

    page.reload()
    expect(page.locator("#outbox li")).to_have_count(3)
    expect(page.locator("#queue-status")).to_contain_text("3 waiting to send")

    sent = []
    page.on(
        "request",
        lambda request: (
            request.method == "POST"
            and request.url.endswith("/observations/")
            and sent.append(request.post_data)
        ),
    )
    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(page.locator("#queue-status")).to_contain_text("Nothing waiting to send", timeout=15_000)
    expect(page.locator("#outbox .badge.ok")).to_have_count(3)
    # The ten-second retry may have tried once more while the tablet was still offline; that
    # attempt carries the same observation, so three distinct observations went out.
    sent = list(dict.fromkeys(sent))
    assert len(sent) == 3
    # Send everything once more, as a tablet unsure of its connection would: still three.
    statuses = page.evaluate(
        """async (bodies) => {
             const token = document.querySelector('[name=csrfmiddlewaretoken]').value;
             const action = document.getElementById('observation-form').action;
             const statuses = [];
             for (const body of bodies) {
               const headers = {'X-CSRFToken': token, Accept: 'application/json',
                                'Content-Type': 'application/x-www-form-urlencoded'};
               statuses.push((await fetch(action, {method: 'POST', headers, body})).status);
             }
             return statuses;
           }""",
        sent,
    )
    assert statuses == [200, 200, 200]
    stored = Observation.objects.filter(visit=visit)
    assert stored.count() == 3
    assert sorted(stored.values_list("setting", flat=True)) == [
        "Grade 3 team room",
        "Library",
        "Room 12",
    ]
    assert all(o.look_fors.count() == 1 for o in stored)


def test_what_is_typed_is_kept_across_a_reload(open_page, demo):
    visit = Visit.objects.filter(district__slug="demo", status="planned").order_by("date").first()
    page = open_page("tablet-landscape")
    sign_in(page, "visitor@demo.test")
    page.goto(f"/d/demo/visits/{visit.pk}/observe/")
    page.get_by_label("Notes").fill("Anchor charts in every room on the second floor")
    page.reload()
    expect(page.get_by_label("Notes")).to_have_value(
        "Anchor charts in every room on the second floor"
    )


def first_planned_visit():
    return Visit.objects.filter(district__slug="demo", status="planned").order_by("date").first()


def reconnect(page):
    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")


def test_a_save_the_server_would_refuse_is_stopped_on_the_tablet_and_keeps_the_notes(
    open_page, demo
):
    visit = first_planned_visit()
    page = open_page("tablet-portrait")
    sign_in(page, "visitor@demo.test")
    page.goto(f"/d/demo/visits/{visit.pk}/observe/")
    page.context.set_offline(True)
    notes = page.get_by_label("Notes")
    notes.fill("Anchor charts in every room on the second floor")
    page.get_by_label("Setting").fill("Room 12")
    page.get_by_role("button", name="Save observation").click()

    kind = page.locator("fieldset", has_text="What are you observing?")
    expect(kind.locator(".errorlist")).to_have_text("Choose what you observed.")
    expect(notes).to_have_value("Anchor charts in every room on the second floor")
    expect(page.locator("#outbox .outbox-item")).to_have_count(0)
    expect(page.locator("#save-confirmation")).not_to_contain_text("Saved on this tablet")

    # The server's length limits hold on the tablet too, whatever put the text in the field.
    page.get_by_text("Classroom instruction", exact=True).click()
    page.get_by_label("Setting").evaluate("(input) => { input.value = 'x'.repeat(121); }")
    page.get_by_role("button", name="Save observation").click()
    setting = page.locator(".field", has=page.get_by_label("Setting"))
    expect(setting.locator(".errorlist")).to_contain_text("at most 120 characters")
    expect(kind.locator(".errorlist")).to_have_count(0)
    expect(notes).to_have_value("Anchor charts in every room on the second floor")

    page.get_by_label("Setting").fill("Room 12")
    page.get_by_role("button", name="Save observation").click()
    expect(page.locator("#save-confirmation")).to_contain_text("Saved on this tablet")
    expect(page.locator("form .errorlist")).to_have_count(0)
    reconnect(page)
    expect(page.locator("#outbox .badge.ok")).to_have_count(1, timeout=15_000)
    stored = Observation.objects.get(visit=visit)
    assert (stored.kind, stored.setting) == ("classroom", "Room 12")
    assert stored.notes == "Anchor charts in every room on the second floor"


def test_a_refused_observation_stays_on_the_tablet_to_be_corrected_or_discarded(open_page, demo):
    visit = first_planned_visit()
    page = open_page("tablet-landscape")
    sign_in(page, "visitor@demo.test")
    page.goto(f"/d/demo/visits/{visit.pk}/observe/")
    page.context.set_offline(True)
    for setting, note in [("Room 12", "Pairs explained fractions"), ("Library", "Quiet reading")]:
        page.get_by_text("Classroom instruction", exact=True).click()
        page.get_by_label("Setting").fill(setting)
        page.get_by_label("Students explain their thinking to a peer").check()
        page.get_by_label("Notes").fill(note)
        page.get_by_role("button", name="Save observation").click()
        expect(page.locator("#save-confirmation")).to_contain_text("Saved on this tablet")
    # Meanwhile the program drops the look-for both observations ticked.
    LookFor.objects.filter(
        program=visit.program, text="Students explain their thinking to a peer"
    ).delete()
    reconnect(page)

    refused = page.locator("#outbox .outbox-item.state-failed")
    expect(refused).to_have_count(2, timeout=15_000)
    expect(refused.first).to_contain_text("That look-for belongs to another program.")
    expect(refused.first).to_contain_text("Pairs explained fractions")
    assert not Observation.objects.filter(visit=visit).exists()

    page.reload()
    expect(refused).to_have_count(2)
    assert_accessible(page, "observe-refused")
    assert small_touch_targets(page) == []
    refused.filter(has_text="Pairs explained fractions").get_by_role(
        "button", name="Correct"
    ).click()
    expect(page.get_by_label("Notes")).to_have_value("Pairs explained fractions")
    expect(page.get_by_label("Setting")).to_have_value("Room 12")
    expect(page.locator("form .errorlist")).to_contain_text(
        "That look-for belongs to another program."
    )
    assert_accessible(page, "observe-correcting")
    page.get_by_label("Notes").fill("Pairs explained fractions to each other")
    page.get_by_role("button", name="Save observation").click()
    expect(page.locator("#outbox .badge.ok")).to_have_count(1, timeout=15_000)
    expect(refused).to_have_count(1)
    stored = Observation.objects.get(visit=visit)
    assert (stored.setting, stored.notes) == ("Room 12", "Pairs explained fractions to each other")

    # Discarding asks first; saying no keeps it.
    page.once("dialog", lambda dialog: dialog.dismiss())
    refused.get_by_role("button", name="Discard").click()
    expect(refused).to_have_count(1)
    page.once("dialog", lambda dialog: dialog.accept())
    refused.get_by_role("button", name="Discard").click()
    expect(refused).to_have_count(0)
    page.reload()
    expect(page.locator("#outbox .outbox-item")).to_have_count(1)
    assert Observation.objects.filter(visit=visit).count() == 1


def test_an_unsent_observation_belongs_to_the_person_who_wrote_it(open_page, demo):
    visit = first_planned_visit()
    observe = f"/d/demo/visits/{visit.pk}/observe/"
    page = open_page("tablet-landscape")
    # The school Wi-Fi lets pages through but not this visitor's saves.
    page.context.route("**/observations/", lambda route: route.abort())
    sign_in(page, "visitor@demo.test")
    page.goto(observe)
    page.get_by_text("Campus tour", exact=True).click()
    page.get_by_label("Notes").fill("Hallway displays show student reasoning")
    page.get_by_role("button", name="Save observation").click()
    expect(page.locator("#queue-status")).to_contain_text("1 waiting to send")
    page.get_by_label("Notes").fill("Half typed by the visitor")
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in", level=1)).to_be_visible()
    page.context.unroute("**/observations/")

    sign_in(page, "cabinet@demo.test")
    page.goto(observe)
    expect(page.locator("#queue-status")).to_contain_text("Nothing waiting to send")
    expect(page.locator("#outbox")).not_to_contain_text("Campus tour")
    expect(page.get_by_label("Notes")).to_have_value("")
    page.wait_for_timeout(11_000)  # one retry round of the outbox
    assert not Observation.objects.filter(visit=visit).exists()
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in", level=1)).to_be_visible()

    sign_in(page, "visitor@demo.test")
    page.goto(observe)
    expect(page.get_by_label("Notes")).to_have_value("Half typed by the visitor")
    expect(page.locator("#outbox .badge.ok")).to_have_count(1, timeout=15_000)
    stored = Observation.objects.get(visit=visit)
    assert stored.notes == "Hallway displays show student reasoning"
    assert stored.observer.email == "visitor@demo.test"


def test_campus_leader_closes_their_own_item_on_a_tablet(open_page, demo):
    page = open_page("tablet-landscape")
    sign_in(page, "principal@demo.test")
    page.get_by_role("link", name="Action items", exact=True).first.click()
    expect(page.get_by_role("link", name="Mine")).to_have_attribute("aria-current", "page")
    assert_accessible(page, "actions-principal")
    open_group(page)
    item = page.locator("li.action-item", has=page.locator("form")).first
    description = item.locator("div").first.inner_text()
    item.get_by_role("combobox").select_option("done")
    item.get_by_role("button", name="Update").click()
    expect(page.get_by_role("status")).to_contain_text("Action item updated.")
    assert ActionItem.objects.filter(
        description=description.split("·")[0].replace("Overdue", "").strip(), status="done"
    ).exists()


@pytest.mark.parametrize("size", ["laptop", "tablet-portrait", "phone"])
def test_cabinet_reassigns_an_item_and_moves_its_date_from_the_list(open_page, demo, size):
    page = open_page(size)
    sign_in(page, "cabinet@demo.test")
    page.goto("/d/demo/actions/")
    item = open_group(page).locator("li.action-item").first
    pk = int(item.get_attribute("id").removeprefix("item-"))
    item.get_by_text("Reassign or move").click()
    expect(item.get_by_label("Assigned to")).to_be_visible()
    assert_accessible(page, f"actions-reassign-{size}")
    if size != "laptop":
        assert small_touch_targets(page) == []
    visitor = User.objects.get(email="visitor@demo.test")
    due = timezone.localdate() + datetime.timedelta(days=30)
    item.get_by_label("Assigned to").select_option(label=visitor.get_full_name())
    item.get_by_label("Due date").fill(due.isoformat())
    item.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("Action item updated.")
    stored = ActionItem.objects.get(pk=pk)
    assert (stored.assignee, stored.due_date) == (visitor, due)


def test_calendar_visit_and_trends_pages_are_accessible(open_page, demo):
    page = open_page("tablet-portrait")
    sign_in(page, "cabinet@demo.test")
    page.goto("/d/demo/visits/")
    assert_accessible(page, "visits-calendar")
    page.locator(".visit-chip").first.click()
    expect(page).to_have_url(re.compile(r"/d/demo/visits/\d+/$"))
    assert_accessible(page, "visit")
    page.goto("/d/demo/visits/trends/")
    expect(page.locator("svg.chart").first).to_be_visible()
    assert_accessible(page, "trends")
