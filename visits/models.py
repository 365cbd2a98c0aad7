import secrets
import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.history import tracked
from core.models import Campus, Department, District
from core.versioning import Versioned


@tracked()
class VisitProgram(models.Model):
    """A cohort of campuses visited one a week, on one weekday, over a date range."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="visit_programs")
    name = models.CharField(max_length=200)
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    start_date = models.DateField()
    end_date = models.DateField()
    campuses = models.ManyToManyField(Campus, related_name="visit_programs")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-start_date", "name"]

    def __str__(self):
        return self.name

    def clean(self):
        today = timezone.localdate()
        if self.start_date and abs(self.start_date.year - today.year) > 10:
            raise ValidationError(
                {"start_date": gettext("A program starts within ten years of today.")}
            )
        if self.start_date and self.end_date and self.end_date <= self.start_date:
            raise ValidationError({"end_date": _("The program must end after it starts.")})
        if self.start_date and self.end_date and (self.end_date - self.start_date).days > 366 * 4:
            raise ValidationError({"end_date": _("A program runs at most four years.")})


@tracked(district="program__district_id")
class BlackoutDate(models.Model):
    """Holidays and testing windows: no visit in a week that touches one."""

    program = models.ForeignKey(VisitProgram, on_delete=models.CASCADE, related_name="blackouts")
    start_date = models.DateField()
    end_date = models.DateField()
    reason = models.CharField(max_length=200)

    class Meta:
        ordering = ["start_date"]

    def __str__(self):
        return f"{self.reason} ({self.start_date} – {self.end_date})"

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The blackout must end on or after its start.")})


@tracked()
class LookFor(models.Model):
    """What visitors look for, tied to the THEN of a theory of action or to a focus area."""

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    program = models.ForeignKey(VisitProgram, on_delete=models.CASCADE, related_name="look_fors")
    text = models.CharField(max_length=300)
    theory = models.ForeignKey(
        "theories.TheoryOfAction",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="look_fors",
        help_text=_("The theory whose THEN this look-for shows."),
    )
    focus_area = models.ForeignKey(
        "district_plan.FocusArea",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="look_fors",
    )
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self):
        return self.text


@tracked()
class ProblemOfPractice(models.Model):
    """A district-wide list, so the same problem can be counted across campuses."""

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="problems")
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                "district", Lower("name"), name="problem_name_unique_in_district"
            )
        ]

    def __str__(self):
        return self.name


@tracked(links=("departments", "problems", "team"))
class Visit(Versioned):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        DEBRIEFED = "debriefed", _("Debriefed")
        CLOSED = "closed", _("Closed")

    NEXT_STATUS = {
        Status.PLANNED: Status.IN_PROGRESS,
        Status.IN_PROGRESS: Status.DEBRIEFED,
        Status.DEBRIEFED: Status.CLOSED,
    }

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="visits")
    program = models.ForeignKey(VisitProgram, on_delete=models.CASCADE, related_name="visits")
    campus = models.ForeignKey(Campus, on_delete=models.CASCADE, related_name="visits")
    date = models.DateField(db_index=True)
    round = models.PositiveIntegerField(
        default=0, help_text=_("Which pass through the cohort this visit belongs to.")
    )
    focus = models.TextField(_("focus / problem of practice"), blank=True, max_length=2000)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PLANNED)
    departments = models.ManyToManyField(Department, blank=True, related_name="visits")
    team = models.ManyToManyField("accounts.User", blank=True, related_name="visits")
    # Debrief
    strengths = models.TextField(_("strengths seen"), blank=True, max_length=5000)
    instructional_alignment = models.TextField(blank=True, max_length=5000)
    teacher_effectiveness = models.TextField(
        blank=True, max_length=5000, help_text=_("Across the campus, not about one teacher.")
    )
    problems = models.ManyToManyField(
        ProblemOfPractice, blank=True, related_name="visits", verbose_name=_("problems of practice")
    )

    class Meta:
        ordering = ["date", "pk"]
        indexes = [models.Index(fields=["district", "date"])]

    def __str__(self):
        return gettext("%(campus)s on %(date)s") % {
            "campus": self.campus,
            "date": formats.date_format(self.date, "SHORT_DATE_FORMAT"),
        }

    @property
    def is_open_for_observations(self):
        return self.status in (self.Status.PLANNED, self.Status.IN_PROGRESS)


class Observation(models.Model):
    class Kind(models.TextChoices):
        CAMPUS_TOUR = "campus_tour", _("Campus tour")
        CLASSROOM = "classroom", _("Classroom instruction")
        COLLABORATION = "collaboration", _("Staff collaboration")
        PLANNING = "planning", _("Instructional planning")

    class GradeBand(models.TextChoices):
        PK2 = "PK-2", _("PK–2")
        G35 = "3-5", _("3–5")
        G68 = "6-8", _("6–8")
        G912 = "9-12", _("9–12")
        ALL = "all", _("Across grades")

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="observations")
    client_id = models.UUIDField(
        unique=True,
        default=uuid.uuid4,
        help_text=_("Made by the tablet, so a resent save is stored once."),
    )
    fingerprint = models.CharField(max_length=64, editable=False)
    kind = models.CharField(max_length=15, choices=Kind.choices)
    setting = models.CharField(
        max_length=120, blank=True, help_text=_("For example Room 12, library.")
    )
    grade_band = models.CharField(max_length=5, choices=GradeBand.choices, blank=True)
    subject = models.CharField(max_length=80, blank=True)
    look_fors = models.ManyToManyField(LookFor, blank=True, related_name="observations")
    notes = models.TextField(blank=True, max_length=5000)
    private = models.BooleanField(
        _("private to the visit team"),
        default=False,
        help_text=_("Only this visit's team and the district admins see it."),
    )
    observer = models.ForeignKey(
        "accounts.User", null=True, on_delete=models.SET_NULL, related_name="observations"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} at {self.visit}"


@tracked()
class ActionItem(Versioned):
    class Owner(models.TextChoices):
        CAMPUS = "campus", _("Campus leadership team")
        DEPARTMENT = "department", _("Department")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="action_items")
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="action_items")
    campus = models.ForeignKey(Campus, on_delete=models.CASCADE, related_name="action_items")
    owner = models.CharField(max_length=12, choices=Owner.choices)
    # RESTRICT: a department with action items stays, unless its whole district goes.
    department = models.ForeignKey(
        Department, on_delete=models.RESTRICT, null=True, blank=True, related_name="action_items"
    )
    assignee = models.ForeignKey(
        "accounts.User",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_action_items",
    )
    description = models.TextField(max_length=2000)
    due_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    resolved_during_visit = models.BooleanField(default=False)
    completed_on = models.DateField(null=True, blank=True)
    assigned_notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    due_soon_notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    overdue_notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(owner="campus", department__isnull=True)
                | models.Q(owner="department", department__isnull=False),
                name="action_item_owner_is_campus_or_a_department",
            )
        ]
        indexes = [models.Index(fields=["district", "status", "due_date"])]

    def __str__(self):
        return self.description[:80]

    @property
    def owner_label(self):
        return (
            self.department.name
            if self.department_id
            else gettext("%(campus)s leadership team") % {"campus": self.campus}
        )

    def clean(self):
        errors = {}
        if not (self.description or "").strip():
            errors["description"] = "Say what needs to happen."
        if self.owner == self.Owner.DEPARTMENT and not self.department_id:
            errors["department"] = "Choose the department that owns this item."
        if self.owner == self.Owner.CAMPUS and self.department_id:
            errors["department"] = "An item owned by the campus has no department."
        if self.department_id and self.department.district_id != self.district_id:
            errors["department"] = "Choose a department of this district."
        if errors:
            raise ValidationError(errors)


class CalendarFeed(models.Model):
    """A secret address calendar apps subscribe to; revoking it makes a new one."""

    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="+")
    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=64, unique=True, default=secrets.token_urlsafe)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "district"], name="one_calendar_feed_per_member"
            )
        ]

    def __str__(self):
        return f"Calendar of {self.user} in {self.district}"
