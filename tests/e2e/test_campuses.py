import re

from playwright.sync_api import expect

from core.models import Campus
from tests.e2e.conftest import assert_accessible, sign_in

CSV = """School Name,Type,Grade Span,Region,NCES ID
Alder Creek Elementary,Elementary,PK-5,North,
Juniper Ridge Middle School,Middle School,6-8,East,480000099001
Escuela Niños Héroes,ES,K-5,South,
Castle in the Air,Castle,K-5,South,
"""


def test_admin_imports_campuses_with_a_preview_on_a_tablet(open_page, demo, tmp_path):
    csv_file = tmp_path / "campuses.csv"
    csv_file.write_text(CSV, encoding="utf-8")
    page = open_page("tablet-landscape")
    sign_in(page, "admin@demo.test")
    page.get_by_role("link", name="Campuses", exact=True).click()
    page.get_by_role("link", name="Import campuses from CSV").click()
    page.get_by_label("Campus list (CSV)").set_input_files(str(csv_file))
    page.get_by_role("button", name="Preview import").click()

    expect(page.get_by_role("heading", name="Preview: campus import")).to_be_visible()
    expect(page.locator("tbody tr")).to_have_count(4)
    expect(page.locator("tbody")).to_contain_text("Level “Castle” is not one of")
    assert Campus.objects.filter(district__slug="demo").count() == 8
    assert_accessible(page, "campus-import-preview")

    page.get_by_role("button", name="Import 2 campuses").click()
    expect(page.get_by_role("status")).to_contain_text(
        "Campus list imported: 2 created, 0 updated, 1 unchanged, 1 rejected."
    )
    assert Campus.objects.filter(district__slug="demo").count() == 10


def test_campus_search_filters_without_a_reload(open_page, demo):
    page = open_page()
    sign_in(page, "board@demo.test")
    page.goto("/d/demo/campuses/")
    expect(page.locator("#campus-table tbody tr")).to_have_count(8)
    page.evaluate("window.__sameDocument = true")
    page.get_by_label("Search").fill("middle")
    expect(page.locator("#campus-table tbody tr")).to_have_count(2)
    assert page.evaluate("window.__sameDocument") is True
    expect(page).to_have_url(re.compile(r"q=middle"))
    assert_accessible(page, "campus-list")
    page.get_by_role("link", name="Eastgate Middle School").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Eastgate Middle School")
    assert_accessible(page, "campus-detail")


def test_choosing_a_measure_adds_its_latest_results_without_a_reload(open_page, demo):
    page = open_page()
    sign_in(page, "cabinet@demo.test")
    page.goto("/d/demo/campuses/")
    page.evaluate("window.__sameDocument = true")
    reading = "Grade 3 students meeting the reading standard"
    page.get_by_label("Latest result of").select_option(label=reading)
    expect(page.locator("#campus-table thead")).to_contain_text(reading)
    assert page.evaluate("window.__sameDocument") is True
    expect(page).to_have_url(re.compile(r"measure=\d+"))
    page.get_by_role("link", name=reading).click()
    expect(page.locator("#campus-table th[aria-sort=ascending]")).to_contain_text(reading)
    expect(page).to_have_url(re.compile(r"sort=measure_result"))
