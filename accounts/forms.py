from allauth.account.forms import LoginForm, PasswordField
from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts import selectors
from accounts.models import AccessEvent, IdentityProvider, Membership, User
from accounts.services import access_event_record
from core.forms import CsvUploadForm, SignedUploadConfirmForm, VersionedModelForm
from core.models import Campus, Department
from core.roles import Role


class SignInForm(LoginForm):
    # The page links to password reset itself, outside the field's description.
    password = PasswordField(label=_("Password"), autocomplete="current-password")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["login"].label = gettext("Email address")
        self.fields["login"].widget = forms.EmailInput(
            attrs={"autocomplete": "username", "autocapitalize": "none", "readonly": True}
        )
        self.fields["password"].widget.attrs["autofocus"] = True

    def clean(self):
        cleaned = super().clean()
        user = getattr(self, "user", None)
        provider = selectors.sso_required_for(user) if user else None
        if provider is not None:
            # Checked once the password is known to be right, so this answer tells no one
            # whether an address is a member.
            access_event_record(
                kind=AccessEvent.Kind.SIGN_IN_FAILED,
                user=user,
                detail="password refused: single sign-on required",
                request=self.request,
            )
            self.user = None
            raise ValidationError(
                gettext(
                    "%(district)s signs its members in through %(provider)s: use the "
                    '"Sign in with %(provider)s" button instead of a password.'
                )
                % {"district": provider.district.name, "provider": provider.name}
            )
        return cleaned


class EmailStepForm(forms.Form):
    """The first step of signing in: the address says which district, and so whether a single
    sign-on button comes next."""

    login = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        widget=forms.EmailInput(
            attrs={"autocomplete": "username", "autofocus": True, "autocapitalize": "none"}
        ),
        error_messages={
            "required": _("Enter your email address."),
            "invalid": _("Enter an email address, like name@district.org."),
        },
    )

    def clean_login(self):
        return self.cleaned_data["login"].strip().lower()


class PeopleFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        help_text=_("A name or an email address, or part of one."),
    )
    role = forms.ChoiceField(
        label=_("Role"), required=False, choices=[("", _("All roles")), *Role.choices]
    )


class MemberAccessForm(forms.Form):
    active = forms.ChoiceField(
        label=_("Access to this district"),
        choices=[("off", _("Deactivate")), ("on", _("Reactivate"))],
        error_messages={"required": _("Choose whether to deactivate or reactivate.")},
    )


class SecondFactorPolicyForm(forms.Form):
    required = forms.BooleanField(
        label=_("District admins must use a second factor"),
        required=False,
        help_text=_(
            "An admin without an authenticator app is asked to set one up before they can open "
            "any of the district's pages."
        ),
    )


class InvitationForm(forms.Form):
    """Who to invite and as what; the campuses and departments offered are the district's."""

    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off", "autocapitalize": "none"}),
        help_text=_("The invitation is emailed here; it is the address they will sign in with."),
    )
    full_name = forms.CharField(label=_("Name"), max_length=200, required=False)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        required=False,
        help_text=_("For example Assistant Superintendent."),
    )
    campuses = forms.ModelMultipleChoiceField(
        label=_("Campuses they lead"),
        queryset=Campus.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("For a campus leader: at least one."),
    )
    departments = forms.ModelMultipleChoiceField(
        label=_("Departments they lead"),
        queryset=Department.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("For a department lead: at least one."),
    )

    def __init__(self, *args, district, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campuses"].queryset = Campus.objects.filter(district=district).order_by("name")
        self.fields["departments"].queryset = Department.objects.filter(district=district).order_by(
            "name"
        )

    def clean_email(self):
        return self.cleaned_data["email"].lower()


class InvitationUploadForm(CsvUploadForm):
    file = forms.FileField(
        label=_("People to invite (CSV)"),
        help_text=_(
            "One row per person. Columns: email, name, role, campuses or departments (names, "
            "separated by semicolons when a cell has several) and title."
        ),
        error_messages={
            "required": _("Choose a CSV file to upload."),
            "empty": _("The file is empty."),
        },
    )


class InvitationImportConfirmForm(SignedUploadConfirmForm):
    salt = "invitation-import"


class AcceptInvitationForm(forms.Form):
    """A newcomer's name and password; the password is held to the site's password rules."""

    full_name = forms.CharField(label=_("Your name"), max_length=200)
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("The same password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, email, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email
        self.fields["password1"].help_text = " ".join(
            password_validation.password_validators_help_texts()
        )

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error(
                "password2", gettext("The two passwords differ; type the same one twice.")
            )
        elif first:
            # Checked against the person it will belong to, so their name or address is refused.
            person = User(email=self.email, full_name=cleaned.get("full_name", ""))
            try:
                password_validation.validate_password(first, person)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return cleaned


class MemberForm(VersionedModelForm):
    """A member's role, title and what they answer for; the campuses and departments offered
    are the district's."""

    class Meta:
        model = Membership
        fields = ["role", "title", "campuses", "departments"]
        labels = {
            "role": _("Role"),
            "title": _("Title"),
            "campuses": _("Campuses they lead"),
            "departments": _("Departments they lead"),
        }
        help_texts = {
            "campuses": _("For a campus leader: at least one."),
            "departments": _("For a department lead: at least one."),
        }
        widgets = {
            "campuses": forms.CheckboxSelectMultiple,
            "departments": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, district, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campuses"].queryset = Campus.objects.filter(district=district).order_by("name")
        self.fields["departments"].queryset = Department.objects.filter(district=district).order_by(
            "name"
        )


class AccessLogFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What happened"),
        required=False,
        choices=[("", _("Everything")), *AccessEvent.Kind.choices],
    )
    q = forms.CharField(
        label=_("Email"),
        required=False,
        max_length=254,
        help_text=_("An email address, or part of one."),
    )


def _domains(text):
    return [part.strip().lower().lstrip("@") for part in text.replace(",", " ").split() if part]


class IdentityProviderForm(forms.Form):
    """A district's single sign-on settings. The client secret is write-only: the page says
    whether one is stored, and at most its last four characters."""

    kind = forms.ChoiceField(label=_("Provider"), choices=IdentityProvider.Kind.choices)
    name = forms.CharField(
        label=_("Name on the button"),
        max_length=60,
        help_text=_('People see "Sign in with" and this name, for example Google.'),
    )
    client_id = forms.CharField(label=_("Client ID"), max_length=255)
    client_secret = forms.CharField(
        label=_("Client secret"),
        required=False,
        max_length=500,
        strip=True,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
    )
    server_url = forms.URLField(
        label=_("Issuer URL"),
        required=False,
        max_length=200,
        assume_scheme="https",
        help_text=_(
            "For another OpenID Connect provider: the address its discovery document "
            "(/.well-known/openid-configuration) is under."
        ),
    )
    tenant = forms.CharField(
        label=_("Tenant ID"),
        required=False,
        max_length=100,
        help_text=_("For Microsoft Entra ID: the directory (tenant) ID of the district."),
    )
    hosted_domain = forms.CharField(
        label=_("Hosted domain"),
        required=False,
        max_length=253,
        help_text=_(
            "For Google Workspace: the district's Workspace domain, for example lakeside.org."
        ),
    )
    allowed_domains = forms.CharField(
        label=_("Allowed email domains"),
        max_length=1000,
        help_text=_(
            "Only addresses at these domains may sign in this way, separated by spaces or "
            "commas, for example lakeside.org staff.lakeside.org."
        ),
    )
    default_role = forms.ChoiceField(label=_("People who were not invited"), required=False)
    require_sso = forms.BooleanField(
        label=_("Members must use single sign-on"),
        required=False,
        help_text=_(
            "Password sign-in is then refused for the district's members. Site administrators "
            "keep their password, in case the provider's settings are ever wrong."
        ),
    )
    enabled = forms.BooleanField(label=_("Single sign-on is on"), required=False, initial=True)

    def __init__(self, *args, secret_stored=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.secret_stored = secret_stored
        # Built per form, so the labels are in the reader's language.
        self.fields["default_role"].choices = [
            ("", gettext("Get no access until an admin invites them"))
        ] + [
            (role.value, gettext("Join as %(role)s (read only)") % {"role": role.label})
            for role in IdentityProvider.DEFAULT_ROLES
        ]
        if secret_stored:
            self.fields["client_secret"].help_text = _(
                "A secret is stored. Leave this empty to keep it, or enter a new one."
            )

    def clean_allowed_domains(self):
        domains = _domains(self.cleaned_data["allowed_domains"])
        bad = [
            d
            for d in domains
            if "." not in d
            or "@" in d
            or not all(part and all(c.isalnum() or c == "-" for c in part) for part in d.split("."))
        ]
        if bad:
            raise ValidationError(
                gettext("%(domains)s is not a domain, like lakeside.org.")
                % {"domains": ", ".join(bad)}
            )
        if not domains:
            raise ValidationError(gettext("Enter at least one domain, like lakeside.org."))
        return sorted(set(domains))

    def clean_hosted_domain(self):
        return self.cleaned_data["hosted_domain"].strip().lower()

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind == IdentityProvider.Kind.OPENID_CONNECT and not cleaned.get("server_url"):
            self.add_error("server_url", gettext("Enter the provider's issuer URL."))
        if kind == IdentityProvider.Kind.MICROSOFT and not cleaned.get("tenant"):
            self.add_error("tenant", gettext("Enter the district's tenant ID."))
        if not self.secret_stored and not cleaned.get("client_secret"):
            self.add_error("client_secret", gettext("Enter the client secret."))
        return cleaned

    def values(self):
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "name": data["name"].strip(),
            "client_id": data["client_id"].strip(),
            "server_url": data["server_url"] if data["kind"] == "openid_connect" else "",
            "tenant": data["tenant"].strip() if data["kind"] == "microsoft" else "",
            "hosted_domain": data["hosted_domain"] if data["kind"] == "google" else "",
            "allowed_domains": data["allowed_domains"],
            "default_role": data["default_role"],
            "require_sso": data["require_sso"],
            "enabled": data["enabled"],
        }


class DigestForm(forms.Form):
    """How often the person's digest email comes, one choice per district they belong to."""

    def __init__(self, *args, memberships, **kwargs):
        super().__init__(*args, **kwargs)
        self.memberships = memberships
        for membership in memberships:
            self.fields[f"digest-{membership.pk}"] = forms.ChoiceField(
                label=membership.district.name,
                choices=Membership.Digest.choices,
                initial=membership.digest,
            )

    def choices(self):
        return {m.pk: self.cleaned_data[f"digest-{m.pk}"] for m in self.memberships}
