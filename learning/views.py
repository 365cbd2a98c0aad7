"""Professional learning: offerings, their sessions and who took part, tied to theories of
action and to the look-fors they should change."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from core.forms import add_service_errors
from core.inplace_edit import versioned_edit
from core.roles import Capability, require
from core.tenancy import get_for_district
from core.upload_flow import upload_preview_confirm
from learning import services
from learning.forms import (
    OfferingForm,
    ParticipationForm,
    SessionForm,
    SignInSheetForm,
    confirm_form_for,
)
from learning.models import Offering, Session
from learning.selectors import offering_history, offering_page, offerings_list
from learning.sign_in_import import plan_sign_in_sheet


def _offering_url(request, offering, anchor=""):
    url = reverse("learning:offering", args=[request.district.slug, offering.pk])
    return f"{url}#{anchor}" if anchor else url


def _offering_queryset():
    return Offering.objects.select_related("facilitator__user")


def index(request):
    return render(
        request, "learning/index.html", {"offerings": offerings_list(district=request.district)}
    )


@require(Capability.EDIT_PLAN)
def offering_create(request):
    form = OfferingForm(request.POST or None, district=request.district)
    if request.method == "POST" and form.is_valid():
        try:
            offering = services.offering_create(
                district=request.district, user=request.user, **form.model_data(), **form.m2m_data()
            )
        except ValidationError as refusal:
            add_service_errors(form, refusal)
        else:
            messages.success(request, gettext("Professional learning added. Now add its sessions."))
            return redirect(_offering_url(request, offering, "sessions"))
    return render(request, "learning/offering_form.html", {"form": form})


def _page(offering, **forms):
    context = {
        "offering": offering,
        "session_form": SessionForm(offering=offering),
        "participation_form": ParticipationForm(offering=offering),
        **offering_page(offering=offering),
    }
    return context | forms


def offering(request, offering_pk):
    offering = get_for_district(request, _offering_queryset(), pk=offering_pk)
    return render(request, "learning/offering.html", _page(offering))


@require(Capability.EDIT_PLAN)
def offering_edit(request, offering_pk):
    offering = get_for_district(request, _offering_queryset(), pk=offering_pk)
    return versioned_edit(
        request,
        instance=offering,
        form_class=OfferingForm,
        form_kwargs={"district": request.district},
        save=lambda form, **edit: services.offering_update(
            offering=offering, data=form.model_data(), **edit, **form.m2m_data()
        ),
        template="learning/offering_form.html",
        context={"offering": offering},
        message=gettext("Professional learning saved."),
        success_url=lambda saved: _offering_url(request, saved),
    )


@require(Capability.EDIT_PLAN)
def offering_delete(request, offering_pk):
    offering = get_for_district(request, Offering, pk=offering_pk)
    if request.method != "POST":
        return render(
            request,
            "learning/confirm_delete.html",
            {
                "object": offering,
                "heading": gettext("Delete this professional learning?"),
                "consequence": gettext(
                    "Its sessions and participation go with it. Its history is kept."
                ),
                "back_url": _offering_url(request, offering),
            },
        )
    services.offering_delete(offering=offering, user=request.user)
    messages.success(request, gettext("“%(title)s” deleted.") % {"title": offering.title})
    return redirect("learning:index", request.district.slug)


def offering_history_page(request, offering_pk):
    offering = get_for_district(request, Offering, pk=offering_pk)
    return render(
        request,
        "core/history.html",
        {
            "object": offering,
            "entries": offering_history(offering),
            "several_records": True,
            "back_url": _offering_url(request, offering),
        },
    )


# Sessions


@require(Capability.EDIT_PLAN)
def session_create(request, offering_pk):
    offering = get_for_district(request, _offering_queryset(), pk=offering_pk)
    form = SessionForm(request.POST or None, offering=offering)
    if request.method == "POST" and form.is_valid():
        try:
            services.session_create(offering=offering, user=request.user, **form.model_data())
        except ValidationError as refusal:
            add_service_errors(form, refusal)
        else:
            messages.success(request, gettext("Session added."))
            return redirect(_offering_url(request, offering, "sessions"))
    if request.method == "POST":
        return render(request, "learning/offering.html", _page(offering, session_form=form))
    return render(request, "learning/session_form.html", {"form": form, "offering": offering})


@require(Capability.EDIT_PLAN)
def session(request, session_pk):
    """GET: the session's edit form; POST: save it."""
    session = get_for_district(request, Session.objects.select_related("offering"), pk=session_pk)
    offering = session.offering
    return versioned_edit(
        request,
        instance=session,
        form_class=SessionForm,
        form_kwargs={"offering": offering},
        save=lambda form, **edit: services.session_update(
            session=session, data=form.model_data(), **edit
        ),
        template="learning/session_form.html",
        context={"offering": offering, "session": session},
        message=gettext("Session saved."),
        success_url=lambda saved: _offering_url(request, offering, "sessions"),
    )


@require(Capability.EDIT_PLAN)
def session_delete(request, session_pk):
    session = get_for_district(request, Session.objects.select_related("offering"), pk=session_pk)
    back = _offering_url(request, session.offering, "sessions")
    if request.method != "POST":
        return render(
            request,
            "learning/confirm_delete.html",
            {
                "object": session,
                "heading": gettext("Delete this session?"),
                "consequence": gettext(
                    "Its participation counts and names go with it. Its history is kept."
                ),
                "back_url": back,
            },
        )
    services.session_delete(session=session, user=request.user)
    messages.success(request, gettext("Session deleted, with its participation."))
    return redirect(back)


# Participation


@require(Capability.EDIT_PLAN)
@require_POST
def participation(request, offering_pk):
    """Sets how many people of a campus in a staff role took part in a session."""
    offering = get_for_district(request, _offering_queryset(), pk=offering_pk)
    form = ParticipationForm(request.POST, offering=offering)
    if form.is_valid():
        try:
            services.participation_set(user=request.user, **form.cleaned_data)
        except ValidationError as refusal:
            add_service_errors(form, refusal)
        else:
            messages.success(request, gettext("Participation saved."))
            return redirect(_offering_url(request, offering, "participation"))
    return render(request, "learning/offering.html", _page(offering, participation_form=form))


@require(Capability.EDIT_PLAN)
def sign_in_import(request, offering_pk):
    """Upload a sign-in sheet → preview what each row does → confirm, in one transaction."""
    offering = get_for_district(request, _offering_queryset(), pk=offering_pk)

    def done(plan):
        messages.success(
            request,
            gettext(
                "Sign-in sheet imported: %(add)s counted, %(unchanged)s already recorded, "
                "%(reject)s rejected."
            )
            % plan.counts,
        )
        return redirect(_offering_url(request, offering, "participation"))

    return upload_preview_confirm(
        request,
        upload_form=SignInSheetForm,
        confirm_form=confirm_form_for(offering),
        plan=lambda text: plan_sign_in_sheet(offering, text),
        apply=lambda text: services.sign_in_sheet_apply(
            offering=offering, user=request.user, text=text
        ),
        template="learning/sign_in_import.html",
        preview_template="learning/sign_in_preview.html",
        done=done,
        context={"offering": offering},
    )
