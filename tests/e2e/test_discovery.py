from playwright.sync_api import expect

from benchmarking.models import ConsensusRating, Evidence, Framework, Rating
from tests.e2e.conftest import assert_accessible, sign_in, small_touch_targets


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
    # The demo's analysis follows a first round, which has its own rating of the indicator.
    rating = ConsensusRating.objects.get(
        campus__name="Alder Creek Elementary",
        indicator__code="1.1",
        analysis__previous__isnull=False,
    )
    assert rating.level == 1


def test_a_campus_scope_shows_campuses_like_it_and_leads_to_their_results(open_page, demo):
    page = open_page("phone")
    sign_in(page, "cabinet@demo.test")
    page.goto("/d/demo/discovery/")
    page.get_by_role("link", name="Discovery Analysis", exact=True).last.click()
    page.get_by_label("Show the ratings of").select_option(label="Alder Creek Elementary")
    page.get_by_role("button", name="Show", exact=True).click()
    alike = page.locator("#alike-heading").locator("..")
    expect(alike).to_contain_text("Campuses like Alder Creek Elementary")
    expect(alike.locator("tbody tr")).to_have_count(6)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert_accessible(page, "discovery-alike-campuses", wcag=True)
    page.get_by_role("link", name="Compare their results on every measure").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Campuses like Alder Creek Elementary"
    )
    expect(page.locator("tbody tr").first).to_contain_text("this campus")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert_accessible(page, "comparable-campuses", wcag=True)


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


def test_cabinet_edits_evidence_and_their_own_rating_in_place(open_page, demo):
    page = open_page()
    sign_in(page, "cabinet@demo.test")
    page.goto("/d/demo/discovery/")
    page.get_by_role("link", name="Discovery Analysis", exact=True).last.click()
    page.get_by_role("link", name="Evidence", exact=True).click()
    page.evaluate("window.__noReload = true")
    row = page.locator("li", has_text="Principal focus group on early reading supports.")
    row.get_by_role("link", name="Edit evidence").click()
    editing = page.locator("li.editing")
    editing.get_by_label("Summary").fill("Principal focus group, all eight campuses.")
    editing.get_by_role("button", name="Save evidence").click()
    expect(
        page.locator("li", has_text="Principal focus group, all eight campuses.")
    ).to_be_visible()
    expect(page.locator("li.editing")).to_have_count(0)
    assert Evidence.objects.filter(summary="Principal focus group, all eight campuses.").exists()
    assert_accessible(page, "discovery-evidence-after-edit")

    page.get_by_role("link", name="Ratings by rater").click()
    page.evaluate("window.__noReload = true")
    mine = Rating.objects.filter(rater__email="cabinet@demo.test").order_by("pk").first()
    row = page.locator(f"#spread-{mine.indicator_id}-district")
    row.get_by_role("link", name="Edit your rating").click()
    editing = page.locator(f"#spread-{mine.indicator_id}-district.editing")
    editing.get_by_label("Level").select_option(label="1. Not yet")
    editing.get_by_role("button", name="Save rating").click()
    expect(page.locator(f"#spread-{mine.indicator_id}-district")).not_to_have_class("editing")
    expect(page.locator(f"#rating-{mine.pk}")).to_contain_text(": 1")
    assert page.evaluate("window.__noReload") is True
    mine.refresh_from_db()
    assert (mine.level, mine.version) == (1, 2)
    assert_accessible(page, "discovery-ratings-after-edit")


def test_cabinet_makes_a_new_version_of_a_rated_framework_and_edits_its_structure(open_page, demo):
    page = open_page("phone")
    sign_in(page, "cabinet@demo.test")
    rated = Framework.objects.get(district__slug="demo")
    page.goto(f"/d/demo/discovery/frameworks/{rated.pk}/")
    page.get_by_role("button", name="Make a new version to edit").click()
    expect(page.get_by_role("heading", name="Edit the framework's structure")).to_be_visible()
    new = Framework.objects.get(copied_from=rated)
    assert (new.revision, new.name) == (2, rated.name)
    assert_accessible(page, "discovery-structure", wcag=True)
    assert small_touch_targets(page) == []
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    page.evaluate("window.__noReload = true")
    page.get_by_label("Name of level 1").fill("Absent")
    page.get_by_role("button", name="Rename level 1").click()
    expect(page.locator("#structure").get_by_role("status")).to_contain_text("Level renamed.")
    block = new.building_blocks.order_by("order").first()
    section = page.locator(f"#block-{block.pk}")
    section.get_by_label("Code").last.fill("1.3")
    section.get_by_label("Indicator").last.fill("Every family is visited before kindergarten")
    section.get_by_role("button", name=f"Add an indicator to {block.name}").click()
    expect(page.locator("#structure").get_by_role("status")).to_contain_text("Indicator added.")
    first = block.indicators.order_by("order").first()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("link", name=f"Remove indicator {first.code}").click()
    expect(page.locator("#structure").get_by_role("status")).to_contain_text("Indicator removed.")
    assert page.evaluate("window.__noReload") is True

    assert list(block.indicators.values_list("code", flat=True)) == ["1.2", "1.3"]
    assert new.levels.get(number=1).name == "Absent"
    # The analysis keeps the version it rated, as it was.
    assert rated.levels.get(number=1).name == "Not yet"
    assert rated.building_blocks.order_by("order").first().indicators.count() == 2
    assert rated.analyses.count() == 2  # the demo's two rounds
    assert not new.analyses.exists()
