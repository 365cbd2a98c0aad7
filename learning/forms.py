from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import Membership
from core.forms import CsvUploadForm, NameChoiceField, SignedUploadConfirmForm, VersionedModelForm
from core.models import Campus
from learning.models import MAX_COUNT, Offering, Session, StaffRole
from theories.models import TheoryOfAction
from visits.models import LookFor


class _Members(forms.ModelChoiceField):
    def label_from_instance(self, membership):
        return membership.user.get_full_name()


class _LookFors(forms.ModelMultipleChoiceField):
    def label_from_instance(self, look_for):
        return f"{look_for.text} ({look_for.program.name})"


class OfferingForm(VersionedModelForm):
    class Meta:
        model = Offering
        fields = [
            "title",
            "theories",
            "audience",
            "description",
            "facilitator",
            "outside_facilitator",
            "outside_organization",
            "look_fors",
            "keeps_names",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "theories": forms.SelectMultiple(attrs={"size": 6}),
        }
        labels = {
            "title": _("Title"),
            "theories": _("Theories of action it serves"),
            "audience": _("Audience"),
            "description": _("Description"),
            "outside_facilitator": _("Outside facilitator (optional)"),
            "outside_organization": _("Their organization"),
            "keeps_names": _("Keep participant names"),
        }
        help_texts = {
            "theories": _("Hold Ctrl (⌘ on a Mac) to choose more than one."),
            "keeps_names": _(
                "Staff names from sign-in sheets are kept and shown to members of the district "
                "only. Without it, only counts by campus and staff role are kept, and names "
                "already kept are deleted."
            ),
        }
        error_messages = {"title": {"required": _("Give the offering a title.")}}

    def __init__(self, *args, district, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.district = district
        self.fields["theories"].queryset = TheoryOfAction.objects.filter(
            district=district
        ).order_by("strand__order", "strand_id", "order", "pk")
        self.fields["facilitator"] = _Members(
            queryset=Membership.objects.filter(district=district, is_active=True)
            .select_related("user")
            .order_by("user__full_name", "user__email"),
            required=False,
            label=_("Facilitator from the district (optional)"),
            empty_label=gettext("No member"),
        )
        self.fields["look_fors"] = _LookFors(
            queryset=LookFor.objects.filter(district=district)
            .select_related("program")
            .order_by("program__name", "order", "pk"),
            required=False,
            label=_("Look-fors it should change"),
            help_text=_("What visitors should see more often after it."),
            widget=forms.SelectMultiple(attrs={"size": 6}),
        )
        # Reordered so the member and the outside facilitator sit side by side.
        self.order_fields(self.Meta.fields)


class SessionForm(VersionedModelForm):
    class Meta:
        model = Session
        fields = ["date", "place"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"})}
        labels = {"date": _("Date"), "place": _("Place (optional)")}
        error_messages = {"date": {"required": _("Choose the session's date.")}}

    def __init__(self, *args, offering, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.offering = offering
        self.instance.district_id = offering.district_id


class ParticipationForm(forms.Form):
    session = forms.ModelChoiceField(queryset=Session.objects.none(), label=_("Session"))
    campus = NameChoiceField(queryset=Campus.objects.none(), label=_("Campus"))
    staff_role = forms.ChoiceField(choices=StaffRole.choices, label=_("Staff role"))
    count = forms.IntegerField(
        label=_("People"),
        min_value=0,
        max_value=MAX_COUNT,
        help_text=_(
            "Replaces the number recorded for this session, campus and role; 0 removes it."
        ),
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "step": 1}),
    )

    def __init__(self, *args, offering, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = offering.sessions.order_by("date", "pk")
        self.fields["session"].empty_label = None
        self.fields["campus"].queryset = Campus.objects.filter(
            district_id=offering.district_id
        ).order_by("name")


class SignInSheetForm(CsvUploadForm):
    file = forms.FileField(
        label=_("Sign-in sheet (CSV)"),
        help_text=_(
            "One row per person signed in, with the columns name, campus, role and date. "
            "Roles: teacher, campus leader, instructional coach or other staff."
        ),
        error_messages={
            "required": _("Choose a CSV file to upload."),
            "empty": _("The file is empty."),
        },
    )


class SignInSheetConfirmForm(SignedUploadConfirmForm):
    salt = "sign-in-sheet"


def confirm_form_for(offering):
    """The confirm form of one offering's import: a preview signed for one offering cannot be
    confirmed on another's page."""
    return type(
        "OfferingSignInConfirmForm",
        (SignInSheetConfirmForm,),
        {"salt": f"sign-in-sheet-{offering.pk}"},
    )
