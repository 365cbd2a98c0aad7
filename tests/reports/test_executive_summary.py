"""The board summary's executive summary: headline results, what changed in plain sentences
built from the data, the decisions the board is asked to take, and the scorecard on one page.

Read from the HTML WeasyPrint turns into the PDF (tests/reports/test_accessible_pdfs.py renders
it and checks the page)."""

import datetime
import html as html_module
import re
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from core.models import District
from dashboard.demo import seed_demo
from district_plan.models import Goal, Measure
from district_plan.services import measure_value_record
from reports.executive import executive_summary, since_for
from reports.models import Report
from reports.rendering import report_html
from reports.services import report_request
from tests.helpers import travel_to
from visits.models import ActionItem, Observation, Visit
from visits.selectors import school_year_start

TODAY = "2026-03-15"


@pytest.fixture
def demo(db):
    with travel_to(TODAY):
        seed_demo(size="small")
        yield District.objects.get(slug="demo")


def board_summary(district, **fields):
    report = report_request(district_id=district.pk, user=None, kind="board_summary")
    if fields:
        Report.objects.filter(pk=report.pk).update(**fields)
        report.refresh_from_db()
    return report


def executive_section(html):
    start = html.index('<section class="executive"')
    return html[start : html.index("</section>", start)]


def sentences_of(html):
    section = executive_section(html)
    changes = section[
        section.index('<ul class="changes">') : section.index(
            "</ul>", section.index('<ul class="changes">')
        )
    ]
    return [html_module.unescape(s) for s in re.findall(r"<li>(.*?)</li>", changes)]


def summary_of(district, report=None):
    report = report or board_summary(district)
    plan = district.plans.get()
    return executive_summary(report=report, plan=plan, today=timezone.localdate())


def assert_plain_sentences(sentences):
    assert 3 <= len(sentences) <= 6, sentences
    for sentence in sentences:
        assert isinstance(sentence, str)
        assert sentence.strip() == sentence, sentence
        assert not sentence[0].islower(), sentence
        assert sentence.endswith("."), sentence
        assert "<" not in sentence, sentence
        assert "%(" not in sentence, sentence


def visits_since(district, day):
    today = timezone.localdate()
    visits = Visit.objects.filter(district=district, date__gte=day, date__lte=today).exclude(
        status="planned"
    )
    observations = Observation.objects.filter(visit__in=visits, private=False).count()
    return visits.count(), visits.values("campus").distinct().count(), observations


def test_the_headline_counts_the_plans_goals_by_status(demo):
    with travel_to(TODAY):
        summary = summary_of(demo)
        html, _ = report_html(board_summary(demo))
    counts = {status: n for status, n, _words in summary["headline"]}
    assert list(counts) == ["on_track", "behind", "needs_update", "no_data"]
    assert sum(counts.values()) == Goal.objects.filter(plan__district=demo).count() == 4
    # Grade 3 reading and graduates are behind the pace to their targets; absence (quarterly)
    # and teacher retention (no value in a year) missed their update cycle.
    assert counts == {"on_track": 0, "behind": 2, "needs_update": 2, "no_data": 0}
    section = executive_section(html)
    assert '<span class="big">2</span> goals behind' in section
    assert '<span class="big">2</span> goals need an update' in section
    assert '<span class="big">0</span> goals on track' in section


def test_the_small_demos_sentences_name_its_data_since_the_school_year_began(demo):
    with travel_to(TODAY):
        html, _ = report_html(board_summary(demo))
        visits, campuses, observations = visits_since(demo, school_year_start(timezone.localdate()))
    sentences = sentences_of(html)
    assert_plain_sentences(sentences)
    assert sentences[:3] == [
        "Graduates with a credential or a plan rose from 61% to 66% (target 85%).",
        "Grade 3 students meeting the reading standard rose from 48% to 52% (target 70%).",
        "2 goal measures need an update: Students chronically absent and Teachers returning "
        "the next school year.",
    ]
    assert visits > 1
    assert campuses > 1
    assert (
        f"{visits} visits were made to {campuses} campuses since the school year began, "
        f"with {observations} observations logged."
    ) in sentences
    assert all("since the board summary of" not in s for s in sentences)


def test_the_large_demos_sentences_count_what_the_database_holds(db):
    with travel_to(TODAY):
        seed_demo(size="large")
        district = District.objects.get(slug="demo")
        summary = summary_of(district)
        today = timezone.localdate()
        start = school_year_start(today)
        visits, campuses, observations = visits_since(district, start)
        done = ActionItem.objects.filter(
            district=district, status="done", completed_on__gte=start
        ).count()
        overdue = (
            ActionItem.objects.filter(district=district, due_date__lt=today)
            .exclude(status="done")
            .count()
        )
    sentences = summary["sentences"]
    assert_plain_sentences(sentences)
    assert visits > 10
    assert campuses > 10
    assert (
        f"{visits:,} visits were made to {campuses} campuses since the school year began, "
        f"with {observations:,} observations logged."
    ) in sentences
    assert (
        f"{done:,} action items were completed since the school year began, and {overdue:,} "
        f"{'is' if overdue == 1 else 'are'} now overdue."
    ) in sentences
    assert len(summary["scorecard"]["rows"]) == 4


@pytest.mark.db_clock
def test_a_goal_that_changed_status_since_the_last_summary_leads_the_sentences(db):
    seed_demo(size="small")
    district = District.objects.get(slug="demo")
    first = board_summary(district)
    _, data_as_of = report_html(first)
    Report.objects.filter(pk=first.pk).update(status="ready", data_as_of=data_as_of)
    first.refresh_from_db()
    goal = Goal.objects.get(plan__district=district, order=0)
    assert first.facts["goals"][str(goal.pk)] == "behind"
    measure = Measure.objects.get(goal=goal)
    measure_value_record(
        measure=measure, user=None, observed_on=timezone.localdate(), value=Decimal("70.5")
    )

    html, _ = report_html(board_summary(district))

    sentences = sentences_of(html)
    assert_plain_sentences(sentences)
    day = f"{timezone.localtime(data_as_of):%B %-d, %Y}"
    assert sentences[:3] == [
        f"The goal “{goal.title}” moved from behind to on track since the board summary of {day}.",
        "Grade 3 students meeting the reading standard rose from 52% to 70.5% (target 70%).",
        "2 goal measures need an update: Students chronically absent and Teachers returning "
        "the next school year.",
    ]
    assert (
        f"1 new measure value was recorded since the board summary of {day}, for 1 measure."
        in sentences
    )
    assert f"What changed since the board summary of {day}" in html


def test_each_summary_keeps_the_facts_the_next_one_compares_with(demo):
    with travel_to(TODAY):
        report = board_summary(demo)
        report_html(report)
    report.refresh_from_db()
    goals = Goal.objects.filter(plan__district=demo).order_by("order")
    assert report.facts["goals"] == {
        str(goals[0].pk): "behind",
        str(goals[1].pk): "needs_update",
        str(goals[2].pk): "behind",
        str(goals[3].pk): "needs_update",
    }
    graduates = Measure.objects.get(goal=goals[2])
    assert Decimal(report.facts["measures"][str(graduates.pk)]) == Decimal("66")


def test_without_an_earlier_summary_the_comparison_starts_with_the_school_year(demo):
    with travel_to(TODAY):
        since = since_for(None, timezone.localdate())
    assert since.day == datetime.date(2025, 7, 1)
    assert since.phrase == "since the school year began"


def test_the_decisions_the_cabinet_listed_are_numbered_one_a_line(demo):
    decisions = "1. Adopt the revised reading goal\n\n- Approve the 2026–27 visit calendar \n"
    with travel_to(TODAY):
        html, _ = report_html(board_summary(demo, decisions=decisions))
        none_listed, _ = report_html(board_summary(demo))
    section = executive_section(html)
    assert (
        '<ol class="decisions"><li>Adopt the revised reading goal</li>'
        "<li>Approve the 2026–27 visit calendar</li></ol>"
    ) in section
    assert "The cabinet listed no decision" not in section
    assert "The cabinet listed no decision for the board with this summary." in (
        executive_section(none_listed)
    )


def test_the_scorecard_on_one_page_lists_each_goal_with_its_measures_and_trend(demo):
    with travel_to(TODAY):
        html, _ = report_html(board_summary(demo))
    section = executive_section(html)
    table = section[section.index('<table class="scorecard">') :]
    assert table.count("<tr>") == 1 + 4  # the header and one measure a goal
    assert "Every student reads on grade level by the end of grade 3" in table
    assert "Teachers returning the next school year" in table
    assert table.count('class="sparkline"') == 4
    assert table.count("<title") == table.count("<desc") == 4  # each keeps its alternative
    assert '<li><a href="#executive">Executive summary</a></li>' in html


def test_in_spanish_the_summary_uses_the_districts_spanish_wording(demo):
    goal = Goal.objects.get(plan__district=demo, order=2)
    Goal.objects.filter(pk=goal.pk).update(title_es="Cada egresado sale con un plan")
    Measure.objects.filter(goal=goal).update(name_es="Egresados con credencial o plan")
    Measure.objects.filter(goal__order=0, goal__plan__district=demo).update(
        baseline=Decimal("48.5")
    )
    with travel_to(TODAY):
        report = report_request(district_id=demo.pk, user=None, kind="board_summary", language="es")
        html, _ = report_html(report)
    section = executive_section(html)
    assert "Resumen ejecutivo" in section
    assert "Cada egresado sale con un plan" in section
    # The sparkline's text alternative names the measure in Spanish too.
    assert '<title id="executive-' in section
    assert ">Egresados con credencial o plan</title>" in section
    sentences = sentences_of(html)
    assert_plain_sentences(sentences)
    reading = Measure.objects.get(goal__order=0, goal__plan__district=demo)
    assert reading.name_es  # the demo's own Spanish wording
    assert sentences[:2] == [
        "El indicador «Egresados con credencial o plan» subió de 61% a 66% (meta 85%).",
        f"El indicador «{reading.name_es}» subió de 48,5% a 52% (meta 70%).",  # decimal comma
    ]
    with translation.override("es"):
        assert all(s.endswith(".") for s in sentences)
    assert "desde que comenzó el año escolar" in " ".join(sentences)


def _adopted_since_an_hour_ago(personas, how_many):
    # The history's clock is the database's, so this test runs on the real clock.
    from reports.executive import what_changed
    from tests.factories import StrandFactory, TheoryFactory
    from theories.services import theory_update

    district = personas.district
    strand = StrandFactory(district=district)
    previous = board_summary(
        district, status="ready", data_as_of=timezone.now() - datetime.timedelta(hours=1)
    )
    for n in range(how_many):
        theory = TheoryFactory(strand=strand, status="proposed", short_name=f"Theory {n}")
        theory_update(
            theory=theory, expected_version=theory.version, user=None, data={"status": "adopted"}
        )
    since = since_for(previous, timezone.localdate())
    return what_changed(district=district, rows=[], since=since, today=timezone.localdate())


def test_a_few_theories_adopted_are_named(personas):
    sentences = _adopted_since_an_hour_ago(personas, 2)
    assert any(s.startswith("2 theories of action were adopted") for s in sentences), sentences
    assert any("Theory 0" in s and "Theory 1" in s for s in sentences), sentences


def test_many_theories_adopted_are_counted_not_listed(personas):
    sentences = _adopted_since_an_hour_ago(personas, 5)
    adopted = [s for s in sentences if "theories of action were adopted" in s]
    assert len(adopted) == 1, sentences
    assert adopted[0].startswith("5 theories of action were adopted since ")
    assert "Theory" not in adopted[0]
