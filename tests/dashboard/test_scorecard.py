"""The scorecard: each goal's honest status, its measures' trends, the theories serving it and
their actions by owner, filtered by strand, owner, campus and status."""

import csv
import datetime
import io
from decimal import Decimal
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dashboard.scorecard import GOAL_STATUSES, Filters, goal_status, scorecard
from district_plan.models import Measure, MeasureValue
from district_plan.selectors import measure_status
from tests.factories import (
    ActionFactory,
    CampusFactory,
    GoalFactory,
    MeasureFactory,
    MeasureResultFactory,
    MeasureValueFactory,
    MembershipFactory,
    PlanFactory,
    StrandFactory,
    TheoryFactory,
)
from tests.helpers import page_queries, travel_to

TODAY = datetime.date(2026, 11, 25)


def status_of(*values, cycle="yearly", baseline_date=datetime.date(2025, 1, 1)):
    """A measure's status from (days ago, value) pairs, as measure_status tells it."""
    measure = Measure(
        name="Readers",
        unit="%",
        direction="up",
        baseline=Decimal(40),
        baseline_date=baseline_date,
        target=Decimal(80),
        target_date=datetime.date(2029, 1, 1),
        update_cycle=cycle,
    )
    recorded = [
        MeasureValue(observed_on=TODAY - datetime.timedelta(days=days), value=Decimal(value))
        for days, value in values
    ]
    return measure_status(measure, recorded, TODAY)


def test_the_statuses_are_listed_in_the_scorecards_order():
    assert GOAL_STATUSES == ("on_track", "behind", "needs_update", "no_data")


def test_a_goal_without_measures_has_no_data():
    assert goal_status([]) == "no_data"


def test_a_goal_whose_measures_have_no_value_yet_has_no_data():
    recent = datetime.date(2026, 6, 1)
    assert goal_status([status_of(baseline_date=recent), status_of(baseline_date=recent)]) == (
        "no_data"
    )


def test_a_goal_with_a_measure_past_its_cycle_needs_an_update_even_when_others_are_on_track():
    assert goal_status([status_of((30, 60)), status_of((400, 79))]) == "needs_update"


def test_a_measure_past_its_cycle_without_any_value_makes_the_goal_need_an_update():
    assert goal_status([status_of()]) == "needs_update"


def test_a_stale_measure_outranks_a_measure_behind():
    assert goal_status([status_of((30, 41)), status_of((120, 60), cycle="quarterly")]) == (
        "needs_update"
    )


def test_one_measure_behind_puts_the_goal_behind():
    assert goal_status([status_of((30, 60)), status_of((30, 41))]) == "behind"


def test_a_goal_whose_measures_keep_pace_or_met_their_target_is_on_track():
    assert goal_status([status_of((30, 60)), status_of((30, 85))]) == "on_track"


def test_a_measure_without_a_value_yet_beside_one_on_track_leaves_the_goal_on_track():
    recent = datetime.date(2026, 6, 1)
    assert goal_status([status_of((30, 60)), status_of(baseline_date=recent)]) == "on_track"


def measure_on(goal, *values, **kw):
    """A measure of `goal`, baseline 40 on 2025-01-01, target 80 on 2029-01-01, with values
    (date, value)."""
    measure = MeasureFactory(
        goal=goal,
        baseline_date=datetime.date(2025, 1, 1),
        target_date=datetime.date(2029, 1, 1),
        **kw,
    )
    for day, value in values:
        MeasureValueFactory(measure=measure, observed_on=day, value=Decimal(value))
    return measure


def build_plan(district, *, extra_goals=0):
    """A plan with a goal of each status; `extra_goals` more on-track goals, each with a
    measure and a theory with two actions, to grow the plan."""
    plan = PlanFactory(district=district)
    literacy = StrandFactory(district=district, name="Literacy")
    family = StrandFactory(district=district, name="Family")
    recent = datetime.date(2026, 9, 1)

    readers = GoalFactory(plan=plan, title="Readers", order=1)
    reading = measure_on(readers, (datetime.date(2026, 3, 1), 55), (recent, 60))
    coaching = TheoryFactory(strand=literacy, owner="Literacy team", short_name="Coaching")
    coaching.goals.add(readers)
    ActionFactory(theory=coaching, owner="Ms. Ruiz", status="done")
    ActionFactory(theory=coaching, owner="ms.  ruiz", status="not_started")
    ActionFactory(theory=coaching, owner="Coaches", status="done")

    attendance = GoalFactory(plan=plan, title="Attendance", order=2)
    measure_on(attendance, (recent, 41))
    outreach = TheoryFactory(strand=family, owner="Family office", short_name="Outreach")
    outreach.goals.add(attendance)
    ActionFactory(theory=outreach, owner="Family office", status="in_progress")

    math = GoalFactory(plan=plan, title="Math", order=3)
    measure_on(math, (datetime.date(2026, 6, 1), 70), update_cycle="monthly")

    GoalFactory(plan=plan, title="Graduation", order=4)

    for n in range(extra_goals):
        goal = GoalFactory(plan=plan, title=f"Extra {n}", order=10 + n)
        measure_on(goal, (recent, 60))
        theory = TheoryFactory(strand=literacy, owner=f"Team {n}")
        theory.goals.add(goal)
        ActionFactory(theory=theory, owner=f"Lead {n}", status="done")
        ActionFactory(theory=theory, owner=f"Lead {n}", status="not_started")
    return {
        "plan": plan,
        "literacy": literacy,
        "family": family,
        "reading": reading,
        "coaching": coaching,
        "outreach": outreach,
    }


def read(district, plan, **filters):
    return scorecard(district=district, plan=plan, today=TODAY, filters=Filters(**filters))


def by_title(card):
    return {row.goal.title: row for row in card.rows}


@pytest.fixture
def plan(personas):
    return build_plan(personas.district)


def test_each_goal_reads_its_honest_status(personas, plan):
    rows = by_title(read(personas.district, plan["plan"]))
    assert {title: row.status for title, row in rows.items()} == {
        "Readers": "on_track",
        "Attendance": "behind",
        "Math": "needs_update",
        "Graduation": "no_data",
    }
    assert rows["Math"].status_label == "Needs update"
    assert rows["Graduation"].status_label == "No data"


def test_the_counts_are_those_of_the_goals_shown(personas, plan):
    card = read(personas.district, plan["plan"])
    assert card.counts == {"on_track": 1, "behind": 1, "needs_update": 1, "no_data": 1}


def test_a_measure_row_has_its_latest_value_target_and_a_trend_line_told_in_words(personas, plan):
    row = by_title(read(personas.district, plan["plan"]))["Readers"].measures[0]
    assert (row.latest, row.latest_on, row.target) == (
        Decimal(60),
        datetime.date(2026, 9, 1),
        Decimal(80),
    )
    assert 'role="img"' in row.sparkline
    assert "Latest 60 % on Sep 1, 2026, up from 55; target 80 %; higher is better." in row.words
    assert row.words in row.sparkline


def test_without_charts_the_rows_carry_no_svg(personas, plan):
    card = scorecard(district=personas.district, plan=plan["plan"], today=TODAY, chart=False)
    assert all(m.sparkline == "" for row in card.rows for m in row.measures)


def test_actions_are_counted_by_owner_whatever_their_spelling(personas, plan):
    owners = by_title(read(personas.district, plan["plan"]))["Readers"].owners
    assert owners == [
        {"owner": "Ms. Ruiz", "done": 1, "total": 2, "percent": 50},
        {"owner": "Coaches", "done": 1, "total": 1, "percent": 100},
    ]


def test_a_goals_freshness_counts_its_measures_and_its_theories_actions(personas, plan):
    fresh = by_title(read(personas.district, plan["plan"]))["Readers"].freshness
    assert (fresh["measures"], fresh["measures_fresh"], fresh["actions"]) == (1, 1, 3)
    card = read(personas.district, plan["plan"])
    assert (card.freshness["measures"], card.freshness["measures_fresh"]) == (3, 2)
    assert card.freshness["actions"] == 4


def test_the_strand_filter_keeps_the_goals_it_serves_and_only_its_theories(personas, plan):
    other = GoalFactory(plan=plan["plan"], title="Both", order=5)
    plan["coaching"].goals.add(other)
    plan["outreach"].goals.add(other)
    card = read(personas.district, plan["plan"], strand=plan["family"])
    assert [row.goal.title for row in card.rows] == ["Attendance", "Both"]
    assert [t.short_name for t in card.rows[1].theories] == ["Outreach"]
    assert card.counts == {"on_track": 0, "behind": 1, "needs_update": 0, "no_data": 1}


def test_the_owner_filter_keeps_goals_whose_theory_or_action_they_own(personas, plan):
    assert [r.goal.title for r in read(personas.district, plan["plan"], owner="MS. RUIZ").rows] == [
        "Readers"
    ]
    assert [
        r.goal.title for r in read(personas.district, plan["plan"], owner="Family office").rows
    ] == ["Attendance"]
    assert read(personas.district, plan["plan"], owner="Nobody").rows == []


def test_the_status_filter_keeps_goals_of_that_status(personas, plan):
    card = read(personas.district, plan["plan"], status="needs_update")
    assert [row.goal.title for row in card.rows] == ["Math"]


def test_campuses_are_offered_only_once_they_have_results(personas, plan):
    assert read(personas.district, plan["plan"]).options["campuses"] == []
    campus = CampusFactory(district=personas.district, name="North High")
    MeasureResultFactory(measure=plan["reading"], campus=campus)
    assert read(personas.district, plan["plan"]).options["campuses"] == [campus]


def test_with_a_campus_measures_read_its_results_and_those_without_read_no_data(personas, plan):
    campus = CampusFactory(district=personas.district, name="North High")
    MeasureResultFactory(
        measure=plan["reading"], campus=campus, observed_on=datetime.date(2025, 6, 30), value=50
    )
    MeasureResultFactory(
        measure=plan["reading"], campus=campus, observed_on=datetime.date(2026, 6, 30), value=70
    )
    rows = by_title(read(personas.district, plan["plan"], campus=campus))
    reading = rows["Readers"].measures[0]
    assert (reading.latest, reading.points[0]) == (
        Decimal(70),
        (datetime.date(2025, 6, 30), Decimal(50)),
    )
    assert rows["Readers"].status == "on_track"
    attendance = rows["Attendance"].measures[0]
    assert (attendance.latest, str(attendance.status.label)) == (None, "No data")
    assert rows["Attendance"].status == "no_data"


def test_a_small_groups_campus_result_is_left_out_for_a_reader_who_may_not_see_it(personas, plan):
    campus = CampusFactory(district=personas.district)
    MeasureResultFactory(measure=plan["reading"], campus=campus, value=70, students=3)
    card = scorecard(
        district=personas.district,
        plan=plan["plan"],
        today=TODAY,
        filters=Filters(campus=campus),
        sees_small=False,
    )
    assert by_title(card)["Readers"].measures[0].latest is None


def test_the_filter_menus_offer_the_districts_strands_and_the_owners_in_the_plan(personas, plan):
    options = read(personas.district, plan["plan"]).options
    assert [s.name for s in options["strands"]] == ["Literacy", "Family"]
    assert options["owners"] == ["Coaches", "Family office", "Literacy team", "Ms. Ruiz"]


def queries(district, plan, **filters):
    with CaptureQueriesContext(connection) as captured:
        read(district, plan, **filters)
    return len(captured.captured_queries)


def test_the_query_count_does_not_grow_with_the_plan(personas):
    small = build_plan(personas.district)
    campus = CampusFactory(district=personas.district)
    MeasureResultFactory(measure=small["reading"], campus=campus)
    large = build_plan(personas.other_district, extra_goals=30)
    other_campus = CampusFactory(district=personas.other_district)
    MeasureResultFactory(measure=large["reading"], campus=other_campus)
    for filters in ({}, {"strand": None, "owner": "Coaches"}):
        assert queries(personas.district, small["plan"], **filters) == queries(
            personas.other_district, large["plan"], **filters
        )
    assert queries(personas.district, small["plan"], campus=campus) == queries(
        personas.other_district, large["plan"], campus=other_campus
    )


# The pages


def url(name="scorecard", **query):
    path = reverse(f"dashboard:{name}", args=["lakeside"])
    return f"{path}?{urlencode(query)}" if query else path


@pytest.fixture
def board(as_member, personas, plan):
    with travel_to(TODAY):
        yield as_member(personas.board)


def test_a_board_member_reads_each_goals_status_in_words(board, plan):
    response = board.get(url())
    assert response.status_code == 200
    text = response.text
    for label in ("On track", "Behind", "Needs update", "No data"):
        assert f">{label}</span>" in text
    assert (
        "Freshness: 86% of the goals' measures and of their theories' actions up to date." in text
    )
    assert f'href="/d/lakeside/plan/plans/{plan["plan"].pk}/#goal-' in text
    assert f'href="/d/lakeside/plan/measures/{plan["reading"].pk}/"' in text
    assert f'href="/d/lakeside/theories/{plan["coaching"].pk}/"' in text
    assert 'role="img"' in text


def test_every_member_role_may_read_the_scorecard(as_member, personas, plan):
    for user in personas.by_role().values():
        assert as_member(user).get(url()).status_code == 200


def test_the_strand_filter_narrows_the_page(board, plan):
    text = board.get(url(strand=plan["family"].pk)).text
    assert "Attendance" in text
    assert "Readers" not in text


def test_an_htmx_filter_gets_the_results_alone(board, plan):
    response = board.get(
        url(status="needs_update"), headers={"HX-Request": "true", "HX-Target": "scorecard-results"}
    )
    assert response.text.lstrip().startswith('<div id="scorecard-results">')
    assert "Math" in response.text
    assert "Readers" not in response.text


@pytest.mark.parametrize(
    "query",
    [
        {"strand": "junk"},
        {"strand": "999999"},
        {"owner": "Nobody at all"},
        {"campus": "abc"},
        {"status": "splendid"},
    ],
)
def test_a_bad_filter_is_left_out_with_a_message_next_to_its_field(board, plan, query):
    response = board.get(url(**query))
    assert response.status_code == 200
    [name] = query
    assert f'id="id_{name}_error"' in response.text
    assert "Readers" in response.text
    assert "Attendance" in response.text


def test_another_districts_strand_is_left_out(board, personas, plan):
    theirs = StrandFactory(district=personas.other_district)
    response = board.get(url(strand=theirs.pk, status="behind"))
    assert 'id="id_strand_error"' in response.text
    assert "Attendance" in response.text


def test_the_campus_menu_appears_once_a_campus_has_results(board, personas, plan):
    assert 'name="campus"' not in board.get(url()).text
    campus = CampusFactory(district=personas.district, name="North High")
    MeasureResultFactory(measure=plan["reading"], campus=campus, value=70)
    text = board.get(url(campus=campus.pk)).text
    assert 'name="campus"' in text
    assert "measures at North High" in text


def test_an_outsider_gets_404(as_member, personas, plan):
    for name in ("scorecard", "scorecard_table", "scorecard_export"):
        assert as_member(personas.outsider).get(url(name)).status_code == 404


def test_the_csv_has_a_row_for_each_goal_measure(board, plan):
    response = board.get(url("scorecard_export", strand=plan["literacy"].pk))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Goal", "Goal status", "Measure"]
    assert rows[1] == [
        "Readers",
        "On track",
        plan["reading"].name,
        "60",
        "2026-09-01",
        "80",
        "Up is good",
        "On track",
        "Coaching",
        "100",
    ]
    assert len(rows) == 2


def test_the_table_page_has_no_image_and_tells_each_trend_in_words(board, plan):
    text = board.get(url("scorecard_table")).text
    assert "<svg" not in text
    assert "<caption" in text
    assert 'scope="row"' in text
    assert "Latest 60 % on Sep 1, 2026, up from 55; target 80 %; higher is better." in text


def test_the_page_says_so_when_there_is_no_plan(as_member, personas):
    response = as_member(personas.board).get(url())
    assert "No plan yet." in response.text


def test_the_home_page_opens_on_the_scorecard_for_the_board_not_for_a_visitor(
    as_member, personas, plan
):
    with travel_to(TODAY):
        board_home = as_member(personas.board).get(reverse("dashboard:home", args=["lakeside"]))
        visitor_home = as_member(personas.visit_team).get(
            reverse("dashboard:home", args=["lakeside"])
        )
    assert "Open the scorecard" in board_home.text
    assert 'id="scorecard-heading"' in board_home.text
    assert "Open the scorecard" not in visitor_home.text


def test_the_nav_links_to_the_scorecard(board, plan):
    assert 'href="/d/lakeside/scorecard/" aria-current="page"' in board.get(url()).text


def test_the_pages_query_count_does_not_grow_with_the_plan(client, personas):
    small = build_plan(personas.district)
    large = build_plan(personas.other_district, extra_goals=30)
    for district, built in ((personas.district, small), (personas.other_district, large)):
        campus = CampusFactory(district=district)
        MeasureResultFactory(measure=built["reading"], campus=campus)
    counts = []
    for district, built in ((personas.district, small), (personas.other_district, large)):
        client.force_login(MembershipFactory(district=district, role="board").user)
        base = reverse("dashboard:scorecard", args=[district.slug])
        table = reverse("dashboard:scorecard_table", args=[district.slug])
        counts.append(
            (
                page_queries(client, base),
                page_queries(client, f"{base}?strand={built['literacy'].pk}&status=on_track"),
                page_queries(client, table),
            )
        )
    assert counts[0] == counts[1]
    assert counts[1][0] <= 25


def test_a_goal_served_by_many_theories_names_the_first_and_links_to_the_rest(board, plan):
    readers = plan["coaching"].goals.get()
    for n in range(6):
        TheoryFactory(strand=plan["literacy"], short_name=f"Practice {n}").goals.add(readers)
    text = board.get(url()).text
    assert "Practice 3" in text
    assert "Practice 4" not in text
    assert f'href="/d/lakeside/theories/?goal={readers.pk}">and 2 more theories</a>' in text


def test_a_value_recorded_since_the_scorecard_was_last_read_shows_at_once(board, plan, personas):
    # The results are kept until the district's records change (core.fragments).
    from district_plan.services import measure_value_record

    assert "60, target 80" in board.get(url()).text
    with travel_to(TODAY):
        measure_value_record(
            measure=plan["reading"],
            user=personas.cabinet,
            observed_on=datetime.date(2026, 10, 1),
            value=Decimal("66"),
        )
    assert "66, target 80" in board.get(url()).text
