import secrets
import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import Membership
from core.dates import shift_years
from core.history import tracked
from core.models import Campus, Department, District
from core.roles import may_update_action_item
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
        # A campus's last and next visit, read for every row of the campus list.
        indexes = [
            models.Index(fields=["district", "date"]),
            models.Index(fields=["campus", "date"]),
        ]

    def __str__(self):
        return gettext("%(campus)s on %(date)s") % {
            "campus": self.campus,
            "date": formats.date_format(self.date, "SHORT_DATE_FORMAT"),
        }

    @property
    def is_open_for_observations(self):
        return self.status in (self.Status.PLANNED, self.Status.IN_PROGRESS)

    DEBRIEF_FIELDS = ("strengths", "instructional_alignment", "teacher_effectiveness")

    def clean(self):
        # A debriefed visit is one whose debrief says what the team saw; the status alone
        # would tell the campus and the board nothing.
        if self.status != self.Status.DEBRIEFED:
            return
        if any((getattr(self, name) or "").strip() for name in self.DEBRIEF_FIELDS):
            return
        if self.changed("status"):
            message = gettext("Write the debrief before marking the visit debriefed.")
        elif any(self.changed(name) for name in self.DEBRIEF_FIELDS):
            message = gettext("A debriefed visit keeps its debrief: write what the team saw.")
        else:
            return
        raise ValidationError({"strengths": message})


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
    # Empty for a follow-up of a meeting (meetings.Meeting.follow_ups), which no visit raised.
    visit = models.ForeignKey(
        Visit, null=True, blank=True, on_delete=models.CASCADE, related_name="action_items"
    )
    # Empty only for a department's follow-up of a meeting that no one campus is for.
    campus = models.ForeignKey(
        Campus, null=True, blank=True, on_delete=models.CASCADE, related_name="action_items"
    )
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
    # Said with a status change, as a theory's action records its evidence; the history keeps
    # each one that was replaced.
    status_note = models.CharField(_("note"), max_length=500, blank=True)
    evidence = models.TextField(
        _("evidence"),
        blank=True,
        max_length=3000,
        help_text=_("What shows where it stands: a link to a document, a data point."),
    )
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
            ),
            models.CheckConstraint(
                condition=models.Q(campus__isnull=False)
                | models.Q(visit__isnull=True, owner="department"),
                name="action_item_has_a_campus_unless_a_departments_follow_up",
                violation_error_message=_("Choose the campus whose leadership team owns it."),
            ),
        ]
        indexes = [models.Index(fields=["district", "status", "due_date"])]

    def __str__(self):
        return self.description[:80]

    DUE_WITHIN_YEARS = 5

    @property
    def owner_label(self):
        return (
            self.department.name
            if self.department_id
            else gettext("%(campus)s leadership team") % {"campus": self.campus}
        )

    @property
    def owner_key(self):
        """What names its owner group on the action items page (?open=<key>)."""
        if self.owner == self.Owner.CAMPUS:
            return f"campus-{self.campus_id}"
        return f"department-{self.department_id}"

    @classmethod
    def from_db(cls, db, field_names, values):
        item = super().from_db(db, field_names, values)
        if not item.get_deferred_fields() & {"owner", "department_id", "assignee_id"}:
            item._stored_reach = item._reach()
        return item

    def _reach(self):
        return (self.owner, self.department_id, self.assignee_id)

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
        if not self.campus_id and (self.visit_id or self.owner == self.Owner.CAMPUS):
            errors["campus"] = gettext("Choose the campus whose leadership team owns it.")
        if self.due_date and self.changed("due_date"):
            if self.due_date > shift_years(timezone.localdate(), self.DUE_WITHIN_YEARS):
                errors["due_date"] = gettext("A due date can be at most five years from today.")
            elif self.visit_id and self.due_date < self.visit.date:
                errors["due_date"] = gettext(
                    "A due date cannot be before the visit that raised it."
                )
        # Only a new assignee or a new owner is checked: moving the date of an item whose
        # assignee has since left keeps it with them until someone reassigns it.
        reach_changed = self._reach() != getattr(self, "_stored_reach", None)
        if "department" not in errors and self.assignee_id and reach_changed:
            refusal = self._assignee_refusal()
            if refusal:
                errors["assignee"] = refusal
        if errors:
            raise ValidationError(errors)

    def _assignee_refusal(self):
        membership = (
            Membership.objects.filter(district_id=self.district_id, user_id=self.assignee_id)
            .select_related("user")
            .prefetch_related("campuses", "departments")
            .first()
        )
        if membership is None:
            return gettext("Choose a member of this district.")
        if not may_update_action_item(membership, self):
            return gettext(
                "%(person)s cannot update items owned by %(owner)s. Choose one of the people "
                "offered."
            ) % {"person": membership.user.get_full_name(), "owner": self.owner_label}
        return None


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
