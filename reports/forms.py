from django import forms
from django.conf import settings
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from benchmarking.models import DiscoveryAnalysis
from core.forms import LongSelect
from core.numbers import whole_number
from district_plan.models import CampusPlan
from meetings.models import Meeting
from reports.models import Report
from visits.models import Visit

# The visit menu offers the latest of these; an older visit is added when its page links here.
OFFERED_VISITS = 200


class ReportRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("Report"), choices=Report.Kind.choices)
    visit = forms.ModelChoiceField(
        label=_("Visit (for a visit report)"),
        queryset=Visit.objects.none(),
        required=False,
        widget=LongSelect,
    )
    analysis = forms.ModelChoiceField(
        label=_("Discovery Analysis (for its report)"),
        queryset=DiscoveryAnalysis.objects.none(),
        required=False,
    )
    campus_plan = forms.ModelChoiceField(
        label=_("Campus plan (for its report)"),
        queryset=CampusPlan.objects.none(),
        required=False,
        widget=LongSelect,
    )
    meeting = forms.ModelChoiceField(
        label=_("Meeting (for its summary)"),
        queryset=Meeting.objects.none(),
        required=False,
        widget=LongSelect,
    )
    campus_pages = forms.BooleanField(
        label=_("Add a page per campus plan (board summary)"), required=False
    )
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES, required=False)

    def __init__(self, *args, district, **kwargs):
        super().__init__(*args, **kwargs)
        visits = (
            Visit.objects.filter(district=district)
            .exclude(status=Visit.Status.PLANNED)
            .select_related("campus")
            .order_by("-date", "-pk")
        )
        field = self.fields["visit"]
        # Any reportable visit of the district validates; the menu offers only the latest
        # (a sliced queryset would refuse every choice), plus the one asked for by address.
        field.queryset = visits
        offered = list(visits[:OFFERED_VISITS])
        chosen = whole_number(self["visit"].value())
        if chosen is not None and chosen not in {v.pk for v in offered}:
            offered += list(visits.filter(pk=chosen))
        field.widget.choices = [("", field.empty_label)] + [
            (v.pk, f"{date_format(v.date)}: {v.campus.name}") for v in offered
        ]
        self.fields["analysis"].queryset = DiscoveryAnalysis.objects.filter(district=district)
        plans = CampusPlan.objects.filter(district=district).select_related("campus")
        field = self.fields["campus_plan"]
        field.queryset = plans
        field.widget.choices = [("", field.empty_label)] + [
            (p.pk, f"{p.campus.name} {p.span}")
            for p in plans.order_by("campus__name", "-start_year")
        ]

        meetings = Meeting.objects.filter(district=district)
        field = self.fields["meeting"]
        field.queryset = meetings
        field.widget.choices = [("", field.empty_label)] + [
            (m.pk, f"{date_format(m.date)}: {m.title}")
            for m in meetings.order_by("-date", "-pk")[:OFFERED_VISITS]
        ]

    def clean(self):
        data = super().clean()
        if data.get("kind") == Report.Kind.VISIT and not data.get("visit"):
            self.add_error("visit", gettext("Choose the visit to report on."))
        if data.get("kind") == Report.Kind.DISCOVERY and not data.get("analysis"):
            self.add_error("analysis", gettext("Choose the Discovery Analysis to report on."))
        if data.get("kind") == Report.Kind.CAMPUS_PLAN and not data.get("campus_plan"):
            self.add_error("campus_plan", gettext("Choose the campus plan to report on."))
        if data.get("kind") == Report.Kind.MEETING and not data.get("meeting"):
            self.add_error("meeting", gettext("Choose the meeting to summarise."))
        return data
