"""The tablet forms a visit team and the cabinet fill in standing up: every field, radio, date
box and toggle is at least 44 px to a finger."""

from district_plan.models import Measure
from tests.e2e.conftest import sign_in, small_touch_targets
from visits.models import Visit

FIELDS = """() => [...document.querySelectorAll(
    'form:not(.language-switch) input:not([type=hidden]), form:not(.language-switch) select, summary')]
  .filter(el => el.checkVisibility())
  .map(el => { const box = (['radio', 'checkbox'].includes(el.type)
                 ? el.closest('label') || document.querySelector(`label[for="${el.id}"]`) : el)
               .getBoundingClientRect();
               return [el.name || el.innerText.trim(), Math.round(box.height)]; })"""


def test_action_item_value_and_adoption_forms_are_easy_to_tap_on_a_tablet(
    browser, live_server, demo
):
    visit = Visit.objects.filter(district__slug="demo", status="debriefed").order_by("pk").first()
    measure = Measure.objects.filter(district__slug="demo").order_by("pk").first()
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 768, "height": 1024}, has_touch=True
    )
    page = context.new_page()
    sign_in(page, "admin@demo.test")
    heights, radios = {}, []
    # The visit's new item form is read when its fold opens.
    for url, toggle, ready in (
        (f"/d/demo/visits/{visit.pk}/", "Add an action item", "#action-item-form form"),
        (f"/d/demo/plan/measures/{measure.pk}/", None, None),
        ("/d/demo/plan/", "Board adoption and archiving", None),
    ):
        page.goto(url)
        if toggle:
            page.get_by_text(toggle, exact=True).tap()
        if ready:
            page.locator(ready).wait_for()
        heights[url] = dict(page.evaluate(FIELDS))
        radios += page.evaluate(
            "[...document.querySelectorAll('main input[type=radio]')]"
            ".filter(el => el.checkVisibility()).map(el => el.getBoundingClientRect().width)"
        )
        assert small_touch_targets(page) == [], url
    context.close()

    action_item, value, plan = heights.values()
    assert {"owner", "due_date", "Add an action item"} <= set(action_item)
    assert {"observed_on", "value"} <= set(value)
    assert "adopted_on" in plan
    small = {
        (url, name): height
        for url, fields in heights.items()
        for name, height in fields.items()
        if height < 44
    }
    assert small == {}
    # The radio itself is drawn big enough to see which one is chosen, not 13 px.
    assert min(radios) >= 22
