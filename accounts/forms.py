from allauth.account.forms import LoginForm, PasswordField
from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import AccessEvent, Membership, User
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
            attrs={"autocomplete": "email", "autofocus": True, "autocapitalize": "none"}
        )


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

    def add_service_errors(self, error):
        """Shows a refusal of the service next to the field it is about."""
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                self.add_error(field if field in self.fields else None, errors)
        else:
            self.add_error(None, error)


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

    add_service_errors = InvitationForm.add_service_errors


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
