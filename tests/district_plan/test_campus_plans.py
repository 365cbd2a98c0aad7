"""Campus plans: a campus writes its plan (goals serving the district's, objectives measured by
its own results, the district theories it takes up and its strategies), the cabinet approves
it, and the district plan, the campus page and the reports show it."""

import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse

from core.roles import Role
from district_plan.models import (
    CampusGoal,
    CampusPlan,
    CampusPlanSnapshot,
    CampusStrategy,
    MeasureResult,
)
from district_plan.services import campus_plan_approve, student_groups_ensure
from reports.documents import board_summary, campus_plan_report
from reports.models import Report
from tests.factories import (
    CampusFactory,
    CampusGoalFactory,
    CampusPlanFactory,
    CampusStrategyFactory,
    GoalFactory,
    MeasureFactory,
    MembershipFactory,
    PerformanceObjectiveFactory,
    PlanFactory,
    TheoryFactory,
    UserFactory,
)
from tests.helpers import page_queries, query_budget, travel_to

TODAY = "2026-11-17"


@pytest.fixture(autouse=True)
def _today():
    with travel_to(TODAY):
        yield


@pytest.fixture
def campus(personas):
    """The campus the campus leader persona leads."""
    return personas.campus_leader.memberships.get().campuses.get()


@pytest.fixture
def goal(personas):
    return GoalFactory(plan=PlanFactory(district=personas.district), title="Readers by grade 3")


@pytest.fixture
def campus_plan(campus):
    return CampusPlanFactory(campus=campus, start_year=2026, end_year=2028)


def url(name, *args):
    return reverse(f"plan:{name}", args=["lakeside", *args])


def test_a_campus_leader_starts_their_campus_plan(as_member, personas, campus):
    client = as_member(personas.campus_leader)
    response = client.post(
        url("campus_plan_new") + f"?campus={campus.pk}",
        {"start_year": "2026", "end_year": "2028", "summary": "Every child reads by grade 3."},
    )
    plan = CampusPlan.objects.get(campus=campus)
    assert response.status_code == 302
    assert response["Location"] == url("campus_plan", plan.pk)
    assert plan.status == CampusPlan.Status.DRAFT
    page = client.get(response["Location"]).content.decode()
    assert "Every child reads by grade 3." in page
    assert "Add a campus goal" in page


def test_a_campus_leader_cannot_write_another_campus_plan(as_member, personas):
    other = CampusPlanFactory(campus=CampusFactory(district=personas.district))
    client = as_member(personas.campus_leader)
    response = client.post(url("campus_plan_edit", other.pk), {"summary": "Mine now"})
    assert response.status_code == 403
    assert b"edit this campus" in response.content
    assert client.get(url("campus_plan", other.pk)).status_code == 200


@pytest.mark.parametrize("persona", ["board", "visit_team", "department_lead"])
def test_readers_see_a_campus_plan_without_editing_it(as_member, personas, campus_plan, persona):
    client = as_member(getattr(personas, persona))
    page = client.get(url("campus_plan", campus_plan.pk)).content.decode()
    assert campus_plan.summary in page
    assert "Add a campus goal" not in page
    response = client.post(url("campus-goal_new") + f"?campus_plan={campus_plan.pk}", {})
    assert response.status_code == 403


def test_a_second_plan_starting_the_same_year_is_refused_next_to_the_year(
    as_member, personas, campus, campus_plan
):
    client = as_member(personas.campus_leader)
    response = client.post(
        url("campus_plan_new") + f"?campus={campus.pk}",
        {"start_year": "2026", "end_year": "2027"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["start_year"] == [
        "This campus already has a plan starting that school year."
    ]
    assert CampusPlan.objects.filter(campus=campus).count() == 1


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"start_year": "0", "end_year": "2027"}, "start_year", "between"),
        ({"start_year": "2026", "end_year": "2025"}, "end_year", "cannot come before"),
        ({"start_year": "2026", "end_year": "2035"}, "end_year", "at most five"),
        ({"start_year": "", "end_year": "2027"}, "start_year", "required"),
    ],
)
def test_implausible_school_years_are_refused(as_member, personas, campus, fields, field, message):
    client = as_member(personas.campus_leader)
    response = client.post(url("campus_plan_new") + f"?campus={campus.pk}", fields)
    assert message in " ".join(response.context["form"].errors[field])
    assert not CampusPlan.objects.exists()


def test_a_campus_goal_serves_a_goal_of_this_district_only(as_member, personas, campus_plan, goal):
    foreign = GoalFactory(plan=PlanFactory(district=personas.other_district))
    client = as_member(personas.campus_leader)
    add = url("campus-goal_new") + f"?campus_plan={campus_plan.pk}"
    refused = client.post(add, {"district_goal": foreign.pk, "title": "Theirs"})
    assert "district_goal" in refused.context["form"].errors
    client.post(add, {"district_goal": goal.pk, "title": "Ours <script>x</script>"})
    campus_goal = CampusGoal.objects.get(campus_plan=campus_plan)
    assert campus_goal.district_goal == goal
    page = client.get(url("campus_plan", campus_plan.pk)).content.decode()
    assert "Ours &lt;script&gt;x&lt;/script&gt;" in page
    assert "Serves the district goal: Readers by grade 3" in page


def _result(measure, campus, value, students=200):
    group = student_groups_ensure(district=campus.district)[0]
    return MeasureResult.objects.create(
        district=campus.district,
        measure=measure,
        campus=campus,
        group=group,
        observed_on=datetime.date(2026, 6, 30),
        value=Decimal(value),
        students=students,
    )


@pytest.mark.parametrize(
    ("value", "standing"),
    [("72", "Target met"), ("55", "Moving"), ("45", "Not moving")],
)
def test_an_objective_stands_by_the_campus_latest_result(
    as_member, personas, campus_plan, goal, value, standing
):
    measure = MeasureFactory(goal=goal, name="Grade 3 reading")
    objective = PerformanceObjectiveFactory(
        campus_goal=CampusGoalFactory(campus_plan=campus_plan, district_goal=goal),
        measure=measure,
        baseline=Decimal("50"),
        target=Decimal("70"),
    )
    _result(measure, campus_plan.campus, value)
    page = as_member(personas.campus_leader).get(url("campus_plan", campus_plan.pk))
    html = page.content.decode()
    row = html[html.index(f'id="objective-{objective.pk}"') :][:1200]
    assert standing in row
    assert f"{value} on" in row


def test_an_objective_without_a_result_says_so(as_member, personas, campus_plan, goal):
    objective = PerformanceObjectiveFactory(
        campus_goal=CampusGoalFactory(campus_plan=campus_plan, district_goal=goal),
        measure=MeasureFactory(goal=goal),
        baseline=Decimal("50"),
        target=Decimal("70"),
    )
    html = as_member(personas.board).get(url("campus_plan", campus_plan.pk)).content.decode()
    assert "No data yet" in html[html.index(f'id="objective-{objective.pk}"') :][:800]


def test_a_small_group_result_is_masked_beyond_the_cabinet(as_member, personas, campus_plan, goal):
    measure = MeasureFactory(goal=goal)
    objective = PerformanceObjectiveFactory(
        campus_goal=CampusGoalFactory(campus_plan=campus_plan, district_goal=goal),
        measure=measure,
        baseline=Decimal("50"),
    )
    _result(measure, campus_plan.campus, "61.5", students=6)

    def row(persona):
        html = as_member(persona).get(url("campus_plan", campus_plan.pk)).content.decode()
        return html[html.index(f'id="objective-{objective.pk}"') :][:1200]

    assert "61.5 on" in row(personas.cabinet)
    assert "latest result masked" in row(personas.campus_leader)
    assert "61.5" not in row(personas.campus_leader)


def test_an_objective_target_needs_its_measure_and_its_direction(
    as_member, personas, campus_plan, goal
):
    campus_goal = CampusGoalFactory(campus_plan=campus_plan, district_goal=goal)
    measure = MeasureFactory(goal=goal)
    client = as_member(personas.campus_leader)
    add = url("objective_new") + f"?campus_goal={campus_goal.pk}"
    no_measure = client.post(add, {"description": "More readers", "target": "70"})
    assert "Choose the measure" in no_measure.context["form"].errors["measure"][0]
    backwards = client.post(
        add,
        {"description": "More readers", "measure": measure.pk, "baseline": "60", "target": "50"},
    )
    assert "above the baseline" in backwards.context["form"].errors["target"][0]
    client.post(
        add,
        {"description": "More readers", "measure": measure.pk, "baseline": "50", "target": "60"},
    )
    assert campus_goal.objectives.get().target == Decimal("60")


def test_strategies_sit_under_the_theory_the_campus_takes_up(as_member, personas, campus_plan):
    theory = TheoryFactory(
        strand__district=personas.district, short_name="Coaching cycles", status="adopted"
    )
    client = as_member(personas.campus_leader)
    client.post(
        url("campus_plan_edit", campus_plan.pk),
        {
            "version": campus_plan.version,
            "start_year": "2026",
            "end_year": "2028",
            "summary": campus_plan.summary,
            "theories": [theory.pk],
        },
    )
    assert list(campus_plan.theories.all()) == [theory]
    client.post(
        url("campus-strategy_new") + f"?campus_plan={campus_plan.pk}",
        {
            "description": "Weekly coaching for grade 2",
            "theory": theory.pk,
            "status": "in_progress",
        },
    )
    client.post(
        url("campus-strategy_new") + f"?campus_plan={campus_plan.pk}",
        {"description": "Family reading nights", "status": "not_started"},
    )
    html = client.get(url("campus_plan", campus_plan.pk)).content.decode()
    under_theory = html[
        html.index(f'id="taken-theory-{theory.pk}"') : html.index('id="campus-strategies"')
    ]
    own = html[html.index('id="campus-strategies"') :]
    assert "Weekly coaching for grade 2" in under_theory
    assert "Family reading nights" in own
    assert "Family reading nights" not in under_theory


def test_a_strategy_under_a_theory_not_taken_up_is_refused(as_member, personas, campus_plan):
    theory = TheoryFactory(strand__district=personas.district, status="adopted")
    client = as_member(personas.campus_leader)
    response = client.post(
        url("campus-strategy_new") + f"?campus_plan={campus_plan.pk}",
        {"description": "Coaching", "theory": theory.pk, "status": "not_started"},
    )
    assert "theory" in response.context["form"].errors
    assert not CampusStrategy.objects.exists()


def test_the_cabinet_approves_and_later_changes_show_against_the_approved_plan(
    as_member, personas, campus_plan
):
    strategy = CampusStrategyFactory(campus_plan=campus_plan, description="Tutoring after school")
    cabinet = as_member(personas.cabinet)
    cabinet.post(
        url("campus_plan_approve", campus_plan.pk),
        {"version": campus_plan.version, "approved_on": "2026-11-10"},
    )
    campus_plan.refresh_from_db()
    assert campus_plan.status == CampusPlan.Status.APPROVED
    snapshot = CampusPlanSnapshot.objects.get(campus_plan=campus_plan)

    leader = as_member(personas.campus_leader)
    leader.post(
        url("campus-strategy", strategy.pk),
        {
            "version": strategy.version,
            "description": "Tutoring after school",
            "status": "done",
        },
    )
    compare = leader.get(url("campus_plan_compare", campus_plan.pk, snapshot.pk)).content.decode()
    assert "Changed since approval" in compare
    assert "Not started" in compare
    assert "Done" in compare


def test_only_the_cabinet_approves(as_member, personas, campus_plan):
    response = as_member(personas.campus_leader).post(
        url("campus_plan_approve", campus_plan.pk),
        {"version": campus_plan.version, "approved_on": "2026-11-10"},
    )
    assert response.status_code == 403
    campus_plan.refresh_from_db()
    assert campus_plan.status == CampusPlan.Status.DRAFT


def test_an_approval_in_the_future_is_refused(personas, campus_plan):
    with pytest.raises(Exception, match="future"):
        campus_plan_approve(
            campus_plan=campus_plan,
            expected_version=campus_plan.version,
            user=personas.cabinet,
            approved_on=datetime.date(2027, 1, 1),
        )
    assert not CampusPlanSnapshot.objects.exists()


def test_an_archived_plan_is_kept_as_it_was_until_restored(as_member, personas, campus_plan):
    cabinet = as_member(personas.cabinet)
    cabinet.post(url("campus_plan_archive", campus_plan.pk), {"version": campus_plan.version})
    campus_plan.refresh_from_db()
    assert campus_plan.status == CampusPlan.Status.ARCHIVED
    refused = cabinet.post(url("campus_plan_edit", campus_plan.pk), {"summary": "x"})
    assert refused.status_code == 403
    cabinet.post(url("campus_plan_unarchive", campus_plan.pk), {"version": campus_plan.version})
    campus_plan.refresh_from_db()
    assert campus_plan.status == CampusPlan.Status.DRAFT


def test_two_editors_of_one_plan_see_a_conflict_not_a_lost_update(as_member, personas, campus_plan):
    stale = campus_plan.version
    data = {"start_year": "2026", "end_year": "2028"}
    as_member(personas.cabinet).post(
        url("campus_plan_edit", campus_plan.pk), {**data, "version": stale, "summary": "Cabinet's"}
    )
    response = as_member(personas.campus_leader).post(
        url("campus_plan_edit", campus_plan.pk), {**data, "version": stale, "summary": "Mine"}
    )
    assert response.status_code == 200
    assert "Cabinet&#x27;s" in response.content.decode()
    campus_plan.refresh_from_db()
    assert campus_plan.summary == "Cabinet's"


def test_the_history_lists_what_was_added_under_the_plan(as_member, personas, campus_plan, goal):
    client = as_member(personas.campus_leader)
    client.post(
        url("campus-goal_new") + f"?campus_plan={campus_plan.pk}",
        {"district_goal": goal.pk, "title": "Readers at Lakeside"},
    )
    page = client.get(url("campus_plan_history", campus_plan.pk)).content.decode()
    assert "Readers at Lakeside" in page


def test_the_district_plan_counts_the_campus_plans_taking_up_each_goal(
    as_member, personas, campus_plan, goal
):
    measure = MeasureFactory(goal=goal)
    PerformanceObjectiveFactory(
        campus_goal=CampusGoalFactory(campus_plan=campus_plan, district_goal=goal),
        measure=measure,
        baseline=Decimal("50"),
        target=Decimal("60"),
    )
    _result(measure, campus_plan.campus, "65")
    html = as_member(personas.board).get(url("plan", goal.plan_id)).content.decode()
    block = html[html.index(f'id="goal-{goal.pk}"') :][:3000]
    assert "Taken up by 1 campus plan" in block
    assert "Target met: 1" in block


def test_the_campus_page_leads_to_its_plan_and_lets_its_leader_start_one(
    as_member, personas, campus, campus_plan
):
    page = as_member(personas.campus_leader).get(
        reverse("core:campus", args=["lakeside", campus.pk])
    )
    html = page.content.decode()
    assert url("campus_plan", campus_plan.pk) in html
    assert "Start a new campus plan" in html
    board = as_member(personas.board).get(reverse("core:campus", args=["lakeside", campus.pk]))
    assert url("campus_plan", campus_plan.pk) in board.content.decode()
    assert "Start a new campus plan" not in board.content.decode()


def test_a_leader_of_another_campus_is_not_offered_to_start_this_campus_plan(
    as_member, personas, campus, campus_plan
):
    """The campus page keeps its plan section drawn between changes; what it offers stays
    each reader's own."""
    elsewhere = UserFactory()
    MembershipFactory(
        user=elsewhere,
        district=personas.district,
        role=Role.CAMPUS_LEADER,
        campuses=[CampusFactory(district=personas.district)],
    )
    page = reverse("core:campus", args=["lakeside", campus.pk])
    assert "Start a new campus plan" in as_member(personas.campus_leader).get(page).text
    text = as_member(elsewhere).get(page).text
    assert url("campus_plan", campus_plan.pk) in text
    assert "Start a new campus plan" not in text


def test_the_list_filters_by_status(as_member, personas, campus_plan):
    approved = CampusPlanFactory(
        campus=CampusFactory(district=personas.district, name="Hilltop Middle"),
        status="approved",
        approved_on=datetime.date(2026, 10, 1),
    )
    client = as_member(personas.cabinet)
    html = client.get(url("campus_plans") + "?status=approved").content.decode()
    assert approved.campus.name in html
    assert campus_plan.campus.name not in html
    assert campus_plan.campus.name in client.get(url("campus_plans")).content.decode()


def _fill(campus_plan, goal, size):
    theory = TheoryFactory(strand__district=campus_plan.district, status="adopted")
    campus_plan.theories.add(theory)
    for _ in range(size):
        campus_goal = CampusGoalFactory(campus_plan=campus_plan, district_goal=goal)
        PerformanceObjectiveFactory(
            campus_goal=campus_goal, measure=MeasureFactory(goal=goal), baseline=Decimal("1")
        )
        CampusStrategyFactory(campus_plan=campus_plan, theory=theory)
        CampusStrategyFactory(campus_plan=campus_plan)


def test_campus_plan_pages_run_the_same_queries_whatever_the_plan_size(
    as_member, personas, campus_plan, goal
):
    client = as_member(personas.campus_leader)
    pages = [url("campus_plan", campus_plan.pk), url("campus_plans")]
    _fill(campus_plan, goal, 1)
    few = [page_queries(client, page) for page in pages]
    _fill(campus_plan, goal, 6)
    for n in range(5):
        CampusPlanFactory(campus=CampusFactory(district=personas.district, name=f"Campus {n}"))
    assert [page_queries(client, page) for page in pages] == few
    with query_budget(20):
        client.get(pages[0])


def test_a_campus_plan_pdf_masks_small_groups(personas, campus_plan, goal):
    measure = MeasureFactory(goal=goal, name="Grade 3 reading")
    PerformanceObjectiveFactory(
        campus_goal=CampusGoalFactory(campus_plan=campus_plan, district_goal=goal, title="Read"),
        measure=measure,
        baseline=Decimal("50"),
    )
    _result(measure, campus_plan.campus, "61.5", students=6)
    report = Report.objects.create(
        district=personas.district, kind="campus_plan", campus_plan=campus_plan, title="x"
    )
    template, context = campus_plan_report(report)
    objective = context["goals"][0].objectives.all()[0]
    assert template == "reports/pdf/campus_plan.html"
    assert objective.standing.masked
    assert objective.standing.value is None


def test_a_board_summary_can_add_a_page_per_campus_plan(personas, campus_plan, goal):
    CampusGoalFactory(campus_plan=campus_plan, district_goal=goal, title="Readers at Lakeside")
    CampusPlanFactory(
        campus=CampusFactory(district=personas.district), status="archived", start_year=2025
    )
    with_pages = Report.objects.create(
        district=personas.district, kind="board_summary", title="x", campus_pages=True
    )
    _, context = board_summary(with_pages)
    assert [page["plan"] for page in context["campus_pages"]] == [campus_plan]
    assert context["campus_pages"][0]["goals"][0].title == "Readers at Lakeside"
    without = Report.objects.create(district=personas.district, kind="board_summary", title="y")
    assert "campus_pages" not in board_summary(without)[1]


def test_a_campus_plan_pdf_is_requested_from_its_page(as_member, personas, campus_plan):
    response = as_member(personas.cabinet).post(
        reverse("reports:request", args=["lakeside"]),
        {"kind": "campus_plan", "campus_plan": campus_plan.pk, "language": "en"},
    )
    assert response.status_code == 302
    report = Report.objects.get(kind="campus_plan")
    assert report.campus_plan == campus_plan
    assert report.title == f"Campus plan: {campus_plan.campus.name}, 2026–29"


def test_a_deleted_district_goal_leaves_the_campus_goal_asking_for_another(
    as_member, personas, campus_plan, goal
):
    campus_goal = CampusGoalFactory(campus_plan=campus_plan, district_goal=goal, title="Readers")
    cabinet = as_member(personas.cabinet)
    cabinet.post(url("goal_delete", goal.pk))
    campus_goal.refresh_from_db()
    assert campus_goal.district_goal is None
    page = cabinet.get(url("campus_plan", campus_plan.pk)).content.decode()
    assert "The district goal it served was deleted: choose another." in page


def test_the_comparison_names_statuses_in_the_reader_language(as_member, personas, campus_plan):
    strategy = CampusStrategyFactory(campus_plan=campus_plan, description="Tutoring")
    campus_plan_approve(
        campus_plan=campus_plan,
        expected_version=campus_plan.version,
        user=personas.cabinet,
        approved_on=datetime.date(2026, 11, 10),
    )
    CampusStrategy.objects.filter(pk=strategy.pk).update(status="in_progress")
    snapshot = CampusPlanSnapshot.objects.get()
    client = as_member(personas.board)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    page = client.get(url("campus_plan_compare", campus_plan.pk, snapshot.pk)).content.decode()
    assert "Sin iniciar" in page
    assert "En curso" in page
    assert "in_progress" not in page


def test_a_spanish_campus_plan_pdf_names_theories_in_the_districts_spanish(personas, campus_plan):
    from district_plan.models import CampusPlanTheory
    from reports.rendering import report_html
    from tests.factories import StrandFactory

    strand = StrandFactory(district=personas.district, name="Literacy", name_es="Lectoescritura")
    translated = TheoryFactory(
        strand=strand, short_name="Coaching cycles", short_name_es="Ciclos de acompañamiento"
    )
    english_only = TheoryFactory(strand=strand, short_name="Family nights")
    for theory in (translated, english_only):
        CampusPlanTheory.objects.create(campus_plan=campus_plan, theory=theory)
    report = Report.objects.create(
        district=personas.district,
        kind="campus_plan",
        campus_plan=campus_plan,
        title="x",
        language="es",
    )
    html, _ = report_html(report)
    assert "<h3>Ciclos de acompañamiento</h3>" in html
    assert '<h3 lang="en">Family nights</h3>' in html
    assert '<p class="muted">Lectoescritura</p>' in html
