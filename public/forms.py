from django import forms
from django.conf import settings
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from benchmarking.models import Finding
from core.wording import TRANSLATIONS
from district_plan.models import Goal
from meetings.models import Meeting
from public import spam
from public.models import ANSWER_LIMIT, MESSAGE_LIMIT, NAME_LIMIT, RESPONSE_LIMIT, Feedback

# The moderation queue's choice for messages about the whole plan rather than one goal.
GENERAL = "general"


class PublicationForm(forms.Form):
    plan_published = forms.BooleanField(
        required=False,
        label=_("Publish the adopted plan on a public page anyone can read without signing in"),
    )
    public_shows_names = forms.BooleanField(
        required=False,
        label=_("Show who owns each theory of action (staff names)"),
    )
    public_translations = forms.MultipleChoiceField(
        required=False,
        label=_("Languages of the public page besides English"),
        choices=[(code, name) for code, name in settings.LANGUAGES if code in TRANSLATIONS],
        widget=forms.CheckboxSelectMultiple,
    )


class FeedbackForm(forms.Form):
    """What a family or a partner writes from the public page. `website` is the honeypot and
    `started` the signed moment the form was drawn (public.spam)."""

    goal = forms.TypedChoiceField(
        label=_("What is it about?"), required=False, coerce=int, empty_value=None
    )
    message = forms.CharField(
        label=_("Your message"),
        max_length=MESSAGE_LIMIT,
        widget=forms.Textarea(attrs={"rows": 7}),
        help_text=_(
            "Up to 3,000 characters. Your message is read by the district's leadership and is "
            "never shown on the public page. Please do not write a student's name."
        ),
        error_messages={"required": _("Write your message.")},
    )
    name = forms.CharField(
        label=_("Your name (optional)"),
        required=False,
        max_length=NAME_LIMIT,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("Your email (optional)"),
        required=False,
        help_text=_("Only if you would like an answer by email. It is never shown publicly."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
    started = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, district, goals, **kwargs):
        super().__init__(*args, **kwargs)
        self.district = district
        self.fields["goal"].choices = [("", _("The whole plan")), *goals]
        # A form shown again for a mistake keeps the moment it was first drawn, so correcting
        # an email address is not refused as too fast; a refused moment is drawn anew.
        self.fresh_start = not self.is_bound

    def clean(self):
        cleaned = super().clean()
        try:
            spam.check_started(self.data.get("started"), self.district)
        except spam.TooFast:
            self.fresh_start = True
            raise forms.ValidationError(
                _("That was quicker than anyone can type. Read your message again, then send it."),
                code="too_fast",
            ) from None
        except spam.Expired:
            self.fresh_start = True
            raise forms.ValidationError(
                _(
                    "This form was open for more than two hours. Your message is kept: send it again."
                ),
                code="expired",
            ) from None
        except spam.Forged:
            self.fresh_start = True
            raise forms.ValidationError(
                _("This form could not be checked. Your message is kept: send it again."),
                code="forged",
            ) from None
        return cleaned

    @property
    def honeypot_filled(self):
        return bool(self.data.get("website", "").strip())


class VersionedForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class AnswerForm(VersionedForm):
    answer = forms.CharField(
        label=_("Answer"),
        max_length=ANSWER_LIMIT,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Sent by email to the address they gave, if they gave one. Write it in the language "
            "they wrote in. Never shown on the public page."
        ),
        error_messages={"required": _("Write the answer.")},
    )


class ResponseForm(VersionedForm):
    response = forms.CharField(
        label=_("Public response"),
        required=False,
        max_length=RESPONSE_LIMIT,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "What everyone may read under the goal on the public page, in both its languages, "
            "as you write it. The message itself is never published: say what was asked."
        ),
    )
    response_language = forms.ChoiceField(
        label=_("Language of the response"), choices=settings.LANGUAGES
    )
    publish = forms.BooleanField(
        label=_("Publish this response on the public page"), required=False
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("publish") and not cleaned.get("response"):
            self.add_error("response", _("Write the response before publishing it."))
        return cleaned


class LinkForm(VersionedForm):
    goal = forms.ModelChoiceField(
        label=_("Goal"),
        queryset=Goal.objects.none(),
        required=False,
        empty_label=_("The whole plan"),
    )
    meeting = forms.ModelChoiceField(
        label=_("Meeting"),
        queryset=Meeting.objects.none(),
        required=False,
        empty_label=_("None"),
        help_text=_("Where it was said or answered: a town hall, a board study session."),
    )
    finding = forms.ModelChoiceField(
        label=_("Discovery finding"),
        queryset=Finding.objects.none(),
        required=False,
        empty_label=_("None"),
    )

    def __init__(self, *args, district, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goal"].queryset = Goal.objects.filter(plan__district=district).order_by(
            "-plan__start_year", "plan_id", "order", "pk"
        )
        self.fields["meeting"].queryset = Meeting.objects.filter(district=district).order_by(
            "-date", "-pk"
        )
        self.fields["meeting"].label_from_instance = lambda meeting: (
            f"{meeting.title}, {date_format(meeting.date)}"
        )
        self.fields["finding"].queryset = Finding.objects.filter(district=district).order_by(
            "analysis_id", "kind", "pk"
        )


class FeedbackFilterForm(forms.Form):
    """The moderation queue's filter: its status (new by default), the goal (or the whole plan)
    and the language it was written in."""

    status = forms.ChoiceField(label=_("Status"), required=False, choices=Feedback.Status.choices)
    goal = forms.ChoiceField(label=_("Goal"), required=False)
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        choices=[("", _("Both languages")), *settings.LANGUAGES],
    )

    def __init__(self, *args, district, **kwargs):
        super().__init__(*args, **kwargs)
        goals = Goal.objects.filter(plan__district=district).order_by(
            "-plan__start_year", "plan_id", "order", "pk"
        )
        self.fields["goal"].choices = [
            ("", _("All goals")),
            (GENERAL, _("The whole plan")),
            *((str(pk), title) for pk, title in goals.values_list("pk", "title")),
        ]

    def filters(self):
        """The valid choices as filters; an unknown value is left out rather than refused."""
        self.is_valid()
        chosen = getattr(self, "cleaned_data", {})
        return {
            "status": chosen.get("status") or Feedback.Status.NEW,
            "goal": chosen.get("goal", ""),
            "language": chosen.get("language", ""),
        }
