from django import forms
from django.utils.translation import gettext_lazy as _

from comments.models import BODY_LIMIT


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Comment"),
        max_length=BODY_LIMIT,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "To tell someone, write @ and their name or the part of their email before the @ "
            "(see “Who can be mentioned”). They are told in their inbox and by email."
        ),
    )
    parent = forms.ModelChoiceField(
        queryset=None, required=False, widget=forms.HiddenInput, label=_("reply to")
    )

    def __init__(self, *args, threads, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = threads
        self.fields["parent"].error_messages["invalid_choice"] = _(
            "That comment is not on this page any more: reload the page and reply again."
        )

    def clean_body(self):
        body = self.cleaned_data["body"].strip()
        if "\x00" in body:
            raise forms.ValidationError(_("The comment holds a character that cannot be kept."))
        return body
