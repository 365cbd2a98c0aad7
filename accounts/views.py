from allauth.account import views as allauth_views
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext, ngettext
from django.views import i18n
from django.views.decorators.http import require_POST

from accounts import hooks, selectors
from accounts.adapters import SSO_DISTRICT_SESSION_KEY, provider_origin, sign_in_url
from accounts.forms import (
    AcceptInvitationForm,
    AccessLogFilterForm,
    DigestForm,
    EmailStepForm,
    IdentityProviderForm,
    InvitationForm,
    InvitationImportConfirmForm,
    InvitationUploadForm,
    MemberAccessForm,
    MemberForm,
    PeopleFilterForm,
    SecondFactorPolicyForm,
    SignInForm,
)
from accounts.invitation_import import plan_invitation_import
from accounts.models import AccessEvent, Invitation, Membership, User
from accounts.services import (
    InvitationUnusable,
    access_event_record,
    district_second_factor_set,
    identity_provider_save,
    invitation_accept,
    invitation_create,
    invitation_import_apply,
    invitation_resend,
    invitation_revoke,
    membership_access_set,
    membership_digest_set,
    membership_update,
    user_language_set,
    user_sessions_end,
)
from core.csv_export import SafeWriter, csv_response
from core.forms import add_service_errors
from core.inplace_edit import versioned_edit
from core.redirects import safe_next
from core.roles import Capability, require
from core.selectors import memberships_of
from core.tenancy import get_for_district
from core.upload_flow import upload_preview_confirm


def offer_sso(request, provider):
    """What a page needs to show a "Sign in with ..." button for the district's provider, and
    the note in the session of which district it is (see accounts.adapters)."""
    if provider is None:
        return {}
    request.session[SSO_DISTRICT_SESSION_KEY] = provider.district_id
    request.sso_origin = provider_origin(provider)
    return {"sso": provider, "sso_url": sign_in_url(provider)}


def allow_sso_redirect(request, response):
    """Lets the page's "Sign in with ..." form lead to the provider (see provider_origin)."""
    origin = getattr(request, "sso_origin", None)
    if origin:
        response._csp_update = {"form-action": [origin]}
    return response


class SignInView(allauth_views.LoginView):
    """Signing in takes two steps: the email address first, which says whether the person's
    district signs in through its identity provider; then that provider's button, a password,
    or both. allauth does the password part (so a second factor, when set up, comes next)."""

    template_name = "accounts/login.html"

    def dispatch(self, request, *args, **kwargs):
        return allow_sso_redirect(request, super().dispatch(request, *args, **kwargs))

    def get(self, request, *args, **kwargs):
        return self._email_step(EmailStepForm())

    def post(self, request, *args, **kwargs):
        if "password" in request.POST:
            return super().post(request, *args, **kwargs)
        form = EmailStepForm(request.POST)
        if not form.is_valid():
            return self._email_step(form)
        email = form.cleaned_data["login"]
        context = {
            "form": self.get_form_class()(request=request, initial={"login": email}),
            "next": safe_next(request),
        }
        return render(request, self.template_name, context | self._sso_context(email))

    def _email_step(self, form):
        context = {"form": form, "step": "email", "next": safe_next(self.request)}
        return render(self.request, self.template_name, context)

    def _sso_context(self, email):
        self.request.session.pop(SSO_DISTRICT_SESSION_KEY, None)
        return offer_sso(self.request, selectors.identity_provider_for_email(email))

    def get_context_data(self, **kwargs):
        context = {**super().get_context_data(**kwargs), "next": safe_next(self.request)}
        return context | self._sso_context(self.request.POST.get("login", ""))


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
        return redirect("dashboard:home", memberships[0].district.slug)
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
    invitations = selectors.pending_invitations(district=request.district)
    return render(request, template, {"form": form, "members": members, "invitations": invitations})


@require(Capability.MANAGE_DISTRICT)
def member(request, membership_pk):
    """One member: who they are, how they sign in, and the form to change their role."""
    member = selectors.member_detail(district=request.district, membership_pk=membership_pk)
    if member is None:
        raise Http404("No such member.")
    return versioned_edit(
        request,
        instance=member,
        form_class=MemberForm,
        form_kwargs={"district": request.district},
        save=lambda form, expected_version, user: membership_update(
            membership=member,
            expected_version=expected_version,
            by=user,
            role=form.cleaned_data["role"],
            title=form.cleaned_data["title"],
            campuses=form.cleaned_data["campuses"],
            departments=form.cleaned_data["departments"],
            request=request,
        ),
        template="accounts/member.html",
        context=lambda: {
            "member": member,
            "open_items": hooks.open_action_items_of.ask(
                district=request.district, user=member.user
            ),
        },
        message=gettext("%(email)s was saved.") % {"email": member.user.email},
        success_url=lambda saved: reverse("people:member", args=[request.district.slug, member.pk]),
    )


@require(Capability.MANAGE_DISTRICT)
def member_access(request, membership_pk):
    """Asks before switching a member's access off or on; the POST does it. A deactivated
    member's open action items are offered for reassignment next."""
    member = get_for_district(
        request, Membership.objects.select_related("user", "district"), pk=membership_pk
    )
    form = MemberAccessForm(
        request.POST or None, initial={"active": "off" if member.is_active else "on"}
    )
    open_items = hooks.open_action_items_of.ask(district=request.district, user=member.user)
    if request.method == "POST" and form.is_valid():
        active = form.cleaned_data["active"] == "on"
        try:
            membership_access_set(
                membership=member, active=active, by=request.user, request=request
            )
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
            if not active and open_items:
                return redirect("actions:reassign", request.district.slug, member.pk)
            return redirect("people:index", request.district.slug)
    return render(
        request,
        "accounts/member_access.html",
        {"member": member, "form": form, "open_items": open_items},
    )


@require(Capability.MANAGE_DISTRICT)
def member_sign_out(request, membership_pk):
    """Asks before signing a member out on every device; the POST does it."""
    member = get_for_district(request, Membership.objects.select_related("user"), pk=membership_pk)
    if request.method == "POST":
        user_sessions_end(
            user=member.user, by=request.user, district=request.district, request=request
        )
        if member.user_id == request.user.pk:
            return _signed_out_everywhere(request)
        messages.success(
            request,
            gettext("%(email)s was signed out on every device.") % {"email": member.user.email},
        )
        return redirect("people:member", request.district.slug, member.pk)
    return render(request, "accounts/member_sign_out.html", {"member": member})


LOG_PAGE_SIZE = 50


def _access_log_filters(request):
    form = AccessLogFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    events = selectors.access_events_for_district(
        district=request.district, kind=filters.get("kind", ""), email=filters.get("q", "")
    )
    return form, events


@require(Capability.MANAGE_DISTRICT)
def access_log(request):
    """The district's access log, newest first, filtered by what happened and by address."""
    form, events = _access_log_filters(request)
    page = Paginator(events, LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "accounts/access_log.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


@require(Capability.MANAGE_DISTRICT)
def access_log_export(request):
    """The access log as the page filters it, every line of it, as CSV."""
    _form, events = _access_log_filters(request)
    response = csv_response(f"{request.district.slug}-access-log")
    writer = SafeWriter(response)
    writer.writerow(["when", "what", "email", "by", "detail", "ip_address"])
    for event in events.iterator(chunk_size=2000):
        writer.writerow(
            [
                event.created_at.isoformat(),
                event.get_kind_display(),
                event.email,
                event.actor.email if event.actor else "",
                event.detail,
                event.ip_address or "",
            ]
        )
    return response


def _digest_form(request, data=None):
    memberships = list(
        Membership.objects.filter(user=request.user, is_active=True)
        .select_related("district")
        .order_by("district__name")
    )
    return DigestForm(data, memberships=memberships)


@login_required
def security(request):
    """The signed-in person's own account: how they sign in, how often their digest email
    comes, and signing out everywhere."""
    return _account_page(request, _digest_form(request))


def _account_page(request, digest_form, status=200):
    return render(
        request,
        "accounts/security.html",
        {
            "person": request.user,
            "digest_form": digest_form,
            **selectors.user_sign_in_methods(request.user),
        },
        status=status,
    )


@login_required
@require_POST
def digest(request):
    """Keeps how often the person's digest email comes, in each of their districts."""
    form = _digest_form(request, request.POST)
    if not form.is_valid():
        return _account_page(request, form, status=400)
    membership_digest_set(user=request.user, choices=form.choices())
    messages.success(request, gettext("Your digest email choice is saved."))
    return redirect("accounts:security")


@login_required
def sign_out_everywhere(request):
    """Asks before signing the person out on every device, this one included; the POST does it."""
    if request.method == "POST":
        user_sessions_end(user=request.user, by=request.user, request=request)
        return _signed_out_everywhere(request)
    return render(request, "accounts/sign_out_everywhere.html")


def _signed_out_everywhere(request):
    # This session went with the others; end it here too so the next page is the sign-in.
    logout(request)
    messages.success(request, gettext("You were signed out on every device."))
    return redirect("accounts:login")


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


@require(Capability.MANAGE_DISTRICT)
def sign_in_settings(request):
    """The district's single sign-on: which identity provider, its credentials, and who it
    lets in."""
    district = request.district
    provider = getattr(district, "identity_provider", None)
    initial = {"enabled": True}
    if provider is not None:
        initial = {
            name: getattr(provider, name)
            for name in (
                "kind",
                "name",
                "client_id",
                "server_url",
                "tenant",
                "hosted_domain",
                "default_role",
                "require_sso",
                "enabled",
            )
        } | {"allowed_domains": " ".join(provider.allowed_domains)}
    form = IdentityProviderForm(
        request.POST or None,
        initial=initial,
        secret_stored=bool(provider and provider.client_secret_encrypted),
    )
    if request.method == "POST" and form.is_valid():
        try:
            identity_provider_save(
                district=district,
                values=form.values(),
                client_secret=form.cleaned_data["client_secret"],
                by=request.user,
                request=request,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, gettext("The single sign-on settings are saved."))
            return redirect("people:sign_in", district.slug)
    callbacks = {
        kind: request.build_absolute_uri(path)
        for kind, path in (
            ("google", reverse("google_callback")),
            ("microsoft", reverse("microsoft_callback")),
            (
                "openid_connect",
                reverse(
                    "openid_connect_callback",
                    kwargs={"provider_id": f"district-{district.slug}"},
                ),
            ),
        )
    }
    return render(
        request,
        "accounts/sign_in_settings.html",
        {"form": form, "provider": provider, "callbacks": callbacks},
    )


@require(Capability.MANAGE_DISTRICT)
def invite(request):
    form = InvitationForm(request.POST or None, district=request.district)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            invitation = invitation_create(
                district=request.district,
                email=data["email"],
                full_name=data["full_name"],
                role=data["role"],
                title=data["title"],
                campuses=data["campuses"],
                departments=data["departments"],
                by=request.user,
                request=request,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                gettext("An invitation is on its way to %(email)s.") % {"email": invitation.email},
            )
            return redirect("people:index", request.district.slug)
    return render(request, "accounts/invite.html", {"form": form})


@require(Capability.MANAGE_DISTRICT)
def invite_csv(request):
    def done(plan):
        count = len(plan.to_invite)
        messages.success(
            request,
            ngettext(
                "%(count)s invitation is on its way.",
                "%(count)s invitations are on their way.",
                count,
            )
            % {"count": count},
        )
        return redirect("people:index", request.district.slug)

    return upload_preview_confirm(
        request,
        upload_form=InvitationUploadForm,
        confirm_form=InvitationImportConfirmForm,
        plan=lambda text: plan_invitation_import(request.district, text),
        apply=lambda text: invitation_import_apply(
            district=request.district, text=text, by=request.user, request=request
        ),
        template="accounts/invite_csv.html",
        preview_template="accounts/invite_csv_preview.html",
        done=done,
    )


@require(Capability.MANAGE_DISTRICT)
def resend_invitation(request, invitation_pk):
    return _invitation_answer(request, invitation_pk, "resend")


@require(Capability.MANAGE_DISTRICT)
def revoke_invitation(request, invitation_pk):
    return _invitation_answer(request, invitation_pk, "revoke")


def _invitation_answer(request, invitation_pk, action):
    """Asks before sending a pending invitation again or withdrawing it; the POST does it."""
    invitation = get_for_district(
        request, selectors.pending_invitations(district=request.district), pk=invitation_pk
    )
    if request.method == "POST":
        try:
            if action == "resend":
                invitation_resend(invitation=invitation, by=request.user, request=request)
                done = gettext("The invitation was sent again to %(email)s with a new link.")
            else:
                invitation_revoke(invitation=invitation, by=request.user, request=request)
                done = gettext(
                    "The invitation to %(email)s was withdrawn; its link no longer works."
                )
        except InvitationUnusable:
            messages.error(
                request,
                gettext("The invitation to %(email)s was answered or withdrawn meanwhile.")
                % {"email": invitation.email},
            )
        else:
            messages.success(request, done % {"email": invitation.email})
        return redirect("people:index", request.district.slug)
    return render(
        request,
        "accounts/invitation_answer.html",
        {
            "invitation": invitation,
            "action": action,
            "invitation_days": settings.INVITATION_DAYS,
        },
    )


def accept_invitation(request, token):
    """The page an invitation email links to, open without signing in."""
    return allow_sso_redirect(request, _accept_invitation(request, token))


def _accept_invitation(request, token):
    invitation = selectors.invitation_by_token(token)
    if invitation is None:
        return render(
            request, "accounts/invitation_unusable.html", {"status": "unknown"}, status=404
        )
    if invitation.status != Invitation.Status.PENDING:
        return _unusable(request, invitation.status)
    account_exists = User.objects.filter(email__iexact=invitation.email).exists()
    signed_in = request.user.is_authenticated
    context = {"invitation": invitation, "account_exists": account_exists}
    if signed_in and request.user.email.lower() != invitation.email:
        return render(request, "accounts/accept_invitation.html", context | {"mismatch": True})
    if not signed_in:
        provider = selectors.identity_provider_of(invitation.district_id)
        if provider is not None and provider.allows(invitation.email):
            context |= offer_sso(request, provider)
            context["sso_next"] = reverse("dashboard:home", args=[invitation.district.slug])
    if not signed_in and account_exists:
        context["login_url"] = f"{reverse('accounts:login')}?{urlencode({'next': request.path})}"
        return render(request, "accounts/accept_invitation.html", context)
    form = None if signed_in else AcceptInvitationForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            membership = invitation_accept(
                invitation=invitation,
                user=request.user if signed_in else None,
                full_name=form.cleaned_data["full_name"] if form else "",
                password=form.cleaned_data["password1"] if form else None,
                request=request,
            )
        except InvitationUnusable as exc:
            return _unusable(request, exc.status)
        except ValidationError as exc:
            context["refusal"] = exc.messages
        else:
            if not signed_in:
                login(request, membership.user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request,
                gettext("Welcome to %(district)s.") % {"district": membership.district.name},
            )
            return redirect("dashboard:home", membership.district.slug)
    return render(request, "accounts/accept_invitation.html", context | {"form": form})


def _unusable(request, status):
    return render(request, "accounts/invitation_unusable.html", {"status": status}, status=410)
