import datetime
import re

from django import forms
from django.core.validators import MaxLengthValidator
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import Membership, User
from core.forms import NoBlankChips, VersionedModelForm
from core.models import Campus, Department
from district_plan.models import FocusArea
from theories.models import TheoryOfAction
from visits.models import ActionItem, LookFor, Observation, ProblemOfPractice, Visit, VisitProgram
from visits.selectors import district_members, new_item_assignee_choices

_COUNT = 987654321  # stands for the typed length in a message the tablet fills in
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
_BLACKOUT_LINE = re.compile(
    r"^\s*(\d{4}-\d{2}-\d{2})\s*(?:(?:to|–|—|-)\s*(\d{4}-\d{2}-\d{2}))?\s*[,:;]?\s*(.*)$"
)


class ProgramForm(forms.ModelForm):
    campuses = forms.ModelMultipleChoiceField(
        queryset=Campus.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label=_("Campuses in the cohort"),
        error_messages={"required": _("Choose the campuses the program visits.")},
    )
    blackouts = forms.CharField(
        label=_("Blackout dates"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "One per line: a date or a range, then the reason. "
            "For example: 2026-11-23 to 2026-11-27 Thanksgiving break"
        ),
    )

    class Meta:
        model = VisitProgram
        fields = ["name", "weekday", "start_date", "end_date"]
        widgets = {"start_date": DATE, "end_date": DATE}
        labels = {
            "name": _("Name"),
            "weekday": _("Weekday"),
            "start_date": _("Start date"),
            "end_date": _("End date"),
        }

    def __init__(self, *args, district, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.district = district
        self.fields["campuses"].queryset = Campus.objects.filter(district=district).order_by("name")

    def clean_blackouts(self):
        ranges = []
        for number, line in enumerate(self.cleaned_data["blackouts"].splitlines(), start=1):
            if not line.strip():
                continue
            match = _BLACKOUT_LINE.match(line)
            try:
                start = datetime.date.fromisoformat(match.group(1))
                end = datetime.date.fromisoformat(match.group(2) or match.group(1))
            except (AttributeError, ValueError):
                raise forms.ValidationError(
                    gettext(
                        "Line %(number)s is not a date or a range like 2026-11-23 to 2026-11-27."
                    )
                    % {"number": number}
                ) from None
            if end < start:
                raise forms.ValidationError(
                    gettext("Line %(number)s ends before it starts.") % {"number": number}
                )
            ranges.append((start, end, (match.group(3) or gettext("Blackout")).strip()[:200]))
        return ranges


class VisitForm(VersionedModelForm):
    class Meta:
        model = Visit
        fields = ["focus", "departments", "team"]
        widgets = {
            "focus": forms.Textarea(attrs={"rows": 2}),
            "departments": forms.CheckboxSelectMultiple,
            "team": forms.CheckboxSelectMultiple,
        }
        labels = {"departments": _("Departments"), "team": _("Team")}

    def __init__(self, *args, district, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["departments"].queryset = Department.objects.filter(district=district)
        self.fields["team"].queryset = User.objects.filter(
            memberships__district=district, memberships__role__in=["admin", "cabinet", "visit_team"]
        ).order_by("full_name", "email")
        self.fields["team"].label_from_instance = lambda user: user.get_full_name()


class MoveVisitForm(forms.Form):
    date = forms.DateField(label=_("New date"), widget=DATE)


class DebriefForm(VersionedModelForm):
    class Meta:
        model = Visit
        fields = ["strengths", "instructional_alignment", "teacher_effectiveness", "problems"]
        widgets = {
            "strengths": forms.Textarea(attrs={"rows": 3}),
            "instructional_alignment": forms.Textarea(attrs={"rows": 3}),
            "teacher_effectiveness": forms.Textarea(attrs={"rows": 3}),
            "problems": forms.CheckboxSelectMultiple,
        }
        labels = {
            "strengths": _("Strengths seen"),
            "instructional_alignment": _("Instructional alignment"),
            "teacher_effectiveness": _("Teacher effectiveness"),
            "problems": _("Problems of practice"),
        }
        help_texts = {"teacher_effectiveness": _("Across the campus, not about one teacher.")}

    new_problem = forms.CharField(
        label=_("Add a problem of practice to the district list"),
        required=False,
        max_length=200,
    )

    def __init__(self, *args, district, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["problems"].queryset = ProblemOfPractice.objects.filter(district=district)


class ObservationForm(NoBlankChips, forms.ModelForm):
    client_id = forms.UUIDField(widget=forms.HiddenInput)

    class Meta:
        model = Observation
        fields = ["kind", "setting", "grade_band", "subject", "look_fors", "notes", "private"]
        widgets = {
            "kind": forms.RadioSelect,
            "grade_band": forms.RadioSelect,
            "look_fors": forms.CheckboxSelectMultiple,
            "notes": forms.Textarea(attrs={"rows": 4}),
        }
        error_messages = {"kind": {"required": _("Choose what you observed.")}}
        labels = {
            "kind": _("Kind"),
            "setting": _("Setting"),
            "grade_band": _("Grade band"),
            "subject": _("Subject"),
            "look_fors": _("Look-fors"),
            "notes": _("Notes"),
            "private": _("Private to the visit team"),
        }
        help_texts = {"setting": _("For example Room 12, library.")}

    def __init__(self, *args, visit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["look_fors"].queryset = LookFor.objects.filter(program_id=visit.program_id)
        self.fields["look_fors"].error_messages["invalid_choice"] = gettext(
            "That look-for belongs to another program."
        )

    def model_fields(self):
        return {k: v for k, v in self.cleaned_data.items() if k not in ("client_id", "look_fors")}

    def tablet_rules(self):
        """The checks the tablet makes before it clears the form, read off these fields so the
        two cannot drift apart, with the server's own messages ({count}: the length typed)."""
        rules = {}
        for name, field in self.fields.items():
            if field.widget.is_hidden:
                continue
            rule = {}
            if field.required:
                rule["required"] = str(field.error_messages["required"])
            for validator in field.validators:
                if isinstance(validator, MaxLengthValidator):
                    limit = validator.limit_value
                    message = validator.message % {"limit_value": limit, "show_value": _COUNT}
                    rule["max_length"] = limit
                    rule["too_long"] = str(message).replace(str(_COUNT), "{count}")
            if rule:
                rules[name] = rule
        return rules


class ActionItemForm(NoBlankChips, forms.ModelForm):
    class Meta:
        model = ActionItem
        fields = [
            "description",
            "owner",
            "department",
            "assignee",
            "due_date",
            "resolved_during_visit",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "due_date": DATE,
            "owner": forms.RadioSelect,
        }
        labels = {
            "description": _("Description"),
            "owner": _("Owner"),
            "department": _("Department"),
            "assignee": _("Assignee"),
            "due_date": _("Due date"),
            "resolved_during_visit": _("Resolved during visit"),
        }

    def __init__(self, *args, visit, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.district_id = visit.district_id
        self.instance.visit = visit
        self.instance.campus_id = visit.campus_id
        self.fields["department"].queryset = Department.objects.filter(
            district_id=visit.district_id
        )
        assignee = self.fields["assignee"]
        # Any member is read back, so a choice outside those offered is refused by the item's
        # own rule with the reason, not as an unknown choice.
        assignee.queryset = assignable_members(visit.district_id)
        assignee.widget.choices = [
            ("", assignee.empty_label),
            *(
                (user.pk, user.get_full_name())
                for user in new_item_assignee_choices(
                    visit=visit, members=district_members(visit.district_id)
                )
            ),
        ]
        self.fields["department"].error_messages["invalid_choice"] = gettext(
            "Choose a department of this district."
        )


class _ErrorText:
    def error_text(self):
        """Every error of the form in a sentence, each after its field's label: the list page
        says it in a message naming the item, above a form it does not redraw."""
        return " ".join(
            f"{self.fields[name].label}: {error}" if name in self.fields else error
            for name, errors in self.errors.items()
            for error in errors
        )


class ActionItemStatusForm(_ErrorText, VersionedModelForm):
    class Meta:
        model = ActionItem
        fields = ["status", "status_note", "evidence"]
        labels = {"status": _("Status"), "status_note": _("Note"), "evidence": _("Evidence")}


class ActionItemReassignForm(_ErrorText, VersionedModelForm):
    """Who an item is assigned to and when it is due, for those who run visits. The list page
    draws these fields itself, with the district's members read once for every item; any
    member is read back here and the item's own rule refuses one who cannot act on it."""

    class Meta:
        model = ActionItem
        fields = ["assignee", "due_date"]
        labels = {"assignee": _("Assigned to"), "due_date": _("Due date")}

    def __init__(self, *args, district, **kwargs):
        super().__init__(*args, **kwargs)
        assignee = self.fields["assignee"]
        assignee.queryset = assignable_members(district, keep=self.instance.assignee_id)
        assignee.error_messages["invalid_choice"] = gettext("Choose a member of this district.")
        self.fields["due_date"].error_messages["invalid"] = gettext(
            "Enter the due date as a date, like 2026-11-24."
        )

    def clean_due_date(self):
        due = self.cleaned_data["due_date"]
        if due is None or "due_date" not in self.changed_data:
            return due
        if due > timezone.localdate() + datetime.timedelta(days=5 * 365 + 1):
            raise forms.ValidationError(gettext("A due date can be at most five years from today."))
        if self.instance.visit_id and due < self.instance.visit.date:
            raise forms.ValidationError(
                gettext("A due date cannot be before the visit that raised it.")
            )
        return due


def assignable_members(district, *, keep=None):
    """The district's members; `keep` (an item's assignee who has since left the district)
    stays a valid choice, so moving only the date does not take the item from them."""
    members = Membership.objects.filter(district=district).values("user")
    return User.objects.filter(Q(pk__in=members) | Q(pk=keep)).order_by("full_name", "email")


def _look_for_theory_label(theory):
    # A look-for is tied to what the theory expects to be seen: its THEN, after its name.
    then = gettext("THEN %(then_clause)s") % {"then_clause": theory.then_clause[:80]}
    return f"{theory.short_name} · {then}" if theory.short_name else then


class LookForForm(forms.ModelForm):
    class Meta:
        model = LookFor
        fields = ["text", "theory", "focus_area"]
        labels = {
            "text": _("Text"),
            "theory": _("Theory of action (its THEN)"),
            "focus_area": _("Or a focus area"),
        }
        help_texts = {"theory": _("The theory whose THEN this look-for shows.")}

    def __init__(self, *args, district, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theory"].queryset = TheoryOfAction.objects.filter(district=district)
        self.fields["theory"].label_from_instance = _look_for_theory_label
        self.fields["focus_area"].queryset = FocusArea.objects.filter(district=district)


class ActionItemsReassignForm(forms.Form):
    """Who takes over a member's open action items; only those who may update all of them are
    offered."""

    to_user = forms.TypedChoiceField(
        label=_("Hand them to"),
        coerce=int,
        error_messages={"required": _("Choose who takes them over.")},
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.people = {user.pk: user for user in choices}
        self.fields["to_user"].choices = [("", _("Choose someone"))] + [
            (user.pk, f"{user.get_full_name()} ({user.email})") for user in choices
        ]

    def clean_to_user(self):
        return self.people[self.cleaned_data["to_user"]]
