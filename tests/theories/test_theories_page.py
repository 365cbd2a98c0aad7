"""The theories page and its in-place editing, as htmx and as plain forms."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import (
    ActionFactory,
    GoalFactory,
    MeasureFactory,
    PlanFactory,
    StrandFactory,
    TheoryFactory,
)
from tests.helpers import page_queries, travel_to
from theories.models import Action, Strand, TheoryOfAction

HX = {"HTTP_HX_REQUEST": "true"}


def url(name, *args):
    return reverse(f"theories:{name}", args=["lakeside", *args])


@pytest.fixture
def strand(personas):
    return StrandFactory(district=personas.district, name="Expectations", order=0)


@pytest.fixture
def theory(strand):
    return TheoryFactory(
        strand=strand, if_clause="we publish look-fors", then_clause="visits agree"
    )


def form_data(theory, **changes):
    data = {
        "strand": theory.strand_id,
        "if_clause": theory.if_clause,
        "then_clause": theory.then_clause,
        "so_that": theory.so_that,
        "problem": "",
        "rationale": "",
        "owner": theory.owner,
        "status": theory.status,
        "progress": theory.progress,
        "version": theory.version,
    }
    return data | changes


def opened(*strands):
    """The theories page with these strands open, as a strand's link opens it."""
    return url("index") + "?" + "&".join(f"open={strand.pk}" for strand in strands)


def test_page_lists_strands_in_order_with_their_theories(as_member, personas, theory):
    motivation = StrandFactory(district=personas.district, name="Motivation", order=1)
    text = as_member(personas.board).get(opened(theory.strand, motivation)).text
    assert text.index("Expectations") < text.index("Motivation")
    assert "we publish look-fors" in text
    assert "visits agree" in text
    assert "No theories in this strand yet." in text


def test_board_and_visit_team_see_no_edit_controls(as_member, personas, theory):
    for user in (personas.board, personas.visit_team):
        response = as_member(user).get(opened(theory.strand))
        assert response.status_code == 200
        text = response.text
        assert "Expectations" in text
        assert "visits agree" in text
        assert "Add a theory" not in text
        assert "Rename" not in text
        assert ">Edit<" not in text
        assert "Import a document" not in text


def test_board_cannot_post_edits(as_member, personas, theory):
    client = as_member(personas.board)
    response = client.post(url("theory", theory.pk), form_data(theory, then_clause="changed"))
    assert response.status_code == 403
    theory.refresh_from_db()
    assert theory.then_clause == "visits agree"


def test_create_inline_returns_the_strands_with_the_new_theory(as_member, personas, strand):
    client = as_member(personas.cabinet)
    response = client.post(
        url("new"),
        {
            "strand": strand.pk,
            "if_clause": "we coach",
            "then_clause": "we see coaching",
            "status": "proposed",
            "progress": "not_assessed",
        },
        **HX,
    )
    assert response.status_code == 200
    assert response["HX-Retarget"] == "#strands"
    assert "we see coaching" in response.text
    assert TheoryOfAction.objects.get().if_clause == "we coach"


def test_create_without_javascript_redirects_back(as_member, personas, strand):
    client = as_member(personas.cabinet)
    response = client.post(
        url("new"),
        {
            "strand": strand.pk,
            "if_clause": "we coach",
            "then_clause": "we see it",
            "status": "proposed",
            "progress": "not_assessed",
        },
    )
    assert response.status_code == 302
    theory = TheoryOfAction.objects.get()
    assert response["Location"] == f"{opened(strand)}#theory-{theory.pk}"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"if_clause": ""}, "Write what the adults will do."),
        ({"then_clause": "   "}, "Write what we will see in practice."),
        ({"if_clause": "x" * 10_000}, "Ensure this value has at most 2000 characters"),
        ({"progress": "on_track"}, "on track only when one of its measures has a value"),
    ],
)
def test_bad_input_is_shown_next_to_the_field_and_nothing_saved(
    as_member, personas, theory, changes, message
):
    client = as_member(personas.cabinet)
    response = client.post(url("theory", theory.pk), form_data(theory, **changes), **HX)
    assert response.status_code == 200
    assert message in response.text
    assert 'class="errorlist"' in response.text
    theory.refresh_from_db()
    assert theory.version == 1


def test_markup_in_a_clause_is_shown_as_text(as_member, personas, theory):
    client = as_member(personas.cabinet)
    client.post(
        url("theory", theory.pk), form_data(theory, then_clause="<script>alert(1)</script>")
    )
    text = client.get(opened(theory.strand)).text
    assert "<script>alert(1)</script>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text


def test_edit_returns_the_card_for_htmx(as_member, personas, theory):
    client = as_member(personas.cabinet)
    form = client.get(url("edit", theory.pk), **HX)
    assert form.text.lstrip().startswith(f'<li class="theory editing" id="theory-{theory.pk}"')
    response = client.post(
        url("theory", theory.pk), form_data(theory, then_clause="visits agree more"), **HX
    )
    assert response.text.lstrip().startswith(f'<li class="theory" id="theory-{theory.pk}"')
    assert "visits agree more" in response.text


def test_second_editor_sees_both_versions_and_can_keep_theirs_or_mine(as_member, personas, theory):
    client = as_member(personas.cabinet)
    client.post(url("theory", theory.pk), form_data(theory, then_clause="first editor"), **HX)
    stale = form_data(theory, then_clause="second editor")  # still version 1
    response = client.post(url("theory", theory.pk), stale, **HX)
    assert "Someone else saved this while you were editing" in response.text
    assert "first editor" in response.text
    assert "second editor" in response.text
    assert 'name="version" value="2"' in response.text
    theory.refresh_from_db()
    assert theory.then_clause == "first editor"
    # Keep mine: the form now carries version 2, so saving again wins deliberately.
    response = client.post(url("theory", theory.pk), {**stale, "version": 2}, **HX)
    theory.refresh_from_db()
    assert theory.then_clause == "second editor"


def test_reorder_with_htmx_returns_the_strands(as_member, personas, strand):
    first = TheoryFactory(strand=strand, order=0, if_clause="first one")
    second = TheoryFactory(strand=strand, order=1, if_clause="second one")
    client = as_member(personas.cabinet)
    response = client.post(url("move", second.pk), {"offset": "-1"}, **HX)
    assert response["HX-Retarget"] == "#strands"
    assert response.text.index("second one") < response.text.index("first one")
    assert list(strand.theories.order_by("order")) == [second, first]


def test_reordering_another_districts_theory_is_404(as_member, personas):
    foreign = TheoryFactory(strand=StrandFactory(district=personas.other_district))
    response = as_member(personas.cabinet).post(url("move", foreign.pk), {"offset": "1"})
    assert response.status_code == 404


def test_nonsense_offset_moves_nothing(as_member, personas, strand, theory):
    response = as_member(personas.cabinet).post(url("move", theory.pk), {"offset": "up"})
    assert response.status_code == 302


def test_delete_asks_first_without_javascript(as_member, personas, theory):
    client = as_member(personas.cabinet)
    assert "Delete this theory of action?" in client.get(url("delete", theory.pk)).text
    assert TheoryOfAction.objects.exists()
    client.post(url("delete", theory.pk))
    assert not TheoryOfAction.objects.exists()


def test_strand_rename_add_move_and_refused_delete(as_member, personas, strand, theory):
    client = as_member(personas.cabinet)
    response = client.post(
        url("strand", strand.pk), {"name": "High expectations", "version": 1}, **HX
    )
    assert "High expectations" in response.text
    client.post(url("strand_new"), {"name": "Family voice"}, **HX)
    assert Strand.objects.filter(name="Family voice").exists()
    response = client.post(url("strand_new"), {"name": "family VOICE"}, **HX)
    assert "already has a strand with that name" in response.text
    response = client.post(url("strand_delete", strand.pk), **HX)
    assert "Move or delete this strand" in response.text
    assert response["HX-Retarget"] == f"#strand-{strand.pk}-message"


def test_actions_are_added_and_edited_in_place(as_member, personas, theory):
    client = as_member(personas.cabinet)
    response = client.post(
        url("action_new", theory.pk),
        {
            "description": "Train coaches",
            "owner": "Literacy",
            "due_date": "2026-12-01",
            "status": "not_started",
            "progress": "not_assessed",
        },
        **HX,
    )
    assert "Train coaches" in response.text
    # The new-action form sits inside the card: the card replaces itself, not the form.
    assert response["HX-Retarget"] == f"#theory-{theory.pk}"
    assert response["HX-Reswap"] == "outerHTML"
    action = Action.objects.get()
    response = client.post(
        url("action", action.pk),
        {
            "description": "Train coaches",
            "owner": "Literacy",
            "due_date": "not a date",
            "status": "done",
            "progress": "not_assessed",
            "version": 1,
        },
        **HX,
    )
    assert "Enter a valid date." in response.text


def test_history_shows_who_changed_what(as_member, personas, theory):
    client = as_member(personas.cabinet)
    client.post(url("theory", theory.pk), form_data(theory, owner="Literacy team"))
    response = client.get(url("history", theory.pk))
    assert "Literacy team" in response.text
    assert personas.cabinet.full_name in response.text


def test_goal_links_offer_only_this_districts_current_plan(as_member, personas, theory):
    mine = GoalFactory(plan=PlanFactory(district=personas.district), title="Read by grade 3")
    foreign = GoalFactory(plan=PlanFactory(district=personas.other_district))
    client = as_member(personas.cabinet)
    response = client.post(url("theory", theory.pk), form_data(theory, goals=[foreign.pk]), **HX)
    assert "Select a valid choice" in response.text
    client.post(url("theory", theory.pk), form_data(theory, goals=[mine.pk]))
    assert list(theory.goals.all()) == [mine]


def test_export_csv_has_one_row_per_theory_and_defuses_formulas(as_member, personas, theory):
    TheoryFactory(strand=theory.strand, if_clause='=HYPERLINK("x")')
    response = as_member(personas.board).get(url("export"))
    lines = response.content.decode("utf-8-sig").strip().splitlines()
    assert lines[0].startswith("strand,short_name,if,then")
    assert len(lines) == 3
    assert "'=HYPERLINK" in response.content.decode()


def _bulk_theories(district, count):
    strands = [StrandFactory(district=district, order=i) for i in range(5)]
    theories = TheoryOfAction.objects.bulk_create(
        [
            TheoryOfAction(
                district=district,
                strand=strands[n % 5],
                if_clause=f"if {n}",
                then_clause=f"then {n}",
                order=n,
            )
            for n in range(count)
        ]
    )
    Action.objects.bulk_create(
        [Action(district=district, theory=t, description="act") for t in theories]
    )


def test_query_count_is_the_same_for_10_and_500_theories(client, personas):
    client.force_login(personas.cabinet)
    _bulk_theories(personas.district, 10)
    small = page_queries(client, url("index"))
    TheoryOfAction.objects.all().delete()
    Strand.objects.all().delete()
    _bulk_theories(personas.district, 500)
    large = page_queries(client, url("index"))
    assert small == large
    assert large <= 16


def test_outsider_gets_404(as_member, personas, theory):
    client = as_member(personas.outsider)
    assert client.get(url("index")).status_code == 404
    assert client.get(url("theory", theory.pk)).status_code == 404


@pytest.mark.parametrize("due_date", ["2099-12-01", "1999-12-01"])
def test_an_action_due_far_from_today_is_refused_with_the_reason(
    as_member, personas, theory, due_date
):
    with travel_to("2026-11-17"):
        response = as_member(personas.cabinet).post(
            url("action_new", theory.pk),
            {
                "description": "Train coaches",
                "due_date": due_date,
                "status": "not_started",
                "progress": "not_assessed",
            },
        )
    assert "Choose a due date within five years of today." in response.text
    assert not Action.objects.exists()


def test_a_strand_named_in_other_digits_is_ignored(as_member, personas):
    response = as_member(personas.cabinet).get(url("new") + "?strand=²")
    assert response.status_code == 200


# Folded strands: the page sends each strand's counts, and its cards when it is opened.


def hx_target(target):
    return {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": target}


def summary_of(page, strand):
    """The words of a folded strand's summary, spaces collapsed."""
    start = page.index(">", page.index(f'id="strand-{strand.pk}-counts"')) + 1
    return " ".join(re.sub(r"<[^>]+>", " ", page[start : page.index("</summary>", start)]).split())


def card(theory):
    return f'<li class="theory" id="theory-{theory.pk}"'


def test_strands_open_folded_with_how_many_theories_and_their_status(as_member, personas, strand):
    on_it = TheoryFactory(strand=strand, status="adopted", progress="off_track")
    ActionFactory(theory=on_it)
    MeasureFactory(goal=None, theory=on_it, district=personas.district)
    TheoryFactory(strand=strand, status="proposed")
    TheoryFactory(strand=strand, status="retired")
    page = as_member(personas.board).get(url("index")).text
    assert summary_of(page, strand) == (
        "3 theories 1 proposed 1 adopted 1 retired 1 off track 1 with no measure 1 with no action"
    )
    assert f'<details class="fold" id="strand-{strand.pk}-theories-fold"' in page
    assert card(on_it) not in page
    assert on_it.then_clause not in page


def test_opening_a_strand_fetches_its_cards_alone(as_member, personas, strand, theory):
    elsewhere = TheoryFactory(strand=StrandFactory(district=personas.district, name="Motivation"))
    client = as_member(personas.board)
    page = client.get(url("index")).text
    assert f'hx-get="{opened(strand)}#strand-{strand.pk}"' in page
    assert f'hx-target="#strand-{strand.pk}-theories"' in page
    fragment = client.get(opened(strand), **hx_target(f"strand-{strand.pk}-theories")).text
    assert fragment.lstrip().startswith(f'<input type="hidden" name="open" value="{strand.pk}">')
    assert card(theory) in fragment
    assert "visits agree" in fragment
    assert card(elsewhere) not in fragment
    assert "<html" not in fragment


def test_without_javascript_a_strands_link_opens_it(as_member, personas, strand, theory):
    client = as_member(personas.board)
    link = f'<a href="{opened(strand)}#strand-{strand.pk}">Show its theories'
    assert link in client.get(url("index")).text
    page = client.get(opened(strand)).text
    assert f'id="strand-{strand.pk}-theories-fold" hx-disinherit="*" open>' in page
    assert card(theory) in page
    assert link not in page


def test_links_to_one_theory_open_its_strand_on_its_card(as_member, personas, theory):
    client = as_member(personas.cabinet)
    lands = f"{opened(theory.strand)}#theory-{theory.pk}"
    saved = client.post(url("theory", theory.pk), form_data(theory, owner="Coaches"))
    assert saved["Location"] == lands
    moved = client.post(url("move", theory.pk), {"offset": "1"})
    assert moved["Location"] == lands
    acted = client.post(
        url("action_new", theory.pk),
        {"description": "Coach", "status": "not_started", "progress": "not_assessed"},
    )
    assert acted["Location"] == lands
    for page in (url("history", theory.pk), url("theory", theory.pk)):
        assert f'href="{lands}"' in client.get(page).text, page
    assert card(theory) in client.get(lands).text
    # A link made elsewhere with the anchor alone (the plan page, the gaps panel) finds an
    # empty anchor in the folded strand, which the page opens (static/js/site.js).
    folded = client.get(url("index")).text
    assert f'<span id="theory-{theory.pk}"></span>' in folded
    assert card(theory) not in folded


def test_a_filter_opens_the_strands_it_finds_theories_in(as_member, personas, strand, theory):
    other = StrandFactory(district=personas.district, name="Motivation")
    coaching = TheoryFactory(strand=other, if_clause="coaches model the routine")
    unmatched = TheoryFactory(strand=other, if_clause="we survey families")
    client = as_member(personas.board)
    page = client.get(url("index"), {"q": "COACHES model"}).text
    assert "1 theory matches, in the strands opened below." in page
    assert card(coaching) in page
    assert card(unmatched) not in page
    assert card(theory) not in page
    assert summary_of(page, other).startswith("1 of 2 theories match")
    assert summary_of(page, strand).startswith("0 of 1 theory matches")
    # The filter is kept by the strands' links, and by htmx as it types.
    assert f'href="{url("index")}?q=COACHES+model&amp;open={strand.pk}#strand-{strand.pk}"' in page
    typed = client.get(url("index"), {"status": "retired"}, **hx_target("strands")).text
    assert typed.lstrip().startswith('<div id="strands">')
    assert "0 theories match, in the strands opened below." in typed


def test_an_edit_that_redraws_the_strands_keeps_open_those_the_editor_opened(
    as_member, personas, strand, theory
):
    other = StrandFactory(district=personas.district, name="Motivation")
    open_elsewhere = TheoryFactory(strand=other, if_clause="we survey families")
    closed = StrandFactory(district=personas.district, name="Community")
    kept_closed = TheoryFactory(strand=closed, if_clause="partners mentor")
    second = TheoryFactory(strand=strand, if_clause="second one", order=99)
    client = as_member(personas.cabinet)
    response = client.post(url("move", second.pk), {"offset": "-1", "open": [other.pk]}, **HX)
    assert response["HX-Retarget"] == "#strands"
    assert response.text.index("second one") < response.text.index("we publish look-fors")
    assert card(open_elsewhere) in response.text
    assert card(kept_closed) not in response.text
    assert f'<span id="theory-{kept_closed.pk}"></span>' in response.text


def test_an_edit_in_an_opened_strand_redraws_the_card_and_the_strands_counts(
    as_member, personas, theory
):
    client = as_member(personas.cabinet)
    response = client.post(url("theory", theory.pk), form_data(theory, status="adopted"), **HX)
    assert response.text.lstrip().startswith(card(theory))
    counts = response.text[response.text.index(f'id="strand-{theory.strand_id}-counts"') :]
    assert counts.startswith(f'id="strand-{theory.strand_id}-counts" hx-swap-oob="true"')
    assert "1 adopted" in counts
    assert "1 proposed" not in counts


def test_a_strand_of_another_district_is_404_as_a_fragment(as_member, personas, strand):
    foreign = StrandFactory(district=personas.other_district)
    client = as_member(personas.cabinet)
    response = client.get(opened(foreign), **hx_target(f"strand-{foreign.pk}-theories"))
    assert response.status_code == 404
    response = client.get(opened(strand), **hx_target("strand-²-theories"))
    assert response.status_code == 404
    outsider = as_member(personas.outsider)
    response = outsider.get(opened(strand), **hx_target(f"strand-{strand.pk}-theories"))
    assert response.status_code == 404


def fragment_queries(client, strand):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(opened(strand), **hx_target(f"strand-{strand.pk}-theories"))
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_a_strands_cards_and_an_open_strand_keep_their_query_budget(client, personas):
    client.force_login(personas.cabinet)
    counts = []
    for size in (10, 500):
        TheoryOfAction.objects.all().delete()
        Strand.objects.all().delete()
        _bulk_theories(personas.district, size)
        first = Strand.objects.order_by("order").first()
        counts.append((fragment_queries(client, first), page_queries(client, opened(first))))
    assert counts[0] == counts[1]
    fragment, page = counts[1]
    assert fragment <= 11
    assert page <= 18


def test_deleting_a_card_in_place_counts_its_strand_again(as_member, personas, strand, theory):
    TheoryFactory(strand=strand)
    response = as_member(personas.cabinet).post(url("delete", theory.pk), **HX)
    assert response.text.lstrip().startswith(
        f'<span class="fold-counts" id="strand-{strand.pk}-counts" hx-swap-oob="true">'
    )
    assert "1 theory" in response.text
    assert "2 theories" not in response.text
    assert not TheoryOfAction.objects.filter(pk=theory.pk).exists()
