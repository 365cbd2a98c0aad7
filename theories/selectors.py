import datetime
from collections import Counter

from django.db.models import Case, Exists, OuterRef, Prefetch, Q, Subquery, Value, When
from django.db.models.functions import Length, Trim
from django.utils import timezone
from django.utils.translation import gettext, npgettext_lazy

from core.charts import bar_chart
from core.history import events_of, history, link_events, record_events
from district_plan.models import Measure, MeasureValue
from district_plan.selectors import district_gaps, measure_status
from theories import hooks
from theories.chain import (
    THEN_WINDOW_DAYS,
    TONES,
    ActionFact,
    ChainFacts,
    Link,
    LinkStatus,
    MeasureFact,
    judge_chain,
)
from theories.charts import seen_rate_chart
from theories.models import Action, Progress, Strand, TheoryOfAction

LINK_LISTS = {"goals": "goal_list", "focus_areas": "focus_area_list"}


def theories_with_parts(
    district, *conditions, measures=True, links=("goals", "focus_areas"), **filters
):
    """The district's theories (those meeting `conditions` and `filters`) in strand order,
    with what the pages show of each: its `action_list`, and a `goal_list` and
    `focus_area_list` for the `links` asked for.

    With `measures`, each theory gets `measure_list` (with values); without, the caller
    attaches them (district_plan.selectors.attach_measures). The parts are plain lists
    (`to_attr`): giving each of hundreds of theories its own prefetched queryset per relation
    cost more than the queries themselves."""
    prefetch = [
        Prefetch("actions", queryset=Action.objects.order_by("order", "pk"), to_attr="action_list"),
        *(Prefetch(link, to_attr=LINK_LISTS[link]) for link in links),
    ]
    if measures:
        prefetch.append(
            Prefetch(
                "measures",
                queryset=Measure.objects.order_by("order", "pk").prefetch_related(
                    Prefetch("values", queryset=MeasureValue.objects.order_by("observed_on"))
                ),
                to_attr="measure_list",
            )
        )
    return list(
        TheoryOfAction.objects.filter(*conditions, district=district, **filters)
        .select_related("strand", "origin")
        .prefetch_related(*prefetch)
        .order_by("strand__order", "strand_id", "order", "pk")
    )


def _labels(choices):
    return {value: str(label) for value, label in choices}


def as_cards(theories, today=None):
    """Gives each theory what its card shows besides its parts: `measure_rows` (each measure
    with its status) and the labels of its and its actions' status and progress, each label
    translated once for the whole list rather than once per card."""
    today = today or timezone.localdate()
    theory_status = _labels(TheoryOfAction.Status.choices)
    action_status = _labels(Action.Status.choices)
    progress = _labels(Progress.choices)
    for theory in theories:
        theory.measure_rows = [
            (measure, measure_status(measure, list(measure.values.all()), today))
            for measure in theory.measure_list
        ]
        theory.status_label = theory_status[theory.status]
        theory.progress_label = progress[theory.progress]
        for action in theory.action_list:
            action.status_label = action_status[action.status]
            action.progress_label = progress[action.progress]
    return theories


def theory_card(*, district, pk):
    """One theory with everything its card shows, or None."""
    found = as_cards(theories_with_parts(district, pk=pk))
    if not found:
        return None
    found[0].evidence = hooks.implementation_evidence.ask(district=district, theory_ids=[pk]).get(
        pk
    )
    return found[0]


def _gaps(*, district, today):
    """The gaps panel's context: the district's counted gaps, from the cache every page showing
    the panel shares (district_plan.selectors.district_gaps)."""
    gaps = district_gaps(district=district, today=today)
    return {"gaps": gaps, "freshness": gaps.freshness}


def theory_filter(*, text="", status="", goal=None):
    """The theories a filter of the theories page keeps, as a Q; None without a filter."""
    found = Q()
    for word in text.split():
        found &= (
            Q(short_name__icontains=word)
            | Q(problem__icontains=word)
            | Q(if_clause__icontains=word)
            | Q(then_clause__icontains=word)
            | Q(so_that__icontains=word)
            | Q(owner__icontains=word)
        )
    if status:
        found &= Q(status=status)
    if goal:
        serving = TheoryOfAction.goals.through.objects.filter(goal_id=goal)
        found &= Q(pk__in=serving.values("theoryofaction_id"))
    return found if found else None


# How a folded strand counts its theories by status and progress; Spanish makes the word
# agree with "teoría" and with the number.
COUNTED = {
    TheoryOfAction.Status.PROPOSED: npgettext_lazy(
        "theories", "%(count)s proposed", "%(count)s proposed", "count"
    ),
    TheoryOfAction.Status.ADOPTED: npgettext_lazy(
        "theories", "%(count)s adopted", "%(count)s adopted", "count"
    ),
    TheoryOfAction.Status.RETIRED: npgettext_lazy(
        "theories", "%(count)s retired", "%(count)s retired", "count"
    ),
    Progress.ON_TRACK: npgettext_lazy(
        "theories", "%(count)s on track", "%(count)s on track", "count"
    ),
    Progress.AT_RISK: npgettext_lazy("theories", "%(count)s at risk", "%(count)s at risk", "count"),
    Progress.OFF_TRACK: npgettext_lazy(
        "theories", "%(count)s off track", "%(count)s off track", "count"
    ),
}


def strand_summaries(*, district, found=None, strand=None):
    """The district's strands in order (or only `strand`, a pk), each with what its folded
    summary says, read in one query over its theories whatever their number: `count`;
    `status_counts` and `progress_counts` ((badge class, "2 adopted") for each value held); of the
    theories not retired (those the gaps panel expects linked), how many have `no_measure` and
    `no_action`; with a filter (`found`, from theory_filter), how many it `matches`; and
    `theory_ids`, the anchors a link to one of them lands on."""
    strands = Strand.objects.filter(district=district).order_by("order", "pk")
    theories = TheoryOfAction.objects.filter(district=district)
    if strand is not None:
        strands, theories = strands.filter(pk=strand), theories.filter(strand=strand)
    by_pk = {s.pk: s for s in strands}
    for s in by_pk.values():
        s.theory_ids, s.statuses, s.progress = [], Counter(), Counter()
        s.no_measure = s.no_action = s.matches = 0
    rows = theories.order_by("order", "pk").annotate(
        has_measure=Exists(Measure.objects.filter(theory=OuterRef("pk"))),
        has_action=Exists(Action.objects.filter(theory=OuterRef("pk"))),
        matched=Value(False) if found is None else Case(When(found, then=True), default=False),
    )
    for strand_id, pk, status, progress, has_measure, has_action, matched in rows.values_list(
        "strand_id", "pk", "status", "progress", "has_measure", "has_action", "matched"
    ):
        s = by_pk[strand_id]
        s.theory_ids.append(pk)
        s.statuses[status] += 1
        s.progress[progress] += 1
        if status != TheoryOfAction.Status.RETIRED:
            s.no_measure += not has_measure
            s.no_action += not has_action
        s.matches += matched
    for s in by_pk.values():
        s.count = len(s.theory_ids)
        s.status_counts = [
            (f"status-{v}", COUNTED[v] % {"count": s.statuses[v]})
            for v in TheoryOfAction.Status.values
            if s.statuses[v]
        ]
        s.progress_counts = [
            (f"progress-{v}", COUNTED[v] % {"count": s.progress[v]})
            for v in Progress.values
            if v != Progress.NOT_ASSESSED and s.progress[v]
        ]
        if found is None:
            s.matches = None
    return list(by_pk.values())


def strand_cards(*, district, strands, found=None, today=None):
    """Gives each of `strands` its `theory_list`: the cards of its theories (those `found` by
    a filter, if any) with everything a card shows, read in the same few queries for one
    strand or several."""
    if not strands:
        return strands
    by_strand = {strand.pk: [] for strand in strands}
    conditions = () if found is None else (found,)
    theories = as_cards(
        theories_with_parts(district, *conditions, strand__in=list(by_strand)), today
    )
    evidence = hooks.implementation_evidence.ask(
        district=district, theory_ids=[theory.pk for theory in theories]
    )
    for theory in theories:
        theory.evidence = evidence.get(theory.pk)
        by_strand[theory.strand_id].append(theory)
    for strand in strands:
        strand.theory_list = by_strand[strand.pk]
    return strands


def theories_page(*, district, open_ids=(), found=None, today=None):
    """The strands in order with their summaries, the cards of those open (`open_ids`, and
    with a filter every strand it finds theories in), and the district's gaps panel."""
    today = today or timezone.localdate()
    context = strands_context(district=district, open_ids=open_ids, found=found, today=today)
    return context | _gaps(district=district, today=today)


def strands_context(*, district, open_ids=(), found=None, today=None):
    """What the strands list shows: every strand's summary and the open strands' cards."""
    strands = strand_summaries(district=district, found=found)
    asked = {str(pk) for pk in open_ids}
    for strand in strands:
        strand.open = str(strand.pk) in asked or bool(strand.matches)
    strand_cards(
        district=district, strands=[s for s in strands if s.open], found=found, today=today
    )
    return {
        "strands": strands,
        "theory_count": sum(strand.count for strand in strands),
        "match_count": None if found is None else sum(strand.matches for strand in strands),
    }


def theory_history(theory):
    """Changes to the theory, its actions, its measures and their values."""
    measure_ids = events_of(Measure).filter(theory_id=theory.pk).values("pgh_obj_id")
    return history(
        [
            record_events(theory),
            link_events(TheoryOfAction, "goals").filter(theoryofaction_id=theory.pk),
            link_events(TheoryOfAction, "focus_areas").filter(theoryofaction_id=theory.pk),
            events_of(Action).filter(theory_id=theory.pk),
            events_of(Measure).filter(pgh_obj_id__in=measure_ids),
            events_of(MeasureValue).filter(measure_id__in=measure_ids),
        ]
    )


def _action_facts(theory_ids):
    """{theory id: [ActionFact]}: each action with the day the history first holds it done
    with its current evidence."""
    evidenced = (
        events_of(Action)
        .filter(pgh_obj_id=OuterRef("pk"), status=Action.Status.DONE, evidence=OuterRef("evidence"))
        .order_by("pgh_created_at")
        .values("pgh_created_at")[:1]
    )
    rows = (
        Action.objects.filter(theory_id__in=theory_ids)
        .order_by()
        .annotate(evidence_length=Length(Trim("evidence")), evidence_at=Subquery(evidenced))
        .values_list("theory_id", "status", "evidence_length", "due_date", "evidence_at")
    )
    facts = {}
    for theory_id, status, evidence_length, due_date, evidence_at in rows:
        facts.setdefault(theory_id, []).append(
            ActionFact(
                done=status == Action.Status.DONE,
                has_evidence=bool(evidence_length),
                due_date=due_date,
                evidence_on=timezone.localdate(evidence_at) if evidence_at else None,
            )
        )
    return facts


def _measure_facts(theory_ids):
    """{theory id: [MeasureFact]} for the measures of each theory and of the goals it serves."""
    goals = {}
    for theory_id, goal_id in TheoryOfAction.goals.through.objects.filter(
        theoryofaction_id__in=theory_ids
    ).values_list("theoryofaction_id", "goal_id"):
        goals.setdefault(goal_id, []).append(theory_id)
    measures = list(
        Measure.objects.filter(Q(theory_id__in=theory_ids) | Q(goal_id__in=list(goals)))
        .order_by("order", "pk")
        .values_list(
            "pk", "theory_id", "goal_id", "direction", "baseline", "baseline_date", "update_cycle"
        )
    )
    values = {}
    for measure_id, day, value in (
        MeasureValue.objects.filter(measure_id__in=[row[0] for row in measures])
        .order_by("observed_on")
        .values_list("measure_id", "observed_on", "value")
    ):
        values.setdefault(measure_id, []).append((day, value))
    facts = {}
    for pk, theory_id, goal_id, direction, baseline, baseline_date, cycle in measures:
        fact = MeasureFact(
            up=direction == Measure.Direction.UP,
            baseline=baseline,
            baseline_date=baseline_date,
            cycle_days=Measure.CYCLE_DAYS[cycle],
            values=tuple(values.get(pk, ())),
        )
        owners = {theory_id} if theory_id else set()
        owners.update(goals.get(goal_id, ()))
        for owner in owners & set(theory_ids):
            facts.setdefault(owner, []).append(fact)
    return facts


def theory_chains(*, district, theory_ids, today=None):
    """{theory id: theories.chain.Chain} for each of `theory_ids`, its three links judged by
    theories.chain.judge_chain from facts read in the same few queries however many theories
    there are (the large demo has hundreds)."""
    today = today or timezone.localdate()
    theory_ids = list(theory_ids)
    if not theory_ids:
        return {}
    actions = _action_facts(theory_ids)
    measures = _measure_facts(theory_ids)
    learning = hooks.learning_delivered.ask(district=district, theory_ids=theory_ids)
    since = today - datetime.timedelta(days=2 * THEN_WINDOW_DAYS - 1)
    seen = hooks.then_observations.ask(
        district=district, theory_ids=theory_ids, since=since, today=today
    )
    chains = {}
    for pk in theory_ids:
        delivered = learning.get(pk, {})
        observed = seen.get(pk, {})
        facts = ChainFacts(
            actions=tuple(actions.get(pk, ())),
            offerings=delivered.get("offerings", 0),
            session_dates=tuple(delivered.get("session_dates", ())),
            look_fors=observed.get("look_fors", 0),
            observed_days=observed.get("days", {}),
            last_observed=observed.get("latest"),
            measures=tuple(measures.get(pk, ())),
        )
        chains[pk] = judge_chain(facts, today)
    return chains


def failing_filter(*, district, link, today=None):
    """The theories whose `link` (a theories.chain.Link value) is not moving, as a Q for
    theory_filter's callers; None for a value that names no link."""
    if link not in Link.values:
        return None
    ids = TheoryOfAction.objects.filter(district=district).values_list("pk", flat=True)
    chains = theory_chains(district=district, theory_ids=ids, today=today)
    return Q(
        pk__in=[
            pk for pk, chain in chains.items() if chain.status_of(link) == LinkStatus.NOT_MOVING
        ]
    )


def theory_links(*, district, theory, evidence, today=None):
    """What the theory's page shows of its three links (`theory` a card from theory_card,
    `evidence` the visits' answer to hooks.theory_evidence_detail): the `chain` judged as
    everywhere else, the actions done with evidence, the measures of the goals it serves with
    their status, and the seen-rate charts by month and by campus."""
    today = today or timezone.localdate()
    chain = theory_chains(district=district, theory_ids=[theory.pk], today=today)[theory.pk]
    goal_measures = (
        Measure.objects.filter(goal__in=[goal.pk for goal in theory.goal_list])
        .select_related("goal")
        .prefetch_related(Prefetch("values", queryset=MeasureValue.objects.order_by("observed_on")))
        .order_by("goal__order", "goal_id", "order", "pk")
    )
    return {
        "chain": chain,
        "evidenced_actions": [
            action
            for action in theory.action_list
            if action.status == Action.Status.DONE and action.evidence.strip()
        ],
        "goal_measure_rows": [
            (measure, measure_status(measure, list(measure.values.all()), today))
            for measure in goal_measures
        ],
        "seen_chart": seen_rate_chart(
            months=evidence.get("by_month", ()),
            chart_id=f"seen-{theory.pk}",
            title=gettext("Look-fors seen, by month"),
        ),
        "campus_chart": bar_chart(
            rows=[
                (campus, round(100 * seen / observed))
                for campus, (seen, observed) in evidence.get("by_campus", ())
                if observed
            ],
            chart_id=f"seen-by-campus-{theory.pk}",
            title=gettext("Look-fors seen, by campus"),
            unit="%",
        ),
    }


def strand_links(*, district, strand, today=None):
    """The strand's theories in order, each with its `chain`, and how many of them stand at
    each status on each link: [(link label, [(status label, tone, count)])]."""
    theories = list(
        TheoryOfAction.objects.filter(district=district, strand=strand)
        .only("pk", "short_name", "if_clause", "status", "strand_id")
        .order_by("order", "pk")
    )
    chains = theory_chains(district=district, theory_ids=[t.pk for t in theories], today=today)
    for theory in theories:
        theory.chain = chains[theory.pk]
    return {"theories": theories, "tally": link_tally(chains.values())}


def link_tally(chains):
    """How many of `chains` stand at each status, link by link, for a summary table."""
    chains = list(chains)
    tally = []
    for index, link in enumerate(Link):
        counts = Counter(chain.links[index].status for chain in chains)
        tally.append(
            (
                link.label,
                [(status.label, TONES[status], counts[status.value]) for status in LinkStatus],
            )
        )
    return tally
