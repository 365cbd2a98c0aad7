import re

import pytest
from playwright.sync_api import expect

from core.history import events_of
from tests.e2e.conftest import assert_accessible, sign_in, small_touch_targets
from tests.word_documents import WordDocument
from theories.models import Strand, TheoryOfAction

PASTED = """Family voice
-
IF we hold family nights in the languages families speak, THEN more families will come and ask how to help at home.
-
IF partners mentor students on campus; THEN students will have another adult checking on them.
Coaching
1. If coaches co-plan with every new teacher
   during the first month,
   then new teachers will use the shared routines by October.
Reviewed by the cabinet in May.
"""


def test_cabinet_creates_edits_and_reorders_theories_in_place(open_page, demo):
    page = open_page()
    sign_in(page, "cabinet@demo.test")
    page.goto("/d/demo/theories/")
    page.evaluate("window.__noReload = true")
    strand = page.locator(
        "section.strand", has=page.get_by_role("heading", name="Expectations", exact=True)
    )
    strand.get_by_role("link", name="Add a theory to Expectations").click()
    form = strand.locator("form.theory.editing")
    form.get_by_label("IF (what the adults will do)", exact=True).fill(
        "principals share one walkthrough form"
    )
    form.get_by_label("THEN (what we will see in practice)", exact=True).fill(
        "feedback to teachers will use the same words"
    )
    form.get_by_role("button", name="Add theory").click()
    new_card = page.locator("li.theory", has_text="principals share one walkthrough form")
    expect(new_card).to_be_visible()
    assert TheoryOfAction.objects.filter(if_clause="principals share one walkthrough form").exists()

    new_card.get_by_role("link", name="Edit theory").click()
    editing = page.locator("li.theory.editing")
    editing.get_by_label("Owner").fill("Principal supervisors")
    editing.get_by_role("button", name="Save theory").click()
    expect(
        page.locator("li.theory", has_text="principals share one walkthrough form")
    ).to_contain_text("Owner: Principal supervisors")

    cards = page.locator(
        "section.strand", has=page.get_by_role("heading", name="Expectations", exact=True)
    ).locator("li.theory")
    expect(cards.first).not_to_contain_text("principals share one walkthrough form")
    page.locator("li.theory", has_text="principals share one walkthrough form").get_by_role(
        "button", name="Move theory up"
    ).click()
    expect(cards.first).to_contain_text("principals share one walkthrough form")
    assert page.evaluate("window.__noReload") is True
    assert_accessible(page, "theories-after-edit")


def test_two_editors_see_the_conflict_instead_of_overwriting(browser, live_server, demo):
    theory = TheoryOfAction.objects.filter(district__slug="demo").first()
    changes = events_of(TheoryOfAction).filter(pgh_obj_id=theory.pk, pgh_label="changed")
    seeded = changes.count()
    pages = []
    for email in ("cabinet@demo.test", "admin@demo.test"):
        context = browser.new_context(
            base_url=live_server.url, viewport={"width": 1366, "height": 768}
        )
        page = context.new_page()
        sign_in(page, email)
        page.goto(f"/d/demo/theories/#theory-{theory.pk}")
        page.locator(f"#theory-{theory.pk}").get_by_role("link", name="Edit theory").click()
        pages.append(page)
    first, second = pages
    first.locator(f"#theory-{theory.pk}").get_by_label(
        "THEN (what we will see in practice)", exact=True
    ).fill("the cabinet's wording")
    first.get_by_role("button", name="Save theory").click()
    expect(first.locator(f"#theory-{theory.pk}")).to_contain_text("the cabinet's wording")

    second.locator(f"#theory-{theory.pk}").get_by_label(
        "THEN (what we will see in practice)", exact=True
    ).fill("the admin's wording")
    second.get_by_role("button", name="Save theory").click()
    alert = second.get_by_role("alert")
    expect(alert).to_contain_text("Someone else saved this while you were editing")
    expect(alert).to_contain_text("the cabinet's wording")
    expect(alert).to_contain_text("the admin's wording")
    theory.refresh_from_db()
    assert theory.then_clause == "the cabinet's wording"
    assert_accessible(second, "theory-conflict")

    second.get_by_role("button", name="Keep my version").click()
    expect(second.get_by_role("alert")).to_have_count(0)
    expect(second.locator(f"#theory-{theory.pk}")).to_contain_text("the admin's wording")
    theory.refresh_from_db()
    assert theory.then_clause == "the admin's wording"
    assert changes.count() == seeded + 2


def test_paste_import_with_preview_and_corrections(open_page, demo):
    page = open_page()
    sign_in(page, "cabinet@demo.test")
    page.goto("/d/demo/theories/")
    page.get_by_role("link", name="Import a document").click()
    page.get_by_label("Pasted document").fill(PASTED)
    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_role("heading", name="Preview the import")).to_be_visible()
    expect(page.locator(".panel").first).to_contain_text(
        "3 statements found in 2 strands (Family voice, Coaching)"
    )
    expect(page.locator(".panel").first).to_contain_text("1 line could not be read")
    assert_accessible(page, "import-preview")
    assert not Strand.objects.filter(name="Family voice").exists()

    rows = page.locator("li.import-row")
    expect(rows).to_have_count(4)
    rows.nth(2).get_by_label("THEN").fill(
        "new teachers will use the shared routines by the end of September"
    )
    stray = rows.nth(3)
    stray.get_by_label("Import this statement").check()
    page.get_by_role("button", name="Import ticked statements").click()
    expect(stray.get_by_text("Write what we will see in practice.")).to_be_visible()
    assert not Strand.objects.filter(name="Family voice").exists()

    page.locator("li.import-row").nth(3).get_by_label("Import this statement").uncheck()
    page.get_by_role("button", name="Import ticked statements").click()
    expect(page.get_by_role("status")).to_contain_text("Imported 3 theories of action.")
    coaching = TheoryOfAction.objects.get(strand__name="Coaching")
    assert coaching.if_clause == "coaches co-plan with every new teacher during the first month"
    assert (
        coaching.then_clause == "new teachers will use the shared routines by the end of September"
    )


def test_word_document_upload_with_a_table_and_an_if_we_block(open_page, demo):
    document = (
        WordDocument()
        .title("Our theory of action")
        .heading("Reading")
        .table(
            ("IF", "THEN", "SO THAT"),
            ("we coach every K-2 teacher", "small groups run daily", "more students read by 3"),
        )
        .heading("Belonging")
        .paragraph("If we")
        .bullets("greet every student by name", "hold weekly advisory")
        .paragraph("Students will name an adult they trust.")
    )
    page = open_page()
    sign_in(page, "cabinet@demo.test")
    page.goto("/d/demo/theories/")
    page.get_by_role("link", name="Import a document").click()
    page.get_by_label("Or upload the Word document (.docx)").set_input_files(
        files=[
            {"name": "plan.docx", "mimeType": "application/octet-stream", "buffer": document.data()}
        ]
    )
    page.get_by_role("button", name="Preview").click()
    summary = page.locator(".panel").first
    expect(summary).to_contain_text("2 statements found in 2 strands (Reading, Belonging)")
    expect(summary).to_contain_text("1 needs review.")
    expect(summary).to_contain_text("Our theory of action")
    expect(page.get_by_text("The THEN was read from the sentence after the list")).to_be_visible()
    assert_accessible(page, "document-import-preview")

    page.get_by_role("button", name="Import ticked statements").click()
    expect(page.get_by_role("status")).to_contain_text("Imported 2 theories of action.")
    belonging = TheoryOfAction.objects.get(strand__name="Belonging")
    assert belonging.if_clause == "greet every student by name; hold weekly advisory"


def test_board_member_reads_theories_and_plan_without_edit_controls(open_page, demo):
    page = open_page("tablet-portrait")
    sign_in(page, "board@demo.test")
    page.goto("/d/demo/theories/")
    expect(page.get_by_role("heading", name="Theories of action", level=1)).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("Move|Delete|Save"))).to_have_count(0)
    expect(page.get_by_role("link", name=re.compile(r"^(Edit|Rename|Add)"))).to_have_count(0)
    assert_accessible(page, "theories-board")
    page.goto("/d/demo/plan/")
    expect(page.get_by_role("heading", name="Strategic Plan 2025–2028")).to_be_visible()
    expect(page.locator("svg.chart").first).to_be_visible()
    expect(page.get_by_role("link", name=re.compile(r"^(Edit|Add)"))).to_have_count(0)
    assert_accessible(page, "plan-board")


def test_plan_goal_added_in_place_and_measure_value_recorded(open_page, demo):
    page = open_page()
    sign_in(page, "cabinet@demo.test")
    page.goto("/d/demo/plan/")
    assert_accessible(page, "plan-cabinet")
    page.get_by_role("link", name="Add a goal").click()
    page.get_by_label("Title", exact=True).fill("Every family hears from a teacher each month")
    page.get_by_role("button", name="Save goal").click()
    expect(page.locator("#goals")).to_contain_text("Every family hears from a teacher each month")
    page.get_by_role("link", name="Teachers returning the next school year").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Needs update")
    page.get_by_role("spinbutton", name="Value").fill("86.5")
    page.get_by_role("button", name="Record value").click()
    expect(page.get_by_role("status")).to_contain_text("Value recorded.")
    expect(page.get_by_role("heading", level=1)).not_to_contain_text("Needs update")
    assert_accessible(page, "measure")


def _first_strand_and_theory():
    strand = Strand.objects.filter(district__slug="demo").order_by("order", "pk").first()
    return strand, strand.theories.order_by("order", "pk").first()


@pytest.mark.parametrize("size", ["laptop", "tablet-portrait", "phone"])
def test_a_folded_strand_opens_with_its_cards_and_they_edit_in_place(open_page, demo, size):
    strand, theory = _first_strand_and_theory()
    page = open_page(size)
    sign_in(page, "cabinet@demo.test")
    page.goto("/d/demo/theories/")
    page.evaluate("window.__noReload = true")
    section = page.locator(f"#strand-{strand.pk}")
    card = page.locator(f"li.theory#theory-{theory.pk}")
    summary = section.locator("summary")
    expect(summary).to_contain_text(f"{strand.theories.count()} theor")
    expect(card).to_have_count(0)
    summary.click()
    expect(card).to_be_visible()
    assert_accessible(page, f"theories-strand-open-{size}", wcag=True)
    if size != "laptop":
        assert small_touch_targets(page) == []

    card.get_by_role("link", name="Edit theory").click()
    page.locator(f"#theory-{theory.pk}").get_by_label("Owner").fill("Principal supervisors")
    page.get_by_role("button", name="Save theory").click()
    expect(card).to_contain_text("Owner: Principal supervisors")
    assert page.evaluate("window.__noReload") is True


def test_a_link_to_a_theory_opens_its_strand_and_lands_on_it(open_page, demo):
    theory = (
        TheoryOfAction.objects.filter(district__slug="demo")
        .order_by("strand__order", "order")
        .last()
    )
    page = open_page("phone")
    sign_in(page, "cabinet@demo.test")
    page.goto("/d/demo/plan/")
    page.goto(f"/d/demo/theories/#theory-{theory.pk}")
    card = page.locator(f"li.theory#theory-{theory.pk}")
    expect(card).to_be_visible()
    expect(card).to_be_in_viewport()
    expect(page.locator(f"#strand-{theory.strand_id}-theories-fold")).to_have_attribute("open", "")


def test_the_filter_finds_a_theory_in_a_folded_strand(open_page, demo):
    _, theory = _first_strand_and_theory()
    words = " ".join(theory.if_clause.split()[:4])
    page = open_page("tablet-portrait")
    sign_in(page, "board@demo.test")
    page.goto("/d/demo/theories/")
    expect(page.locator(f"li.theory#theory-{theory.pk}")).to_have_count(0)
    page.get_by_label("Search").fill(words)
    expect(page.locator(f"li.theory#theory-{theory.pk}")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("match")
    assert f"q={words.split()[0]}" in page.url
    assert_accessible(page, "theories-filtered", wcag=True)


def test_without_javascript_a_strands_link_opens_it(browser, live_server, demo):
    strand, theory = _first_strand_and_theory()
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 390, "height": 844}, java_script_enabled=False
    )
    page = context.new_page()
    sign_in(page, "board@demo.test")
    page.goto("/d/demo/theories/")
    page.locator(f"#strand-{strand.pk} summary").click()
    page.locator(f"#strand-{strand.pk}").get_by_role("link", name="Show its theories").click()
    expect(page.locator(f"li.theory#theory-{theory.pk}")).to_be_visible()
    assert f"open={strand.pk}" in page.url
    context.close()
