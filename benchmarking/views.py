"""Discovery Analysis: frameworks as data, analyses, consensus ratings and the gap views."""

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db.models import Q
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_POST

from benchmarking import services
from benchmarking.forms import (
    AnalysisForm,
    ConsensusForm,
    ConsensusScopeForm,
    EvidenceEditForm,
    EvidenceForm,
    FindingForm,
    FrameworkEditForm,
    FrameworkUploadForm,
    ObservationImportForm,
    PathwayForm,
    RatingEditForm,
    RatingForm,
    RecommendationForm,
    ReferenceProfileForm,
)
from benchmarking.frameworks import (
    FrameworkFormatError,
    built_in_framework,
    create_from_data,
    framework_copy,
    to_data,
)
from benchmarking.models import (
    ConsensusRating,
    DiscoveryAnalysis,
    Evidence,
    Framework,
    Rating,
    Recommendation,
)
from benchmarking.selectors import (
    evidence_citations,
    evidence_history_entries,
    evidence_list,
    gap_profile,
    rating_spread,
)
from core.charts import heat_map
from core.roles import Capability, forbidden, may_change_rating, require
from core.tenancy import get_for_district
from core.versioning import EditConflict, conflict_context

MAX_FRAMEWORK_BYTES = 1024 * 1024


def _framework_for_member(request, pk):
    """The built-in framework, or one of the district's own; anything else is a 404."""
    visible = Framework.objects.filter(Q(district=request.district) | Q(district__isnull=True))
    return get_object_or_404(visible, pk=pk)


def _index_page(request, *, upload_form=None):
    built_in_framework()
    frameworks = Framework.objects.filter(
        Q(district=request.district) | Q(district__isnull=True)
    ).order_by("district_id", "name")
    return render(
        request,
        "benchmarking/index.html",
        {
            "analyses": DiscoveryAnalysis.objects.filter(district=request.district).select_related(
                "framework"
            ),
            "frameworks": list(frameworks),
            "upload_form": upload_form or FrameworkUploadForm(),
        },
    )


def index(request):
    return _index_page(request)


def framework(request, framework_pk):
    item = _framework_for_member(request, framework_pk)
    levels = list(item.levels.order_by("number"))
    blocks = list(item.building_blocks.prefetch_related("indicators__descriptors__level"))
    for block in blocks:
        for indicator in block.indicators.all():
            by_level = {d.level.number: d.text for d in indicator.descriptors.all()}
            indicator.cells = [by_level.get(level.number, "") for level in levels]
    return render(
        request,
        "benchmarking/framework.html",
        {"framework": item, "levels": levels, "blocks": blocks},
    )


def framework_export(request, framework_pk):
    item = _framework_for_member(request, framework_pk)
    response = JsonResponse(to_data(item), json_dumps_params={"indent": 2, "ensure_ascii": False})
    response["Content-Disposition"] = f'attachment; filename="framework-{item.pk}.json"'
    return response


@require(Capability.EDIT_PLAN)
@require_POST
def framework_copy_view(request, framework_pk):
    item = _framework_for_member(request, framework_pk)
    copy = framework_copy(framework=item, district=request.district)
    messages.success(
        request, gettext("“%(name)s” is the district's own copy to edit.") % {"name": copy.name}
    )
    return redirect("discovery:framework", request.district.slug, copy.pk)


@require(Capability.EDIT_PLAN)
@require_POST
def framework_import(request):
    form = FrameworkUploadForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload.size > MAX_FRAMEWORK_BYTES:
                raise FrameworkFormatError(gettext("The file is larger than 1 MB."))
            try:
                data = json.loads(upload.read().decode("utf-8-sig"))
            except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                raise FrameworkFormatError(
                    gettext("The file is not valid JSON (%(error)s).") % {"error": exc}
                ) from None
            item = create_from_data(data=data, district=request.district)
        except FrameworkFormatError as exc:
            form.add_error("file", gettext("Nothing was imported: %(error)s") % {"error": exc})
        else:
            messages.success(
                request, gettext("Framework “%(name)s” imported.") % {"name": item.name}
            )
            return redirect("discovery:framework", request.district.slug, item.pk)
    return _index_page(request, upload_form=form)


@require(Capability.EDIT_PLAN)
def analysis_create(request):
    built_in_framework()
    form = AnalysisForm(request.POST or None, district=request.district)
    if request.method == "POST" and form.is_valid():
        analysis = services.analysis_create(
            district=request.district,
            user=request.user,
            name=form.cleaned_data["name"],
            framework=form.cleaned_data["framework"],
            starts_on=form.cleaned_data["starts_on"],
            ends_on=form.cleaned_data["ends_on"],
            campuses=form.cleaned_data["campuses"],
        )
        messages.success(
            request,
            gettext("Discovery Analysis created with a reference profile at the top level."),
        )
        return redirect("discovery:analysis", request.district.slug, analysis.pk)
    return render(request, "benchmarking/analysis_form.html", {"form": form})


ANALYSIS_PAGE = "benchmarking/analysis.html"


def _analysis_body(request, item, *, consensus_form=None, scope=None, notice=""):
    """The analysis page (heat map, ranked gaps, consensus ratings of one scope); for htmx,
    that body only. The scope listed is the one asked for, or the one just recorded."""
    profile = gap_profile(analysis=item)
    top = item.framework.levels.count()
    chart = heat_map(
        rows=profile["rows"],
        columns=[b.name for b in profile["blocks"]],
        chart_id="heat-map",
        title=gettext("Average gap to the reference profile, by campus and building block"),
        top=max(top - 1, 1),
    )
    asked = request.GET if scope is None else {"scope-campus": scope.pk if scope else ""}
    scope_form = ConsensusScopeForm(asked or None, analysis=item, prefix="scope")
    ratings = (
        ConsensusRating.objects.filter(analysis=item, campus=scope_form.scope())
        .select_related("indicator", "campus")
        .order_by("indicator__building_block__order", "indicator__order")
    )
    context = {
        "analysis": item,
        "profile": profile,
        "heat_map": chart,
        "scope_form": scope_form,
        "ratings": list(ratings),
        "consensus_form": consensus_form or ConsensusForm(analysis=item),
        "notice": notice,
    }
    template = f"{ANALYSIS_PAGE}#analysis-body" if request.htmx else ANALYSIS_PAGE
    return render(request, template, context)


def analysis(request, analysis_pk):
    return _analysis_body(request, _analysis_for_member(request, analysis_pk))


@require(Capability.EDIT_PLAN)
@require_POST
def consensus(request, analysis_pk):
    item = _analysis_for_member(request, analysis_pk)
    form = ConsensusForm(request.POST, analysis=item)
    if form.is_valid():
        try:
            services.consensus_record(analysis=item, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            campus = form.cleaned_data["campus"]
            message = gettext("Consensus rating recorded.")
            if request.htmx:
                return _analysis_body(request, item, scope=campus or False, notice=message)
            messages.success(request, message)
            url = reverse("discovery:analysis", args=[request.district.slug, item.pk])
            query = f"?scope-campus={campus.pk}" if campus else ""
            return redirect(f"{url}{query}#consensus-heading")
    return _analysis_body(request, item, consensus_form=form)


def _analysis_for_member(request, pk):
    return get_for_district(
        request, DiscoveryAnalysis.objects.select_related("framework", "district"), pk=pk
    )


EVIDENCE_PAGE = "benchmarking/evidence.html"


def _evidence_for_member(request, pk):
    return get_for_district(
        request,
        Evidence.objects.select_related("analysis__framework", "analysis__district", "campus"),
        pk=pk,
    )


def _add_errors(form, exc, renamed=None):
    """A service's refusal, shown next to the field it is about (or above the form)."""
    for field, errors in exc.message_dict.items():
        field = (renamed or {}).get(field, field)
        form.add_error(field if field in form.fields else None, errors)


def _evidence_body(request, item, *, form=None, import_form=None, notice=""):
    """The evidence page; for htmx, its body (the list and the forms) only."""
    context = {
        "analysis": item,
        "records": evidence_list(analysis=item),
        "form": form or EvidenceForm(analysis=item),
        "import_form": import_form or ObservationImportForm(analysis=item),
        "notice": notice,
    }
    template = f"{EVIDENCE_PAGE}#evidence-body" if request.htmx else EVIDENCE_PAGE
    return render(request, template, context)


def _evidence_saved(request, item, message):
    if request.htmx:
        return _evidence_body(request, item, notice=message)
    messages.success(request, message)
    return redirect("discovery:evidence", request.district.slug, item.pk)


def evidence(request, analysis_pk):
    return _evidence_body(request, _analysis_for_member(request, analysis_pk))


@require(Capability.EDIT_PLAN)
@require_POST
def evidence_add(request, analysis_pk):
    item = _analysis_for_member(request, analysis_pk)
    form = EvidenceForm(request.POST, request.FILES, analysis=item)
    if form.is_valid():
        data = dict(form.cleaned_data)
        upload = data.pop("file")
        try:
            services.evidence_add(analysis=item, user=request.user, upload=upload, **data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            return _evidence_saved(request, item, gettext("Evidence added."))
    return _evidence_body(request, item, form=form)


@require(Capability.EDIT_PLAN)
@require_POST
def evidence_import(request, analysis_pk):
    item = _analysis_for_member(request, analysis_pk)
    form = ObservationImportForm(request.POST, analysis=item)
    if not form.is_valid():
        return _evidence_body(request, item, import_form=form)
    created = services.evidence_from_observations(
        analysis=item, user=request.user, observations=list(form.cleaned_data["observations"])
    )
    message = ngettext(
        "%(count)s observation pulled in as evidence.",
        "%(count)s observations pulled in as evidence.",
        len(created),
    ) % {"count": len(created)}
    return _evidence_saved(request, item, message)


def _evidence_url(request, record):
    url = reverse("discovery:evidence", args=[request.district.slug, record.analysis_id])
    return f"{url}#evidence-{record.pk}"


def _evidence_row(request, record):
    record = (
        Evidence.objects.select_related("analysis", "campus")
        .prefetch_related("indicators")
        .get(pk=record.pk)
    )
    return render(
        request, f"{EVIDENCE_PAGE}#evidence-row", {"record": record, "analysis": record.analysis}
    )


def _evidence_form(request, context):
    template = (
        f"{EVIDENCE_PAGE}#evidence-form" if request.htmx else "benchmarking/evidence_form.html"
    )
    return render(request, template, context)


def evidence_item(request, evidence_pk):
    """GET: the evidence (its row for htmx, its page otherwise); POST: save an edit."""
    record = _evidence_for_member(request, evidence_pk)
    if request.method == "POST":
        return _evidence_update(request, record)
    if request.htmx:
        return _evidence_row(request, record)
    context = {"record": record, "analysis": record.analysis}
    context |= evidence_citations(evidence=record)
    return render(request, "benchmarking/evidence_detail.html", context)


@require(Capability.EDIT_PLAN)
def evidence_edit(request, evidence_pk):
    record = _evidence_for_member(request, evidence_pk)
    form = EvidenceEditForm(instance=record, analysis=record.analysis)
    return _evidence_form(request, {"form": form, "record": record, "analysis": record.analysis})


@require(Capability.EDIT_PLAN)
def _evidence_update(request, record):
    analysis = record.analysis
    form = EvidenceEditForm(request.POST, request.FILES, instance=record, analysis=analysis)
    context = {"form": form, "record": record, "analysis": analysis}
    if form.is_valid():
        try:
            saved = services.evidence_update(
                evidence=record,
                expected_version=form.expected_version(),
                user=request.user,
                **form.service_data(),
            )
        except EditConflict as conflict:
            context |= conflict_context(form=form, conflict=conflict)
            context["upload_dropped"] = bool(form.cleaned_data.get("attachment"))
            # The form shows the stored record, not the edit the form made to it in memory.
            context["record"] = conflict.current
        except ValidationError as exc:
            _add_errors(form, exc, renamed={"file": "attachment"})
        else:
            if request.htmx:
                return _evidence_row(request, saved)
            messages.success(request, gettext("Evidence saved."))
            return redirect(_evidence_url(request, saved))
    return _evidence_form(request, context)


@require(Capability.EDIT_PLAN)
def evidence_delete(request, evidence_pk):
    record = _evidence_for_member(request, evidence_pk)
    if request.method != "POST":
        return render(
            request,
            "benchmarking/confirm_delete.html",
            {
                "title": gettext("Delete this evidence?"),
                "object": record,
                "record": record,
                "consequence": gettext(
                    "Ratings and findings that cite it will no longer cite it; its attachment "
                    "is deleted with it."
                ),
                "back_url": _evidence_url(request, record),
                **evidence_citations(evidence=record),
            },
        )
    analysis = record.analysis
    services.evidence_delete(evidence=record, user=request.user)
    return _evidence_saved(request, analysis, gettext("Evidence deleted."))


def evidence_history(request, evidence_pk):
    record = _evidence_for_member(request, evidence_pk)
    return render(
        request,
        "core/history.html",
        {
            "object": record,
            "entries": evidence_history_entries(evidence=record),
            "back_url": _evidence_url(request, record),
        },
    )


def evidence_file(request, evidence_pk):
    record = get_for_district(request, Evidence, pk=evidence_pk)
    if not record.file:
        raise Http404("This evidence has no attachment.")
    return FileResponse(
        default_storage.open(record.file.name, "rb"), as_attachment=True, filename=record.file_name
    )


RATINGS_PAGE = "benchmarking/ratings.html"


def _rating_for_member(request, pk):
    return get_for_district(
        request,
        Rating.objects.select_related(
            "analysis__framework", "analysis__district", "indicator", "campus", "rater"
        ),
        pk=pk,
    )


def _mark_editable(request, rows):
    for row in rows:
        for rating in row["ratings"]:
            rating.editable = may_change_rating(request.membership, rating)
    return rows


def _ratings_body(request, item, *, form=None, notice=""):
    """The ratings page; for htmx, its body (the table and the form) only."""
    context = {
        "analysis": item,
        "rows": _mark_editable(request, rating_spread(analysis=item)),
        "form": form or RatingForm(analysis=item),
        "notice": notice,
    }
    template = f"{RATINGS_PAGE}#ratings-body" if request.htmx else RATINGS_PAGE
    return render(request, template, context)


def ratings(request, analysis_pk):
    return _ratings_body(request, _analysis_for_member(request, analysis_pk))


@require(Capability.EDIT_PLAN)
@require_POST
def rating_add(request, analysis_pk):
    item = _analysis_for_member(request, analysis_pk)
    form = RatingForm(request.POST, analysis=item)
    if form.is_valid():
        try:
            services.rating_record(analysis=item, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            message = gettext("Rating recorded.")
            if request.htmx:
                return _ratings_body(request, item, notice=message)
            messages.success(request, message)
            return redirect("discovery:ratings", request.district.slug, item.pk)
    return _ratings_body(request, item, form=form)


def _ratings_url(request, rating):
    url = reverse("discovery:ratings", args=[request.district.slug, rating.analysis_id])
    return f"{url}#spread-{rating.indicator_id}-{rating.campus_id or 'district'}"


def _spread_row(request, rating):
    """The ratings table's row of this rating's indicator and scope, as it now stands."""
    [row] = rating_spread(
        analysis=rating.analysis, indicator_id=rating.indicator_id, campus_id=rating.campus_id
    )
    _mark_editable(request, [row])
    return render(request, f"{RATINGS_PAGE}#spread-row", {"row": row, "analysis": rating.analysis})


def _rating_form(request, context):
    if request.htmx:
        return render(request, f"{RATINGS_PAGE}#rating-form", context)
    return render(request, "benchmarking/rating.html", context)


def _may_not_change(request):
    return forbidden(request, gettext("change another member's rating"))


def rating(request, rating_pk):
    """GET: the rating (its row of the ratings table for htmx, its page otherwise);
    POST: its rater saves an edit."""
    item = _rating_for_member(request, rating_pk)
    if request.method == "POST":
        return _rating_update(request, item)
    if request.htmx:
        return _spread_row(request, item)
    return render(
        request,
        "benchmarking/rating.html",
        {
            "rating": item,
            "analysis": item.analysis,
            "editable": may_change_rating(request.membership, item),
        },
    )


def rating_edit(request, rating_pk):
    item = _rating_for_member(request, rating_pk)
    if not may_change_rating(request.membership, item):
        return _may_not_change(request)
    form = RatingEditForm(instance=item, analysis=item.analysis)
    return _rating_form(request, {"form": form, "rating": item, "analysis": item.analysis})


def _rating_update(request, item):
    if not may_change_rating(request.membership, item):
        return _may_not_change(request)
    analysis = item.analysis
    form = RatingEditForm(request.POST, instance=item, analysis=analysis)
    context = {"form": form, "rating": item, "analysis": analysis}
    if form.is_valid():
        try:
            saved = services.rating_update(
                rating=item,
                expected_version=form.expected_version(),
                user=request.user,
                **form.service_data(),
            )
        except EditConflict as conflict:
            context |= conflict_context(form=form, conflict=conflict)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            if request.htmx:
                return _spread_row(request, item)
            messages.success(request, gettext("Your rating is saved."))
            return redirect(_ratings_url(request, saved))
    return _rating_form(request, context)


FINDINGS_PAGE = "benchmarking/findings.html"


def _findings_body(
    request, item, *, finding_form=None, recommendation_form=None, pathway_forms=None, notice=""
):
    """The findings and recommendations page; for htmx, its body (both lists and their
    forms) only: a finding added is at once a choice of the recommendation form."""
    finding_list = list(item.findings.prefetch_related("evidence", "indicators", "recommendations"))
    recommendations = list(
        item.recommendations.prefetch_related("findings", "goals__plan", "theories")
    )
    choices = PathwayForm.shared_choices(request.district) if recommendations else {}
    for recommendation in recommendations:
        recommendation.pathway_form = (pathway_forms or {}).get(recommendation.pk) or PathwayForm(
            district=request.district, prefix=f"pathway-{recommendation.pk}", choices=choices
        )
    context = {
        "analysis": item,
        "findings": finding_list,
        "recommendations": recommendations,
        "finding_form": finding_form or FindingForm(analysis=item),
        "recommendation_form": recommendation_form or RecommendationForm(analysis=item),
        "notice": notice,
    }
    template = f"{FINDINGS_PAGE}#findings-body" if request.htmx else FINDINGS_PAGE
    return render(request, template, context)


def _findings_saved(request, item, message, anchor=""):
    if request.htmx:
        return _findings_body(request, item, notice=message)
    messages.success(request, message)
    url = reverse("discovery:findings", args=[request.district.slug, item.pk])
    return redirect(f"{url}#{anchor}" if anchor else url)


def findings(request, analysis_pk):
    return _findings_body(request, _analysis_for_member(request, analysis_pk))


@require(Capability.EDIT_PLAN)
@require_POST
def finding_add(request, analysis_pk):
    item = _analysis_for_member(request, analysis_pk)
    form = FindingForm(request.POST, analysis=item)
    if form.is_valid():
        try:
            finding = services.finding_add(analysis=item, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            return _findings_saved(
                request, item, gettext("Finding added."), f"finding-{finding.pk}"
            )
    return _findings_body(request, item, finding_form=form)


@require(Capability.EDIT_PLAN)
@require_POST
def recommendation_add(request, analysis_pk):
    item = _analysis_for_member(request, analysis_pk)
    form = RecommendationForm(request.POST, analysis=item)
    if form.is_valid():
        try:
            added = services.recommendation_add(
                analysis=item, user=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            return _findings_saved(
                request, item, gettext("Recommendation added."), f"recommendation-{added.pk}"
            )
    return _findings_body(request, item, recommendation_form=form)


@require(Capability.EDIT_PLAN)
@require_POST
def pathway_create(request, recommendation_pk):
    recommendation = get_for_district(
        request,
        Recommendation.objects.select_related("analysis__framework", "analysis__district"),
        pk=recommendation_pk,
    )
    item = recommendation.analysis
    form = PathwayForm(
        request.POST, district=request.district, prefix=f"pathway-{recommendation.pk}"
    )
    if form.is_valid():
        try:
            goal, theories = services.pathway_create(
                recommendation=recommendation, user=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            message = ngettext(
                "Pathway created: the proposed goal “%(goal)s” and %(count)s proposed "
                "theory of action wait in the plan until the board adopts them.",
                "Pathway created: the proposed goal “%(goal)s” and %(count)s proposed "
                "theories of action wait in the plan until the board adopts them.",
                len(theories),
            ) % {"goal": goal.title, "count": len(theories)}
            return _findings_saved(request, item, message, f"recommendation-{recommendation.pk}")
    return _findings_body(request, item, pathway_forms={recommendation.pk: form})


@require(Capability.EDIT_PLAN)
def reference_profile(request, analysis_pk):
    item = _analysis_for_member(request, analysis_pk)
    form = ReferenceProfileForm(request.POST or None, analysis=item)
    if request.method == "POST" and form.is_valid():
        changed = services.reference_profile_update(
            analysis=item, user=request.user, targets=form.targets()
        )
        messages.success(
            request,
            ngettext(
                "Reference profile saved (%(count)s target changed).",
                "Reference profile saved (%(count)s targets changed).",
                changed,
            )
            % {"count": changed},
        )
        return redirect("discovery:analysis", request.district.slug, item.pk)
    return render(request, "benchmarking/reference_profile.html", {"analysis": item, "form": form})


@require(Capability.EDIT_PLAN)
def framework_edit(request, framework_pk):
    item = get_for_district(request, Framework, pk=framework_pk)
    form = FrameworkEditForm(request.POST or None, framework=item)
    if request.method == "POST" and form.is_valid():
        services.framework_update_wording(framework=item, data=form.cleaned_data)
        messages.success(request, gettext("Framework saved."))
        return redirect("discovery:framework", request.district.slug, item.pk)
    level_fields, blocks = form.sections()
    return render(
        request,
        "benchmarking/framework_edit.html",
        {"framework": item, "form": form, "level_fields": level_fields, "blocks": blocks},
    )
