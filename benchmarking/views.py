"""Discovery Analysis: frameworks as data, analyses, consensus ratings and the gap views."""

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db.models import Q
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_POST

from benchmarking import services
from benchmarking.forms import (
    AnalysisForm,
    ConsensusForm,
    ConsensusScopeForm,
    EvidenceForm,
    FindingForm,
    FrameworkEditForm,
    FrameworkUploadForm,
    ObservationImportForm,
    PathwayForm,
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
    Recommendation,
)
from benchmarking.selectors import gap_profile, rating_spread
from core.charts import heat_map
from core.roles import Capability, require
from core.tenancy import get_for_district

MAX_FRAMEWORK_BYTES = 1024 * 1024


def _framework_for_member(request, pk):
    """The built-in framework, or one of the district's own; anything else is a 404."""
    visible = Framework.objects.filter(Q(district=request.district) | Q(district__isnull=True))
    return get_object_or_404(visible, pk=pk)


def index(request, upload_form=None):
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
    return index(request, upload_form=form)


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


def analysis(request, analysis_pk, consensus_form=None):
    item = get_for_district(
        request, DiscoveryAnalysis.objects.select_related("framework"), pk=analysis_pk
    )
    profile = gap_profile(analysis=item)
    top = item.framework.levels.count()
    chart = heat_map(
        rows=profile["rows"],
        columns=[b.name for b in profile["blocks"]],
        chart_id="heat-map",
        title=gettext("Average gap to the reference profile, by campus and building block"),
        top=max(top - 1, 1),
    )
    scope_form = ConsensusScopeForm(request.GET or None, analysis=item, prefix="scope")
    ratings = (
        ConsensusRating.objects.filter(analysis=item, campus=scope_form.scope())
        .select_related("indicator", "campus")
        .order_by("indicator__building_block__order", "indicator__order")
    )
    return render(
        request,
        "benchmarking/analysis.html",
        {
            "analysis": item,
            "profile": profile,
            "heat_map": chart,
            "scope_form": scope_form,
            "ratings": list(ratings),
            "consensus_form": consensus_form or ConsensusForm(analysis=item),
        },
    )


@require(Capability.EDIT_PLAN)
@require_POST
def consensus(request, analysis_pk):
    item = get_for_district(
        request, DiscoveryAnalysis.objects.select_related("framework"), pk=analysis_pk
    )
    form = ConsensusForm(request.POST, analysis=item)
    if form.is_valid():
        try:
            services.consensus_record(analysis=item, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, gettext("Consensus rating recorded."))
            return redirect("discovery:analysis", request.district.slug, item.pk)
    return analysis(request, analysis_pk, consensus_form=form)


def _analysis_for_member(request, pk):
    return get_for_district(
        request, DiscoveryAnalysis.objects.select_related("framework", "district"), pk=pk
    )


def evidence(request, analysis_pk, form=None, import_form=None):
    item = _analysis_for_member(request, analysis_pk)
    records = (
        item.evidence.select_related("campus", "observation")
        .prefetch_related("indicators")
        .order_by("-collected_on", "-pk")
    )
    return render(
        request,
        "benchmarking/evidence.html",
        {
            "analysis": item,
            "records": list(records),
            "form": form or EvidenceForm(analysis=item),
            "import_form": import_form or ObservationImportForm(analysis=item),
        },
    )


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
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, gettext("Evidence added."))
            return redirect("discovery:evidence", request.district.slug, item.pk)
    return evidence(request, analysis_pk, form=form)


@require(Capability.EDIT_PLAN)
@require_POST
def evidence_import(request, analysis_pk):
    item = _analysis_for_member(request, analysis_pk)
    form = ObservationImportForm(request.POST, analysis=item)
    if form.is_valid():
        created = services.evidence_from_observations(
            analysis=item, user=request.user, observations=list(form.cleaned_data["observations"])
        )
        messages.success(
            request,
            ngettext(
                "%(count)s observation pulled in as evidence.",
                "%(count)s observations pulled in as evidence.",
                len(created),
            )
            % {"count": len(created)},
        )
        return redirect("discovery:evidence", request.district.slug, item.pk)
    return evidence(request, analysis_pk, import_form=form)


def evidence_file(request, evidence_pk):
    record = get_for_district(request, Evidence, pk=evidence_pk)
    if not record.file:
        raise Http404("This evidence has no attachment.")
    return FileResponse(
        default_storage.open(record.file.name, "rb"), as_attachment=True, filename=record.file_name
    )


def ratings(request, analysis_pk, form=None):
    item = _analysis_for_member(request, analysis_pk)
    return render(
        request,
        "benchmarking/ratings.html",
        {
            "analysis": item,
            "rows": rating_spread(analysis=item),
            "form": form or RatingForm(analysis=item),
        },
    )


@require(Capability.EDIT_PLAN)
@require_POST
def rating_add(request, analysis_pk):
    item = _analysis_for_member(request, analysis_pk)
    form = RatingForm(request.POST, analysis=item)
    if form.is_valid():
        try:
            services.rating_record(analysis=item, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, gettext("Rating recorded."))
            return redirect("discovery:ratings", request.district.slug, item.pk)
    return ratings(request, analysis_pk, form=form)


def findings(request, analysis_pk, finding_form=None, recommendation_form=None, pathway_forms=None):
    item = _analysis_for_member(request, analysis_pk)
    finding_list = list(item.findings.prefetch_related("evidence", "indicators", "recommendations"))
    recommendations = list(
        item.recommendations.prefetch_related("findings", "goals__plan", "theories")
    )
    for recommendation in recommendations:
        recommendation.pathway_form = (pathway_forms or {}).get(recommendation.pk) or PathwayForm(
            district=request.district, prefix=f"pathway-{recommendation.pk}"
        )
    return render(
        request,
        "benchmarking/findings.html",
        {
            "analysis": item,
            "findings": finding_list,
            "recommendations": recommendations,
            "finding_form": finding_form or FindingForm(analysis=item),
            "recommendation_form": recommendation_form or RecommendationForm(analysis=item),
        },
    )


@require(Capability.EDIT_PLAN)
@require_POST
def finding_add(request, analysis_pk):
    item = _analysis_for_member(request, analysis_pk)
    form = FindingForm(request.POST, analysis=item)
    if form.is_valid():
        services.finding_add(analysis=item, user=request.user, **form.cleaned_data)
        messages.success(request, gettext("Finding added."))
        return redirect("discovery:findings", request.district.slug, item.pk)
    return findings(request, analysis_pk, finding_form=form)


@require(Capability.EDIT_PLAN)
@require_POST
def recommendation_add(request, analysis_pk):
    item = _analysis_for_member(request, analysis_pk)
    form = RecommendationForm(request.POST, analysis=item)
    if form.is_valid():
        services.recommendation_add(analysis=item, user=request.user, **form.cleaned_data)
        messages.success(request, gettext("Recommendation added."))
        return redirect("discovery:findings", request.district.slug, item.pk)
    return findings(request, analysis_pk, recommendation_form=form)


@require(Capability.EDIT_PLAN)
@require_POST
def pathway_create(request, recommendation_pk):
    recommendation = get_for_district(request, Recommendation, pk=recommendation_pk)
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
            messages.success(
                request,
                ngettext(
                    "Pathway created: the proposed goal “%(goal)s” and %(count)s proposed "
                    "theory of action wait in the plan until the board adopts them.",
                    "Pathway created: the proposed goal “%(goal)s” and %(count)s proposed "
                    "theories of action wait in the plan until the board adopts them.",
                    len(theories),
                )
                % {"goal": goal.title, "count": len(theories)},
            )
            return redirect("discovery:findings", request.district.slug, recommendation.analysis_id)
    return findings(request, recommendation.analysis_id, pathway_forms={recommendation.pk: form})


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
