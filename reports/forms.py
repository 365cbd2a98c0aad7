import re

from django import forms
from django.conf import settings
from django.utils import timezone
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
# A board summary is prepared for a meeting up to a year back (a record of what the board saw)
# or two years ahead; further is a typing slip in the year.
MEETING_YEARS_BACK, MEETING_YEARS_AHEAD = 1, 2
MAX_DECISIONS, MAX_DECISIONS_CHARS = 12, 4000


def _years_from(day, years):
    """The same day `years` later (earlier when negative); February 29 becomes February 28."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


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
    meeting_date = forms.DateField(
        label=_("Board meeting date (board summary)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Named on the cover."),
    )
    audience = forms.CharField(
        label=_("Audience (board summary)"),
        required=False,
        max_length=200,
        help_text=_(
            "The cover reads “Prepared for the Board of Trustees” when this is left empty."
        ),
        error_messages={"max_length": _("Name the audience in up to 200 characters.")},
        widget=forms.TextInput(attrs={"placeholder": _("Board of Trustees")}),
    )
    decisions = forms.CharField(
        label=_("Decisions the board is asked to take (board summary)"),
        required=False,
        strip=True,
        help_text=_("One a line, up to 12."),
        widget=forms.Textarea(attrs={"rows": 4}),
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

    def clean_audience(self):
        # The cover reads "Prepared for the <audience>": a typed "the" would read twice.
        return re.sub(r"^the\s+", "", self.cleaned_data["audience"], flags=re.IGNORECASE)

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
        if data.get("kind") == Report.Kind.BOARD_SUMMARY:
            self._check_board_fields(data)
        return data

    def _check_board_fields(self, data):
        # Other kinds of report have no cover for these, so what is typed there is ignored.
        day = data.get("meeting_date")
        if day is not None:
            today = timezone.localdate()
            earliest = _years_from(today, -MEETING_YEARS_BACK)
            latest = _years_from(today, MEETING_YEARS_AHEAD)
            if not earliest <= day <= latest:
                self.add_error(
                    "meeting_date",
                    gettext("Enter the date of a board meeting from %(earliest)s to %(latest)s.")
                    % {"earliest": date_format(earliest), "latest": date_format(latest)},
                )
        # Blank lines and the browser's \r\n are not the board's decisions, nor counted.
        lines = [line.strip() for line in (data.get("decisions") or "").splitlines()]
        lines = [line for line in lines if line]
        text = "\n".join(lines)
        if len(lines) > MAX_DECISIONS or len(text) > MAX_DECISIONS_CHARS:
            self.add_error(
                "decisions",
                gettext(
                    "List up to %(lines)s decisions, one a line, in up to %(chars)s characters; "
                    "this has %(count)s lines and %(length)s characters."
                )
                % {
                    "lines": MAX_DECISIONS,
                    "chars": MAX_DECISIONS_CHARS,
                    "count": len(lines),
                    "length": len(text),
                },
            )
        elif "decisions" in data:
            data["decisions"] = text
