"""Discovery Analysis: frameworks as data, analyses, consensus ratings and the gap views."""

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import localize
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_POST

from benchmarking import services
from benchmarking.forms import (
    AnalysisForm,
    BuildingBlockForm,
    ConsensusForm,
    ConsensusScopeForm,
    EvidenceEditForm,
    EvidenceForm,
    FindingForm,
    FrameworkEditForm,
    FrameworkUploadForm,
    IndicatorForm,
    LevelForm,
    NewBuildingBlockForm,
    NewIndicatorForm,
    NextRoundForm,
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
    BuildingBlock,
    ConsensusRating,
    DiscoveryAnalysis,
    Evidence,
    Framework,
    Indicator,
    Level,
    Rating,
    Recommendation,
)
from benchmarking.selectors import (
    comparable_ratings,
    evidence_citations,
    evidence_history_entries,
    evidence_list,
    gap_profile,
    last_round_levels,
    rated_analyses,
    rating_spread,
    round_movement,
)
from core import hooks as core_hooks
from core.charts import heat_map
from core.files import stored_file_response
from core.forms import add_service_errors
from core.fragments import cached_fragment
from core.inplace_edit import versioned_edit
from core.roles import Capability, forbidden, may_change_rating, require
from core.tenancy import get_for_district

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
    if item.copied_from_id:
        item = Framework.objects.select_related("copied_from").get(pk=item.pk)
    levels = list(item.levels.order_by("number"))
    blocks = list(item.building_blocks.prefetch_related("indicators__descriptors__level"))
    for block in blocks:
        for indicator in block.indicators.all():
            by_level = {d.level.number: d.text for d in indicator.descriptors.all()}
            indicator.cells = [by_level.get(level.number, "") for level in levels]
    return render(
        request,
        "benchmarking/framework.html",
        {
            "framework": item,
            "levels": levels,
            "blocks": blocks,
            "rated": [] if item.built_in else rated_analyses(framework=item),
            "newer": list(
                item.copies.filter(district=request.district, revision__gt=item.revision).order_by(
                    "revision", "pk"
                )
            ),
        },
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


def _analysis_summary(request, item):
    """The heat map, its table and the largest gaps: rendered once per change of the district
    (core.fragments), as they sum up every consensus rating of every campus."""

    def context():
        profile = gap_profile(analysis=item)
        top = item.framework.levels.count()
        chart = heat_map(
            rows=profile["rows"],
            columns=[b.name for b in profile["blocks"]],
            chart_id="heat-map",
            title=gettext("Average gap to the reference profile, by campus and building block"),
            top=max(top - 1, 1),
        )
        return {"profile": profile, "gap_table": _gap_table(profile["rows"]), "heat_map": chart}

    return cached_fragment(
        request, f"{ANALYSIS_PAGE}#analysis-summary", key=[item.pk], context=context
    )


def _analysis_body(request, item, *, consensus_form=None, scope=None, notice=""):
    """The analysis page (heat map, ranked gaps, consensus ratings of one scope and, for a
    campus, the ratings of the campuses most like it); for htmx, that body only. The scope
    listed is the one asked for, or the one just recorded."""
    asked = request.GET if scope is None else {"scope-campus": scope.pk if scope else ""}
    scope_form = ConsensusScopeForm(asked or None, analysis=item, prefix="scope")
    campus = scope_form.scope()
    ratings = list(
        ConsensusRating.objects.filter(analysis=item, campus=campus)
        .select_related("indicator", "campus")
        .order_by("indicator__building_block__order", "indicator__order")
    )
    last_round = last_round_levels(
        analysis=item, in_scope=True, campus_id=campus.pk if campus else None
    )
    for rating in ratings:
        rating.last_round = last_round.get((rating.indicator.code, rating.campus_id))
    context = {
        "analysis": item,
        "summary": _analysis_summary(request, item),
        "scope_form": scope_form,
        "comparison": comparable_ratings(analysis=item, campus=campus) if campus else None,
        "ratings": ratings,
        "consensus_form": consensus_form or ConsensusForm(analysis=item),
        "notice": notice,
    }
    template = f"{ANALYSIS_PAGE}#analysis-body" if request.htmx else ANALYSIS_PAGE
    return render(request, template, context)


def _gap_table(rows):
    """The heat map's table as the page writes it: its averages are a few dozen distinct
    numbers, each localized once rather than once per cell (about 2,000 on a large district)."""
    written = {None: "–"}
    for _label, values in rows:
        for value in values:
            if value not in written:
                written[value] = localize(value)
    return [(label, [written[value] for value in values]) for label, values in rows]


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
            add_service_errors(form, exc)
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
        request,
        DiscoveryAnalysis.objects.select_related("framework", "district", "previous"),
        pk=pk,
    )


@require(Capability.EDIT_PLAN)
def analysis_next_round(request, analysis_pk):
    """Starts the round that follows an analysis: a name and dates; the rest is copied."""
    previous = _analysis_for_member(request, analysis_pk)
    form = NextRoundForm(request.POST or None, previous=previous)
    if request.method == "POST" and form.is_valid():
        try:
            analysis = services.analysis_next_round(
                district=request.district, previous=previous, user=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                gettext(
                    "The next round has started with the framework, campuses, team and "
                    "reference profile of “%(name)s”."
                )
                % {"name": previous.name},
            )
            return redirect("discovery:analysis", request.district.slug, analysis.pk)
    return render(
        request, "benchmarking/next_round_form.html", {"analysis": previous, "form": form}
    )


def movement(request, analysis_pk):
    """Since the last round: the movement of every indicator in one scope, and the heat map
    of change by campus and building block."""
    item = _analysis_for_member(request, analysis_pk)
    scope_form = ConsensusScopeForm(request.GET or None, analysis=item, prefix="scope")
    return render(
        request,
        "benchmarking/movement.html",
        {
            "analysis": item,
            "scope_form": scope_form,
            "movement": round_movement(analysis=item, campus=scope_form.scope()),
        },
    )


EVIDENCE_PAGE = "benchmarking/evidence.html"


def _evidence_for_member(request, pk):
    return get_for_district(
        request,
        Evidence.objects.select_related("analysis__framework", "analysis__district", "campus"),
        pk=pk,
    )


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
            add_service_errors(form, exc)
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


def evidence_item(request, evidence_pk):
    """GET: the evidence (its row for htmx, its page otherwise); POST: save an edit."""
    record = _evidence_for_member(request, evidence_pk)
    if request.method == "POST":
        return _evidence_edit(request, record)
    if request.htmx:
        return _evidence_row(request, record)
    context = {"record": record, "analysis": record.analysis}
    context |= evidence_citations(evidence=record)
    return render(request, "benchmarking/evidence_detail.html", context)


@require(Capability.EDIT_PLAN)
def evidence_edit(request, evidence_pk):
    return _evidence_edit(request, _evidence_for_member(request, evidence_pk))


@require(Capability.EDIT_PLAN)
def _evidence_edit(request, record):
    """The evidence's edit form (GET, from evidence_edit) and its save (POST, to evidence_item)."""
    return versioned_edit(
        request,
        instance=record,
        form_class=EvidenceEditForm,
        form_kwargs={"analysis": record.analysis},
        save=lambda form, **edit: services.evidence_update(
            evidence=record, **edit, **form.service_data()
        ),
        template="benchmarking/evidence_form.html",
        partial=f"{EVIDENCE_PAGE}#evidence-form",
        context={"record": record, "analysis": record.analysis},
        saved_fragment=lambda saved: _evidence_row(request, saved),
        message=gettext("Evidence saved."),
        success_url=lambda saved: _evidence_url(request, saved),
    )


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
    return stored_file_response(record.file.name, filename=record.file_name)


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
            add_service_errors(form, exc)
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


def _may_not_change(request):
    return forbidden(request, gettext("change another member's rating"))


def rating(request, rating_pk):
    """GET: the rating (its row of the ratings table for htmx, its page otherwise);
    POST: its rater saves an edit."""
    item = _rating_for_member(request, rating_pk)
    if request.method == "POST":
        return _rating_edit(request, item)
    if request.htmx:
        return _spread_row(request, item)
    last_round = last_round_levels(
        analysis=item.analysis,
        indicator_id=item.indicator_id,
        in_scope=True,
        campus_id=item.campus_id,
    )
    return render(
        request,
        "benchmarking/rating.html",
        {
            "rating": item,
            "analysis": item.analysis,
            "editable": may_change_rating(request.membership, item),
            "last_round": last_round.get((item.indicator.code, item.campus_id)),
        },
    )


def rating_edit(request, rating_pk):
    return _rating_edit(request, _rating_for_member(request, rating_pk))


def _rating_edit(request, item):
    """The rating's edit form (GET, from rating_edit) and its save (POST, to rating), for its
    rater only."""
    if not may_change_rating(request.membership, item):
        return _may_not_change(request)
    return versioned_edit(
        request,
        instance=item,
        form_class=RatingEditForm,
        form_kwargs={"analysis": item.analysis},
        save=lambda form, **edit: services.rating_update(
            rating=item, **edit, **form.service_data()
        ),
        template="benchmarking/rating.html",
        partial=f"{RATINGS_PAGE}#rating-form",
        context={"rating": item, "analysis": item.analysis},
        # The row is read again from the database; the rating as loaded knows its analysis.
        saved_fragment=lambda saved: _spread_row(request, item),
        message=gettext("Your rating is saved."),
        success_url=lambda saved: _ratings_url(request, saved),
    )


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
    decided = core_hooks.decisions_about.ask(
        district_id=request.district.pk,
        about={
            "finding": [f.pk for f in finding_list],
            "recommendation": [r.pk for r in recommendations],
        },
    )
    for finding in finding_list:
        finding.decided = decided.get(("finding", finding.pk), ())
    for recommendation in recommendations:
        recommendation.decided = decided.get(("recommendation", recommendation.pk), ())
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
            add_service_errors(form, exc)
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
            add_service_errors(form, exc)
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
    rated = rated_analyses(framework=item)
    if rated:
        # Kept as it was rated: the page says so and offers a new version instead of a form.
        return render(
            request, "benchmarking/framework_edit.html", {"framework": item, "rated": rated}
        )
    form = FrameworkEditForm(request.POST or None, framework=item)
    if request.method == "POST" and form.is_valid():
        try:
            services.framework_update_wording(
                framework=item, data=form.cleaned_data, user=request.user
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, gettext("Framework saved."))
            return redirect("discovery:framework", request.district.slug, item.pk)
    level_fields, blocks = form.sections()
    return render(
        request,
        "benchmarking/framework_edit.html",
        {"framework": item, "form": form, "level_fields": level_fields, "blocks": blocks},
    )


@require(Capability.EDIT_PLAN)
@require_POST
def framework_new_version(request, framework_pk):
    item = get_for_district(request, Framework, pk=framework_pk)
    version, made = services.framework_new_version(framework=item, user=request.user)
    if made:
        message = gettext(
            "Version %(number)s of “%(name)s” is yours to edit; analyses keep the version "
            "they rated."
        ) % {"number": version.revision, "name": version.name}
    else:
        message = gettext("Version %(number)s has no rating yet: edit it.") % {
            "number": version.revision
        }
    messages.success(request, message)
    return redirect("discovery:framework_structure", request.district.slug, version.pk)


# The structure of a district's framework: levels, building blocks and indicators.

STRUCTURE_PAGE = "benchmarking/framework_structure.html"


def _level_for_member(request, pk):
    return get_object_or_404(
        Level.objects.select_related("framework"), pk=pk, framework__district=request.district
    )


def _block_for_member(request, pk):
    return get_object_or_404(
        BuildingBlock.objects.select_related("framework"),
        pk=pk,
        framework__district=request.district,
    )


def _indicator_for_member(request, pk):
    return get_object_or_404(
        Indicator.objects.select_related("building_block__framework"),
        pk=pk,
        building_block__framework__district=request.district,
    )


def _structure_body(request, framework, *, bound=None, notice="", error=""):
    """The structure page, every part with its own small form (the one just refused bound,
    with its errors); for htmx, its body only. A rated framework is shown, not offered."""
    bound = bound or {}
    levels = list(framework.levels.order_by("number"))
    blocks = list(framework.building_blocks.prefetch_related("indicators"))
    choices = [(block.pk, block.name) for block in blocks]
    for level in levels:
        key = f"level-{level.pk}"
        level.form = bound.get(key) or LevelForm(
            initial={"name": level.name}, prefix=key, number=level.number
        )
    for block in blocks:
        key = f"block-{block.pk}"
        block.form = bound.get(key) or BuildingBlockForm(initial={"name": block.name}, prefix=key)
        key = f"new-indicator-{block.pk}"
        block.new_indicator_form = bound.get(key) or NewIndicatorForm(prefix=key)
        block.indicator_list = list(block.indicators.all())
        for indicator in block.indicator_list:
            key = f"indicator-{indicator.pk}"
            indicator.form = bound.get(key) or IndicatorForm(
                initial={
                    "code": indicator.code,
                    "name": indicator.name,
                    "building_block": block.pk,
                },
                prefix=key,
                framework=framework,
                choices=choices,
            )
    context = {
        "framework": framework,
        "rated": rated_analyses(framework=framework),
        "levels": levels,
        "blocks": blocks,
        "new_level_form": bound.get("new-level") or LevelForm(prefix="new-level"),
        "new_block_form": bound.get("new-block") or NewBuildingBlockForm(prefix="new-block"),
        # Full, the form is not offered, unless it comes back to say so.
        "may_add_level": len(levels) < services.MAX_LEVELS or "new-level" in bound,
        "notice": notice,
        "error": error,
    }
    template = f"{STRUCTURE_PAGE}#structure" if request.htmx else STRUCTURE_PAGE
    return render(request, template, context)


@require(Capability.EDIT_PLAN)
def framework_structure(request, framework_pk):
    return _structure_body(request, get_for_district(request, Framework, pk=framework_pk))


def _structure_change(request, framework, *, save, message, anchor="", key=None, form=None):
    """Runs `save` (with the form's cleaned data, when there is a form) and answers like every
    Discovery form: htmx gets the structure body, a plain post a redirect to it; a refusal is
    said next to the field, or above the structure when no field is to blame."""
    if form is not None and not form.is_valid():
        return _structure_body(request, framework, bound={key: form})
    try:
        save(form.cleaned_data if form is not None else {})
    except ValidationError as exc:
        if form is not None and not isinstance(exc, services.FrameworkLocked):
            add_service_errors(form, exc)
            return _structure_body(request, framework, bound={key: form})
        if request.htmx:
            return _structure_body(request, framework, error=" ".join(exc.messages))
        messages.error(request, " ".join(exc.messages))
        anchor = ""
    else:
        if request.htmx:
            return _structure_body(request, framework, notice=message)
        messages.success(request, message)
    url = reverse("discovery:framework_structure", args=[request.district.slug, framework.pk])
    return redirect(f"{url}#{anchor}" if anchor else url)


def _confirm_removal(request, framework, *, part, consequence):
    return render(
        request,
        "benchmarking/confirm_delete.html",
        {
            "title": gettext("Remove this from the framework?"),
            "object": part,
            "consequence": consequence,
            "framework": framework,
            "rated": rated_analyses(framework=framework),
            "back_url": reverse(
                "discovery:framework_structure", args=[request.district.slug, framework.pk]
            ),
        },
    )


@require(Capability.EDIT_PLAN)
@require_POST
def level_create(request, framework_pk):
    framework = get_for_district(request, Framework, pk=framework_pk)
    form = LevelForm(request.POST, prefix="new-level")
    return _structure_change(
        request,
        framework,
        key="new-level",
        form=form,
        save=lambda data: services.level_create(
            framework=framework, user=request.user, name=data["name"]
        ),
        message=gettext("Level added."),
        anchor="levels",
    )


@require(Capability.EDIT_PLAN)
@require_POST
def level(request, level_pk):
    item = _level_for_member(request, level_pk)
    key = f"level-{item.pk}"
    return _structure_change(
        request,
        item.framework,
        key=key,
        form=LevelForm(request.POST, prefix=key, number=item.number),
        save=lambda data: services.level_rename(level=item, user=request.user, name=data["name"]),
        message=gettext("Level renamed."),
        anchor=key,
    )


@require(Capability.EDIT_PLAN)
@require_POST
def level_move(request, level_pk):
    item = _level_for_member(request, level_pk)
    return _structure_change(
        request,
        item.framework,
        save=lambda data: services.level_move(
            level=item, offset=_offset(request), user=request.user
        ),
        message=gettext("Level moved."),
        anchor="levels",
    )


@require(Capability.EDIT_PLAN)
def level_delete(request, level_pk):
    item = _level_for_member(request, level_pk)
    if request.method != "POST":
        return _confirm_removal(
            request,
            item.framework,
            part=item,
            consequence=gettext(
                "Its descriptors go with it and the levels above it move down one; a target "
                "set at it moves to the level that takes its place."
            ),
        )
    return _structure_change(
        request,
        item.framework,
        save=lambda data: services.level_delete(level=item, user=request.user),
        message=gettext("Level removed."),
        anchor="levels",
    )


@require(Capability.EDIT_PLAN)
@require_POST
def building_block_create(request, framework_pk):
    framework = get_for_district(request, Framework, pk=framework_pk)
    form = NewBuildingBlockForm(request.POST, prefix="new-block")
    return _structure_change(
        request,
        framework,
        key="new-block",
        form=form,
        save=lambda data: services.building_block_create(
            framework=framework,
            user=request.user,
            name=data["name"],
            indicator_code=data["indicator_code"],
            indicator_name=data["indicator_name"],
        ),
        message=gettext("Building block added."),
        anchor="new-block-heading",
    )


@require(Capability.EDIT_PLAN)
@require_POST
def building_block(request, block_pk):
    item = _block_for_member(request, block_pk)
    key = f"block-{item.pk}"
    return _structure_change(
        request,
        item.framework,
        key=key,
        form=BuildingBlockForm(request.POST, prefix=key),
        save=lambda data: services.building_block_rename(
            block=item, user=request.user, name=data["name"]
        ),
        message=gettext("Building block renamed."),
        anchor=key,
    )


@require(Capability.EDIT_PLAN)
@require_POST
def building_block_move(request, block_pk):
    item = _block_for_member(request, block_pk)
    return _structure_change(
        request,
        item.framework,
        save=lambda data: services.building_block_move(
            block=item, offset=_offset(request), user=request.user
        ),
        message=gettext("Building block moved."),
        anchor=f"block-{item.pk}",
    )


@require(Capability.EDIT_PLAN)
def building_block_delete(request, block_pk):
    item = _block_for_member(request, block_pk)
    if request.method != "POST":
        count = item.indicators.count()
        return _confirm_removal(
            request,
            item.framework,
            part=item,
            consequence=ngettext(
                "Its %(count)s indicator goes with it, with its descriptors; evidence and "
                "findings tagged with it lose the tag.",
                "Its %(count)s indicators go with it, with their descriptors; evidence and "
                "findings tagged with them lose the tag.",
                count,
            )
            % {"count": count},
        )
    return _structure_change(
        request,
        item.framework,
        save=lambda data: services.building_block_delete(block=item, user=request.user),
        message=gettext("Building block removed."),
    )


@require(Capability.EDIT_PLAN)
@require_POST
def indicator_create(request, block_pk):
    block = _block_for_member(request, block_pk)
    key = f"new-indicator-{block.pk}"
    return _structure_change(
        request,
        block.framework,
        key=key,
        form=NewIndicatorForm(request.POST, prefix=key),
        save=lambda data: services.indicator_create(
            block=block, user=request.user, code=data["code"], name=data["name"]
        ),
        message=gettext("Indicator added."),
        anchor=f"block-{block.pk}",
    )


@require(Capability.EDIT_PLAN)
@require_POST
def indicator(request, indicator_pk):
    item = _indicator_for_member(request, indicator_pk)
    framework = item.building_block.framework
    key = f"indicator-{item.pk}"
    return _structure_change(
        request,
        framework,
        key=key,
        form=IndicatorForm(request.POST, prefix=key, framework=framework),
        save=lambda data: services.indicator_update(indicator=item, user=request.user, **data),
        message=gettext("Indicator saved."),
        anchor=key,
    )


@require(Capability.EDIT_PLAN)
@require_POST
def indicator_move(request, indicator_pk):
    item = _indicator_for_member(request, indicator_pk)
    return _structure_change(
        request,
        item.building_block.framework,
        save=lambda data: services.indicator_move(
            indicator=item, offset=_offset(request), user=request.user
        ),
        message=gettext("Indicator moved."),
        anchor=f"indicator-{item.pk}",
    )


@require(Capability.EDIT_PLAN)
def indicator_delete(request, indicator_pk):
    item = _indicator_for_member(request, indicator_pk)
    framework = item.building_block.framework
    if request.method != "POST":
        return _confirm_removal(
            request,
            framework,
            part=item,
            consequence=gettext(
                "Its descriptors and reference targets go with it; evidence and findings "
                "tagged with it lose the tag."
            ),
        )
    return _structure_change(
        request,
        framework,
        save=lambda data: services.indicator_delete(indicator=item, user=request.user),
        message=gettext("Indicator removed."),
        anchor=f"block-{item.building_block_id}",
    )


def _offset(request):
    try:
        return max(-1000, min(1000, int(request.POST.get("offset", "0"))))
    except ValueError:
        return 0
