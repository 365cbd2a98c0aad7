import datetime

from django import forms
from django.utils import formats
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from benchmarking.models import (
    BuildingBlock,
    DiscoveryAnalysis,
    Evidence,
    Finding,
    Framework,
    Indicator,
    Rating,
    Recommendation,
)
from core.forms import LongSelect, NameChoiceField, VersionedModelForm
from core.models import Campus
from district_plan.models import Plan
from theories.models import Strand
from theories.paste_import import parse_theories
from visits.models import Observation

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AnalysisForm(forms.ModelForm):
    class Meta:
        model = DiscoveryAnalysis
        fields = ["name", "framework", "starts_on", "ends_on", "team", "campuses"]
        widgets = {
            "starts_on": DATE,
            "ends_on": DATE,
            "campuses": forms.CheckboxSelectMultiple,
            "team": forms.CheckboxSelectMultiple,
        }
        labels = {
            "name": _("Name"),
            "framework": _("Framework"),
            "team": _("Team"),
            "starts_on": _("Starts on"),
            "ends_on": _("Ends on"),
            "campuses": _("Campuses in scope"),
        }

    def __init__(self, *args, district, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.district = district
        self.fields["framework"].queryset = Framework.objects.filter(
            district__in=[district.pk]
        ) | Framework.objects.filter(district__isnull=True)
        self.fields["framework"].label_from_instance = lambda framework: (
            f"{framework.name} ("
            + gettext("version %(number)s") % {"number": framework.revision}
            + ")"
            if framework.revision > 1
            else framework.name
        )
        self.fields["campuses"].queryset = Campus.objects.filter(district=district).order_by("name")
        self.fields["team"].queryset = User.objects.filter(memberships__district=district).order_by(
            "full_name", "email"
        )
        self.fields["team"].label_from_instance = lambda user: user.get_full_name()


def _a_year_later(day):
    """The same date a year on (28 February for the 29th); the date itself at the calendar's
    end."""
    for day_of_month in (day.day, 28):
        try:
            return day.replace(year=day.year + 1, day=day_of_month)
        except ValueError:
            continue
    return day


class NextRoundForm(forms.Form):
    """The next round of an analysis: its name and dates (a year after the previous round's,
    unless changed); the framework, scope and reference profile come from the previous one."""

    name = forms.CharField(label=_("Name"), max_length=200)
    starts_on = forms.DateField(label=_("Starts on"), widget=DATE)
    ends_on = forms.DateField(label=_("Ends on"), widget=DATE)

    def __init__(self, *args, previous, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "name": gettext("%(name)s, next round") % {"name": previous.name},
                "starts_on": _a_year_later(previous.starts_on),
                "ends_on": _a_year_later(previous.ends_on),
            },
        )
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", gettext("The analysis ends after it starts."))
        return data


class ReferenceProfileForm(forms.Form):
    """One target level per indicator of the analysis's framework."""

    def __init__(self, *args, analysis, **kwargs):
        super().__init__(*args, **kwargs)
        levels = [(level.number, str(level)) for level in analysis.framework.levels.all()]
        targets = dict(analysis.targets.values_list("indicator_id", "level"))
        self.indicators = list(
            Indicator.objects.filter(building_block__framework_id=analysis.framework_id).order_by(
                "building_block__order", "order"
            )
        )
        for indicator in self.indicators:
            self.fields[f"target-{indicator.pk}"] = forms.TypedChoiceField(
                label=str(indicator), choices=levels, coerce=int, initial=targets.get(indicator.pk)
            )

    def targets(self):
        return {i: self.cleaned_data[f"target-{i.pk}"] for i in self.indicators}


class ConsensusForm(forms.Form):
    indicator = forms.ModelChoiceField(
        label=_("Indicator"), queryset=Indicator.objects.none(), widget=LongSelect
    )
    campus = NameChoiceField(
        label=_("Campus"),
        queryset=Campus.objects.none(),
        required=False,
        empty_label=_("District-wide"),
    )
    level = forms.TypedChoiceField(label=_("Level"), coerce=int, choices=[])
    rationale = forms.CharField(
        label=_("Rationale"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, analysis, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = Indicator.objects.filter(
            building_block__framework_id=analysis.framework_id
        ).order_by("building_block__order", "order")
        self.fields["indicator"].error_messages["invalid_choice"] = gettext(
            "Choose an indicator of this analysis's framework."
        )
        self.fields["campus"].queryset = analysis.campuses.order_by("name")
        self.fields["level"].choices = [
            (level.number, str(level)) for level in analysis.framework.levels.all()
        ]
        self.fields["level"].error_messages["invalid_choice"] = gettext(
            "Choose a level of the rubric."
        )


class ConsensusScopeForm(forms.Form):
    """Which scope's consensus ratings the analysis page lists: a district with hundreds of
    campuses has thousands, and the heat map above already sums them up."""

    campus = NameChoiceField(
        label=_("Show the ratings of"),
        queryset=Campus.objects.none(),
        required=False,
        empty_label=_("District-wide"),
    )

    def __init__(self, *args, analysis, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campus"].queryset = analysis.campuses.order_by("name")

    def scope(self):
        return self.cleaned_data.get("campus") if self.is_valid() else None


class FrameworkUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Framework file (JSON)"),
        error_messages={"required": _("Choose a framework file to upload.")},
    )


class EvidenceForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Evidence.Kind.choices)
    collected_on = forms.DateField(label=_("Date"), widget=DATE)
    campus = forms.ModelChoiceField(
        label=_("Campus"),
        queryset=Campus.objects.none(),
        required=False,
        empty_label=_("District-wide"),
    )
    summary = forms.CharField(
        label=_("Summary"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    indicators = forms.ModelMultipleChoiceField(
        label=_("Indicators"),
        queryset=Indicator.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    file = forms.FileField(
        required=False,
        label=_("Attachment"),
        help_text=_(
            "Optional: a PDF, an image or an Office document, up to 10 MB. Only members of the "
            "district can open it."
        ),
    )

    def __init__(self, *args, analysis, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campus"].queryset = analysis.campuses.order_by("name")
        self.fields["indicators"].queryset = (
            Indicator.objects.filter(building_block__framework_id=analysis.framework_id)
            .select_related("building_block")
            .order_by("building_block__order", "order")
        )
        self.fields["indicators"].error_messages["invalid_choice"] = gettext(
            "Tag indicators of this analysis's framework."
        )


class EvidenceEditForm(VersionedModelForm):
    """An edit of a piece of evidence; its attachment is kept unless replaced or removed."""

    # The service's refusal of a file is shown next to the field that chose it.
    service_fields = {"file": "attachment"}

    attachment = forms.FileField(
        required=False,
        label=_("Replace the attachment"),
        help_text=_(
            "Optional: a PDF, an image or an Office document, up to 10 MB. Leave it empty to "
            "keep the attachment there is."
        ),
    )
    remove_attachment = forms.BooleanField(required=False, label=_("Remove the attachment"))

    class Meta:
        model = Evidence
        fields = ["kind", "collected_on", "campus", "summary", "indicators"]
        widgets = {
            "collected_on": DATE,
            "summary": forms.Textarea(attrs={"rows": 3}),
            "indicators": forms.CheckboxSelectMultiple,
        }
        labels = {
            "kind": _("Kind"),
            "collected_on": _("Date"),
            "campus": _("Campus"),
            "summary": _("Summary"),
            "indicators": _("Indicators"),
        }

    def __init__(self, *args, analysis, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campus"].queryset = analysis.campuses.order_by("name")
        self.fields["campus"].empty_label = gettext("District-wide")
        self.fields["indicators"].queryset = (
            Indicator.objects.filter(building_block__framework_id=analysis.framework_id)
            .select_related("building_block")
            .order_by("building_block__order", "order")
        )
        self.fields["indicators"].error_messages["invalid_choice"] = gettext(
            "Tag indicators of this analysis's framework."
        )
        if not self.instance.file:
            del self.fields["remove_attachment"]
            self.fields["attachment"].label = gettext("Attachment")
            self.fields["attachment"].help_text = EvidenceForm.base_fields["file"].help_text

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("attachment") and cleaned.get("remove_attachment"):
            self.add_error(
                "remove_attachment",
                gettext("Either replace the attachment or remove it, not both."),
            )
        return cleaned

    def service_data(self):
        """What evidence_update takes, besides the record, the version and the user."""
        return {
            **self.model_data(),
            "indicators": list(self.cleaned_data["indicators"]),
            "upload": self.cleaned_data.get("attachment") or None,
            "remove_file": bool(self.cleaned_data.get("remove_attachment")),
        }


class ObservationImportForm(forms.Form):
    observations = forms.ModelMultipleChoiceField(
        queryset=Observation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label=_("Visit observations at campuses in scope"),
        error_messages={"required": _("Tick the observations to pull in.")},
    )

    def __init__(self, *args, analysis, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["observations"].queryset = (
            Observation.objects.filter(
                visit__district_id=analysis.district_id,
                visit__campus__in=analysis.campuses.all(),
                private=False,
            )
            .exclude(notes="")
            .filter(visit__date__gte=analysis.starts_on - datetime.timedelta(days=180))
            .select_related("visit__campus")
            .order_by("-visit__date", "-pk")
        )
        self.fields["observations"].label_from_instance = lambda o: (
            f"{formats.date_format(o.visit.date, 'MONTH_DAY_FORMAT')}, "
            f"{o.visit.campus.name}: {o.notes[:90]}"
        )


class RatingForm(ConsensusForm):
    source = forms.ChoiceField(choices=Rating.Source.choices, label=_("Rating as"))
    evidence = forms.ModelMultipleChoiceField(
        queryset=Evidence.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Evidence cited"),
    )

    def __init__(self, *args, analysis, **kwargs):
        super().__init__(*args, analysis=analysis, **kwargs)
        self.fields["evidence"].queryset = analysis.evidence.order_by("-collected_on")
        self.fields["evidence"].label_from_instance = lambda e: (
            f"{e.get_kind_display()}: {e.summary[:80]}"
        )


class RatingEditForm(VersionedModelForm):
    """A rater's edit of their own rating: the level, why, and the evidence cited. Which
    indicator, scope and source it rates stay; rating another one is a new rating."""

    class Meta:
        model = Rating
        fields = ["level", "rationale", "evidence"]
        widgets = {
            "rationale": forms.Textarea(attrs={"rows": 2}),
            "evidence": forms.CheckboxSelectMultiple,
        }
        labels = {"level": _("Level"), "rationale": _("Rationale"), "evidence": _("Evidence cited")}

    def __init__(self, *args, analysis, **kwargs):
        super().__init__(*args, **kwargs)
        # The rubric's levels as a list to pick from; a number outside it is refused by the
        # service, next to this field.
        self.fields["level"].widget = forms.Select(
            choices=[(level.number, str(level)) for level in analysis.framework.levels.all()]
        )
        self.fields["evidence"].queryset = analysis.evidence.order_by("-collected_on", "-pk")
        self.fields["evidence"].required = False
        self.fields["evidence"].label_from_instance = lambda e: (
            f"{e.get_kind_display()}: {e.summary[:80]}"
        )

    def service_data(self):
        return {
            "level": self.cleaned_data["level"],
            "rationale": self.cleaned_data["rationale"],
            "evidence": list(self.cleaned_data["evidence"]),
        }


class FindingForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Finding.Kind.choices)
    text = forms.CharField(
        label=_("Finding"), max_length=3000, widget=forms.Textarea(attrs={"rows": 2})
    )
    evidence = forms.ModelMultipleChoiceField(
        queryset=Evidence.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Evidence cited"),
    )
    indicators = forms.ModelMultipleChoiceField(
        label=_("Indicators"),
        queryset=Indicator.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, analysis, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evidence"].queryset = analysis.evidence.order_by("-collected_on")
        self.fields["evidence"].label_from_instance = lambda e: (
            f"{e.get_kind_display()}: {e.summary[:80]}"
        )
        self.fields["indicators"].queryset = (
            Indicator.objects.filter(building_block__framework_id=analysis.framework_id)
            .select_related("building_block")
            .order_by("building_block__order", "order")
        )


class RecommendationForm(forms.Form):
    text = forms.CharField(
        label=_("Recommendation"), max_length=3000, widget=forms.Textarea(attrs={"rows": 2})
    )
    priority = forms.ChoiceField(label=_("Priority"), choices=Recommendation.Priority.choices)
    findings = forms.ModelMultipleChoiceField(
        queryset=Finding.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Findings it answers"),
    )

    def __init__(self, *args, analysis, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["findings"].queryset = analysis.findings.all()


class PathwayForm(forms.Form):
    plan = forms.ModelChoiceField(label=_("Plan"), queryset=Plan.objects.none(), empty_label=None)
    goal_title = forms.CharField(label=_("Goal for the plan"), max_length=300)
    strand = forms.ModelChoiceField(
        queryset=Strand.objects.none(), empty_label=None, label=_("Strand for the draft theories")
    )
    statements = forms.CharField(
        label=_("Draft theories of action"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=20_000,
        help_text=_("One IF … THEN … statement per line; they are added to the plan as proposed."),
    )

    def __init__(self, *args, district, choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = Plan.objects.filter(district=district).exclude(
            status="archived"
        )
        self.fields["strand"].queryset = Strand.objects.filter(district=district)
        # A page shows one of these forms per recommendation: the choices are read once
        # (shared_choices) and handed to each, instead of two queries per form.
        for name, options in (choices or {}).items():
            self.fields[name].widget.choices = options

    @classmethod
    def shared_choices(cls, district):
        form = cls(district=district)
        return {name: list(form.fields[name].choices) for name in ("plan", "strand")}

    def clean_statements(self):
        result = parse_theories(self.cleaned_data["statements"])
        if result.unparsed:
            first = result.unparsed[0]
            raise forms.ValidationError(
                gettext("Line %(line)s is not an IF … THEN statement: %(text)s")
                % {"line": first.line, "text": first.text[:80]}
            )
        if not result.statements:
            raise forms.ValidationError(gettext("Write at least one IF … THEN statement."))
        return [s.clauses() for s in result.statements]


class FrameworkEditForm(forms.Form):
    """The wording of a district's own framework: levels, building blocks, indicators and the
    descriptor of each indicator at each level."""

    name = forms.CharField(label=_("Name"), max_length=200)

    def __init__(self, *args, framework, **kwargs):
        super().__init__(*args, **kwargs)
        self.framework = framework
        self.fields["name"].initial = framework.name
        self.levels = list(framework.levels.order_by("number"))
        for level in self.levels:
            self.fields[f"level-{level.pk}"] = forms.CharField(
                label=gettext("Level %(number)s") % {"number": level.number},
                max_length=80,
                initial=level.name,
            )
        self.blocks = list(framework.building_blocks.prefetch_related("indicators__descriptors"))
        for block in self.blocks:
            self.fields[f"block-{block.pk}"] = forms.CharField(
                label=gettext("Building block"), max_length=200, initial=block.name
            )
            for indicator in block.indicators.all():
                self.fields[f"indicator-{indicator.pk}"] = forms.CharField(
                    label=gettext("Indicator %(code)s") % {"code": indicator.code},
                    max_length=300,
                    initial=indicator.name,
                )
                texts = {d.level_id: d.text for d in indicator.descriptors.all()}
                for level in self.levels:
                    self.fields[f"descriptor-{indicator.pk}-{level.pk}"] = forms.CharField(
                        label=gettext("%(code)s at %(level)s")
                        % {"code": indicator.code, "level": level.name},
                        max_length=2000,
                        required=False,
                        initial=texts.get(level.pk, ""),
                        widget=forms.Textarea(attrs={"rows": 2}),
                    )

    def sections(self):
        """The bound fields grouped for the page: the levels, then each block's indicators."""
        level_fields = [self[f"level-{level.pk}"] for level in self.levels]
        blocks = []
        for block in self.blocks:
            indicators = [
                (
                    self[f"indicator-{i.pk}"],
                    [self[f"descriptor-{i.pk}-{level.pk}"] for level in self.levels],
                )
                for i in block.indicators.all()
            ]
            blocks.append((self[f"block-{block.pk}"], indicators))
        return level_fields, blocks


class LevelForm(forms.Form):
    name = forms.CharField(label=_("Level name"), max_length=80)

    def __init__(self, *args, number=None, **kwargs):
        super().__init__(*args, **kwargs)
        if number is not None:
            self.fields["name"].label = gettext("Name of level %(number)s") % {"number": number}


class BuildingBlockForm(forms.Form):
    name = forms.CharField(label=_("Building block"), max_length=200)


class NewBuildingBlockForm(BuildingBlockForm):
    indicator_code = forms.CharField(label=_("Code of its first indicator"), max_length=12)
    indicator_name = forms.CharField(label=_("Its first indicator"), max_length=300)


class NewIndicatorForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=12)
    name = forms.CharField(label=_("Indicator"), max_length=300)


class IndicatorForm(NewIndicatorForm):
    building_block = forms.ModelChoiceField(
        label=_("Building block"), queryset=BuildingBlock.objects.none(), empty_label=None
    )

    def __init__(self, *args, framework, choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["building_block"].queryset = framework.building_blocks.all()
        self.fields["building_block"].error_messages["invalid_choice"] = gettext(
            "Choose a building block of this framework."
        )
        # The structure page shows one of these per indicator: the blocks are read once.
        if choices is not None:
            self.fields["building_block"].widget.choices = choices
