from django import forms
from django.utils.translation import gettext_lazy as _

from comments.models import BODY_LIMIT


def _kept(body):
    body = body.strip()
    if "\x00" in body:
        raise forms.ValidationError(_("The comment holds a character that cannot be kept."))
    return body


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
        return _kept(self.cleaned_data["body"])


class CommentEditForm(forms.Form):
    body = forms.CharField(
        label=_("Comment"),
        max_length=BODY_LIMIT,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("A member you now mention is told; those already told are not told again."),
        error_messages={"required": _("Write a comment.")},
    )

    def __init__(self, *args, comment, **kwargs):
        kwargs.setdefault("initial", {"body": comment.body})
        super().__init__(*args, **kwargs)

    def clean_body(self):
        return _kept(self.cleaned_data["body"])
