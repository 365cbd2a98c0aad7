from django import forms
from django.utils.translation import gettext_lazy as _


class PublicationForm(forms.Form):
    plan_published = forms.BooleanField(
        required=False,
        label=_("Publish the adopted plan on a public page anyone can read without signing in"),
    )
    public_shows_names = forms.BooleanField(
        required=False,
        label=_("Show who owns each theory of action (staff names)"),
    )
