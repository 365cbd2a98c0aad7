"""Professional learning in the browser: a cabinet member imports a sign-in sheet on a laptop,
and the theory's page on a tablet lists the learning delivered for it."""

import re

from playwright.sync_api import expect

from core.models import Campus
from learning.models import Offering, Participation
from tests.e2e.conftest import assert_accessible, sign_in, small_touch_targets
from tests.e2e.test_every_page import OVERFLOW


def _fits(page):
    assert page.evaluate(OVERFLOW)["width"] <= page.evaluate("window.innerWidth")


def test_a_cabinet_member_imports_a_sign_in_sheet(open_page, demo, tmp_path):
    offering = Offering.objects.get(district__slug="demo", title="Small-group reading with data")
    session = offering.sessions.order_by("date").last()
    day = session.date.strftime("%m/%d/%Y")
    # A campus with nothing recorded for the session yet, so each row adds to its counts.
    campus = (
        Campus.objects.filter(district__slug="demo")
        .exclude(pk__in=session.participation.values("campus"))
        .order_by("name")
        .first()
        .name
    )
    sheet = tmp_path / "sign-in.csv"
    sheet.write_text(
        "Name,Campus,Role,Date\n"
        f"Ana Peña,{campus},Teacher,{day}\n"
        f"Marcus Lee,{campus},Instructional coach,{day}\n"
        f"Olive Other,Other Harbor Elementary,Teacher,{day}\n",
        encoding="utf-8",
    )
    page = open_page("laptop")
    sign_in(page, "cabinet@demo.test")
    page.wait_for_url(re.compile(r"/d/demo/"))
    page.get_by_role("navigation", name="District").get_by_role(
        "link", name="Professional learning"
    ).click()
    page.get_by_role("link", name="Small-group reading with data").click()
    page.get_by_role("link", name="Import a sign-in sheet").click()
    page.get_by_label("Sign-in sheet (CSV)").set_input_files(str(sheet))
    page.get_by_role("button", name="Preview import").click()

    expect(
        page.get_by_text("“Other Harbor Elementary” is not a campus of this district.")
    ).to_be_visible()
    expect(page.get_by_role("heading", name="Participation after the import")).to_be_visible()
    assert_accessible(page, "learning-sign-in-preview", wcag=True)
    _fits(page)

    page.get_by_role("button", name="Import participation").click()
    expect(page.get_by_role("status")).to_contain_text(
        "Sign-in sheet imported: 2 counted, 0 already recorded, 1 rejected."
    )
    assert Participation.objects.filter(session=session, staff_role="coach").exists()
    expect(page.locator("#participation")).to_contain_text("Instructional coaches")
    assert_accessible(page, "learning-offering", wcag=True)
    _fits(page)


def test_the_theory_page_lists_the_learning_delivered_for_it(open_page, demo):
    offering = Offering.objects.get(district__slug="demo", title="Structured student discourse")
    theory = offering.theories.get()
    page = open_page("tablet-portrait")
    sign_in(page, "board@demo.test")
    page.wait_for_url(re.compile(r"/d/demo/"))
    page.goto(f"/d/demo/theories/{theory.pk}/")
    learning = page.locator("#learning")
    expect(learning.get_by_role("heading", name="Professional learning delivered")).to_be_visible()
    expect(learning.get_by_role("link", name="Structured student discourse")).to_be_visible()
    expect(learning).to_contain_text("people took part")
    assert_accessible(page, "learning-theory-page", wcag=True)
    assert small_touch_targets(page) == []
    _fits(page)
    learning.get_by_role("link", name="Structured student discourse").click()
    expect(
        page.get_by_role("heading", name="Structured student discourse", level=1)
    ).to_be_visible()
