"""Reports: request one, watch it render (htmx polling), download it."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from benchmarking.models import DiscoveryAnalysis
from core.models import District
from core.numbers import whole_number
from core.roles import Capability, require
from core.tenancy import get_for_district
from reports import services
from reports.models import Report
from visits.models import Visit

PAGE = "reports/index.html"
OFFERED_VISITS = 200


class ReportRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("Report"), choices=Report.Kind.choices)
    visit = forms.ModelChoiceField(
        label=_("Visit (for a visit report)"), queryset=Visit.objects.none(), required=False
    )
    analysis = forms.ModelChoiceField(
        label=_("Discovery Analysis (for its report)"),
        queryset=DiscoveryAnalysis.objects.none(),
        required=False,
    )
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES, required=False)

    def __init__(self, *args, district, **kwargs):
        super().__init__(*args, **kwargs)
        visits = (
            Visit.objects.filter(district=district)
            .exclude(status=Visit.Status.PLANNED)
            .select_related("campus")
            .order_by("-date", "-pk")
        )
        field = self.fields["visit"]
        # Any reportable visit of the district validates; the menu offers only the latest
        # (a sliced queryset would refuse every choice), plus the one asked for by address.
        field.queryset = visits
        offered = list(visits[:OFFERED_VISITS])
        chosen = whole_number(self["visit"].value())
        if chosen is not None and chosen not in {v.pk for v in offered}:
            offered += list(visits.filter(pk=chosen))
        field.widget.choices = [("", field.empty_label)] + [
            (v.pk, f"{date_format(v.date)}: {v.campus.name}") for v in offered
        ]
        self.fields["analysis"].queryset = DiscoveryAnalysis.objects.filter(district=district)

    def clean(self):
        data = super().clean()
        if data.get("kind") == Report.Kind.VISIT and not data.get("visit"):
            self.add_error("visit", gettext("Choose the visit to report on."))
        if data.get("kind") == Report.Kind.DISCOVERY and not data.get("analysis"):
            self.add_error("analysis", gettext("Choose the Discovery Analysis to report on."))
        return data


def _reports(request):
    return list(
        Report.objects.filter(district=request.district)
        .select_related("requested_by", "district")
        .order_by("-requested_at", "-pk")[:50]
    )


def index(request):
    initial = {"language": get_language()}
    if whole_number(request.GET.get("visit")) is not None:
        initial |= {"kind": Report.Kind.VISIT, "visit": request.GET["visit"]}
    form = ReportRequestForm(district=request.district, initial=initial)
    return render(request, PAGE, {"reports": _reports(request), "form": form})


@require(Capability.REQUEST_REPORTS)
@require_POST
def request_report(request):
    form = ReportRequestForm(request.POST, district=request.district)
    if not form.is_valid():
        return render(request, PAGE, {"reports": _reports(request), "form": form})
    kind = form.cleaned_data["kind"]
    report = services.report_request(
        district_id=request.district.pk,
        user=request.user,
        kind=kind,
        visit=form.cleaned_data["visit"] if kind == Report.Kind.VISIT else None,
        analysis=form.cleaned_data["analysis"] if kind == Report.Kind.DISCOVERY else None,
        language=form.cleaned_data["language"] or "en",
    )
    messages.success(
        request,
        gettext("%(title)s is queued. This page shows its progress.") % {"title": report.title},
    )
    return redirect("reports:index", request.district.slug)


def report(request, report_pk):
    """The report's row; the page polls it while the report is queued or rendering."""
    item = get_for_district(
        request, Report.objects.select_related("requested_by", "district"), pk=report_pk
    )
    return render(request, f"{PAGE}#report-row", {"item": item})


@require(Capability.REQUEST_REPORTS)
@require_POST
def retry(request, report_pk):
    item = get_for_district(request, Report, pk=report_pk)
    if services.report_retry(report=item):
        messages.success(request, gettext("The report is queued again."))
    return redirect("reports:index", request.district.slug)


@require(Capability.DOWNLOAD_REPORTS)
def download(request, report_pk):
    item = get_for_district(request, Report.objects.select_related("district"), pk=report_pk)
    if item.status != Report.Status.READY or not item.file:
        raise Http404("This report has no file yet.")
    response = FileResponse(
        default_storage.open(item.file.name, "rb"),
        as_attachment=True,
        filename=item.filename,
        content_type="application/pdf",
    )
    response["X-Report-SHA256"] = item.sha256
    response["Cache-Control"] = "private, no-store"
    return response


@require(Capability.MANAGE_DISTRICT)
@require_POST
def nightly(request):
    enabled = request.POST.get("nightly") == "on"
    District.objects.filter(pk=request.district.pk).update(nightly_board_summary=enabled)
    messages.success(
        request,
        gettext("A board summary will be rendered every night.")
        if enabled
        else gettext("Nightly board summaries are off."),
    )
    return redirect("reports:index", request.district.slug)
