from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.dates import within_years_of_today
from core.history import tracked
from core.models import District
from core.versioning import Versioned

GUEST_LINE_LIMIT = 300
GUESTS_LIMIT = 200
MEETING_YEARS = 5


@tracked(links=("attendees", "follow_ups"))
class Meeting(Versioned):
    """A meeting where the district's work is done: who met, about what, and (its decisions)
    what it created or changed."""

    class Kind(models.TextChoices):
        CABINET_RETREAT = "cabinet_retreat", _("Cabinet retreat")
        BOARD_STUDY_SESSION = "board_study_session", _("Board study session")
        VISIONING_WORKSHOP = "visioning_workshop", _("Visioning workshop")
        VISIT_DEBRIEF = "visit_debrief", _("Visit debrief")
        TOWN_HALL = "town_hall", _("Town hall")
        TRAINING = "training", _("Training")
        OTHER = "other", _("Other meeting")

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind of meeting"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("start time"), null=True, blank=True)
    place = models.CharField(
        _("place or link"),
        max_length=500,
        blank=True,
        help_text=_("A room and building, or the link to join online."),
    )
    facilitator = models.ForeignKey(
        "accounts.Membership",
        verbose_name=_("facilitator from the district"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    facilitator_name = models.CharField(
        _("outside facilitator"),
        max_length=200,
        blank=True,
        help_text=_("Someone without an account, such as a state coordinator."),
    )
    facilitator_organisation = models.CharField(
        _("outside facilitator's organisation"), max_length=200, blank=True
    )
    attendees = models.ManyToManyField(
        "accounts.Membership", verbose_name=_("members attending"), blank=True, related_name="+"
    )
    guests = models.TextField(
        _("outside guests"),
        blank=True,
        max_length=20000,
        help_text=_(
            "People without an account, one a line: their name, a comma, then their organisation."
        ),
    )
    # Follow-up actions are ordinary action items, kept from this side: visits, below, knows
    # nothing of meetings.
    follow_ups = models.ManyToManyField(
        "visits.ActionItem", verbose_name=_("follow-up actions"), blank=True, related_name="+"
    )
    agenda = models.TextField(_("agenda"), blank=True, max_length=10000)
    notes = models.TextField(_("notes"), blank=True, max_length=20000)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-date", "-start_time", "-pk"]
        indexes = [models.Index(fields=["district", "date"], name="meeting_district_date")]

    def __str__(self):
        return self.title

    @property
    def guest_list(self):
        """(name, organisation) for each line of `guests`."""
        guests = []
        for line in self.guests.splitlines():
            name, _comma, organisation = line.partition(",")
            if name.strip() or organisation.strip():
                guests.append((name.strip(), organisation.strip()))
        return guests

    @property
    def place_link(self):
        """The place as an address to follow, when it is a web link (a video call)."""
        place = self.place.strip()
        return place if place.startswith(("https://", "http://")) and " " not in place else ""

    @property
    def facilitator_label(self):
        if self.facilitator_id:
            return self.facilitator.user.get_full_name()
        if self.facilitator_organisation:
            return f"{self.facilitator_name} ({self.facilitator_organisation})"
        return self.facilitator_name

    def clean(self):
        errors = {}
        if not (self.title or "").strip():
            errors["title"] = gettext("Give the meeting a title.")
        if (
            self.date
            and self.changed("date")
            and not within_years_of_today(self.date, MEETING_YEARS)
        ):
            errors["date"] = gettext("Choose a date within five years of today.")
        if self.facilitator_id and self.facilitator.district_id != self.district_id:
            errors["facilitator"] = gettext("Choose a member of this district.")
        if self.facilitator_id and self.facilitator_name.strip():
            errors["facilitator_name"] = gettext(
                "Name either a member of the district or an outside facilitator, not both."
            )
        if self.facilitator_organisation.strip() and not self.facilitator_name.strip():
            errors["facilitator_name"] = gettext(
                "Name the outside facilitator from this organisation."
            )
        lines = [line for line in self.guests.splitlines() if line.strip()]
        if len(lines) > GUESTS_LIMIT:
            errors["guests"] = gettext("List at most %(count)s guests.") % {"count": GUESTS_LIMIT}
        elif any(len(line) > GUEST_LINE_LIMIT for line in lines):
            errors["guests"] = gettext("Keep each guest's line under %(count)s characters.") % {
                "count": GUEST_LINE_LIMIT
            }
        if errors:
            raise ValidationError(errors)


# What a decision may link to: its field, the model it names.
LINKS = ("goal", "competency", "theory", "campus_plan", "finding", "recommendation")


@tracked()
class Decision(Versioned):
    """What a meeting decided, and the records it created or changed."""

    class Effect(models.TextChoices):
        CREATED = "created", _("Created")
        CHANGED = "changed", _("Changed")

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    text = models.TextField(_("decision"), max_length=3000)
    effect = models.CharField(
        _("what it did to the records below"),
        max_length=10,
        choices=Effect.choices,
        default=Effect.CREATED,
    )
    goal = models.ForeignKey(
        "district_plan.Goal",
        verbose_name=_("goal"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    competency = models.ForeignKey(
        "district_plan.Competency",
        verbose_name=_("learner profile competency"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    theory = models.ForeignKey(
        "theories.TheoryOfAction",
        verbose_name=_("theory of action"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    campus_plan = models.ForeignKey(
        "district_plan.CampusPlan",
        verbose_name=_("campus plan"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    finding = models.ForeignKey(
        "benchmarking.Finding",
        verbose_name=_("finding"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recommendation = models.ForeignKey(
        "benchmarking.Recommendation",
        verbose_name=_("recommendation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self):
        return self.text[:80]

    def linked(self):
        """(field, record) for each record the decision names."""
        return [(name, getattr(self, name)) for name in LINKS if getattr(self, f"{name}_id")]

    def clean(self):
        errors = {}
        if not (self.text or "").strip():
            errors["text"] = gettext("Write what was decided.")
        if self.meeting_id and self.meeting.district_id != self.district_id:
            errors["meeting"] = gettext("Choose a meeting of this district.")
        for name in LINKS:
            if getattr(self, f"{name}_id") and getattr(self, name).district_id != self.district_id:
                errors[name] = gettext("Choose a record of this district.")
        if errors:
            raise ValidationError(errors)


@tracked()
class Material(models.Model):
    """A file handed out or produced at a meeting (slides, a handout, the signed minutes): the
    same checked, private attachments as Discovery evidence (core.files)."""

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="materials")
    # The stored path is bookkeeping; the history shows the name the file was given.
    file = models.FileField(upload_to="meetings/", editable=False)
    file_name = models.CharField(_("material"), max_length=200)
    added_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.file_name
