"""Reports: request one, watch it render (htmx polling), download it."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import get_language, gettext
from django.views.decorators.http import require_POST

from core.files import stored_file_response
from core.models import District
from core.numbers import whole_number
from core.roles import Capability, require
from core.tenancy import get_for_district
from reports import queue
from reports.forms import ReportRequestForm
from reports.models import Report

PAGE = "reports/index.html"


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
    report = queue.request_report(
        district_id=request.district.pk,
        user=request.user,
        kind=kind,
        visit=form.cleaned_data["visit"] if kind == Report.Kind.VISIT else None,
        analysis=form.cleaned_data["analysis"] if kind == Report.Kind.DISCOVERY else None,
        campus_plan=form.cleaned_data["campus_plan"] if kind == Report.Kind.CAMPUS_PLAN else None,
        meeting=form.cleaned_data["meeting"] if kind == Report.Kind.MEETING else None,
        campus_pages=form.cleaned_data["campus_pages"],
        meeting_date=form.cleaned_data["meeting_date"],
        audience=form.cleaned_data["audience"],
        decisions=form.cleaned_data["decisions"],
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
    if queue.retry_report(report=item):
        messages.success(request, gettext("The report is queued again."))
    return redirect("reports:index", request.district.slug)


@require(Capability.DOWNLOAD_REPORTS)
def download(request, report_pk):
    item = get_for_district(request, Report.objects.select_related("district"), pk=report_pk)
    if item.status != Report.Status.READY or not item.file:
        raise Http404("This report has no file yet.")
    response = stored_file_response(
        item.file.name, filename=item.filename, content_type="application/pdf"
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
