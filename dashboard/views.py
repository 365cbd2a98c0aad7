from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from core.csv_export import SafeWriter, csv_response
from core.fragments import cached_fragment
from core.numbers import plain
from core.roles import Capability, can, governs_the_plan
from core.selectors import district_overview
from dashboard.forms import ScorecardFilterForm
from dashboard.scorecard import filter_options, scorecard
from dashboard.selectors import home_scorecard, plan_health
from district_plan.selectors import current_plan, plans_for_district
from visits.selectors import attention

SCORECARD = "dashboard/scorecard.html"


def home(request):
    """What needs attention now, across the plan, the theories and the visits; for those who
    govern the plan, its scorecard first."""
    context = district_overview(district=request.district, membership=request.membership)
    context |= attention(district=request.district, membership=request.membership)
    context["health"] = plan_health(district=request.district)
    if governs_the_plan(request.membership):
        # Kept until the district's records change, as the scorecard page's results are.
        context["scorecard_panel"] = cached_fragment(
            request,
            "dashboard/home.html#scorecard-panel",
            key=("home",),
            context=lambda: {
                "scorecard": home_scorecard(
                    district=request.district, membership=request.membership
                )
            },
        )
    return render(request, "dashboard/home.html", context)


def _filters(request):
    """The current plan and the scorecard's filter form; (None, None) without a plan."""
    plan = current_plan(plans_for_district(request.district))
    if plan is None:
        return None, None
    options = filter_options(district=request.district, plan=plan)
    return plan, ScorecardFilterForm(request.GET or None, options=options)


def _card(request, plan, form, *, chart=True):
    return scorecard(
        district=request.district,
        plan=plan,
        today=timezone.localdate(),
        filters=form.filters(),
        chart=chart,
        sees_small=can(request.membership, Capability.EDIT_PLAN),
        options=form.options,
    )


def _scorecard(request, *, chart=True):
    """The current plan's scorecard with the filters asked for, and its filter form; (None,
    None) without a plan."""
    plan, form = _filters(request)
    if plan is None:
        return None, None
    return _card(request, plan, form, chart=chart), form


def scorecard_page(request):
    """The plan's scorecard; an htmx request from the filters gets its results alone. The
    results are kept, filters by filters, until the district's records change (core.fragments):
    drawing a trend line for every measure is most of the page's time."""
    plan, form = _filters(request)
    results = ""
    if plan is not None:
        form.is_valid()
        query = form.query()
        results = cached_fragment(
            request,
            f"{SCORECARD}#scorecard-results",
            key=(plan.pk, query),
            context=lambda: {"card": _card(request, plan, form), "query": query},
        )
    if request.htmx and request.htmx.target == "scorecard-results":
        return HttpResponse(results)
    return render(request, SCORECARD, {"plan": plan, "filter_form": form, "results": results})


def scorecard_table(request):
    """The scorecard as one plain table, without images: each trend in words."""
    plan, form = _filters(request)
    results, query = "", ""
    if plan is not None:
        form.is_valid()
        query = form.query()
        results = cached_fragment(
            request,
            "dashboard/scorecard_table.html#scorecard-table",
            key=(plan.pk, query),
            context=lambda: {"card": _card(request, plan, form, chart=False)},
        )
    context = {"plan": plan, "filter_form": form, "query": query, "results": results}
    return render(request, "dashboard/scorecard_table.html", context)


def scorecard_export(request):
    """The scorecard as CSV, a row for each measure of each goal the filters keep (a goal
    without measures gets one row of its own)."""
    card, _form = _scorecard(request, chart=False)
    response = csv_response(f"{request.district.slug}-scorecard")
    writer = SafeWriter(response)
    writer.writerow(
        [
            _("Goal"),
            _("Goal status"),
            _("Measure"),
            _("Latest value"),
            _("Date"),
            _("Target"),
            _("Direction"),
            _("Measure status"),
            _("Theories of action"),
            _("Freshness (%)"),
        ]
    )
    for row in card.rows if card else ():
        theories = "; ".join(theory.label for theory in row.theories)
        fresh = row.freshness["percent"]
        fresh = "" if fresh is None else fresh
        for measure in row.measures or [None]:
            if measure is None:
                cells = ["", "", "", "", "", ""]
            else:
                cells = [
                    measure.measure.name,
                    "" if measure.latest is None else plain(measure.latest),
                    "" if measure.latest_on is None else measure.latest_on.isoformat(),
                    plain(measure.target),
                    measure.measure.get_direction_display(),
                    str(measure.status.label),
                ]
            writer.writerow([row.goal.title, row.status_label, *cells, theories, fresh])
    return response
