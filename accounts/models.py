import hashlib

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.history import tracked
from core.models import Campus, Department, District
from core.roles import Role
from core.versioning import Versioned


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, email):
        # People type their address with any capitalisation; it is stored lower-cased.
        return self.get(email__iexact=email)


class User(AbstractUser):
    """A person who signs in with an email address and a password."""

    username = None
    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(max_length=200, blank=True)
    # Work done without a request (emails) speaks the language the person last picked.
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_(
            "The language of the emails this person gets; picking one in the footer sets it."
        ),
    )

    # Moved on by "sign out of all devices": it is part of the hash every session keeps
    # (get_session_auth_hash), so Django's own check on each request ends the older sessions.
    session_epoch = models.PositiveIntegerField(default=0, editable=False)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        ordering = ["email"]

    def __str__(self):
        return self.full_name or self.email

    def clean(self):
        super().clean()
        self.email = self.email.lower()

    def get_full_name(self):
        return self.full_name or self.email

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email

    def get_session_auth_hash(self):
        return self._get_session_auth_hash()

    def _get_session_auth_hash(self, secret=None):
        # Django's own hash (of the password) while the epoch is 0, so sessions made before the
        # epoch existed stay signed in; Django also calls this with each SECRET_KEY_FALLBACKS
        # secret, which keeps a key rotation from signing everyone out.
        if not self.session_epoch:
            return super()._get_session_auth_hash(secret=secret)
        return salted_hmac(
            "accounts.User.get_session_auth_hash",
            f"{self.password}:{self.session_epoch}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()


# The unread count is the inbox's bookkeeping (comments.services), not a change to the membership.
@tracked(exclude=("unread_notifications",))
class Membership(Versioned):
    """A user's place in one district: one role, and for some roles the campuses or
    departments they answer for."""

    class Digest(models.TextChoices):
        OFF = "off", _("No digest")
        DAILY = "daily", _("Daily")
        WEEKLY = "weekly", _("Weekly")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices)
    title = models.CharField(
        max_length=200, blank=True, help_text=_("For example Assistant Superintendent.")
    )
    campuses = models.ManyToManyField(
        Campus,
        blank=True,
        related_name="leaders",
        help_text=_("For campus leaders: the campuses they lead."),
    )
    departments = models.ManyToManyField(
        Department,
        blank=True,
        related_name="leads",
        help_text=_("For department leads: the departments they lead."),
    )
    # Switched off by the district's admin: the person keeps their account, and their place in
    # other districts, but this district answers them as it answers a stranger.
    is_active = models.BooleanField(_("active"), default=True)
    digest = models.CharField(
        _("digest email"),
        max_length=6,
        choices=Digest.choices,
        default=Digest.WEEKLY,
        help_text=_("Mentions, comments on what you own and your items due, in one email."),
    )
    # Kept by comments.services with each change of the inbox, so the navigation shows it on
    # every page without a query of its own (the membership is read for tenancy anyway).
    unread_notifications = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["district__name", "user__email"]
        constraints = [
            models.UniqueConstraint(fields=["user", "district"], name="one_membership_per_district")
        ]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.district}"

    # Through .all(), so a list of memberships read with prefetch_related asks nothing more.
    def bound_campus_ids(self):
        if not hasattr(self, "_campus_ids"):
            self._campus_ids = {campus.pk for campus in self.campuses.all()}
        return self._campus_ids

    def bound_department_ids(self):
        if not hasattr(self, "_department_ids"):
            self._department_ids = {department.pk for department in self.departments.all()}
        return self._department_ids

    def clean_bindings(self, campuses, departments):
        """Checks the campuses and departments a membership is bound to.

        Many-to-many values only exist after saving, so forms call this with the chosen
        values before anything is written.
        """
        errors = {}
        if any(c.district_id != self.district_id for c in campuses):
            errors["campuses"] = gettext("Every campus must belong to this membership's district.")
        if any(d.district_id != self.district_id for d in departments):
            errors["departments"] = gettext(
                "Every department must belong to this membership's district."
            )
        if self.role == Role.CAMPUS_LEADER and not campuses:
            errors.setdefault("campuses", gettext("A campus leader leads at least one campus."))
        if self.role == Role.DEPARTMENT_LEAD and not departments:
            errors.setdefault(
                "departments", gettext("A department lead leads at least one department.")
            )
        if errors:
            raise ValidationError(errors)


class AccessEvent(models.Model):
    """One line of the access log a district admin reads: a sign-in, a failed sign-in, a
    lockout, an invitation, a change of role or access. Events about signing in belong to no
    district (an address may be in several); the log shows them to each district the address is
    a member of."""

    class Kind(models.TextChoices):
        SIGNED_IN = "signed_in", _("Signed in")
        SIGN_IN_FAILED = "sign_in_failed", _("Sign-in failed")
        LOCKED_OUT = "locked_out", _("Locked out")
        SIGNED_OUT_EVERYWHERE = "signed_out_everywhere", _("Signed out of all devices")
        PASSWORD_RESET = "password_reset", _("Password reset")
        MFA_CHANGED = "mfa_changed", _("Second factor changed")
        INVITED = "invited", _("Invited")
        INVITATION_ACCEPTED = "invitation_accepted", _("Invitation accepted")
        INVITATION_WITHDRAWN = "invitation_withdrawn", _("Invitation withdrawn")
        ROLE_CHANGED = "role_changed", _("Role changed")
        DEACTIVATED = "deactivated", _("Deactivated")
        REACTIVATED = "reactivated", _("Reactivated")
        SSO_CHANGED = "sso_changed", _("Single sign-on settings changed")
        SSO_REFUSED = "sso_refused", _("Single sign-on refused")

    district = models.ForeignKey(
        District, null=True, blank=True, on_delete=models.CASCADE, related_name="access_events"
    )
    kind = models.CharField(max_length=32, choices=Kind.choices)
    # The address the event is about, kept as typed so a failed sign-in for an unknown address
    # is still a line in the log.
    email = models.EmailField(max_length=254, blank=True)
    user = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="access_events"
    )
    actor = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="access_actions"
    )
    detail = models.CharField(max_length=500, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["email", "-created_at"])]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.email}"


def invitation_token_hash(token):
    return hashlib.sha256(token.encode()).hexdigest()


@tracked(exclude=("token_hash",))
class Invitation(models.Model):
    """An offer, emailed by a district admin, to join one district with one role.

    Only a hash of the emailed token is kept: whoever reads the database cannot open a link,
    and a resend makes a new token, so the link of an earlier email stops working."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for an answer")
        EXPIRED = "expired", _("Expired")
        ACCEPTED = "accepted", _("Accepted")
        REVOKED = "revoked", _("Revoked")

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(max_length=254)
    full_name = models.CharField(max_length=200, blank=True)
    role = models.CharField(max_length=20, choices=Role.choices)
    title = models.CharField(
        max_length=200, blank=True, help_text=_("For example Assistant Superintendent.")
    )
    campuses = models.ManyToManyField(Campus, blank=True, related_name="+")
    departments = models.ManyToManyField(Department, blank=True, related_name="+")
    invited_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-sent_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "email"],
                condition=models.Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="one_pending_invitation_per_address",
            )
        ]

    def __str__(self):
        return f"{self.email} · {self.get_role_display()} · {self.district}"

    def clean(self):
        super().clean()
        self.email = self.email.lower()

    @property
    def status(self):
        if self.accepted_at:
            return self.Status.ACCEPTED
        if self.revoked_at:
            return self.Status.REVOKED
        if self.expires_at <= timezone.now():
            return self.Status.EXPIRED
        return self.Status.PENDING

    def get_status_display(self):
        return self.Status(self.status).label

    # Bindings read through .all(), so a prefetched list asks nothing more.
    def binding_names(self):
        return [c.name for c in self.campuses.all()] + [d.name for d in self.departments.all()]


def domain_of(email):
    return (email or "").rpartition("@")[2].strip().lower()


class IdentityProvider(models.Model):
    """A district's single sign-on: the OpenID Connect app its admin registered with Google
    Workspace, Microsoft Entra ID or another provider, and who it lets in."""

    class Kind(models.TextChoices):
        GOOGLE = "google", _("Google Workspace")
        MICROSOFT = "microsoft", _("Microsoft Entra ID")
        OPENID_CONNECT = "openid_connect", _("Another OpenID Connect provider")

    # Roles that only read: the one an unknown person from an allowed domain may be given.
    DEFAULT_ROLES = (Role.BOARD,)

    district = models.OneToOneField(
        District, on_delete=models.CASCADE, related_name="identity_provider"
    )
    kind = models.CharField(_("provider"), max_length=20, choices=Kind.choices)
    name = models.CharField(
        _("name on the button"),
        max_length=60,
        help_text=_('People see "Sign in with" and this name, for example Google.'),
    )
    client_id = models.CharField(_("client ID"), max_length=255)
    # Fernet-encrypted (accounts.secrets); the page that edits it never shows it back.
    client_secret_encrypted = models.TextField(blank=True)
    client_secret_hint = models.CharField(max_length=4, blank=True)
    server_url = models.URLField(
        _("issuer URL"),
        blank=True,
        help_text=_(
            "For another OpenID Connect provider: the address its discovery document "
            "(/.well-known/openid-configuration) is under."
        ),
    )
    tenant = models.CharField(
        _("tenant ID"),
        max_length=100,
        blank=True,
        help_text=_("For Microsoft Entra ID: the directory (tenant) ID of the district."),
    )
    hosted_domain = models.CharField(
        _("hosted domain"),
        max_length=253,
        blank=True,
        help_text=_(
            "For Google Workspace: the district's Workspace domain, for example lakeside.org."
        ),
    )
    allowed_domains = models.JSONField(default=list, blank=True)
    default_role = models.CharField(
        _("role for people not invited"),
        max_length=20,
        blank=True,
        choices=[(role.value, role.label) for role in DEFAULT_ROLES],
    )
    require_sso = models.BooleanField(_("members must use single sign-on"), default=False)
    enabled = models.BooleanField(_("single sign-on is on"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"{self.name} · {self.district}"

    @property
    def client_secret(self):
        from accounts.secrets import decrypt

        return decrypt(self.client_secret_encrypted)

    def set_client_secret(self, value):
        from accounts.secrets import encrypt

        self.client_secret_encrypted = encrypt(value)
        self.client_secret_hint = value[-4:] if len(value) >= 12 else ""

    def allows(self, email):
        return domain_of(email) in self.allowed_domains

    @property
    def provider_id(self):
        """What allauth knows the app by: the generic provider's login and callback addresses
        name the district, so the callback itself says which district's app to use."""
        if self.kind == self.Kind.OPENID_CONNECT:
            return f"district-{self.district.slug}"
        return self.kind
