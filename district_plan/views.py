"""The district plan: its parts edited in place, measures with honest status, adoption."""

import datetime
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from django_htmx.http import reswap, retarget

from core.charts import measure_chart
from core.csv_export import SafeWriter, csv_response
from core.csv_import import ImportFileError
from core.fragments import cached_fragment
from core.history import history, record_events
from core.inplace_edit import versioned_edit
from core.numbers import whole_number
from core.roles import Capability, can, forbidden, require
from core.tenancy import get_for_district
from core.upload_flow import upload_preview_confirm
from core.versioning import EditConflict
from district_plan import services
from district_plan.documents import document_diff, labelled, plan_document
from district_plan.forms import (
    AdoptForm,
    CompetencyForm,
    FocusAreaForm,
    GoalForm,
    MeasureForm,
    MeasureValueCorrectionForm,
    MeasureValueForm,
    MeasureValuesConfirmForm,
    MeasureValuesUploadForm,
    PartnerForm,
    PlanForm,
    ResultColumnsForm,
    ResultsConfirmForm,
    ResultsUploadForm,
    StrategyForm,
)
from district_plan.measure_csv import export_rows, plan_values_import
from district_plan.models import (
    Competency,
    FocusArea,
    Goal,
    Measure,
    MeasureValue,
    Partner,
    Plan,
    PlanSnapshot,
    Strategy,
)
from district_plan.result_csv import plan_results_import
from district_plan.selectors import (
    GAP_KINDS,
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
    return context | {"plan_url": reverse("plan:index", args=[request.district.slug])}


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


@require(Capability.EDIT_PLAN)
@require_POST
def part_move(request, kind, part_pk):
    part = _part_or_404(kind)
    item = get_for_district(request, part.model, pk=part_pk)
    try:
        offset = max(-1000, min(1000, int(request.POST.get("offset", "0"))))
    except ValueError:
        offset = 0
    services.part_move(instance=item, offset=offset, user=request.user)
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
            "results": measure_results(
                measure=measure, district=request.district, membership=request.membership
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
