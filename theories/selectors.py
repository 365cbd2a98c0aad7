import datetime

from django.db.models import Prefetch

from district_plan.models import Measure, MeasureValue
from district_plan.selectors import measure_status
from theories.models import Action, Strand, TheoryOfAction


def theories_with_parts(district, **filters):
    """The district's theories in strand order, with what the pages show of each."""
    return list(
        TheoryOfAction.objects.filter(district=district, **filters)
        .select_related("strand")
        .prefetch_related(
            Prefetch(
                "measures",
                queryset=Measure.objects.order_by("order", "pk").prefetch_related(
                    Prefetch("values", queryset=MeasureValue.objects.order_by("observed_on"))
                ),
            ),
            Prefetch("actions", queryset=Action.objects.order_by("order", "pk")),
            "goals",
            "focus_areas",
        )
        .order_by("strand__order", "strand_id", "order", "pk")
    )


def with_measure_status(theories, today=None):
    today = today or datetime.date.today()
    for theory in theories:
        theory.measure_rows = [
            (measure, measure_status(measure, list(measure.values.all()), today))
            for measure in theory.measures.all()
        ]
    return theories


def theory_card(*, district, pk):
    """One theory with everything its card shows, or None."""
    found = with_measure_status(theories_with_parts(district, pk=pk))
    return found[0] if found else None


def theories_page(*, district, today=None):
    today = today or datetime.date.today()
    strands = list(Strand.objects.filter(district=district).order_by("order", "pk"))
    theories = with_measure_status(theories_with_parts(district), today)
    by_strand = {strand.pk: [] for strand in strands}
    for theory in theories:
        by_strand[theory.strand_id].append(theory)
    for strand in strands:
        strand.theory_list = by_strand[strand.pk]
    return {"strands": strands, "theories": theories, "theory_count": len(theories)}
