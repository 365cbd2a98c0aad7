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


def test_cabinet_turns_a_recommendation_into_an_improvement_pathway(open_page, demo):
    page = open_page()
    sign_in(page, "cabinet@demo.test")
    page.goto("/d/demo/discovery/")
    page.get_by_role("link", name="Discovery Analysis", exact=True).last.click()
    page.get_by_role("link", name="Findings and recommendations").click()
    assert_accessible(page, "discovery-findings")
    page.get_by_text("Turn into an improvement pathway").click()
    page.get_by_label("Goal for the plan").fill(
        "Every K-2 reader is screened and helped within a week"
    )
    page.get_by_label("Strand for the draft theories").select_option(
        label="Continuous improvement and data"
    )
    page.get_by_label("Draft theories of action").fill(
        "IF we screen every K-2 reader three times a year, THEN teachers will regroup students within a week."
    )
    page.get_by_role("button", name="Create goal and draft theories").click()
    expect(page.get_by_role("status")).to_contain_text("Pathway created")
    page.get_by_role("link", name="Every K-2 reader is screened and helped within a week").click()
    goal = page.locator("li.goal", has_text="Every K-2 reader is screened and helped within a week")
    expect(goal).to_contain_text("From the Discovery Analysis recommendation")
    expect(goal).to_contain_text("IF we screen every K-2 reader")
