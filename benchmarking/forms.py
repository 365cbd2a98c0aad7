from django import forms

from benchmarking.models import DiscoveryAnalysis, Framework, Indicator
from core.models import Campus

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AnalysisForm(forms.ModelForm):
    class Meta:
        model = DiscoveryAnalysis
        fields = ["name", "framework", "starts_on", "ends_on", "campuses"]
        widgets = {"starts_on": DATE, "ends_on": DATE, "campuses": forms.CheckboxSelectMultiple}
        labels = {"starts_on": "Starts on", "ends_on": "Ends on", "campuses": "Campuses in scope"}

    def __init__(self, *args, district, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.district = district
        self.fields["framework"].queryset = Framework.objects.filter(
            district__in=[district.pk]
        ) | Framework.objects.filter(district__isnull=True)
        self.fields["campuses"].queryset = Campus.objects.filter(district=district).order_by("name")


class ConsensusForm(forms.Form):
    indicator = forms.ModelChoiceField(queryset=Indicator.objects.none())
    campus = forms.ModelChoiceField(
        queryset=Campus.objects.none(), required=False, empty_label="District-wide"
    )
    level = forms.TypedChoiceField(coerce=int, choices=[])
    rationale = forms.CharField(
        required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, analysis, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = Indicator.objects.filter(
            building_block__framework_id=analysis.framework_id
        ).order_by("building_block__order", "order")
        self.fields["indicator"].error_messages["invalid_choice"] = (
            "Choose an indicator of this analysis's framework."
        )
        self.fields["campus"].queryset = analysis.campuses.order_by("name")
        self.fields["level"].choices = [
            (level.number, str(level)) for level in analysis.framework.levels.all()
        ]
        self.fields["level"].error_messages["invalid_choice"] = "Choose a level of the rubric."


class FrameworkUploadForm(forms.Form):
    file = forms.FileField(
        label="Framework file (JSON)",
        error_messages={"required": "Choose a framework file to upload."},
    )
