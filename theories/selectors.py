from django.db.models import Prefetch
from django.utils import timezone

from core.history import events_of, history, link_events, record_events
from district_plan.models import Measure, MeasureValue
from district_plan.selectors import district_coherence, measure_status
from theories import hooks
from theories.models import Action, Strand, TheoryOfAction

LINK_LISTS = {"goals": "goal_list", "focus_areas": "focus_area_list"}


def theories_with_parts(district, *, measures=True, links=("goals", "focus_areas"), **filters):
    """The district's theories in strand order, with what the pages show of each: its
    `action_list`, and a `goal_list` and `focus_area_list` for the `links` asked for.

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
        TheoryOfAction.objects.filter(district=district, **filters)
        .select_related("strand", "origin")
        .prefetch_related(*prefetch)
        .order_by("strand__order", "strand_id", "order", "pk")
    )


def with_measure_status(theories, today=None):
    today = today or timezone.localdate()
    for theory in theories:
        theory.measure_rows = [
            (measure, measure_status(measure, list(measure.values.all()), today))
            for measure in theory.measure_list
        ]
    return theories


def theory_card(*, district, pk):
    """One theory with everything its card shows, or None."""
    found = with_measure_status(theories_with_parts(district, pk=pk))
    if not found:
        return None
    found[0].evidence = hooks.implementation_evidence.ask(district=district, theory_ids=[pk]).get(
        pk
    )
    return found[0]


def theories_page(*, district, today=None):
    """The strands in order with their theories, and the district's coherence panel."""
    today = today or timezone.localdate()
    strands = list(Strand.objects.filter(district=district).order_by("order", "pk"))
    theories = theories_with_parts(district, measures=False)
    context = district_coherence(district=district, theories=theories, today=today)
    statuses = context.pop("statuses")
    evidence = hooks.implementation_evidence.ask(district=district, theory_ids=None)
    by_strand = {strand.pk: [] for strand in strands}
    for theory in theories:
        theory.measure_rows = [(m, statuses[m.pk]) for m in theory.measure_list]
        theory.evidence = evidence.get(theory.pk)
        by_strand[theory.strand_id].append(theory)
    for strand in strands:
        strand.theory_list = by_strand[strand.pk]
    return {"strands": strands, "theories": theories, "theory_count": len(theories), **context}


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
