"""Meetings and their decisions: a list, a page per meeting, and plain forms to record them.

Everyone in the district reads them; the cabinet and admins (Capability.EDIT_PLAN) record them.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from core.files import stored_file_response
from core.forms import add_service_errors
from core.inplace_edit import versioned_edit
from core.numbers import whole_number
from core.roles import Capability, can, require
from core.tenancy import get_for_district
from meetings import hooks, services
from meetings.forms import DecisionForm, FollowUpForm, MaterialForm, MeetingForm
from meetings.models import Decision, Material, Meeting
from meetings.selectors import meeting_history, meeting_list, meeting_month, meeting_page


def _meeting_url(request, meeting, anchor=""):
    url = reverse("meetings:meeting", args=[request.district.slug, meeting.pk])
    return f"{url}#{anchor}" if anchor else url


def _index_url(request):
    return reverse("meetings:index", args=[request.district.slug])


def index(request):
    page = whole_number(request.GET.get("page"))
    context = meeting_list(district=request.district, today=timezone.localdate(), page=page)
    return render(request, "meetings/index.html", context)


def month(request):
    """The meetings of a month (?year=&month=, this month without them)."""
    today = timezone.localdate()
    year, month = whole_number(request.GET.get("year")), whole_number(request.GET.get("month"))
    # The page links to the months either side, so the first and last years a date can hold
    # are out; a century either way is more than any district plans.
    if year is None or month is None or not 1 <= month <= 12 or abs(year - today.year) > 100:
        year, month = today.year, today.month
    context = meeting_month(district=request.district, year=year, month=month, today=today)
    return render(request, "meetings/calendar.html", context)


@require(Capability.EDIT_PLAN)
def meeting_create(request):
    form = MeetingForm(
        request.POST or None,
        district=request.district,
        initial={"date": timezone.localdate(), "kind": Meeting.Kind.CABINET_RETREAT},
    )
    if request.method == "POST" and form.is_valid():
        meeting = services.meeting_create(
            district=request.district,
            user=request.user,
            attendees=form.cleaned_data["attendees"],
            **form.model_data(),
        )
        messages.success(request, gettext("Meeting recorded. Add its decisions below."))
        return redirect(_meeting_url(request, meeting, "decisions"))
    return render(request, "meetings/meeting_form.html", {"form": form})


def meeting(request, meeting_pk):
    meeting = get_for_district(request, Meeting, pk=meeting_pk)
    context = {"meeting": meeting_page(meeting)}
    if can(request.membership, Capability.EDIT_PLAN):
        # What families wrote is read only by those who moderate it (public.views).
        context["feedback"] = hooks.meeting_feedback.ask(meeting=meeting)
        # The decision and follow-up forms offer every campus, goal, theory and finding: they
        # are drawn when someone opens them (meetings/_form_on_request.html), not on every view.
        context["may_edit"] = True
        context["decision_form_open"] = not context["meeting"].decision_list
        context["material_form"] = MaterialForm()
    return render(request, "meetings/meeting.html", context)


@require(Capability.EDIT_PLAN)
def meeting_edit(request, meeting_pk):
    meeting = get_for_district(request, Meeting, pk=meeting_pk)
    return versioned_edit(
        request,
        instance=meeting,
        form_class=MeetingForm,
        form_kwargs={"district": request.district},
        save=lambda form, **edit: services.meeting_update(
            meeting=meeting,
            data=form.model_data(),
            attendees=form.cleaned_data["attendees"],
            **edit,
        ),
        template="meetings/meeting_form.html",
        context={"meeting": meeting},
        message=gettext("Meeting saved."),
        success_url=lambda saved: _meeting_url(request, saved),
    )


@require(Capability.EDIT_PLAN)
def meeting_delete(request, meeting_pk):
    meeting = get_for_district(request, Meeting, pk=meeting_pk)
    if request.method != "POST":
        return render(
            request,
            "meetings/confirm_delete.html",
            {
                "object": meeting,
                "kind": gettext("meeting"),
                "back_url": _meeting_url(request, meeting),
            },
        )
    services.meeting_delete(meeting=meeting, user=request.user)
    messages.success(request, gettext("Meeting “%(title)s” deleted.") % {"title": meeting.title})
    return redirect(_index_url(request))


def meeting_history_page(request, meeting_pk):
    meeting = get_for_district(request, Meeting, pk=meeting_pk)
    return render(
        request,
        "core/history.html",
        {
            "object": meeting,
            "entries": meeting_history(meeting),
            "several_records": True,
            "back_url": _meeting_url(request, meeting),
        },
    )


# Decisions


@require(Capability.EDIT_PLAN)
def decision_create(request, meeting_pk):
    meeting = get_for_district(request, Meeting, pk=meeting_pk)
    form = DecisionForm(request.POST or None, district=request.district)
    if request.method == "POST" and form.is_valid():
        try:
            decision = services.decision_create(
                meeting=meeting, user=request.user, **form.model_data()
            )
        except ValidationError as refusal:
            add_service_errors(form, refusal)
        else:
            messages.success(request, gettext("Decision recorded."))
            return redirect(_meeting_url(request, meeting, f"decision-{decision.pk}"))
    return render(
        request,
        _form_template(request, "meetings/decision_form.html", "decision-new"),
        {"form": form, "meeting": meeting},
    )


@require(Capability.EDIT_PLAN)
def decision(request, decision_pk):
    """GET: the decision's edit form; POST: save it."""
    decision = get_for_district(request, Decision.objects.select_related("meeting"), pk=decision_pk)
    meeting = decision.meeting
    return versioned_edit(
        request,
        instance=decision,
        form_class=DecisionForm,
        form_kwargs={"district": request.district},
        save=lambda form, **edit: services.decision_update(
            decision=decision, data=form.model_data(), **edit
        ),
        template="meetings/decision_form.html",
        context={"decision": decision, "meeting": meeting},
        message=gettext("Decision saved."),
        success_url=lambda saved: _meeting_url(request, meeting, f"decision-{saved.pk}"),
    )


@require(Capability.EDIT_PLAN)
def decision_delete(request, decision_pk):
    decision = get_for_district(request, Decision.objects.select_related("meeting"), pk=decision_pk)
    if request.method != "POST":
        return render(
            request,
            "meetings/confirm_delete.html",
            {
                "object": decision,
                "kind": gettext("decision"),
                "back_url": _meeting_url(request, decision.meeting, "decisions"),
            },
        )
    services.decision_delete(decision=decision, user=request.user)
    messages.success(request, gettext("Decision deleted."))
    return redirect(_meeting_url(request, decision.meeting, "decisions"))


# Follow-up actions


def _form_template(request, page, fragment):
    """The form's page, or only the form for the meeting page that opened it in place."""
    if request.method == "GET" and request.htmx and request.htmx.target == fragment:
        return f"{page}#{fragment}"
    return page


def _follow_up_form(request, data=None):
    return FollowUpForm(data, district=request.district, initial={"owner": "campus"})


@require(Capability.EDIT_PLAN)
def follow_up_create(request, meeting_pk):
    meeting = get_for_district(request, Meeting, pk=meeting_pk)
    form = _follow_up_form(request, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.follow_up_create(meeting=meeting, user=request.user, **form.cleaned_data)
        except ValidationError as refusal:
            add_service_errors(form, refusal)
        else:
            messages.success(
                request, gettext("Follow-up action added; it is on the action items page.")
            )
            return redirect(_meeting_url(request, meeting, "follow-ups"))
    return render(
        request,
        _form_template(request, "meetings/follow_up_form.html", "follow-up-new"),
        {"form": form, "meeting": meeting},
    )


# Materials


@require(Capability.EDIT_PLAN)
def material_add(request, meeting_pk):
    meeting = get_for_district(request, Meeting.objects.select_related("district"), pk=meeting_pk)
    form = MaterialForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            material = services.material_add(
                meeting=meeting, user=request.user, upload=form.cleaned_data["file"]
            )
        except ValidationError as refusal:
            add_service_errors(form, refusal)
        else:
            messages.success(
                request, gettext("“%(name)s” attached.") % {"name": material.file_name}
            )
            return redirect(_meeting_url(request, meeting, "materials"))
    return render(request, "meetings/material_form.html", {"form": form, "meeting": meeting})


def material_file(request, material_pk):
    """Only members of the district reach this (core.tenancy): the file is never public."""
    material = get_for_district(request, Material, pk=material_pk)
    if not material.file:
        raise Http404("This material has no file.")
    return stored_file_response(material.file.name, filename=material.file_name)


@require(Capability.EDIT_PLAN)
def material_delete(request, material_pk):
    material = get_for_district(request, Material.objects.select_related("meeting"), pk=material_pk)
    if request.method != "POST":
        return render(
            request,
            "meetings/confirm_delete.html",
            {
                "object": material,
                "kind": gettext("material"),
                "back_url": _meeting_url(request, material.meeting, "materials"),
            },
        )
    services.material_delete(material=material, user=request.user)
    messages.success(request, gettext("“%(name)s” removed.") % {"name": material.file_name})
    return redirect(_meeting_url(request, material.meeting, "materials"))
