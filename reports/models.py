from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.csv_export import download_name
from core.models import District


class Report(models.Model):
    class Kind(models.TextChoices):
        BOARD_SUMMARY = "board_summary", _("Board summary")
        VISIT = "visit", _("Visit report")
        DISCOVERY = "discovery", _("Discovery Analysis report")
        CAMPUS_PLAN = "campus_plan", _("Campus plan")
        MEETING = "meeting", _("Meeting summary")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RENDERING = "rendering", _("Rendering")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="reports")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    visit = models.ForeignKey(
        "visits.Visit", null=True, blank=True, on_delete=models.SET_NULL, related_name="reports"
    )
    analysis = models.ForeignKey(
        "benchmarking.DiscoveryAnalysis",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports",
    )
    campus_plan = models.ForeignKey(
        "district_plan.CampusPlan",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports",
    )
    meeting = models.ForeignKey(
        "meetings.Meeting",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    campus_pages = models.BooleanField(
        _("a page per campus plan"),
        default=False,
        help_text=_("For a board summary: add a page for each campus's current plan."),
    )
    # A board summary's cover names the meeting it is for and who it is for; its executive
    # summary lists the decisions the cabinet asks the board to take, one a line.
    meeting_date = models.DateField(_("board meeting date"), null=True, blank=True)
    audience = models.CharField(
        _("audience"),
        max_length=200,
        blank=True,
        help_text=_("Who the summary is for, for example the Board of Trustees."),
    )
    decisions = models.TextField(
        _("decisions the board is asked to take"),
        max_length=4000,
        blank=True,
        help_text=_("One a line."),
    )
    # What a board summary found (each goal's status, counts), so the next one can say what
    # changed since.
    facts = models.JSONField(default=dict, blank=True)
    title = models.CharField(max_length=300)
    language = models.CharField(
        max_length=8,
        choices=settings.LANGUAGES,
        default="en",
        help_text=_("The language the report is written in."),
    )
    requested_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True, db_index=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    error = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    data_as_of = models.DateTimeField(
        null=True, blank=True, help_text=_("When the data in the report was read.")
    )
    duration_ms = models.PositiveIntegerField(null=True, blank=True)
    page_count = models.PositiveIntegerField(null=True, blank=True)
    size_bytes = models.PositiveIntegerField(null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    file = models.FileField(upload_to="reports/", blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        indexes = [models.Index(fields=["district", "kind", "status", "-requested_at"])]

    def __str__(self):
        return self.title

    @property
    def in_progress(self):
        return self.status in (self.Status.QUEUED, self.Status.RENDERING)

    @property
    def filename(self):
        return download_name(
            f"{self.district.slug}-{self.kind.replace('_', '-')}",
            "pdf",
            moment=self.data_as_of or self.requested_at,
            language=self.language,
            with_time=True,
        )
