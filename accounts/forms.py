from allauth.account.forms import LoginForm, PasswordField
from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

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
