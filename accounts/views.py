from allauth.account import views as allauth_views
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views import i18n
from django.views.decorators.http import require_POST

from accounts import selectors
from accounts.forms import MemberAccessForm, PeopleFilterForm, SecondFactorPolicyForm, SignInForm
from accounts.models import AccessEvent, Membership
from accounts.services import (
    access_event_record,
    district_second_factor_set,
    membership_access_set,
    user_language_set,
)
from core.redirects import safe_next
from core.roles import Capability, require
from core.selectors import memberships_of
from core.tenancy import get_for_district


class SignInView(allauth_views.LoginView):
    """allauth's sign-in (so a second factor, when set up, is asked for next) on our page."""

    template_name = "accounts/login.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "next": safe_next(self.request)}


class SignOutView(auth_views.LogoutView):
    """Signing out tells the browser to drop its HTTP cache of this site. Not "storage": that
    would also wipe the IndexedDB outbox, and with it observations the writer has not sent yet;
    the outbox is encrypted under its writer's key instead, which the sign-out form deletes
    before posting here (static/js/forget-keys.js), and the service worker forgets its offline
    pages itself when someone signs out (templates/visits/sw.js)."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        response["Clear-Site-Data"] = '"cache"'
        return response


def axes_username(request, credentials):
    """The email an attempt was for, lower-cased so capitalisation cannot dodge the lockout."""
    source = credentials if credentials is not None else request.POST
    email = source.get("email") or source.get("login") or source.get("username") or ""
    return email.strip().lower()


def locked_out(request, original_response=None, credentials=None):
    """What django-axes shows once an email has failed to sign in too often from here."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    email = axes_username(request, credentials)
    access_event_record(kind=AccessEvent.Kind.LOCKED_OUT, email=email, request=request)
    form = SignInForm(request=request, initial={"login": email})
    return render(
        request,
        "accounts/login.html",
        {
            "form": form,
            "locked_out": True,
            "cooloff_minutes": minutes,
            "next": safe_next(request),
        },
        status=429,
    )


@login_required
def pick_district(request):
    memberships = memberships_of(request.user)
    if len(memberships) == 1 and not request.GET.get("all"):
        return redirect("core:home", memberships[0].district.slug)
    return render(request, "accounts/pick_district.html", {"memberships": memberships})


@require_POST
def set_language(request):
    """The footer's language switch; a signed-in person's choice is also kept for the emails
    they are sent."""
    response = i18n.set_language(request)
    language = request.POST.get("language")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        user_language_set(user=request.user, language=language)
    return response


@require(Capability.MANAGE_DISTRICT)
def people(request):
    form = PeopleFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    members = selectors.members_for_district(
        district=request.district, query=filters.get("q", ""), role=filters.get("role", "")
    )
    template = "accounts/people.html"
    if request.htmx and request.htmx.target == "people-table":
        template += "#people-table"
    return render(request, template, {"form": form, "members": members})


@require(Capability.MANAGE_DISTRICT)
def member_access(request, membership_pk):
    """Asks before switching a member's access off or on; the POST does it."""
    member = get_for_district(request, Membership.objects.select_related("user"), pk=membership_pk)
    form = MemberAccessForm(
        request.POST or None, initial={"active": "off" if member.is_active else "on"}
    )
    if request.method == "POST" and form.is_valid():
        active = form.cleaned_data["active"] == "on"
        try:
            membership_access_set(membership=member, active=active, by=request.user)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            email = member.user.email
            messages.success(
                request,
                gettext("%(email)s can use this district again.") % {"email": email}
                if active
                else gettext("%(email)s can no longer use this district.") % {"email": email},
            )
            return redirect("people:index", request.district.slug)
    return render(request, "accounts/member_access.html", {"member": member, "form": form})


@require(Capability.MANAGE_DISTRICT)
def second_factor(request):
    """Whether the district's admins must sign in with an authenticator app as well."""
    district = request.district
    form = SecondFactorPolicyForm(
        request.POST or None, initial={"required": district.require_mfa_for_admins}
    )
    if request.method == "POST" and form.is_valid():
        required = form.cleaned_data["required"]
        district_second_factor_set(
            district=district, required=required, by=request.user, request=request
        )
        messages.success(
            request,
            gettext("District admins must now use a second factor.")
            if required
            else gettext("A second factor is now each admin's own choice."),
        )
        return redirect("people:second_factor", district.slug)
    return render(request, "accounts/second_factor.html", {"form": form})
