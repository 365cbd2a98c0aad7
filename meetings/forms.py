from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import Membership
from benchmarking.models import Finding, Recommendation
from core.forms import LongSelect, NameChoiceField, NoBlankChips, VersionedModelForm
from core.models import Campus, Department
from district_plan.models import CampusPlan, Competency, Goal
from meetings.models import Decision, Meeting
from theories.models import TheoryOfAction
from visits.forms import assignable_members
from visits.models import ActionItem


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return _member_label(obj)


class MembersChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return _member_label(obj)


def _member_label(membership):
    name = membership.user.get_full_name()
    return f"{name}, {membership.title}" if membership.title else name


def district_members(district):
    return (
        Membership.objects.filter(district=district, is_active=True)
        .select_related("user")
        .order_by("user__full_name", "user__email")
    )


class MeetingForm(VersionedModelForm):
    class Meta:
        model = Meeting
        fields = [
            "kind",
            "title",
            "date",
            "start_time",
            "place",
            "facilitator",
            "facilitator_name",
            "facilitator_organisation",
            "attendees",
            "guests",
            "agenda",
            "notes",
        ]
        field_classes = {"facilitator": MemberChoiceField, "attendees": MembersChoiceField}
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}),
            "start_time": forms.TimeInput(attrs={"type": "time"}),
            "attendees": forms.CheckboxSelectMultiple,
            "guests": forms.Textarea(attrs={"rows": 3}),
            "agenda": forms.Textarea(attrs={"rows": 5}),
            "notes": forms.Textarea(attrs={"rows": 8}),
        }
        labels = {
            "kind": _("Kind of meeting"),
            "title": _("Title"),
            "date": _("Date"),
            "start_time": _("Start time (optional)"),
            "place": _("Place or link"),
            "facilitator": _("Facilitator from the district"),
            "facilitator_name": _("Or an outside facilitator"),
            "facilitator_organisation": _("Outside facilitator's organisation"),
            "attendees": _("Members attending"),
            "guests": _("Outside guests"),
            "agenda": _("Agenda"),
            "notes": _("Notes"),
        }
        help_texts = {
            "title": _("For example “Fall cabinet retreat”."),
            "facilitator_name": _(
                "Someone without an account, such as a state coordinator or a partner's staff."
            ),
            "facilitator_organisation": _(
                "For example a regional education service center or a university."
            ),
        }
        error_messages = {
            "title": {"required": _("Give the meeting a title.")},
            "date": {"required": _("Give the meeting's date."), "invalid": _("Enter a date.")},
            "kind": {"required": _("Choose the kind of meeting.")},
        }

    def __init__(self, *args, district, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.district = district
        members = district_members(district)
        self.fields["facilitator"].queryset = members
        self.fields["facilitator"].empty_label = gettext("No one from the district")
        self.fields["attendees"].queryset = members
        self.fields["attendees"].error_messages["invalid_choice"] = gettext(
            "Choose members of this district."
        )
        self.fields["facilitator"].error_messages["invalid_choice"] = gettext(
            "Choose a member of this district."
        )


class LinkChoiceField(forms.ModelChoiceField):
    def __init__(self, *args, label_of=str, **kwargs):
        self.label_of = label_of
        super().__init__(*args, **kwargs)
        self.error_messages["invalid_choice"] = gettext("Choose a record of this district.")

    def label_from_instance(self, obj):
        return self.label_of(obj)


def _clip(text, length=90):
    return text if len(text) <= length else f"{text[:length]}…"


class DecisionForm(VersionedModelForm):
    class Meta:
        model = Decision
        fields = [
            "text",
            "effect",
            "goal",
            "competency",
            "theory",
            "campus_plan",
            "finding",
            "recommendation",
        ]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}
        labels = {
            "text": _("Decision"),
            "effect": _("The records below were"),
            "goal": _("Goal"),
            "competency": _("Learner profile competency"),
            "theory": _("Theory of action"),
            "campus_plan": _("Campus plan"),
            "finding": _("Discovery finding"),
            "recommendation": _("Discovery recommendation"),
        }
        error_messages = {"text": {"required": _("Write what was decided.")}}

    def __init__(self, *args, district, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.district = district
        choices = {
            "goal": (
                Goal.objects.filter(district=district)
                .select_related("plan")
                .order_by("-plan__start_year", "order", "pk"),
                lambda g: f"{_clip(g.title)} ({g.plan.title})",
            ),
            "competency": (
                Competency.objects.filter(district=district)
                .select_related("plan")
                .order_by("-plan__start_year", "order", "pk"),
                lambda c: f"{_clip(str(c))} ({c.plan.title})",
            ),
            "theory": (
                TheoryOfAction.objects.filter(district=district).order_by(
                    "strand__order", "order", "pk"
                ),
                lambda t: t.label,
            ),
            "campus_plan": (
                CampusPlan.objects.filter(district=district)
                .select_related("campus")
                .order_by("campus__name", "-start_year"),
                str,
            ),
            "finding": (
                Finding.objects.filter(district=district).order_by("analysis_id", "kind", "pk"),
                lambda f: _clip(str(f)),
            ),
            "recommendation": (
                Recommendation.objects.filter(district=district).order_by(
                    "analysis_id", "priority", "pk"
                ),
                lambda r: _clip(r.text),
            ),
        }
        for name, (queryset, label) in choices.items():
            old = self.fields[name]
            self.fields[name] = LinkChoiceField(
                queryset=queryset,
                # A large district's campus plans are hundreds of options.
                widget=LongSelect,
                required=False,
                label=old.label,
                label_of=label,
                empty_label=gettext("None"),
            )


class FollowUpForm(NoBlankChips, forms.ModelForm):
    """A meeting's follow-up action: an action item owned by a campus's leadership team or by
    a department (for one campus, or for none), with an assignee and a due date."""

    class Meta:
        model = ActionItem
        fields = ["campus", "description", "owner", "department", "assignee", "due_date"]
        field_classes = {"campus": NameChoiceField}
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "due_date": forms.DateInput(attrs={"type": "date"}),
            "owner": forms.RadioSelect,
        }
        labels = {
            "campus": _("Campus"),
            "description": _("Description"),
            "owner": _("Owner"),
            "department": _("Department"),
            "assignee": _("Assignee"),
            "due_date": _("Due date"),
        }
        help_texts = {
            "campus": _(
                "The campus the action is for. A department's action may be for no one campus."
            ),
        }
        error_messages = {
            "description": {"required": _("Say what needs to happen.")},
        }

    def __init__(self, *args, district, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.district_id = district.pk
        self.fields["campus"].queryset = Campus.objects.filter(district=district).order_by("name")
        self.fields["campus"].empty_label = gettext("No one campus")
        self.fields["campus"].error_messages["invalid_choice"] = gettext(
            "Choose a campus of this district."
        )
        self.fields["department"].queryset = Department.objects.filter(district=district)
        self.fields["department"].error_messages["invalid_choice"] = gettext(
            "Choose a department of this district."
        )
        assignee = self.fields["assignee"]
        # Any member is read back; the item's own rule refuses one who cannot act on it, with
        # the reason.
        assignee.queryset = assignable_members(district.pk)
        assignee.label_from_instance = lambda user: user.get_full_name()
        assignee.error_messages["invalid_choice"] = gettext("Choose a member of this district.")


class MaterialForm(forms.Form):
    file = forms.FileField(
        label=_("Material"),
        help_text=_(
            "A PDF, an image or an Office document, up to 10 MB. Only members of the district "
            "can open it."
        ),
        error_messages={"required": _("Choose a file to attach.")},
    )
