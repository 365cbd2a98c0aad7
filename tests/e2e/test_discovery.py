from playwright.sync_api import expect

from benchmarking.models import ConsensusRating
from tests.e2e.conftest import assert_accessible, sign_in


def test_cabinet_records_a_consensus_rating_and_sees_the_gap(open_page, demo):
    page = open_page()
    sign_in(page, "cabinet@demo.test")
    page.get_by_role("link", name="Discovery", exact=True).click()
    assert_accessible(page, "discovery-index")
    page.get_by_role("link", name="Discovery Analysis", exact=True).last.click()
    expect(page.locator("svg.heat-map")).to_be_visible()
    assert_accessible(page, "discovery-analysis")
    page.get_by_label("Indicator", exact=True).select_option(
        label="1.1 Families get support from birth to school entry"
    )
    page.get_by_label("Campus", exact=True).select_option(label="Alder Creek Elementary")
    page.get_by_label("Level", exact=True).select_option(label="1. Not yet")
    page.get_by_label("Rationale").fill("Two of five families reached, by the campus's own count.")
    page.get_by_role("button", name="Record consensus").click()
    expect(page.get_by_role("status")).to_contain_text("Consensus rating recorded.")
    expect(page.locator("#ranked-heading").locator("..")).to_contain_text(
        "1.1 Families get support from birth to school entry · Alder Creek Elementary: level 1 of a target 4 (gap 3)"
    )
    rating = ConsensusRating.objects.get(
        campus__name="Alder Creek Elementary", indicator__code="1.1"
    )
    assert rating.level == 1
