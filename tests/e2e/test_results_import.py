import re

import pytest
from playwright.sync_api import expect

from core.models import Campus
from district_plan.models import GroupEnrollment, MeasureResult, ResultColumnMapping
from tests.e2e.conftest import assert_accessible, sign_in, small_touch_targets
from tests.e2e.test_every_page import OVERFLOW


@pytest.mark.parametrize("size", ["phone", "laptop"])
def test_the_cabinet_maps_a_wide_files_columns_and_saves_it(open_page, demo, tmp_path, size):
    measure = MeasureResult.objects.filter(district__slug="demo").first().measure.name
    campus = Campus.objects.filter(district__slug="demo").order_by("name").first()
    csv_file = tmp_path / "state.csv"
    csv_file.write_text(
        f"Campus,{measure} – All students,{measure} – Two or more races,Mystery column,"
        "Two or more races – students\n"
        f"{campus.name},61.5,58,x,37\n",
        encoding="utf-8",
    )
    page = open_page(size)
    sign_in(page, "cabinet@demo.test")
    page.wait_for_url(re.compile(r"/d/"))
    page.goto("/d/demo/plan/results/import/")
    page.get_by_label("Results by campus and student group (CSV)").set_input_files(str(csv_file))
    page.get_by_label("School year").fill("2025-26")
    page.get_by_role("button", name="Check the file").click()

    expect(page.get_by_text("1 column is not mapped")).to_be_visible()
    mystery = page.get_by_role("group", name=re.compile("Mystery column"))
    expect(mystery).to_contain_text("Not mapped")
    assert_accessible(page, f"results-wide-preview-{size}", wcag=True)
    assert page.evaluate(OVERFLOW)["width"] <= page.evaluate("window.innerWidth")
    if size == "phone":
        assert small_touch_targets(page) == []

    mystery.get_by_label("What it holds").select_option("ignore")
    page.get_by_role("button", name="Check again with these columns").click()
    expect(page.get_by_role("group", name=re.compile("Mystery column"))).to_contain_text(
        "Your choice"
    )
    page.get_by_role("button", name="Save 3 results and counts").click()
    # The demo has this campus's All students result for the year already: it changes.
    expect(page.get_by_role("status")).to_contain_text("Results imported: 1 added, 1 changed")
    assert ResultColumnMapping.objects.get(heading="Mystery column").kind == "ignore"
    assert (
        GroupEnrollment.objects.get(campus=campus, group__name="Two or more races").students == 37
    )
