"""Each report kind is a template plus a function that gathers its data.

Board reports summarize rather than dump rows: WeasyPrint renders a few table-heavy pages a
second, and a board reads a summary.
"""

from collections import defaultdict

from django.db.models import Case, Count, F, Q, When
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from benchmarking.models import DiscoveryAnalysis
from benchmarking.selectors import gap_profile, round_movement
from core.charts import bar_chart, heat_map
from core.colours import colour_distance
from core.history import district_events, history, record_model
from core.models import DistrictLogo
from district_plan.models import CampusPlan
from district_plan.selectors import (
    campus_plan_page,
    campus_plan_summaries,
    current_plan,
    plan_progress,
    plans_for_district,
    results_beyond_cabinet,
)
from meetings.models import Meeting
from meetings.selectors import meeting_page
from reports import services
from reports.executive import executive_summary, last_board_summary
from reports.models import Report
from theories.models import Strand, TheoryOfAction
from theories.selectors import link_tally, theory_chains
from visits.models import ActionItem, Observation, Visit
from visits.selectors import school_year_start, trends

THEORIES_PER_STRAND = 8
# How far apart (core.colours.colour_distance) two chart lines' colours must be to be told apart
# at a glance: the app's two blues, #163a69 and #1f4e8c, are 41 apart (markers and dashes tell
# lines apart anyway).
DISTINCT_SERIES = 60
# How many theories with a link not moving the one-page "at a glance" table names.
THEORIES_AT_A_GLANCE = 12

# Plural names of the records people change, by model name, in the report's language.
RECORD_NAMES = {
    "plan": gettext_lazy("plans"),
    "competency": gettext_lazy("learner profile competencies"),
    "goal": gettext_lazy("goals"),
    "focusarea": gettext_lazy("focus areas"),
    "strategy": gettext_lazy("strategies"),
    "partner": gettext_lazy("partners"),
    "measure": gettext_lazy("measures"),
    "strand": gettext_lazy("strands"),
    "theoryofaction": gettext_lazy("theories of action"),
    "action": gettext_lazy("actions"),
    "actionitem": gettext_lazy("action items"),
    "visit": gettext_lazy("visits"),
    "visitprogram": gettext_lazy("visit programs"),
    "district": gettext_lazy("district settings"),
}


def _since_last_board_summary(report):
    previous = last_board_summary(report)
    return previous.data_as_of if previous else None


def _changes_since(district, since):
    sources = district_events(district)
    if since:
        sources = [events.filter(pgh_created_at__gt=since) for events in sources]
    counts = defaultdict(int)
    for events in sources:
        counts[_record_name(record_model(events.model))] += events.count()
    return {
        "since": since,
        "counts": sorted(((name, n) for name, n in counts.items() if n), key=lambda row: -row[1]),
        "recent": history(sources, limit=12),
    }


def _record_name(model):
    if model._meta.model_name in RECORD_NAMES:
        return str(RECORD_NAMES[model._meta.model_name])
    return str(model._meta.verbose_name_plural)


def _action_items_by_owner(district, today):
    campus_owned = Q(owner=ActionItem.Owner.CAMPUS)
    rows = (
        ActionItem.objects.filter(district=district)
        # A department is one owner across campuses; each campus's leadership team is another.
        .annotate(campus_name=Case(When(campus_owned, then=F("campus__name"))))
        .values("department__name", "campus_name")
        .annotate(
            total=Count("id"),
            done=Count("id", filter=Q(status=ActionItem.Status.DONE)),
            overdue=Count("id", filter=Q(due_date__lt=today) & ~Q(status=ActionItem.Status.DONE)),
        )
        .order_by("-overdue", "department__name", "campus_name")
    )
    owners = []
    for row in rows:
        label = row["department__name"] or _("%(campus)s leadership team") % {
            "campus": row["campus_name"]
        }
        percent = round(100 * row["done"] / row["total"]) if row["total"] else 0
        owners.append(
            {**row, "owner": label, "open": row["total"] - row["done"], "percent": percent}
        )
    return owners


def _tally_cells(chains):
    """One cell a link, naming only the statuses some theory stands at: "Moving: 3; Not yet: 1"."""
    return [
        "; ".join(f"{label}: {count}" for label, _tone, count in counts if count)
        for _link, counts in link_tally(chains)
    ]


def _theories_at_a_glance(district, strands, grouped, today):
    """The theories' links as the theory pages judge them (theories.selectors.theory_chains),
    on one page: how many stand where, strand by strand, and the first theories with a link not
    moving, adopted ones first."""
    theories = [theory for strand in strands for theory in grouped[strand.pk]]
    chains = theory_chains(district=district, theory_ids=[t.pk for t in theories], today=today)
    rows = [
        (strand.name, _tally_cells(chains[t.pk] for t in grouped[strand.pk]))
        for strand in strands
        if grouped[strand.pk]
    ]
    failing = sorted(
        (t for t in theories if any(link.failing for link in chains[t.pk].links)),
        key=lambda t: (t.status != "adopted", t.strand.order, t.strand_id, t.order, t.pk),
    )
    return {
        "rows": rows,
        "total": _tally_cells(chains.values()),
        "failing": [(t, chains[t.pk]) for t in failing[:THEORIES_AT_A_GLANCE]],
        "more_failing": max(0, len(failing) - THEORIES_AT_A_GLANCE),
    }


def brand(district):
    """What every report's cover and headers draw the district with: its colours, and its logo
    as a data: URI (the only images the PDF renderer loads besides the app's static files)."""
    primary, secondary = district.brand_colours
    logo = DistrictLogo.objects.filter(district=district).first()
    return {
        "primary": primary,
        "secondary": secondary,
        "logo": logo.data_uri if logo else None,
    }


def board_summary(report):
    district = report.district
    today = timezone.localdate()
    plans = plans_for_district(district)
    plan = current_plan(plans)
    context = {"district": district, "plan": plan, "today": today}
    if report.meeting_date:
        # Translators: the date of the board meeting on a board summary's cover, as Django's
        # date filter writes it ("12 January 2027"); Spanish: j \d\e F \d\e Y.
        context["meeting_day"] = date_format(report.meeting_date, pgettext("cover date", "j F Y"))
    # The board summary's charts are drawn in the district's brand colours; the second one only
    # when it stands apart from the first, or two lines of a chart would read as one.
    palette = district.brand_colours
    if colour_distance(*palette) < DISTINCT_SERIES:
        palette = palette[:1]
    executive = executive_summary(report=report, plan=plan, today=today)
    services.report_facts_record(report=report, facts=executive.pop("facts"))
    context["executive"] = executive
    if plan is not None:
        page = plan_progress(
            plan=plan, today=today, chart_width=520, chart_height=200, palette=palette
        )
        stale = [m for goal in page["goals"] for m, s in goal.measure_rows if s.needs_update]
        context |= page | {"stale_goal_measures": stale}
        measures = [m for goal in page["goals"] for m in goal.measure_list]
        # The board is not the cabinet and the PDF goes public: small groups are masked.
        found = results_beyond_cabinet(
            district=district, measures=measures, chart_width=520, palette=palette
        )
        context["results"] = [(m, found[m.pk]) for m in measures if m.pk in found]
    strands = list(Strand.objects.filter(district=district).order_by("order", "pk"))
    grouped = defaultdict(list)
    for theory in TheoryOfAction.objects.filter(district=district).select_related("strand"):
        grouped[theory.strand_id].append(theory)
    strand_rows = []
    for strand in strands:
        items = sorted(grouped[strand.pk], key=lambda t: (t.status != "adopted", t.order, t.pk))
        counts = defaultdict(int)
        for theory in items:
            counts[theory.status] += 1
        strand_rows.append(
            {
                "strand": strand,
                "shown": items[:THEORIES_PER_STRAND],
                "more": max(0, len(items) - THEORIES_PER_STRAND),
                "adopted": counts["adopted"],
                "proposed": counts["proposed"],
                "retired": counts["retired"],
            }
        )
    context["strands"] = strand_rows
    context["glance"] = _theories_at_a_glance(district, strands, grouped, today)
    owners = _action_items_by_owner(district, today)
    context["owners"] = owners
    context["owners_chart"] = bar_chart(
        rows=[(o["owner"], o["percent"]) for o in owners[:12]],
        chart_id="owners",
        title=_("Share of action items done, by owner"),
        unit="%",
        colour=palette[0],
    )
    visits = Visit.objects.filter(
        district=district, date__gte=school_year_start(today), date__lte=today
    )
    context["visit_count"] = visits.count()
    context["observation_count"] = Observation.objects.filter(
        visit__in=visits, private=False
    ).count()
    context["recent_visits"] = list(
        visits.filter(status__in=["debriefed", "closed"])
        .select_related("campus")
        .order_by("-date")[:5]
    )
    context["trends"] = trends(district=district, today=today)
    context["changes"] = _changes_since(district, _since_last_board_summary(report))
    context["discovery"] = _discovery_status(district)
    if report.campus_pages:
        context["campus_pages"] = campus_plan_summaries(district=district)
    return "reports/pdf/board_summary.html", context


def visit_report(report):
    visit = (
        Visit.objects.select_related("campus", "program", "district")
        .prefetch_related("departments", "team", "problems")
        .get(pk=report.visit_id)
    )
    observations = list(
        Observation.objects.filter(visit=visit, private=False)
        .prefetch_related("look_fors")
        .order_by("created_at")
    )
    by_kind = defaultdict(int)
    seen = defaultdict(int)
    for observation in observations:
        by_kind[observation.get_kind_display()] += 1
        for look_for in observation.look_fors.all():
            seen[look_for.text] += 1
    return "reports/pdf/visit.html", {
        "district": visit.district,
        "visit": visit,
        "observations": observations,
        "by_kind": sorted(by_kind.items()),
        "seen": sorted(seen.items(), key=lambda kv: -kv[1]),
        "action_items": list(
            visit.action_items.select_related("department", "assignee").order_by("due_date", "pk")
        ),
        "today": timezone.localdate(),
    }


def discovery_report(report):
    analysis = (
        DiscoveryAnalysis.objects.select_related("framework", "district")
        .prefetch_related("team")
        .get(pk=report.analysis_id)
    )
    profile = gap_profile(analysis=analysis)
    top = analysis.framework.levels.count()
    return "reports/pdf/discovery.html", {
        "district": analysis.district,
        "analysis": analysis,
        "profile": profile,
        "heat_map": heat_map(
            rows=profile["rows"][:40],
            columns=[b.name for b in profile["blocks"]],
            chart_id="heat",
            title=_("Average gap to the reference profile, by campus and building block"),
            top=max(top - 1, 1),
        ),
        "more_campuses": max(0, len(profile["rows"]) - 40),
        "findings": list(analysis.findings.prefetch_related("evidence")),
        "recommendations": list(analysis.recommendations.prefetch_related("goals", "theories")),
        "evidence_count": analysis.evidence.count(),
        "movement": round_movement(analysis=analysis),
    }


def campus_plan_report(report):
    campus_plan = CampusPlan.objects.select_related("campus", "district").get(
        pk=report.campus_plan_id
    )
    # No reader: small groups are masked, as for anyone outside the cabinet.
    return "reports/pdf/campus_plan.html", {
        "district": campus_plan.district,
        "campus_plan": campus_plan,
        **campus_plan_page(campus_plan=campus_plan, membership=None),
    }


def meeting_report(report):
    meeting = Meeting.objects.select_related("district").get(pk=report.meeting_id)
    return "reports/pdf/meeting.html", {
        "district": meeting.district,
        "meeting": meeting_page(meeting),
    }


def _discovery_status(district):
    analysis = DiscoveryAnalysis.objects.filter(district=district).order_by("-starts_on").first()
    if analysis is None:
        return None
    profile = gap_profile(analysis=analysis)
    recommendations = list(analysis.recommendations.annotate(pathways=Count("goals")))
    return {
        "analysis": analysis,
        "findings": analysis.findings.count(),
        "recommendations": len(recommendations),
        "with_pathway": sum(1 for r in recommendations if r.pathways),
        "top_gaps": profile["ranked_gaps"][:5],
    }


GATHERERS = {
    Report.Kind.BOARD_SUMMARY: board_summary,
    Report.Kind.VISIT: visit_report,
    Report.Kind.DISCOVERY: discovery_report,
    Report.Kind.CAMPUS_PLAN: campus_plan_report,
    Report.Kind.MEETING: meeting_report,
}
