from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.csv_import import ImportFileError, clean_cell, heading_key
from core.document_lines import MAX_DOCUMENT_CHARACTERS, check_docx, lines_from_docx
from core.forms import CsvUploadForm, LongSelect, SignedUploadConfirmForm, VersionedModelForm
from core.models import Department
from district_plan.goal_table import table_text
from district_plan.models import (
    CampusGoal,
    CampusPlan,
    CampusStrategy,
    Competency,
    FocusArea,
    Goal,
    Measure,
    MeasureValue,
    Partner,
    PerformanceObjective,
    Plan,
    Strategy,
)
from district_plan.result_csv import (
    IGNORE,
    RESULT,
    STUDENTS,
    UNMAPPED,
    read_school_year,
    school_year_problem,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DistrictScopedForm(VersionedModelForm):
    """Sets the district on the record and offers only this district's related records."""

    def __init__(self, *args, district, **kwargs):
        super().__init__(*args, **kwargs)
        self.district = district
        self.instance.district = district
        for field in self.fields.values():
            queryset = getattr(field, "queryset", None)
            if queryset is not None and hasattr(queryset.model, "district"):
                field.queryset = queryset.filter(district=district)


class PlanForm(DistrictScopedForm):
    class Meta:
        model = Plan
        fields = ["title", "title_es", "start_year", "end_year", "vision", "vision_es"]
        widgets = {"vision": forms.Textarea(attrs={"rows": 4})}
        labels = {"title": _("Title")}
        help_texts = {
            "start_year": _("The year the first school year starts, e.g. 2025."),
            "end_year": _("The year the last school year starts, e.g. 2027."),
        }


class AdoptForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    adopted_on = forms.DateField(
        label=_("Adopted by the board on"), widget=DATE, initial=timezone.localdate
    )


class CompetencyForm(DistrictScopedForm):
    class Meta:
        model = Competency
        fields = ["grade_band", "name", "name_es", "description", "description_es"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}
        labels = {"grade_band": _("Grade band"), "name": _("Name"), "description": _("Description")}


class GoalForm(DistrictScopedForm):
    class Meta:
        model = Goal
        fields = ["title", "title_es", "description", "description_es", "status"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        labels = {"title": _("Title"), "description": _("Description"), "status": _("Status")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A form posted without the status (an older page) keeps the goal's status.
        self.fields["status"].required = False

    def clean_status(self):
        return self.cleaned_data["status"] or self.instance.status


class FocusAreaForm(DistrictScopedForm):
    class Meta:
        model = FocusArea
        fields = [
            "name",
            "name_es",
            "objective",
            "objective_es",
            "anticipated_benefit",
            "anticipated_benefit_es",
        ]
        widgets = {
            "objective": forms.Textarea(attrs={"rows": 2}),
            "anticipated_benefit": forms.Textarea(attrs={"rows": 2}),
        }
        labels = {
            "name": _("Name"),
            "objective": _("Objective"),
            "anticipated_benefit": _("Anticipated benefit"),
        }


class StrategyForm(DistrictScopedForm):
    class Meta:
        model = Strategy
        fields = ["description", "department"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}
        labels = {"description": _("Description")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(district=self.district)


class PartnerForm(DistrictScopedForm):
    class Meta:
        model = Partner
        fields = ["name", "kind", "description", "focus_areas"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "focus_areas": forms.CheckboxSelectMultiple,
        }
        labels = {
            "name": _("Name"),
            "kind": _("Kind"),
            "description": _("Description"),
            "focus_areas": _("Focus areas"),
        }

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["focus_areas"].queryset = FocusArea.objects.filter(plan=plan)


class MeasureForm(DistrictScopedForm):
    class Meta:
        model = Measure
        fields = [
            "name",
            "name_es",
            "unit",
            "direction",
            "baseline",
            "baseline_date",
            "target",
            "target_date",
            "update_cycle",
        ]
        widgets = {"baseline_date": DATE, "target_date": DATE}
        error_messages = {
            "baseline": {"invalid": _("Enter a number, such as 42 or 42.5.")},
            "target": {"invalid": _("Enter a number, such as 42 or 42.5.")},
        }
        labels = {
            "name": _("Name"),
            "unit": _("Unit"),
            "direction": _("Direction"),
            "baseline": _("Baseline"),
            "baseline_date": _("Baseline date"),
            "target": _("Target"),
            "target_date": _("Target date"),
            "update_cycle": _("Update cycle"),
        }
        help_texts = {"unit": _("For example %, students, points.")}


class MeasureValueForm(forms.ModelForm):
    # Set by the confirmation that shows the value already recorded for the date.
    replace = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The form is drawn for an unsaved value of the measure, whose empty date would
        # otherwise win over the field's own initial.
        if self.initial.get("observed_on") is None:
            self.initial["observed_on"] = timezone.localdate()

    class Meta:
        model = MeasureValue
        fields = ["observed_on", "value", "note"]
        widgets = {"observed_on": DATE}
        error_messages = {"value": {"invalid": _("Enter a number, such as 42 or 42.5.")}}
        labels = {"observed_on": _("Date"), "value": _("Value"), "note": _("Note")}

    def clean_observed_on(self):
        day = self.cleaned_data["observed_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(gettext("A value cannot be dated in the future."))
        return day


class MeasureValueCorrectionForm(forms.ModelForm):
    class Meta:
        model = MeasureValue
        fields = ["value", "note"]
        error_messages = {"value": {"invalid": _("Enter a number, such as 42 or 42.5.")}}
        labels = {"value": _("Value"), "note": _("Note")}


class MeasureValuesUploadForm(CsvUploadForm):
    file = forms.FileField(
        label=_("Measure values (CSV)"),
        help_text=_("The measures export, with new rows or values filled in."),
        error_messages={
            "required": _("Choose a CSV file to upload."),
            "empty": _("The file is empty."),
        },
    )


class MeasureValuesConfirmForm(SignedUploadConfirmForm):
    salt = "measure-values"


class ResultsUploadForm(CsvUploadForm):
    file = forms.FileField(
        label=_("Results by campus and student group (CSV)"),
        help_text=_(
            "Either one row per campus, student group, measure and school year, with the "
            "columns Campus, Student group, Measure, Year, Value and, if you have it, Students; "
            "or one row per campus with a column per measure and student group."
        ),
        error_messages={
            "required": _("Choose a CSV file to upload."),
            "empty": _("The file is empty."),
        },
    )
    year = forms.CharField(
        label=_("School year"),
        required=False,
        max_length=20,
        help_text=_(
            "For a file without a Year column: the school year its results are for, like 2025-26."
        ),
    )

    def clean_year(self):
        text = self.cleaned_data["year"].strip()
        if not text:
            return None
        try:
            day = read_school_year(text)
        except ValueError:
            raise forms.ValidationError(
                gettext("Enter a school year like 2025-26, or a date like 2026-06-30.")
            ) from None
        if problem := school_year_problem(day, timezone.localdate()):
            raise forms.ValidationError(problem)
        return day


class ResultsConfirmForm(SignedUploadConfirmForm):
    salt = "measure-results"


class ResultColumnsForm(forms.Form):
    """How each column of a wide results file is read, as the preview offers to change it: what
    it holds, the measure, and the student group (the district's, or a new one it names).
    `columns` are the preview's (result_csv.ResultColumn); `group_names` the groups offered."""

    KINDS = [
        (RESULT, _("A measure's result for a student group")),
        (STUDENTS, _("A student group's count of students")),
        (IGNORE, _("Not imported")),
    ]

    def __init__(self, *args, columns, measures, group_names, **kwargs):
        super().__init__(*args, **kwargs)
        self.columns = columns
        measure_choices = [("", "---------"), *((str(m.pk), m.name) for m in measures)]
        group_choices = [("", "---------"), *((name, name) for name in group_names)]
        for column in columns:
            kinds = self.KINDS
            if column.kind == UNMAPPED:
                kinds = [(UNMAPPED, _("Not mapped yet: not imported")), *kinds]
            prefix = f"c{column.index}-"
            self.fields[prefix + "kind"] = forms.ChoiceField(
                label=_("What it holds"), choices=kinds, initial=column.kind
            )
            self.fields[prefix + "measure"] = forms.ChoiceField(
                label=_("Measure"),
                choices=measure_choices,
                required=False,
                initial=column.measure and str(column.measure.pk),
                widget=LongSelect,
            )
            self.fields[prefix + "group"] = forms.ChoiceField(
                label=_("Student group"),
                choices=group_choices,
                required=False,
                initial=column.group.name if column.group else column.group_name,
                widget=LongSelect,
            )
            self.fields[prefix + "new_group"] = forms.CharField(
                label=_("Or a new student group"), required=False, max_length=100
            )

    def rows(self):
        """Each column with its four fields, for the template."""
        return [
            (
                column,
                [
                    self[f"c{column.index}-{name}"]
                    for name in ("kind", "measure", "group", "new_group")
                ],
            )
            for column in self.columns
        ]

    def clean(self):
        data = super().clean()
        taken = {}
        for column in self.columns:
            prefix = f"c{column.index}-"
            kind = data.get(prefix + "kind")
            group = clean_cell(data.get(prefix + "new_group") or "") or data.get(prefix + "group")
            measure = data.get(prefix + "measure")
            refused = {prefix + "measure", prefix + "group"} & set(self.errors)
            if kind not in (RESULT, STUDENTS) or refused:
                continue
            if kind == RESULT and not measure:
                self.add_error(prefix + "measure", gettext("Choose the measure this column holds."))
                continue
            if not group:
                self.add_error(
                    prefix + "group", gettext("Choose the student group this column is for.")
                )
                continue
            target = (kind, measure if kind == RESULT else "", heading_key(group))
            if target in taken:
                self.add_error(
                    prefix + "kind",
                    gettext("Column “%(other)s” already holds this measure and group.")
                    % {"other": taken[target].heading[:80]},
                )
            taken.setdefault(target, column)
        return data

    def choices(self, chosen):
        """`chosen` (what was chosen before) with the columns this form changes."""
        chosen = dict(chosen)
        for column in self.columns:
            prefix = f"c{column.index}-"
            kind = self.cleaned_data[prefix + "kind"]
            measure = self.cleaned_data[prefix + "measure"]
            choice = {
                "kind": kind,
                "measure": int(measure) if kind == RESULT else None,
                "group": (
                    clean_cell(self.cleaned_data[prefix + "new_group"])
                    or self.cleaned_data[prefix + "group"]
                )
                if kind in (RESULT, STUDENTS)
                else "",
            }
            if choice != column.choice():
                chosen[str(column.index)] = choice
        return chosen


# Campus plans


class CampusPlanForm(DistrictScopedForm):
    class Meta:
        model = CampusPlan
        fields = ["start_year", "end_year", "summary", "theories"]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "theories": forms.CheckboxSelectMultiple,
        }
        labels = {"summary": _("Focus")}
        help_texts = {
            "start_year": _("The year the first school year starts, e.g. 2025."),
            "end_year": _("The year the last school year starts, e.g. 2027."),
        }

    def __init__(self, *args, campus=None, **kwargs):
        super().__init__(*args, **kwargs)
        if campus is not None:
            self.instance.campus = campus
        # A campus takes up what the district has adopted (and keeps what it took up before).
        field = self.fields["theories"]
        taken = (
            list(self.instance.theories.values_list("pk", flat=True)) if self.instance.pk else []
        )
        field.queryset = (
            field.queryset.filter(Q(status="adopted") | Q(pk__in=taken))
            .select_related("strand")
            .order_by("strand__order", "strand_id", "order", "pk")
        )
        field.help_text = _("The district's adopted theories of action this campus works on.")


class CampusPlanFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("Any status")), *CampusPlan.Status.choices],
        required=False,
    )


class ApproveCampusPlanForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    approved_on = forms.DateField(
        label=_("Approved by the district on"), widget=DATE, initial=timezone.localdate
    )


class CampusGoalForm(DistrictScopedForm):
    class Meta:
        model = CampusGoal
        fields = ["district_goal", "title", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}
        labels = {"title": _("Title"), "description": _("Description")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The goals of the district's plans still in force.
        self.fields["district_goal"].queryset = (
            Goal.objects.filter(district=self.district)
            .exclude(plan__status=Plan.Status.ARCHIVED)
            .order_by("plan__start_year", "order", "pk")
        )


class PerformanceObjectiveForm(DistrictScopedForm):
    class Meta:
        model = PerformanceObjective
        fields = ["description", "measure", "baseline", "target"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}
        labels = {
            "description": _("Objective"),
            "baseline": _("Baseline at this campus"),
            "target": _("Target at this campus"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measure"].queryset = (
            Measure.objects.filter(district=self.district, goal__isnull=False)
            .exclude(goal__plan__status=Plan.Status.ARCHIVED)
            .order_by("goal__order", "order", "pk")
        )


class CampusStrategyForm(DistrictScopedForm):
    class Meta:
        model = CampusStrategy
        fields = ["description", "theory", "owner", "status", "projected_result"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "projected_result": forms.Textarea(attrs={"rows": 2}),
        }
        labels = {"description": _("Strategy"), "owner": _("Owner"), "status": _("Status")}

    def __init__(self, *args, campus_plan, **kwargs):
        super().__init__(*args, **kwargs)
        # Under one of the theories this campus takes up, or its own.
        field = self.fields["theory"]
        field.queryset = campus_plan.theories.select_related("strand").order_by(
            "strand__order", "order", "pk"
        )
        field.empty_label = gettext("The campus's own strategy")


class GoalTableUploadForm(forms.Form):
    """The goals table as a Word document or pasted; `clean` leaves its text, tab separated, in
    cleaned_data["file"], which the upload → preview → confirm flow signs and carries."""

    file = forms.FileField(
        label=_("Word document with the goals table (.docx)"),
        required=False,
        help_text=_(
            "The first table whose headings name a goal: goal, measure, baseline, target and "
            "target year, and a unit if the numbers do not end in %."
        ),
        error_messages={"empty": _("The file is empty.")},
    )
    text = forms.CharField(
        label=_("Or paste the table"),
        required=False,
        max_length=MAX_DOCUMENT_CHARACTERS,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Copied from Word or a spreadsheet (tab separated), or typed with | between columns; "
            "the first row names the columns."
        ),
    )

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        upload, text = data.get("file"), data.get("text") or ""
        try:
            if upload is not None:
                data["file"] = table_text(lines_from_docx(check_docx(upload)))
            elif text.strip():
                data["file"] = text
            else:
                self.add_error("text", gettext("Upload the document or paste its goals table."))
        except ImportFileError as exc:
            self.add_error("file", str(exc))
        return data


class GoalTableConfirmForm(SignedUploadConfirmForm):
    salt = "goal-table"

    @classmethod
    def for_plan(cls, plan):
        """The confirm form of one plan: a table previewed for a plan is written into it only."""
        return type(cls.__name__, (cls,), {"salt": f"{cls.salt}-{plan.pk}"})
