from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.csv_import import ImportFileError
from core.document_lines import (
    MAX_DOCUMENT_CHARACTERS,
    check_docx,
    lines_from_docx,
    lines_from_text,
)
from core.forms import VersionedModelForm
from district_plan.models import FocusArea, Goal
from theories.models import CLAUSE_LIMIT, Action, Strand, TheoryOfAction

MAX_ACTIONS = 30


class StrandForm(VersionedModelForm):
    class Meta:
        model = Strand
        fields = ["name", "name_es"]
        labels = {"name": _("Strand name")}

    def __init__(self, *args, district, **kwargs):
        self.district = district
        super().__init__(*args, **kwargs)

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        taken = Strand.objects.filter(district=self.district, name__iexact=name)
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(
                gettext("This district already has a strand with that name.")
            )
        return name


class TheoryForm(VersionedModelForm):
    class Meta:
        model = TheoryOfAction
        fields = [
            "strand",
            "short_name",
            "short_name_es",
            "problem",
            "if_clause",
            "if_clause_es",
            "then_clause",
            "then_clause_es",
            "so_that",
            "so_that_es",
            "rationale",
            "owner",
            "status",
            "progress",
            "goals",
            "focus_areas",
        ]
        widgets = {
            "problem": forms.Textarea(attrs={"rows": 2}),
            "if_clause": forms.Textarea(attrs={"rows": 3}),
            "then_clause": forms.Textarea(attrs={"rows": 3}),
            "so_that": forms.Textarea(attrs={"rows": 2}),
            "rationale": forms.Textarea(attrs={"rows": 2}),
            "goals": forms.CheckboxSelectMultiple,
            "focus_areas": forms.CheckboxSelectMultiple,
        }
        error_messages = {
            "if_clause": {"required": _("Write what the adults will do.")},
            "then_clause": {"required": _("Write what we will see in practice.")},
        }
        labels = {
            "short_name": _("Short name (optional)"),
            "strand": _("Strand"),
            "rationale": _("Rationale"),
            "owner": _("Owner"),
            "status": _("Status"),
            "progress": _("Progress"),
            "goals": _("Goals"),
            "focus_areas": _("Focus areas"),
        }
        help_texts = {
            "short_name": _(
                "A few words that name the theory in lists and menus, such as “Shared "
                "walkthroughs”. Without one, the start of its IF stands in."
            ),
            "owner": _("A person or a team."),
        }

    def __init__(self, *args, district, plan=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.district = district
        self.fields["strand"].queryset = Strand.objects.filter(district=district)
        self.fields["strand"].empty_label = None
        goals = Goal.objects.filter(district=district)
        focus_areas = FocusArea.objects.filter(district=district)
        if plan is not None:
            goals, focus_areas = goals.filter(plan=plan), focus_areas.filter(plan=plan)
        self.fields["goals"].queryset = goals.order_by("order", "pk")
        self.fields["focus_areas"].queryset = focus_areas.order_by("order", "pk")
        self.fields["so_that"].help_text = gettext('Some districts write "which leads to".')


class ActionForm(VersionedModelForm):
    class Meta:
        model = Action
        fields = ["description", "owner", "due_date", "status", "progress", "evidence"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "evidence": forms.Textarea(attrs={"rows": 2}),
            "due_date": forms.DateInput(attrs={"type": "date"}),
        }
        labels = {
            "description": _("Description"),
            "owner": _("Owner"),
            "due_date": _("Due date"),
            "status": _("Status"),
            "progress": _("Progress"),
            "evidence": _("Evidence"),
        }
        help_texts = {
            "evidence": _("What shows where this action stands: a document, a data point, a visit.")
        }

    def __init__(self, *args, theory, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.theory = theory
        self.instance.district_id = theory.district_id


class PasteForm(forms.Form):
    """The document to read: its text pasted, or the Word file itself. `clean` leaves the
    document's lines (`core.document_lines`) in cleaned_data["lines"]."""

    text = forms.CharField(
        label=_("Pasted document"),
        widget=forms.Textarea(attrs={"rows": 16}),
        max_length=MAX_DOCUMENT_CHARACTERS,
        required=False,
        help_text=_(
            "Strand headings followed by IF … THEN statements, as they are in your document."
        ),
    )
    document = forms.FileField(
        label=_("Or upload the Word document (.docx)"),
        required=False,
        help_text=_(
            "Headings, bulleted and numbered lists and tables (IF | THEN | SO THAT, or "
            "problem | root cause | theory) are read as they are laid out."
        ),
        error_messages={"empty": _("The file is empty.")},
    )
    default_strand = forms.CharField(
        label=_("Strand for statements before the first heading"),
        initial="General",
        max_length=200,
    )

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        upload, text = data.get("document"), data.get("text") or ""
        try:
            if upload is not None:
                data["lines"] = lines_from_docx(check_docx(upload))
            elif text.strip():
                data["lines"] = lines_from_text(text)
            else:
                self.add_error(
                    "text",
                    gettext("Paste the text of your theory-of-action document or upload it."),
                )
        except ImportFileError as exc:
            self.add_error("document", str(exc))
        return data


class ImportRowForm(forms.Form):
    include = forms.BooleanField(label=_("Include"), required=False)
    strand = forms.CharField(label=_("Strand"), max_length=200, required=False)
    problem = forms.CharField(
        label=_("Problem it answers"),
        required=False,
        max_length=CLAUSE_LIMIT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    if_clause = forms.CharField(
        label=_("IF"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    then_clause = forms.CharField(
        label=_("THEN"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    so_that = forms.CharField(
        label=_("SO THAT"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    actions = forms.CharField(
        label=_("Actions, one a line"),
        required=False,
        max_length=MAX_ACTIONS * CLAUSE_LIMIT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    note = forms.CharField(required=False, widget=forms.HiddenInput)
    review = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean_actions(self):
        actions = [" ".join(line.split()) for line in self.cleaned_data["actions"].splitlines()]
        actions = [action for action in actions if action]
        if len(actions) > MAX_ACTIONS:
            raise forms.ValidationError(
                gettext("Import at most %(count)s actions with one theory.")
                % {"count": MAX_ACTIONS}
            )
        if any(len(action) > CLAUSE_LIMIT for action in actions):
            raise forms.ValidationError(
                gettext("An action is at most %(count)s characters.") % {"count": CLAUSE_LIMIT}
            )
        return actions

    def clean(self):
        data = super().clean()
        if data.get("include"):
            for name, message in (
                ("strand", gettext("Name the strand.")),
                ("if_clause", gettext("Write what the adults will do.")),
                ("then_clause", gettext("Write what we will see in practice.")),
            ):
                if not (data.get(name) or "").strip():
                    self.add_error(name, message)
        return data


ImportRowFormSet = forms.formset_factory(ImportRowForm, extra=0, max_num=2000, absolute_max=2000)


class TheoryFilterForm(forms.Form):
    """The theories page's filter: words found in a theory's text or owner, its status, and a
    goal it serves (the plan page links a goal's theories here), grouped by plan when the
    district has several."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All statuses")), *TheoryOfAction.Status.choices],
    )
    goal = forms.TypedChoiceField(label=_("Goal served"), required=False, coerce=int)

    def __init__(self, *args, district, **kwargs):
        super().__init__(*args, **kwargs)
        by_plan = {}
        goals = Goal.objects.filter(plan__district=district).order_by(
            "-plan__start_year", "plan__title", "plan_id", "order", "pk"
        )
        for pk, title, plan_id, plan in goals.values_list("pk", "title", "plan_id", "plan__title"):
            by_plan.setdefault(plan_id, (plan, []))[1].append((pk, title))
        groups = list(by_plan.values())
        choices = groups[0][1] if len(groups) == 1 else groups
        self.fields["goal"].choices = [("", _("All goals")), *choices]
