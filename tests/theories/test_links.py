"""Each theory tested link by link: its page, the strand overview, the theories page's filter
by failing link, and their query budgets."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import (
    ActionFactory,
    GoalFactory,
    LookForFactory,
    MeasureFactory,
    MeasureValueFactory,
    OfferingFactory,
    PlanFactory,
    ProgramFactory,
    SessionFactory,
    StrandFactory,
    TheoryFactory,
    VisitFactory,
)
from tests.helpers import page_queries, travel_to
from theories.selectors import theory_chains
from visits.models import Observation

TODAY = "2026-12-07"


def url(name, *args):
    return reverse(f"theories:{name}", args=["lakeside", *args])


def observe(visit, *look_fors):
    observation = Observation.objects.create(
        district=visit.district, visit=visit, kind="classroom", fingerprint="t"
    )
    observation.look_fors.set(look_fors)
    return observation


@pytest.fixture
def strand(personas):
    return StrandFactory(district=personas.district, name="Expectations", order=0)


@pytest.fixture
def theory(strand):
    """A theory whose IF is moving (a session held), THEN not moving (2 of 6 observations
    saw its look-for) and SO THAT with no data."""
    with travel_to(TODAY):
        theory = TheoryFactory(strand=strand, short_name="Shared look-fors")
        offering = OfferingFactory(district=strand.district)
        offering.theories.set([theory])
        SessionFactory(offering=offering, date=datetime.date(2026, 11, 2))
        program = ProgramFactory(district=strand.district)
        look_for = LookForFactory(
            program=program, theory=theory, text="Students explain their reasoning"
        )
        for day, seen in ((3, True), (10, True), (17, False), (24, False), (31, False)):
            visit = VisitFactory(
                program=program, date=datetime.date(2026, 11, 1) + datetime.timedelta(days=day % 30)
            )
            observe(visit, *([look_for] if seen else []))
        observe(VisitFactory(program=program, date=datetime.date(2026, 10, 5)))
    return theory


def test_the_theory_page_shows_each_link_with_its_status_and_latest_evidence(
    as_member, personas, theory
):
    with travel_to(TODAY):
        text = as_member(personas.board).get(url("theory", theory.pk)).text
    links = text[text.index('id="links"') :]
    assert "IF: what the adults do" in links
    assert "Moving" in links
    assert "latest evidence Nov 2, 2026" in links
    assert "Not moving" in links
    assert "Seen in 33% of 6 observations in the past six months." in links
    assert "No measure on the theory or the goals it serves." in links
    assert "Students explain their reasoning" in links


def test_the_theory_page_shows_an_observation_logged_since_it_was_last_read(
    as_member, personas, theory
):
    # The links and evidence panels are kept between changes; an observation is never changed
    # after it is logged, so it is not in the history the kept panels follow.
    client = as_member(personas.board)
    with travel_to(TODAY):
        client.get(url("theory", theory.pk))
        look_for = theory.look_fors.get()
        observe(Observation.objects.filter(look_fors=look_for).latest("pk").visit, look_for)
        text = client.get(url("theory", theory.pk)).text
    assert "Seen in 43% of 7 observations in the past six months." in text


def test_the_seen_rate_chart_is_inline_svg_with_a_text_alternative(as_member, personas, theory):
    with travel_to(TODAY):
        text = as_member(personas.cabinet).get(url("theory", theory.pk)).text
    assert f'aria-labelledby="seen-{theory.pk}-title seen-{theory.pk}-desc"' in text
    assert "by month: Oct 2026: 0% of 1; Nov 2026: 40% of 5." in text
    assert f'id="seen-by-campus-{theory.pk}-title"' in text


def test_a_theorys_so_that_reads_the_measures_of_the_goals_it_serves(as_member, personas, theory):
    with travel_to(TODAY):
        goal = GoalFactory(plan=PlanFactory(district=personas.district), title="Readers by 3")
        theory.goals.set([goal])
        reading = MeasureFactory(goal=goal, name="Grade 3 reading")
        MeasureValueFactory(measure=reading, observed_on=datetime.date(2026, 9, 1), value=55)
        text = as_member(personas.board).get(url("theory", theory.pk)).text
    links = text[text.index('id="link-so-that"') :]
    assert "Grade 3 reading" in links
    assert "goal: Readers by 3" in links
    assert "Measures with values moving toward the target: 1 of 1." in links


def test_the_strand_overview_lists_each_theory_with_its_three_links(as_member, personas, theory):
    with travel_to(TODAY):
        quiet = TheoryFactory(strand=theory.strand, short_name="Family nights")
        ActionFactory(theory=quiet, due_date=datetime.date(2026, 12, 1))
        text = as_member(personas.visit_team).get(url("strand_links", theory.strand_id)).text
    row = text[text.index(f'id="theory-{quiet.pk}"') :]
    row = row[: row.index("</tr>")]
    assert "Family nights" in row
    assert [status in row for status in ("Not moving", "No data")] == [True, True]
    assert row.count("No data") == 2  # THEN and SO THAT
    tally = text[text.index('id="links-tally"') : text.index('id="links-theories"')]
    assert "IF" in tally
    assert "SO THAT" in tally


def test_the_theories_page_keeps_the_theories_whose_link_is_not_moving(as_member, personas, theory):
    with travel_to(TODAY):
        other = TheoryFactory(strand=theory.strand, short_name="Family nights")
        client = as_member(personas.cabinet)
        then_failing = client.get(url("index") + "?failing=then").text
        if_failing = client.get(url("index") + "?failing=if").text
    assert "Shared look-fors" in then_failing
    assert "Family nights" not in then_failing
    assert "1 theory matches" in then_failing
    assert "0 theories match" in if_failing
    assert other.pk


@pytest.mark.parametrize("value", ["maybe", "<script>", "IF"])
def test_a_failing_filter_naming_no_link_is_left_out_with_a_message(as_member, personas, value):
    response = as_member(personas.cabinet).get(url("index"), {"failing": value})
    assert response.status_code == 200
    assert "Choose IF, THEN or SO THAT; every theory is shown meanwhile." in response.text


def test_outsider_gets_404(as_member, personas, theory):
    client = as_member(personas.outsider)
    assert client.get(url("strand_links", theory.strand_id)).status_code == 404
    assert client.get(url("theory", theory.pk)).status_code == 404


def _theories_with_evidence(strand, count):
    program = ProgramFactory(district=strand.district)
    visit = VisitFactory(program=program)
    offering = OfferingFactory(district=strand.district)
    goal = GoalFactory(plan=PlanFactory(district=strand.district))
    made = []
    for _ in range(count):
        theory = TheoryFactory(strand=strand)
        theory.goals.set([goal])
        ActionFactory(theory=theory, status="done", evidence="Agendas posted")
        MeasureValueFactory(
            measure=MeasureFactory(goal=None, theory=theory, district=strand.district)
        )
        observe(visit, LookForFactory(program=program, theory=theory))
        made.append(theory)
    offering.theories.set(made)
    SessionFactory(offering=offering)
    return made


def test_judging_many_theories_takes_as_many_queries_as_one(personas, strand):
    one = _theories_with_evidence(strand, 1)
    many = one + _theories_with_evidence(strand, 12)
    counts = []
    for theories in (one, many):
        with CaptureQueriesContext(connection) as captured:
            chains = theory_chains(district=personas.district, theory_ids=[t.pk for t in theories])
        counts.append(len(captured.captured_queries))
        assert len(chains) == len(theories)
    assert counts[0] == counts[1] <= 10


def test_the_strand_overview_and_the_filter_keep_their_query_budget(
    as_member, personas, strand, django_assert_max_num_queries
):
    client = as_member(personas.cabinet)
    _theories_with_evidence(strand, 1)
    small = [
        page_queries(client, url("strand_links", strand.pk)),
        page_queries(client, url("index") + "?failing=so_that"),
    ]
    _theories_with_evidence(strand, 12)
    large = [
        page_queries(client, url("strand_links", strand.pk)),
        page_queries(client, url("index") + "?failing=so_that"),
    ]
    assert small == large
    with django_assert_max_num_queries(20):
        client.get(url("strand_links", strand.pk))


def test_the_theory_page_keeps_its_query_budget(
    as_member, personas, strand, django_assert_max_num_queries
):
    [theory] = _theories_with_evidence(strand, 1)
    with django_assert_max_num_queries(48):
        assert as_member(personas.board).get(url("theory", theory.pk)).status_code == 200
