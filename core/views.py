import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from kombu import Connection

from core import selectors
from core.campus_import import plan_campus_import
from core.forms import (
    CampusFilterForm,
    CampusImportConfirmForm,
    CampusUploadForm,
    DistrictSettingsForm,
)
from core.fragments import cached_fragment
from core.history import district_events, earlier_history, history
from core.models import Campus, DistrictLogo
from core.roles import Capability, require
from core.services import campus_import_apply, district_settings_save
from core.tenancy import get_for_district
from core.upload_flow import upload_preview_confirm


@login_required
def root(request):
    return redirect("accounts:pick_district")


@never_cache
@require_GET
def healthz(request):
    started = time.monotonic()
    checks = {"database": _check_database(), "broker": _check_broker()}
    healthy = all(check["ok"] for check in checks.values())
    body = {
        "status": "ok" if healthy else "unavailable",
        **checks,
        "took_ms": round((time.monotonic() - started) * 1000, 1),
    }
    return JsonResponse(body, status=200 if healthy else 503)


def _check_database():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:
        return {"ok": False, "error": type(exc).__name__}
    return {"ok": True, "vendor": connection.vendor}


def _check_broker():
    if not settings.CELERY_BROKER_URL:
        return {"ok": True, "mode": "in-process (no broker configured)"}
    try:
        with Connection(settings.CELERY_BROKER_URL, connect_timeout=2) as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, timeout=2)
    except Exception as exc:
        return {"ok": False, "error": type(exc).__name__}
    return {"ok": True, "mode": "broker"}


def campus_list(request):
    choosers = selectors.campus_choosers(district=request.district, membership=request.membership)
    form = CampusFilterForm(request.GET or None, choosers=choosers)
    filters = {}
    if form.is_bound:
        # A refused value (another district's measure) is named next to its menu; the values
        # that passed still apply.
        form.is_valid()
        filters = form.cleaned_data
    columns = selectors.campus_columns(
        today=timezone.localdate(), choosers=choosers, chosen=filters
    )
    sort = selectors.campus_sort(request.GET.get("sort", "name"), columns)
    campuses = selectors.campuses_for_district(
        district=request.district,
        query=filters.get("q", ""),
        level=filters.get("level", ""),
        columns=columns,
        sort=sort,
    )
    path = reverse("core:campuses", args=[request.district.slug])
    kept = [(name, value) for name, value in filters.items() if value]
    context = {
        "form": form,
        "campuses": list(campuses),
        "columns": columns,
        "headings": [
            _sort_heading(path, kept, sort, key, label)
            for key, label in [("name", gettext("Campus")), *((c.key, c.label) for c in columns)]
        ],
    }
    template = "core/campus_list.html"
    if request.htmx and request.htmx.target == "campus-table":
        template += "#campus-table"
    return render(request, template, context)


def _sort_heading(path, kept, sort, key, label):
    """A sortable heading of the campus list: the link sorts by its column, ascending, or
    descending when the list is already sorted ascending by it; `aria_sort` says how it is."""
    current = sort.removeprefix("-") == key
    descending = current and sort.startswith("-")
    next_sort = f"-{key}" if current and not descending else key
    return {
        "label": label,
        "url": f"{path}?{urlencode([*kept, ('sort', next_sort)])}",
        "aria_sort": ("descending" if descending else "ascending") if current else None,
    }


def campus_detail(request, campus_pk):
    campus = get_for_district(request, Campus.objects.select_related("district"), pk=campus_pk)
    context = selectors.campus_detail(campus=campus, membership=request.membership)
    for section in context["sections"]:
        if section.kept is not None:
            section.html = cached_fragment(
                request,
                section.template,
                key=(campus.pk, *section.kept),
                context=lambda section=section: {"data": section.context()},
            )
    return render(request, "core/campus_detail.html", context)


@require(Capability.MANAGE_DISTRICT)
def campus_import(request):
    def done(plan):
        messages.success(
            request,
            gettext(
                "Campus list imported: %(create)s created, %(update)s updated, "
                "%(unchanged)s unchanged, %(reject)s rejected."
            )
            % plan.counts,
        )
        return redirect("core:campuses", request.district.slug)

    return upload_preview_confirm(
        request,
        upload_form=CampusUploadForm,
        confirm_form=CampusImportConfirmForm,
        plan=lambda text: plan_campus_import(request.district, text),
        apply=lambda text: campus_import_apply(district=request.district, text=text),
        template="core/campus_import.html",
        preview_template="core/campus_import_preview.html",
        done=done,
    )


def district_history(request):
    """Every change in the district, whatever path made it: the last 200."""
    return render(
        request,
        "core/history.html",
        {
            "object": request.district,
            "entries": history(district_events(request.district)),
            "earlier_entries": earlier_history(request.district),
            "several_records": True,
            "back_url": reverse("dashboard:home", args=[request.district.slug]),
        },
    )


@require(Capability.MANAGE_DISTRICT)
def district_settings(request):
    """The district's own settings, for its admins: the smallest student group shown, and the
    brand colours and logo its reports are drawn with."""
    district = request.district
    form = DistrictSettingsForm(
        request.POST or None,
        request.FILES or None,
        initial={
            "smallest_group_shown": district.smallest_group_shown,
            "brand_primary": district.brand_primary,
            "brand_secondary": district.brand_secondary,
        },
    )
    if request.method == "POST" and form.is_valid():
        district_settings_save(district=district, **form.cleaned_data)
        messages.success(request, gettext("The district's settings are saved."))
        return redirect("core:settings", district.slug)
    preview = {"primary": district.brand_primary, "secondary": district.brand_secondary}
    if form.is_bound:
        # The preview shows the colours just tried when they pass, so the admin sees them before
        # choosing again; a refused colour is not drawn.
        for key in preview:
            if f"brand_{key}" in form.cleaned_data:
                preview[key] = form.cleaned_data[f"brand_{key}"]
    return render(request, "core/settings.html", {"form": form, "preview": preview})


def district_logo(request):
    """The district's logo for its members' pages (the settings preview): the site's content
    policy allows no inline images, and the type sent is the one the upload was checked to be."""
    logo = get_object_or_404(DistrictLogo, district=request.district)
    response = HttpResponse(bytes(logo.image), content_type=logo.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = "inline"
    response["Cache-Control"] = "private, no-cache"
    return response
