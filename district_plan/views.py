"""The district plan: its parts edited in place, measures with honest status, adoption."""

import datetime
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from django_htmx.http import reswap, retarget

from core import hooks as core_hooks
from core.charts import measure_chart
from core.csv_export import SafeWriter, csv_response
from core.csv_import import ImportFileError
from core.forms import add_service_errors
from core.fragments import cached_fragment
from core.history import history, record_events
from core.inplace_edit import versioned_edit
from core.models import Campus
from core.numbers import whole_number
from core.roles import Capability, can, forbidden, may_edit_campus_plan, require
from core.tenancy import get_for_district
from core.upload_flow import upload_preview_confirm
from core.versioning import EditConflict
from district_plan import services
from district_plan.documents import (
    CAMPUS_PLAN_SECTIONS,
    campus_plan_document,
    document_diff,
    labelled,
    plan_document,
    public_document,
    translation_count,
)
from district_plan.forms import (
    AdoptForm,
    ApproveCampusPlanForm,
    CampusGoalForm,
    CampusPlanFilterForm,
    CampusPlanForm,
    CampusStrategyForm,
    CompetencyForm,
    FocusAreaForm,
    GoalForm,
    GoalTableConfirmForm,
    GoalTableUploadForm,
    MeasureForm,
    MeasureValueCorrectionForm,
    MeasureValueForm,
    MeasureValuesConfirmForm,
    MeasureValuesUploadForm,
    PartnerForm,
    PerformanceObjectiveForm,
    PlanForm,
    ResultColumnsForm,
    ResultsConfirmForm,
    ResultsUploadForm,
    StrategyForm,
)
from district_plan.goal_table import plan_goals_import
from district_plan.measure_csv import export_rows, plan_values_import
from district_plan.models import (
    CampusGoal,
    CampusPlan,
    CampusPlanSnapshot,
    CampusStrategy,
    Competency,
    FocusArea,
    Goal,
    Measure,
    MeasureValue,
    Partner,
    PerformanceObjective,
    Plan,
    PlanSnapshot,
    Strategy,
)
from district_plan.result_csv import plan_results_import
from district_plan.selectors import (
    GAP_KINDS,
    campus_plan_history,
    campus_plan_list,
    campus_plan_page,
    campus_plans_of,
    comparable_campuses,
    current_plan,
    district_gaps,
    gap_list,
    measure_history,
    measure_results,
    measure_status,
    plan_gaps,
    plan_history,
    plan_page,
    plans_for_district,
    result_column_options,
)

PAGE = "district_plan/index.html"


@dataclass(frozen=True)
class Part:
    model: type
    form: type
    parent: str
    label: str


PARTS = {
    "competency": Part(Competency, CompetencyForm, "plan", _("learner profile competency")),
    "goal": Part(Goal, GoalForm, "plan", _("goal")),
    "focus-area": Part(FocusArea, FocusAreaForm, "plan", _("focus area")),
    "strategy": Part(Strategy, StrategyForm, "focus_area", _("strategy")),
    "partner": Part(Partner, PartnerForm, "plan", _("partner")),
}


def _plan_url(request, plan, anchor=""):
    url = reverse("plan:plan", args=[request.district.slug, plan.pk])
    return f"{url}#{anchor}" if anchor else url


def _body_context(request, plan):
    """What the plan's body (vision, learner profile, goals with their measures, focus areas,
    partners) shows; only computed when its cached copy is stale (_plan_body_html)."""
    context = plan_page(plan=plan)
    for goal in context["goals"]:
        goal.measure_rows = [
            (m, s, measure_chart(measure=m, values=list(m.values.all()), chart_id=f"chart-{m.pk}"))
            for m, s in goal.measure_rows
        ]
    translated, total = translation_count(public_document(plan, page=context), "es")
    return context | {
        "plan_url": reverse("plan:index", args=[request.district.slug]),
        "spanish": {"translated": translated, "total": total},
    }


def _plan_body_html(request, plan):
    """The plan's body, rendered once per change of the district (core.fragments): dozens of
    measure charts and the controls of every part are most of the page's work."""
    return cached_fragment(
        request,
        f"{PAGE}#plan-body",
        key=[plan.pk],
        context=lambda: _body_context(request, plan),
    )


def _plan_context(request, plan, plans):
    gaps = plan_gaps(
        district=request.district, plan=plan, current=current_plan(plans).pk == plan.pk
    )
    return {
        "plan": plan,
        "plans": plans,
        "plan_url": reverse("plan:index", args=[request.district.slug]),
        "plan_body": _plan_body_html(request, plan),
        "gaps": gaps,
        "freshness": gaps.freshness,
        "adopt_form": AdoptForm(initial={"version": plan.version}),
    }


def _plan_body(request, plan):
    response = HttpResponse(_plan_body_html(request, plan))
    return reswap(retarget(response, "#plan-body"), "outerHTML")


def index(request):
    plans = plans_for_district(request.district)
    plan = current_plan(plans)
    if plan is None:
        return render(request, PAGE, {"plan": None, "plans": plans})
    return render(request, PAGE, _plan_context(request, plan, plans))


def _listed_plan(plans, plan_pk):
    plan = next((p for p in plans if p.pk == plan_pk), None)
    if plan is None:
        raise Http404("No such plan in this district.")
    return plan


def plan(request, plan_pk):
    plans = plans_for_district(request.district)
    return render(request, PAGE, _plan_context(request, _listed_plan(plans, plan_pk), plans))


def gaps(request, gap):
    """One kind of the district's gaps (the theories page's panel) listed."""
    plans = plans_for_district(request.district)
    plan = current_plan(plans)
    return _gaps_page(
        request,
        gap=gap,
        plan=plan,
        gaps=district_gaps(district=request.district, plans=plans),
        scope={"own": False, "current": True},
        back=(reverse("theories:index", args=[request.district.slug]), _("Theories of action")),
    )


def plan_gaps_page(request, plan_pk, gap):
    """One kind of the plan's own gaps (the plan page's panel) listed."""
    plans = plans_for_district(request.district)
    plan = _listed_plan(plans, plan_pk)
    current = current_plan(plans).pk == plan.pk
    return _gaps_page(
        request,
        gap=gap,
        plan=plan,
        gaps=plan_gaps(district=request.district, plan=plan, current=current),
        scope={"own": True, "current": current},
        back=(_plan_url(request, plan), plan.title),
    )


def _gaps_page(request, *, gap, plan, gaps, scope, back):
    """The panel's list of one kind: the fragment for htmx (the panel opens it in place), else
    the panel on a page of its own with that list open."""
    slug = request.district.slug
    context = {
        "gap": gap,
        "gap_label": GAP_KINDS[gap],
        "gap_entries": gap_list(district=request.district, plan=plan, kind=gap, **scope),
        "gap_urls": {
            "plan": reverse("plan:index", args=[slug]),
            "theories": reverse("theories:index", args=[slug]),
        },
    }
    if request.htmx:
        return render(request, "district_plan/coherence_panel.html#gap-list", context)
    context |= {"plan": plan, "gaps": gaps, "back_url": back[0], "back_label": back[1]}
    return render(request, "district_plan/gaps.html", context)


@require(Capability.EDIT_PLAN)
def plan_create(request):
    form = PlanForm(request.POST or None, district=request.district)
    if request.method == "POST" and form.is_valid():
        plan = services.plan_create(
            district=request.district, user=request.user, **form.model_data()
        )
        messages.success(request, gettext("Plan created. Add its vision, goals and focus areas."))
        return redirect(_plan_url(request, plan))
    return render(request, "district_plan/plan_form.html", {"form": form})


@require(Capability.EDIT_PLAN)
def plan_edit(request, plan_pk):
    plan = get_for_district(request, Plan, pk=plan_pk)
    return versioned_edit(
        request,
        instance=plan,
        form_class=PlanForm,
        form_kwargs={"district": request.district},
        save=lambda form, **edit: services.plan_update(plan=plan, data=form.model_data(), **edit),
        template="district_plan/plan_form.html",
        partial=f"{PAGE}#plan-form",
        context={"plan": plan},
        saved_fragment=lambda saved: _plan_body(request, saved),
        message=gettext("Plan saved."),
        success_url=lambda saved: _plan_url(request, saved),
    )


@require(Capability.EDIT_PLAN)
@require_POST
def plan_adopt(request, plan_pk):
    plan = get_for_district(request, Plan, pk=plan_pk)
    form = AdoptForm(request.POST)
    if form.is_valid():
        try:
            services.plan_adopt(
                plan=plan,
                expected_version=form.cleaned_data["version"],
                user=request.user,
                adopted_on=form.cleaned_data["adopted_on"],
            )
        except EditConflict:
            messages.error(
                request,
                gettext("The plan changed while you were adopting it; check it and adopt again."),
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request, gettext("Plan adopted. The plan as adopted is kept for comparison.")
            )
    else:
        messages.error(request, gettext("Give the date the board adopted the plan."))
    return redirect(_plan_url(request, plan))


def _plan_version(request):
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return None


@require(Capability.MANAGE_DISTRICT)
def plan_archive(request, plan_pk):
    """Archiving takes the plan off the public page, so the admin confirms it first."""
    plan = get_for_district(request, Plan, pk=plan_pk)
    if request.method != "POST":
        return render(request, "district_plan/confirm_archive.html", {"plan": plan})
    try:
        services.plan_archive(plan=plan, expected_version=_plan_version(request), user=request.user)
    except EditConflict:
        messages.error(request, gettext("The plan changed meanwhile; check it and try again."))
    else:
        messages.success(request, gettext("Plan archived."))
    return redirect(_plan_url(request, plan))


@require(Capability.MANAGE_DISTRICT)
@require_POST
def plan_unarchive(request, plan_pk):
    plan = get_for_district(request, Plan, pk=plan_pk)
    try:
        plan = services.plan_unarchive(
            plan=plan, expected_version=_plan_version(request), user=request.user
        )
    except EditConflict:
        messages.error(request, gettext("The plan changed meanwhile; check it and try again."))
    else:
        messages.success(
            request,
            gettext("Plan restored: it is %(status)s again.")
            % {"status": plan.get_status_display().lower()},
        )
    return redirect(_plan_url(request, plan))


def plan_history_page(request, plan_pk):
    plan = get_for_district(request, Plan, pk=plan_pk)
    return render(
        request,
        "core/history.html",
        {
            "object": plan,
            "entries": plan_history(plan),
            "several_records": True,
            "back_url": _plan_url(request, plan),
        },
    )


def plan_compare(request, plan_pk, snapshot_pk):
    plan = get_for_district(request, Plan, pk=plan_pk)
    snapshot = get_for_district(request, PlanSnapshot.objects.filter(plan=plan), pk=snapshot_pk)
    sections = labelled(document_diff(snapshot.data, plan_document(plan)))
    return render(
        request,
        "district_plan/compare.html",
        {"plan": plan, "snapshot": snapshot, "sections": sections, "adopted": snapshot.data},
    )


# Parts of a plan: learner profile competencies, goals, focus areas, strategies, partners


def _part_or_404(kind):
    try:
        return PARTS[kind]
    except KeyError:
        raise Http404("No such part of a plan.") from None


def _part_form_kwargs(part, request, plan):
    kwargs = {"district": request.district}
    if part.model is Partner:
        kwargs["plan"] = plan
    return kwargs


def _plan_of(item):
    return item.focus_area.plan if isinstance(item, Strategy) else item.plan


@require(Capability.EDIT_PLAN)
def part_create(request, kind):
    part = _part_or_404(kind)
    parent_id = request.GET.get(part.parent) or request.POST.get(part.parent)
    if whole_number(parent_id) is None:
        raise Http404("Say which plan or focus area this belongs to.")
    parent_model = Plan if part.parent == "plan" else FocusArea
    parent = get_for_district(request, parent_model, pk=parent_id)
    plan = parent if part.parent == "plan" else parent.plan
    form = part.form(request.POST or None, **_part_form_kwargs(part, request, plan))
    setattr(form.instance, part.parent, parent)
    context = {"form": form, "part": part, "kind": kind, "parent": parent, "plan": plan}
    context["back_url"] = _plan_url(request, plan)  # Cancel, as on the edit form
    if request.method == "POST" and form.is_valid():
        item = form.save(commit=False)
        services.part_create(instance=item, user=request.user, m2m=form.m2m_data() or None)
        if request.htmx:
            return _plan_body(request, plan)
        messages.success(request, gettext("%(part)s added.") % {"part": part.label.capitalize()})
        return redirect(_plan_url(request, plan, f"{kind}-{item.pk}"))
    template = f"{PAGE}#part-form" if request.htmx else "district_plan/part_form.html"
    return render(request, template, context)


@require(Capability.EDIT_PLAN)
def part_edit(request, kind, part_pk):
    part = _part_or_404(kind)
    item = get_for_district(request, part.model, pk=part_pk)
    plan = _plan_of(item)
    return versioned_edit(
        request,
        instance=item,
        form_class=part.form,
        form_kwargs=_part_form_kwargs(part, request, plan),
        save=lambda form, **edit: services.part_update(
            instance=item, data=form.model_data(), m2m=form.m2m_data() or None, **edit
        ),
        template="district_plan/part_form.html",
        partial=f"{PAGE}#part-form",
        context={"part": part, "kind": kind, "item": item, "plan": plan},
        saved_fragment=lambda saved: _plan_body(request, plan),
        message=gettext("%(part)s saved.") % {"part": part.label.capitalize()},
        success_url=lambda saved: _plan_url(request, plan, f"{kind}-{saved.pk}"),
    )


@require(Capability.EDIT_PLAN)
def part_delete(request, kind, part_pk):
    part = _part_or_404(kind)
    item = get_for_district(request, part.model, pk=part_pk)
    plan = _plan_of(item)
    if request.method != "POST":
        return render(
            request,
            "district_plan/confirm_delete.html",
            {"object": item, "kind": part.label, "back_url": _plan_url(request, plan)},
        )
    services.part_delete(instance=item, user=request.user)
    if request.htmx:
        return _plan_body(request, plan)
    messages.success(request, gettext("%(part)s deleted.") % {"part": part.label.capitalize()})
    return redirect(_plan_url(request, plan))


def _offset(request):
    """How many places a move asks for (a negative number moves up), within bounds."""
    try:
        return max(-1000, min(1000, int(request.POST.get("offset", "0"))))
    except ValueError:
        return 0


@require(Capability.EDIT_PLAN)
@require_POST
def part_move(request, kind, part_pk):
    part = _part_or_404(kind)
    item = get_for_district(request, part.model, pk=part_pk)
    services.part_move(instance=item, offset=_offset(request), user=request.user)
    plan = _plan_of(item)
    if request.htmx:
        return _plan_body(request, plan)
    return redirect(_plan_url(request, plan, f"{kind}-{item.pk}"))


def part_history(request, kind, part_pk):
    part = _part_or_404(kind)
    item = get_for_district(request, part.model, pk=part_pk)
    return render(
        request,
        "core/history.html",
        {
            "object": item,
            "entries": history([record_events(item)]),
            "back_url": _plan_url(request, _plan_of(item), f"{kind}-{item.pk}"),
        },
    )


# Measures


def _measure_owner_url(request, measure):
    if measure.goal_id:
        return _plan_url(request, measure.goal.plan, f"measure-{measure.pk}")
    url = reverse("theories:index", args=[request.district.slug])
    return f"{url}#theory-{measure.theory_id}"


# How many alike campuses a campus's comparison page lists.
COMPARISON_ALIKE = 15


def comparable(request, campus_pk):
    """A campus beside the campuses most like it, on every measure with campus results."""
    campus = get_for_district(request, Campus.objects.select_related("district"), pk=campus_pk)
    comparison = comparable_campuses(
        campus=campus, membership=request.membership, limit=COMPARISON_ALIKE, goal_measures=False
    )
    return render(request, "district_plan/comparable.html", {"data": comparison})


def measure(request, measure_pk):
    measure = get_for_district(
        request, Measure.objects.select_related("goal__plan", "theory__strand"), pk=measure_pk
    )
    values = list(MeasureValue.objects.filter(measure=measure).select_related("recorded_by"))
    form = MeasureValueForm(
        request.POST or None, instance=MeasureValue(measure=measure, district=request.district)
    )
    replacing = None
    if request.method == "POST":
        if not _may_edit(request):
            return forbidden(request, gettext("edit the plan"))
        if form.is_valid():
            try:
                services.measure_value_record(
                    measure=measure, user=request.user, **form.cleaned_data
                )
            except services.ValueAlreadyRecorded as taken:
                replacing = {"existing": taken.existing, "new": form.cleaned_data}
            else:
                messages.success(request, gettext("Value recorded."))
                return redirect("plan:measure", request.district.slug, measure.pk)
    return render(
        request,
        "district_plan/measure.html",
        {
            "replacing": replacing,
            "measure": measure,
            "values": values,
            "status": measure_status(measure, values),
            "chart": measure_chart(measure=measure, values=values, chart_id="measure-chart"),
            "value_form": form,
            "back_url": _measure_owner_url(request, measure),
            "results_html": cached_fragment(
                request,
                "district_plan/measure.html#measure-results",
                key=[measure.pk],
                context=lambda: {
                    "results": measure_results(
                        measure=measure, district=request.district, membership=request.membership
                    )
                },
            ),
        },
    )


@require(Capability.EDIT_PLAN)
def measure_value_edit(request, value_pk):
    entry = get_for_district(request, MeasureValue.objects.select_related("measure"), pk=value_pk)
    form = MeasureValueCorrectionForm(request.POST or None, instance=entry)
    if request.method == "POST" and form.is_valid():
        services.measure_value_correct(entry=entry, user=request.user, **form.cleaned_data)
        messages.success(request, gettext("Value corrected."))
        return redirect("plan:measure", request.district.slug, entry.measure_id)
    return render(request, "district_plan/measure_value_form.html", {"form": form, "entry": entry})


@require(Capability.EDIT_PLAN)
def measure_value_delete(request, value_pk):
    entry = get_for_district(request, MeasureValue.objects.select_related("measure"), pk=value_pk)
    back_url = reverse("plan:measure", args=[request.district.slug, entry.measure_id])
    if request.method != "POST":
        return render(
            request,
            "district_plan/confirm_delete.html",
            {"object": entry, "kind": gettext("value"), "back_url": back_url},
        )
    services.measure_value_delete(entry=entry, user=request.user)
    messages.success(request, gettext("Value deleted."))
    return redirect(back_url)


def _may_edit(request):
    return can(request.membership, Capability.EDIT_PLAN)


@require(Capability.EDIT_PLAN)
def measure_create(request):
    owner = {}
    if whole_number(request.GET.get("goal")) is not None:
        owner["goal"] = get_for_district(request, Goal, pk=request.GET["goal"])
    elif whole_number(request.GET.get("theory")) is not None:
        # The theory model, through the field that lets a measure belong to one.
        theories = Measure._meta.get_field("theory").related_model
        owner["theory"] = get_for_district(request, theories, pk=request.GET["theory"])
    else:
        raise Http404("Say which goal or theory this measure belongs to.")
    form = MeasureForm(request.POST or None, district=request.district)
    for name, value in owner.items():
        setattr(form.instance, name, value)
    if request.method == "POST" and form.is_valid():
        measure = form.save(commit=False)
        services.part_create(instance=measure, user=request.user)
        messages.success(request, gettext("Measure added."))
        return redirect(_measure_owner_url(request, measure))
    return render(request, "district_plan/measure_form.html", {"form": form, **owner})


@require(Capability.EDIT_PLAN)
def measure_edit(request, measure_pk):
    measure = get_for_district(request, Measure, pk=measure_pk)
    return versioned_edit(
        request,
        instance=measure,
        form_class=MeasureForm,
        form_kwargs={"district": request.district},
        save=lambda form, **edit: services.part_update(
            instance=measure, data=form.model_data(), **edit
        ),
        template="district_plan/measure_form.html",
        context={"measure": measure},
        message=gettext("Measure saved."),
        success_url=lambda saved: reverse("plan:measure", args=[request.district.slug, saved.pk]),
    )


@require(Capability.EDIT_PLAN)
def measure_delete(request, measure_pk):
    measure = get_for_district(request, Measure.objects.select_related("goal__plan"), pk=measure_pk)
    back_url = _measure_owner_url(request, measure)
    if request.method != "POST":
        return render(
            request,
            "district_plan/confirm_delete.html",
            {"object": measure, "kind": gettext("measure"), "back_url": back_url},
        )
    services.part_delete(instance=measure, user=request.user)
    messages.success(request, gettext("Measure deleted."))
    return redirect(back_url)


def measure_history_page(request, measure_pk):
    measure = get_for_district(request, Measure, pk=measure_pk)
    return render(
        request,
        "core/history.html",
        {
            "object": measure,
            "entries": measure_history(measure),
            "several_records": True,
            "back_url": reverse("plan:measure", args=[request.district.slug, measure.pk]),
        },
    )


def measures_export(request):
    response = csv_response(f"{request.district.slug}-measures")
    writer = SafeWriter(response)
    for row in export_rows(request.district):
        writer.writerow(row)
    return response


@require(Capability.EDIT_PLAN)
def results_import(request):
    """Results by campus and student group: upload → dry run showing every change, every new
    student group, every rejected row and, for a wide file, how each column is read, which the
    person may change and check again → confirm. The token carries the file, the year and the
    columns as previewed, so what is written is what was shown."""
    district = request.district
    if request.method == "POST" and "token" in request.POST:
        confirming = ResultsConfirmForm(request.POST, district=district)
        if not confirming.is_valid():
            return _results_upload_page(request, confirm_errors=confirming.errors["token"])
        text = confirming.cleaned_data["token"]
        year = confirming.payload.get("year")
        year = year and datetime.date.fromisoformat(year)
        chosen = confirming.payload.get("columns") or {}
        try:
            if "check" in request.POST:
                return _results_preview(
                    request, text=text, year=year, chosen=chosen, data=request.POST
                )
            result = services.measure_results_apply(
                district=district, user=request.user, text=text, year=year, columns=chosen
            )
        except ImportFileError as exc:
            return _results_upload_page(request, confirm_errors=[str(exc)])
        message = (
            gettext(
                "Results imported: %(create)s added, %(update)s changed, %(unchanged)s "
                "unchanged, %(reject)s rejected."
            )
            % result.counts
        )
        if result.enrollments:
            counted = gettext(
                "Student counts: %(create)s added, %(update)s changed, %(unchanged)s "
                "unchanged, %(reject)s rejected."
            )
            message = f"{message} {counted % result.enrollment_counts}"
        messages.success(request, message)
        return redirect("plan:index", district.slug)
    form = ResultsUploadForm(request.POST, request.FILES) if request.method == "POST" else None
    if form is not None and form.is_valid():
        try:
            return _results_preview(
                request, text=form.cleaned_data["file"], year=form.cleaned_data["year"], chosen={}
            )
        except ImportFileError as exc:
            form.add_error(exc.field, str(exc))
    return _results_upload_page(request, form=form)


def _results_upload_page(request, *, form=None, confirm_errors=()):
    return render(
        request,
        "district_plan/results_import.html",
        {"form": form or ResultsUploadForm(), "confirm_errors": confirm_errors},
    )


def _results_preview(request, *, text, year, chosen, data=None):
    """The dry run; `data`, the columns form as posted, changes how the columns are read when
    it is valid and is shown again with its errors when it is not."""
    district = request.district
    plan = plan_results_import(district, text, year=year, columns=chosen)
    columns_form = None
    if plan.shape == "wide":
        options = result_column_options(district=district, plan=plan)
        columns_form = ResultColumnsForm(data, columns=plan.columns, **options)
        if data is not None and columns_form.is_valid():
            chosen = columns_form.choices(chosen)
            plan = plan_results_import(district, text, year=year, columns=chosen)
            columns_form = ResultColumnsForm(columns=plan.columns, **options)
    token = ResultsConfirmForm.sign(
        district=district, text=text, year=year and year.isoformat(), columns=chosen
    )
    return render(
        request,
        "district_plan/results_import_preview.html",
        {
            "plan": plan,
            "confirm_form": ResultsConfirmForm(initial={"token": token}, district=district),
            "columns_form": columns_form,
            "year": year,
        },
    )


@require(Capability.EDIT_PLAN)
def measures_import(request):
    """Upload → dry run showing every change and every rejected row → confirm."""

    def done(result):
        messages.success(
            request,
            gettext(
                "Measure values updated: %(create)s added, %(update)s changed, "
                "%(unchanged)s unchanged, %(reject)s rejected."
            )
            % result.counts,
        )
        return redirect("plan:index", request.district.slug)

    return upload_preview_confirm(
        request,
        upload_form=MeasureValuesUploadForm,
        confirm_form=MeasureValuesConfirmForm,
        plan=lambda text: plan_values_import(request.district, text),
        apply=lambda text: services.measure_values_apply(
            district=request.district, user=request.user, text=text
        ),
        template="district_plan/measures_import.html",
        preview_template="district_plan/measures_import_preview.html",
        done=done,
    )


@require(Capability.EDIT_PLAN)
def goals_import(request, plan_pk):
    """A plan's goals and measures from the table the district keeps them in: upload or paste →
    dry run showing every goal and measure to add and every rejected row → confirm."""
    plan = get_for_district(request, Plan, pk=plan_pk)

    def done(preview):
        messages.success(
            request,
            gettext(
                "Goals imported: %(create)s measures added, %(unchanged)s already there, "
                "%(reject)s rejected."
            )
            % preview.counts,
        )
        return redirect(_plan_url(request, plan, "goals"))

    return upload_preview_confirm(
        request,
        upload_form=GoalTableUploadForm,
        confirm_form=GoalTableConfirmForm.for_plan(plan),
        plan=lambda text: plan_goals_import(plan, text),
        apply=lambda text: services.goals_import_apply(plan=plan, user=request.user, text=text),
        template="district_plan/goals_import.html",
        preview_template="district_plan/goals_import_preview.html",
        done=done,
        context={"target_plan": plan},
    )


# Campus plans: written by the campus (its leaders, or the cabinet), approved by the cabinet.


def _campus_plan_url(request, campus_plan, anchor=""):
    url = reverse("plan:campus_plan", args=[request.district.slug, campus_plan.pk])
    return f"{url}#{anchor}" if anchor else url


def _campus_plan_context(request, campus_plan):
    return {
        "campus_plan": campus_plan,
        "may_edit_campus_plan": may_edit_campus_plan(request.membership, campus_plan),
        "plan_url": reverse("plan:index", args=[request.district.slug]),
        **campus_plan_page(campus_plan=campus_plan, membership=request.membership),
    }


def _campus_plan_body(request, campus_plan):
    response = render(
        request,
        "district_plan/campus_plan.html#plan-body",
        _campus_plan_context(request, campus_plan),
    )
    return reswap(retarget(response, "#plan-body"), "outerHTML")


def _campus_plan_for_editor(request, pk):
    """The campus plan, if this member may edit it: 404 outside the district, else the page
    that says what their role may not do."""
    campus_plan = get_for_district(
        request, CampusPlan.objects.select_related("campus", "district"), pk=pk
    )
    if not may_edit_campus_plan(request.membership, campus_plan):
        return campus_plan, forbidden(request, gettext("edit this campus's plan"))
    return campus_plan, None


def campus_plans(request):
    """Every campus plan of the district, by campus: what the cabinet approves from."""
    form = CampusPlanFilterForm(request.GET or None)
    status = form.cleaned_data["status"] if form.is_valid() else ""
    plans = list(campus_plan_list(district=request.district, status=status or None))
    return render(
        request,
        "district_plan/campus_plans.html",
        {"campus_plans": plans, "filter_form": form},
    )


@require(Capability.EDIT_CAMPUS_PLANS)
def campus_plan_create(request):
    campus_pk = whole_number(request.GET.get("campus") or request.POST.get("campus"))
    if campus_pk is None:
        raise Http404("Say which campus the plan is for.")
    campus = get_for_district(request, Campus, pk=campus_pk)
    if not may_edit_campus_plan(
        request.membership, CampusPlan(district_id=campus.district_id, campus=campus)
    ):
        return forbidden(request, gettext("edit this campus's plan"))
    this_year = timezone.localdate().year
    form = CampusPlanForm(
        request.POST or None,
        district=request.district,
        campus=campus,
        initial={"start_year": this_year, "end_year": this_year + 2},
    )
    if request.method == "POST" and form.is_valid():
        try:
            campus_plan = services.campus_plan_create(
                campus=campus,
                user=request.user,
                theories=form.cleaned_data["theories"],
                **{k: v for k, v in form.model_data().items() if k != "theories"},
            )
        except ValidationError as refusal:
            add_service_errors(form, refusal)
        else:
            messages.success(
                request, gettext("Campus plan started. Add its goals, objectives and strategies.")
            )
            return redirect(_campus_plan_url(request, campus_plan))
    return render(request, "district_plan/campus_plan_form.html", {"form": form, "campus": campus})


def campus_plan(request, campus_plan_pk):
    campus_plan = get_for_district(
        request, CampusPlan.objects.select_related("campus", "district"), pk=campus_plan_pk
    )
    context = _campus_plan_context(request, campus_plan)
    decided = core_hooks.decisions_about.ask(
        district_id=request.district.pk, about={"campus_plan": [campus_plan.pk]}
    )
    context |= {
        "decided": decided.get(("campus_plan", campus_plan.pk), ()),
        "other_plans": [p for p in campus_plans_of(campus_plan.campus) if p.pk != campus_plan.pk],
        "approve_form": ApproveCampusPlanForm(initial={"version": campus_plan.version}),
    }
    return render(request, "district_plan/campus_plan.html", context)


@require(Capability.EDIT_CAMPUS_PLANS)
def campus_plan_edit(request, campus_plan_pk):
    campus_plan, refused = _campus_plan_for_editor(request, campus_plan_pk)
    if refused:
        return refused
    return versioned_edit(
        request,
        instance=campus_plan,
        form_class=CampusPlanForm,
        form_kwargs={"district": request.district},
        save=lambda form, **edit: services.campus_plan_update(
            campus_plan=campus_plan, data=form.model_data(), m2m=form.m2m_data(), **edit
        ),
        template="district_plan/campus_plan_form.html",
        partial="district_plan/campus_plan.html#campus-plan-form",
        context={"campus_plan": campus_plan, "campus": campus_plan.campus},
        saved_fragment=lambda saved: _campus_plan_body(request, saved),
        message=gettext("Campus plan saved."),
        success_url=lambda saved: _campus_plan_url(request, saved),
    )


@require(Capability.EDIT_PLAN)
@require_POST
def campus_plan_approve(request, campus_plan_pk):
    campus_plan = get_for_district(request, CampusPlan, pk=campus_plan_pk)
    form = ApproveCampusPlanForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("Give the date the district approved the plan."))
    elif campus_plan.status == CampusPlan.Status.ARCHIVED:
        messages.error(request, gettext("Restore the plan before approving it."))
    else:
        try:
            services.campus_plan_approve(
                campus_plan=campus_plan,
                expected_version=form.cleaned_data["version"],
                user=request.user,
                approved_on=form.cleaned_data["approved_on"],
            )
        except EditConflict:
            messages.error(
                request,
                gettext(
                    "The plan changed while you were approving it; check it and approve again."
                ),
            )
        except ValidationError as refusal:
            messages.error(request, " ".join(refusal.messages))
        else:
            messages.success(
                request,
                gettext("Campus plan approved. The plan as approved is kept for comparison."),
            )
    return redirect(_campus_plan_url(request, campus_plan))


@require(Capability.EDIT_PLAN)
def campus_plan_archive(request, campus_plan_pk):
    campus_plan = get_for_district(
        request, CampusPlan.objects.select_related("campus"), pk=campus_plan_pk
    )
    if request.method != "POST":
        return render(
            request, "district_plan/confirm_campus_plan_archive.html", {"campus_plan": campus_plan}
        )
    try:
        services.campus_plan_archive(
            campus_plan=campus_plan, expected_version=_plan_version(request), user=request.user
        )
    except EditConflict:
        messages.error(request, gettext("The plan changed meanwhile; check it and try again."))
    else:
        messages.success(request, gettext("Campus plan archived."))
    return redirect(_campus_plan_url(request, campus_plan))


@require(Capability.EDIT_PLAN)
@require_POST
def campus_plan_unarchive(request, campus_plan_pk):
    campus_plan = get_for_district(request, CampusPlan, pk=campus_plan_pk)
    try:
        campus_plan = services.campus_plan_unarchive(
            campus_plan=campus_plan, expected_version=_plan_version(request), user=request.user
        )
    except EditConflict:
        messages.error(request, gettext("The plan changed meanwhile; check it and try again."))
    else:
        messages.success(
            request,
            gettext("Campus plan restored: it is %(status)s again.")
            % {"status": campus_plan.get_status_display().lower()},
        )
    return redirect(_campus_plan_url(request, campus_plan))


def campus_plan_history_page(request, campus_plan_pk):
    campus_plan = get_for_district(request, CampusPlan, pk=campus_plan_pk)
    return render(
        request,
        "core/history.html",
        {
            "object": campus_plan,
            "entries": campus_plan_history(campus_plan),
            "several_records": True,
            "back_url": _campus_plan_url(request, campus_plan),
        },
    )


def campus_plan_compare(request, campus_plan_pk, campus_snapshot_pk):
    campus_plan = get_for_district(
        request, CampusPlan.objects.select_related("campus"), pk=campus_plan_pk
    )
    snapshot = get_for_district(
        request, CampusPlanSnapshot.objects.filter(campus_plan=campus_plan), pk=campus_snapshot_pk
    )
    now = campus_plan_document(campus_plan)
    sections = labelled(document_diff(snapshot.data, now, names=CAMPUS_PLAN_SECTIONS))
    return render(
        request,
        "district_plan/campus_plan_compare.html",
        {"campus_plan": campus_plan, "snapshot": snapshot, "sections": sections},
    )


# The parts of a campus plan, edited in place like the district plan's.


@dataclass(frozen=True)
class CampusPart:
    model: type
    form: type
    parent: str
    label: str


CAMPUS_PARTS = {
    "campus-goal": CampusPart(CampusGoal, CampusGoalForm, "campus_plan", _("campus goal")),
    "objective": CampusPart(
        PerformanceObjective, PerformanceObjectiveForm, "campus_goal", _("performance objective")
    ),
    "campus-strategy": CampusPart(
        CampusStrategy, CampusStrategyForm, "campus_plan", _("campus strategy")
    ),
}


def _campus_part_or_404(kind):
    try:
        return CAMPUS_PARTS[kind]
    except KeyError:
        raise Http404("No such part of a campus plan.") from None


def _campus_plan_of(item):
    if isinstance(item, PerformanceObjective):
        return item.campus_goal.campus_plan
    return item.campus_plan


def _campus_part_kwargs(part, request, campus_plan):
    kwargs = {"district": request.district}
    if part.model is CampusStrategy:
        kwargs["campus_plan"] = campus_plan
    return kwargs


def _campus_part_for_editor(request, kind, pk):
    part = _campus_part_or_404(kind)
    item = get_for_district(request, part.model, pk=pk)
    campus_plan = _campus_plan_of(item)
    refused = None
    if not may_edit_campus_plan(request.membership, campus_plan):
        refused = forbidden(request, gettext("edit this campus's plan"))
    return part, item, campus_plan, refused


@require(Capability.EDIT_CAMPUS_PLANS)
def campus_part_create(request, kind):
    part = _campus_part_or_404(kind)
    parent_id = whole_number(request.GET.get(part.parent) or request.POST.get(part.parent))
    if parent_id is None:
        raise Http404("Say which campus plan or goal this belongs to.")
    parent_model = CampusPlan if part.parent == "campus_plan" else CampusGoal
    parent = get_for_district(request, parent_model, pk=parent_id)
    campus_plan = parent if part.parent == "campus_plan" else parent.campus_plan
    if not may_edit_campus_plan(request.membership, campus_plan):
        return forbidden(request, gettext("edit this campus's plan"))
    form = part.form(request.POST or None, **_campus_part_kwargs(part, request, campus_plan))
    setattr(form.instance, part.parent, parent)
    if request.method == "POST" and form.is_valid():
        # The validated form has filled its record; the service saves it, with history.
        item = form.instance
        services.part_create(instance=item, user=request.user)
        if request.htmx:
            return _campus_plan_body(request, campus_plan)
        messages.success(request, gettext("%(part)s added.") % {"part": part.label.capitalize()})
        return redirect(_campus_plan_url(request, campus_plan, f"{kind}-{item.pk}"))
    context = {
        "form": form,
        "part": part,
        "kind": kind,
        "parent": parent,
        "campus_plan": campus_plan,
        "back_url": _campus_plan_url(request, campus_plan),
    }
    template = (
        "district_plan/campus_plan.html#part-form"
        if request.htmx
        else "district_plan/campus_part_form.html"
    )
    return render(request, template, context)


@require(Capability.EDIT_CAMPUS_PLANS)
def campus_part_edit(request, kind, campus_part_pk):
    part, item, campus_plan, refused = _campus_part_for_editor(request, kind, campus_part_pk)
    if refused:
        return refused
    return versioned_edit(
        request,
        instance=item,
        form_class=part.form,
        form_kwargs=_campus_part_kwargs(part, request, campus_plan),
        save=lambda form, **edit: services.part_update(
            instance=item, data=form.model_data(), **edit
        ),
        template="district_plan/campus_part_form.html",
        partial="district_plan/campus_plan.html#part-form",
        context={"part": part, "kind": kind, "item": item, "campus_plan": campus_plan},
        saved_fragment=lambda saved: _campus_plan_body(request, campus_plan),
        message=gettext("%(part)s saved.") % {"part": part.label.capitalize()},
        success_url=lambda saved: _campus_plan_url(request, campus_plan, f"{kind}-{saved.pk}"),
    )


@require(Capability.EDIT_CAMPUS_PLANS)
def campus_part_delete(request, kind, campus_part_pk):
    part, item, campus_plan, refused = _campus_part_for_editor(request, kind, campus_part_pk)
    if refused:
        return refused
    if request.method != "POST":
        return render(
            request,
            "district_plan/confirm_delete.html",
            {
                "object": item,
                "kind": part.label,
                "back_url": _campus_plan_url(request, campus_plan),
            },
        )
    services.part_delete(instance=item, user=request.user)
    if request.htmx:
        return _campus_plan_body(request, campus_plan)
    messages.success(request, gettext("%(part)s deleted.") % {"part": part.label.capitalize()})
    return redirect(_campus_plan_url(request, campus_plan))


@require(Capability.EDIT_CAMPUS_PLANS)
@require_POST
def campus_part_move(request, kind, campus_part_pk):
    _part, item, campus_plan, refused = _campus_part_for_editor(request, kind, campus_part_pk)
    if refused:
        return refused
    services.part_move(instance=item, offset=_offset(request), user=request.user)
    if request.htmx:
        return _campus_plan_body(request, campus_plan)
    return redirect(_campus_plan_url(request, campus_plan, f"{kind}-{item.pk}"))


def campus_part_history(request, kind, campus_part_pk):
    part = _campus_part_or_404(kind)
    item = get_for_district(request, part.model, pk=campus_part_pk)
    return render(
        request,
        "core/history.html",
        {
            "object": item,
            "entries": history([record_events(item)]),
            "back_url": _campus_plan_url(request, _campus_plan_of(item), f"{kind}-{item.pk}"),
        },
    )
