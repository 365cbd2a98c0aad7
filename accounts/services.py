import datetime
import logging
import secrets

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from ipware import get_client_ip

from accounts.models import (
    AccessEvent,
    IdentityProvider,
    Invitation,
    Membership,
    User,
    invitation_token_hash,
)
from core.csv_import import ImportFileError
from core.models import District
from core.roles import Role
from core.versioning import EditConflict, versioned_update

log = logging.getLogger(__name__)


@transaction.atomic
def user_language_set(*, user, language):
    """Keeps the language a person picked, for what is written to them without a request."""
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])


@transaction.atomic
def membership_digest_set(*, user, choices):
    """Keeps how often the person wants their digest email in each district ({membership id:
    "off" | "daily" | "weekly"}); only their own active memberships."""
    for membership in Membership.objects.select_for_update().filter(
        user=user, is_active=True, pk__in=choices
    ):
        if membership.digest != choices[membership.pk]:
            membership.digest = choices[membership.pk]
            membership.save(update_fields=["digest"])


@transaction.atomic
def membership_access_set(*, membership, active, by, request=None):
    """Switches a member's access to their district on or off, and writes it to the access log.
    An admin may not switch themselves off: no one would be left to switch them on.

    The district's pages refuse an inactive membership on every request (core.tenancy), so an
    open session loses the district at its next click; someone left with no active district at
    all is also signed out everywhere, as they have nothing left to be signed in for."""
    if not active and membership.user_id == by.pk:
        raise ValidationError(
            gettext("You cannot deactivate yourself. Ask another district admin to do it.")
        )
    # Read again holding the row, so of two admins switching at once the second sees the first.
    membership = (
        Membership.objects.select_for_update(of=("self",))
        .select_related("user", "district")
        .get(pk=membership.pk)
    )
    if membership.is_active == active:
        return membership
    membership.is_active = active
    membership.save(update_fields=["is_active"])
    access_event_record(
        kind=AccessEvent.Kind.REACTIVATED if active else AccessEvent.Kind.DEACTIVATED,
        user=membership.user,
        district=membership.district,
        actor=by,
        request=request,
    )
    if not active and not membership.user.memberships.filter(is_active=True).exists():
        user_sessions_end(
            user=membership.user, by=by, district=membership.district, request=request
        )
    return membership


def _role_label(role):
    # The log keeps one wording whoever reads it, as its other details do.
    with translation.override("en"):
        return str(Role(role).label)


def _names(objects):
    return ", ".join(sorted(str(o) for o in objects)) or "-"


@transaction.atomic
def membership_update(
    *, membership, expected_version, by, role, title="", campuses=(), departments=(), request=None
):
    """Changes a member's role, title and what they answer for, unless someone saved the
    membership since `expected_version` (raises core.versioning.EditConflict). A change of role
    or of campuses and departments is written to the access log. An admin may not change their
    own role: a demoted admin could not undo it."""
    campuses, departments = list(campuses), list(departments)
    # Read again, holding the row: a bound form has already written its values onto the
    # instance it was given.
    stored = Membership.objects.select_for_update().get(pk=membership.pk)
    if stored.version != expected_version:
        raise EditConflict(stored)
    if stored.user_id == by.pk and role != stored.role:
        raise ValidationError(
            {"role": gettext("You cannot change your own role. Ask another district admin.")}
        )
    Membership(district_id=stored.district_id, role=role).clean_bindings(campuses, departments)
    before = (
        stored.role,
        set(stored.campuses.values_list("pk", flat=True)),
        set(stored.departments.values_list("pk", flat=True)),
        _names(stored.campuses.all()),
        _names(stored.departments.all()),
    )
    updated = versioned_update(
        instance=stored,
        expected_version=expected_version,
        user=by,
        data={"role": role, "title": " ".join((title or "").split())},
        m2m={"campuses": campuses, "departments": departments},
    )
    changes = []
    if role != before[0]:
        changes.append(f"{_role_label(before[0])} → {_role_label(role)}")
    if {c.pk for c in campuses} != before[1]:
        changes.append(f"Campuses: {before[3]} → {_names(campuses)}")
    if {d.pk for d in departments} != before[2]:
        changes.append(f"Departments: {before[4]} → {_names(departments)}")
    if changes:
        access_event_record(
            kind=AccessEvent.Kind.ROLE_CHANGED,
            user=updated.user,
            district=updated.district,
            actor=by,
            detail="; ".join(changes),
            request=request,
        )
    return updated


@transaction.atomic
def user_sessions_end(*, user, by, district=None, request=None):
    """Signs the person out on every device: moving their session epoch on changes the hash each
    of their sessions was made with, so Django refuses those sessions at their next request
    (the one this request belongs to as well, when it is theirs)."""
    User.objects.filter(pk=user.pk).update(session_epoch=F("session_epoch") + 1)
    user.refresh_from_db(fields=["session_epoch"])
    access_event_record(
        kind=AccessEvent.Kind.SIGNED_OUT_EVERYWHERE,
        user=user,
        district=district,
        actor=by,
        detail="" if by is not None and by.pk == user.pk else "by an admin",
        request=request,
    )
    return user


def access_event_record(
    *, kind, email="", user=None, district=None, actor=None, detail="", request=None
):
    """Adds a line to the access log. Called inside the transaction of what it records, so a
    change that is rolled back leaves no line behind."""
    return AccessEvent.objects.create(
        kind=kind,
        email=(email or (user.email if user else "")).lower()[:254],
        user=user,
        district=district,
        actor=actor,
        detail=detail[:500],
        ip_address=client_ip(request) if request is not None else None,
    )


def client_ip(request):
    """The address a request came from, trusting X-Forwarded-For only as far as the site's own
    proxies (TRUSTED_PROXY_COUNT), as the sign-in lockout does."""
    if settings.TRUSTED_PROXY_COUNT:
        address, _routable = get_client_ip(
            request,
            proxy_count=settings.TRUSTED_PROXY_COUNT - 1,
            request_header_order=["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"],
        )
    else:
        address, _routable = get_client_ip(request, request_header_order=["REMOTE_ADDR"])
    return address


@transaction.atomic
def district_second_factor_set(*, district, required, by, request=None):
    """Requires (or stops requiring) a second factor of the district's admins."""
    if district.require_mfa_for_admins == required:
        return district
    district.require_mfa_for_admins = required
    district.save(update_fields=["require_mfa_for_admins"])
    access_event_record(
        kind=AccessEvent.Kind.SSO_CHANGED,
        district=district,
        user=by,
        actor=by,
        detail="Second factor for admins: required"
        if required
        else "Second factor for admins: optional",
        request=request,
    )
    return district


def _issue_token(invitation):
    """Gives the invitation a new link, valid INVITATION_DAYS from now; any earlier link of it
    stops working. The token itself is only ever in the email."""
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    invitation.token_hash = invitation_token_hash(token)
    invitation.sent_at = now
    invitation.expires_at = now + datetime.timedelta(days=settings.INVITATION_DAYS)
    return token


def _email_on_commit(invitation, token, request):
    from accounts.tasks import queue_invitation_email

    site = request.build_absolute_uri("/").rstrip("/") if request is not None else settings.SITE_URL
    transaction.on_commit(lambda: queue_invitation_email(invitation.pk, token, site))


def invitation_link(*, site, token):
    return site + reverse("accounts:invitation", args=[token])


def _refuse_members(district, email):
    membership = (
        Membership.objects.filter(district=district, user__email__iexact=email)
        .only("is_active")
        .first()
    )
    if membership is None:
        return
    if membership.is_active:
        message = gettext("%(email)s is already a member of this district.")
    else:
        message = gettext(
            "%(email)s was deactivated in this district; reactivate them from the People page "
            "instead of inviting them."
        )
    raise ValidationError({"email": message % {"email": email}})


@transaction.atomic
def invitation_create(
    *, district, email, full_name, role, title="", campuses=(), departments=(), by, request=None
):
    """Invites an address to the district with a role (and, for campus leaders and department
    leads, what they answer for), and emails the link once the invitation is saved. Inviting an
    address that already has a pending invitation here replaces that one: the earlier email's
    link stops working."""
    email = (email or "").strip().lower()
    campuses, departments = list(campuses), list(departments)
    _refuse_members(district, email)
    invitation = (
        Invitation.objects.select_for_update()
        .filter(district=district, email=email, accepted_at=None, revoked_at=None)
        .first()
    ) or Invitation(district=district, email=email)
    invitation.full_name = " ".join((full_name or "").split())
    invitation.role = role
    invitation.title = " ".join((title or "").split())
    invitation.invited_by = by
    token = _issue_token(invitation)
    invitation.full_clean(validate_constraints=False)
    Membership(district=district, role=role).clean_bindings(campuses, departments)
    try:
        with transaction.atomic():
            invitation.save()
    except IntegrityError:
        # Another admin invited the same address at the same moment.
        raise ValidationError(
            {"email": gettext("%(email)s was invited a moment ago.") % {"email": email}}
        ) from None
    invitation.campuses.set(campuses)
    invitation.departments.set(departments)
    access_event_record(
        kind=AccessEvent.Kind.INVITED,
        email=email,
        district=district,
        actor=by,
        detail=f"role={role}",
        request=request,
    )
    _email_on_commit(invitation, token, request)
    return invitation


@transaction.atomic
def invitation_resend(*, invitation, by, request=None):
    """Emails a pending invitation again with a new link, valid INVITATION_DAYS from now."""
    invitation = _pending_locked(invitation, allow_expired=True)
    token = _issue_token(invitation)
    invitation.save(update_fields=["token_hash", "sent_at", "expires_at"])
    access_event_record(
        kind=AccessEvent.Kind.INVITED,
        email=invitation.email,
        district=invitation.district,
        actor=by,
        detail="resent",
        request=request,
    )
    _email_on_commit(invitation, token, request)
    return invitation


@transaction.atomic
def invitation_revoke(*, invitation, by, request=None):
    """Withdraws a pending invitation: its link stops working at once."""
    invitation = _pending_locked(invitation, allow_expired=True)
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    access_event_record(
        kind=AccessEvent.Kind.INVITATION_WITHDRAWN,
        email=invitation.email,
        district=invitation.district,
        actor=by,
        request=request,
    )
    return invitation


class InvitationUnusable(Exception):
    """The invitation was accepted, revoked or has expired; `status` says which."""

    def __init__(self, status):
        super().__init__(status)
        self.status = status


def _pending_locked(invitation, *, allow_expired=False):
    """The invitation read again holding its row, so that of two answers at once (two accepts,
    an accept and a revoke) the second sees what the first did."""
    locked = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("district")
        .filter(pk=invitation.pk)
        .first()
    )
    if locked is None:
        raise InvitationUnusable(Invitation.Status.REVOKED)
    status = locked.status
    if status == Invitation.Status.PENDING or (
        allow_expired and status == Invitation.Status.EXPIRED
    ):
        return locked
    raise InvitationUnusable(status)


@transaction.atomic
def invitation_accept(*, invitation, user=None, full_name="", password=None, request=None):
    """Makes the invited person a member of the district with the invited role and bindings,
    once: the invitation is then used up. `user` is the signed-in account whose address was
    invited; without one, an account is made for the address with `full_name` and `password`.
    Raises InvitationUnusable, or ValidationError when the person cannot take it up."""
    invitation = _pending_locked(invitation)
    if user is None:
        if User.objects.filter(email__iexact=invitation.email).exists():
            raise ValidationError(
                gettext("An account with this email address exists: sign in to accept.")
            )
        try:
            with transaction.atomic():
                user = User.objects.create_user(
                    email=invitation.email,
                    password=password,
                    full_name=" ".join((full_name or "").split()),
                )
        except IntegrityError:
            raise ValidationError(
                gettext("An account with this email address exists: sign in to accept.")
            ) from None
    elif user.email.lower() != invitation.email:
        raise ValidationError(
            gettext("This invitation is for %(invited)s, and you are signed in as %(signed_in)s.")
            % {"invited": invitation.email, "signed_in": user.email}
        )
    district = invitation.district
    if Membership.objects.filter(user=user, district=district).exists():
        raise ValidationError(gettext("You are already a member of this district."))
    campuses, departments = list(invitation.campuses.all()), list(invitation.departments.all())
    membership = Membership(
        user=user, district=district, role=invitation.role, title=invitation.title
    )
    try:
        membership.clean_bindings(campuses, departments)
    except ValidationError:
        # The campuses or departments it named were deleted since it was sent.
        raise ValidationError(
            gettext(
                "This invitation no longer fits the district; ask its admin to invite you again."
            )
        ) from None
    membership.save()
    membership.campuses.set(campuses)
    membership.departments.set(departments)
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    # The link came to this address, so opening it proves the address is theirs: allauth may
    # then send password resets to it and match it to the district's single sign-on.
    EmailAddress.objects.update_or_create(
        user=user, email=invitation.email, defaults={"verified": True, "primary": True}
    )
    access_event_record(
        kind=AccessEvent.Kind.INVITATION_ACCEPTED,
        user=user,
        district=district,
        actor=user,
        detail=f"role={invitation.role}",
        request=request,
    )
    return membership


@transaction.atomic
def invitation_import_apply(*, district, text, by, request=None):
    """Invites everyone `text` would invite, all or nothing; the emails go once it is saved.

    The file is planned again inside the transaction, with the district row locked, so what is
    invited is what the district holds now. Rejected rows and members are skipped."""
    from accounts.invitation_import import plan_invitation_import

    District.objects.select_for_update().filter(pk=district.pk).first()
    plan = plan_invitation_import(district, text)
    for row in plan.to_invite:
        try:
            invitation_create(
                district=district,
                email=row.values["email"],
                full_name=row.values.get("full_name", ""),
                role=row.values["role"],
                title=row.values.get("title", ""),
                campuses=row.campuses,
                departments=row.departments,
                by=by,
                request=request,
            )
        except ValidationError as exc:
            raise ImportFileError(
                gettext("Row %(row)s: %(problem)s Nothing was saved; preview the file again.")
                % {"row": row.line, "problem": " ".join(exc.messages)}
            ) from None
    return plan


IDENTITY_PROVIDER_FIELDS = (
    "kind",
    "name",
    "client_id",
    "server_url",
    "tenant",
    "hosted_domain",
    "allowed_domains",
    "default_role",
    "require_sso",
    "enabled",
)


@transaction.atomic
def identity_provider_save(*, district, values, client_secret="", by, request=None):
    """Sets up or changes the district's single sign-on. A blank `client_secret` keeps the one
    stored; the access log says what changed, never the secret."""
    provider = IdentityProvider.objects.select_for_update().filter(
        district=district
    ).first() or IdentityProvider(district=district)
    changed = [name for name in IDENTITY_PROVIDER_FIELDS if getattr(provider, name) != values[name]]
    for name in IDENTITY_PROVIDER_FIELDS:
        setattr(provider, name, values[name])
    if client_secret:
        provider.set_client_secret(client_secret)
        changed.append("client_secret")
    if not provider.client_secret_encrypted:
        raise ValidationError({"client_secret": gettext("Enter the client secret.")})
    provider.full_clean(exclude=["district"])
    provider.save()
    if changed:
        access_event_record(
            kind=AccessEvent.Kind.SSO_CHANGED,
            district=district,
            user=by,
            actor=by,
            detail="Single sign-on: " + ", ".join(changed),
            request=request,
        )
    return provider


class SsoRefused(Exception):
    """Single sign-on worked but this person may not come in; `message` tells them why."""

    def __init__(self, message, detail):
        super().__init__(detail)
        self.message = message
        self.detail = detail


def _refuse_accounts_beyond(provider, user):
    """A district's admin chooses its identity provider, so it vouches for this district only:
    it may not sign in a site administrator, nor an account that is also a member of another
    district, which would let one district's provider open another district's pages."""
    if user.is_superuser or user.is_staff:
        raise SsoRefused(
            gettext("Site administrators sign in with their password, not through %(provider)s.")
            % {"provider": provider.name},
            "site administrator",
        )
    if (
        Membership.objects.filter(user=user, is_active=True)
        .exclude(district=provider.district)
        .exists()
    ):
        raise SsoRefused(
            gettext(
                "Your account is a member of other districts too, so it signs in with its "
                "password, not through %(provider)s."
            )
            % {"provider": provider.name},
            "member of other districts",
        )


@transaction.atomic
def sso_admit(*, provider, email, user=None, full_name="", request=None):
    """Decides whether a person the district's identity provider vouched for may sign in, and
    gives them their place: their membership, the invitation waiting for them, or (when the
    admin chose a role for people not invited) a new membership with that role. Returns the
    user to sign in; raises SsoRefused. `user` is the account an earlier sign-in through this
    provider is connected to; otherwise the account with that verified address, if any."""
    district = provider.district
    email = (email or "").strip().lower()
    if not provider.allows(email):
        raise SsoRefused(
            gettext("%(email)s is not an address %(district)s signs in with.")
            % {"email": email, "district": district.name},
            "address outside the allowed domains",
        )
    if user is None:
        user = User.objects.filter(email__iexact=email).first()
    if user is not None:
        _refuse_accounts_beyond(provider, user)
    membership = Membership.objects.filter(user=user, district=district).first() if user else None
    if membership is not None:
        if not membership.is_active:
            raise SsoRefused(
                gettext("Your access to %(district)s was switched off by its admin.")
                % {"district": district.name},
                "deactivated member",
            )
        return user
    invitation = (
        Invitation.objects.filter(district=district, email=email, accepted_at=None, revoked_at=None)
        .filter(expires_at__gt=timezone.now())
        .first()
    )
    if invitation is not None:
        membership = invitation_accept(
            invitation=invitation, user=user, full_name=full_name, request=request
        )
        return membership.user
    if not provider.default_role:
        raise SsoRefused(
            gettext(
                "You have no access to %(district)s yet. Ask its admin to invite you, then sign "
                "in again."
            )
            % {"district": district.name},
            "not invited",
        )
    if user is None:
        user = User.objects.create_user(email=email, full_name=" ".join(full_name.split()))
    Membership.objects.create(user=user, district=district, role=provider.default_role)
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    access_event_record(
        kind=AccessEvent.Kind.INVITATION_ACCEPTED,
        user=user,
        district=district,
        actor=user,
        detail=f"joined through single sign-on, role={provider.default_role}",
        request=request,
    )
    return user
