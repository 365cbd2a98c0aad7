from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import formats, timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from core.dates import shift_years, within_years_of_today
from core.history import tracked
from core.models import Campus, Department, District
from core.versioning import Versioned


@tracked()
class Plan(Versioned):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ADOPTED = "adopted", _("Adopted")
        ARCHIVED = "archived", _("Archived")

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="plans")
    title = models.CharField(max_length=200)
    start_year = models.PositiveSmallIntegerField(
        _("first school year"), help_text=_("The year the first school year starts, e.g. 2025.")
    )
    end_year = models.PositiveSmallIntegerField(
        _("last school year"), help_text=_("The year the last school year starts, e.g. 2027.")
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    adopted_on = models.DateField(_("adopted by the board on"), null=True, blank=True)
    vision = models.TextField(_("vision statement"), blank=True, max_length=5000)
    # The district's own words in Spanish, beside each English text the public sees (public
    # page, Spanish PDFs); blank means the English stands in (core.wording).
    title_es = models.CharField(_("title in Spanish"), max_length=200, blank=True)
    vision_es = models.TextField(_("vision statement in Spanish"), blank=True, max_length=5000)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-start_year", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__gte=models.F("start_year")), name="plan_years_in_order"
            ),
            models.CheckConstraint(
                condition=~Q(status="adopted") | Q(adopted_on__isnull=False),
                name="adopted_plan_has_a_date",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def span(self):
        return f"{self.start_year}–{str(self.end_year + 1)[-2:]}"

    # A plan is written for the years ahead; one recorded after the fact may be a few years
    # old. Anything outside this is a typing slip (0, 20265, 2062).
    YEARS_BACK, YEARS_AHEAD, MOST_SCHOOL_YEARS = 10, 5, 6

    def clean(self):
        errors = {}
        this_year = timezone.localdate().year
        earliest, latest = this_year - self.YEARS_BACK, this_year + self.YEARS_AHEAD
        if (
            self.start_year is not None
            and self.changed("start_year")
            and not earliest <= self.start_year <= latest
        ):
            errors["start_year"] = gettext(
                "Enter the year the first school year starts, between %(earliest)s and "
                "%(latest)s: a plan starts at most ten years ago and at most five years from now."
            ) % {"earliest": earliest, "latest": latest}
        elif self.start_year is not None and self.end_year is not None:
            if self.end_year < self.start_year:
                errors["end_year"] = gettext("The last school year cannot come before the first.")
            elif self.end_year - self.start_year >= self.MOST_SCHOOL_YEARS and (
                self.changed("start_year") or self.changed("end_year")
            ):
                errors["end_year"] = gettext("A plan spans at most six school years.")
        if self.status == self.Status.ADOPTED and not self.adopted_on:
            errors["adopted_on"] = gettext("An adopted plan needs the date the board adopted it.")
        if errors:
            raise ValidationError(errors)

    @property
    def first_day(self):
        return date(self.start_year, 7, 1)

    @property
    def last_day(self):
        return date(self.end_year + 1, 6, 30)


class PlanItem(Versioned):
    """A part of one plan, kept in the order the district chooses."""

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    order = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True
        ordering = ["order", "pk"]


@tracked()
class Competency(PlanItem):
    """One competency of the learner profile, for a grade band."""

    class GradeBand(models.TextChoices):
        EARLY = "PK-2", _("Pre-K to grade 2")
        ELEMENTARY = "3-5", _("Grades 3 to 5")
        MIDDLE = "6-8", _("Grades 6 to 8")
        HIGH = "9-12", _("Grades 9 to 12")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="competencies")
    grade_band = models.CharField(max_length=5, choices=GradeBand.choices)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True, max_length=2000)
    name_es = models.CharField(_("name in Spanish"), max_length=200, blank=True)
    description_es = models.TextField(_("description in Spanish"), blank=True, max_length=2000)

    class Meta(PlanItem.Meta):
        verbose_name_plural = "competencies"

    def __str__(self):
        return f"{self.name} ({self.grade_band})"


@tracked()
class Goal(PlanItem):
    class Status(models.TextChoices):
        # A proposed goal waits for the board; only adopted goals are published.
        # A goal is feminine in Spanish (la meta), a plan masculine: their own words.
        PROPOSED = "proposed", pgettext_lazy("goal status", "Proposed")
        ADOPTED = "adopted", pgettext_lazy("goal status", "Adopted")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="goals")
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True, max_length=5000)
    title_es = models.CharField(_("title in Spanish"), max_length=300, blank=True)
    description_es = models.TextField(_("description in Spanish"), blank=True, max_length=5000)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ADOPTED)
    origin = models.ForeignKey(
        "benchmarking.Recommendation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="goals",
        help_text=_(
            "The Discovery Analysis recommendation this goal's improvement pathway came from."
        ),
    )

    def __str__(self):
        return self.title


@tracked()
class FocusArea(PlanItem):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="focus_areas")
    name = models.CharField(max_length=200)
    objective = models.TextField(blank=True, max_length=3000)
    anticipated_benefit = models.TextField(blank=True, max_length=3000)
    name_es = models.CharField(_("name in Spanish"), max_length=200, blank=True)
    objective_es = models.TextField(_("objective in Spanish"), blank=True, max_length=3000)
    anticipated_benefit_es = models.TextField(
        _("anticipated benefit in Spanish"), blank=True, max_length=3000
    )

    def __str__(self):
        return self.name


@tracked()
class Strategy(PlanItem):
    focus_area = models.ForeignKey(FocusArea, on_delete=models.CASCADE, related_name="strategies")
    description = models.TextField(max_length=3000)
    department = models.ForeignKey(
        Department,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="strategies",
        verbose_name=_("owning department"),
    )

    class Meta(PlanItem.Meta):
        verbose_name_plural = "strategies"

    def __str__(self):
        return self.description[:80]

    def clean(self):
        if self.department_id and self.department.district_id != self.district_id:
            raise ValidationError({"department": _("Choose a department of this district.")})


@tracked(links=("focus_areas",))
class Partner(PlanItem):
    class Kind(models.TextChoices):
        BUSINESS = "business", _("Business")
        NONPROFIT = "nonprofit", _("Nonprofit")
        UNIVERSITY = "university", _("University")
        COMMUNITY = "community", _("Community group")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="partners")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    description = models.TextField(blank=True, max_length=2000)
    focus_areas = models.ManyToManyField(FocusArea, blank=True, related_name="partners")

    def __str__(self):
        return self.name


@tracked()
class Measure(PlanItem):
    class Direction(models.TextChoices):
        UP = "up", _("Up is good")
        DOWN = "down", _("Down is good")

    class Cycle(models.TextChoices):
        MONTHLY = "monthly", _("Monthly")
        QUARTERLY = "quarterly", _("Quarterly")
        YEARLY = "yearly", _("Yearly")

    CYCLE_DAYS = {Cycle.MONTHLY: 31, Cycle.QUARTERLY: 92, Cycle.YEARLY: 366}

    goal = models.ForeignKey(
        Goal, on_delete=models.CASCADE, null=True, blank=True, related_name="measures"
    )
    theory = models.ForeignKey(
        "theories.TheoryOfAction",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="measures",
    )
    name = models.CharField(max_length=300)
    name_es = models.CharField(_("name in Spanish"), max_length=300, blank=True)
    unit = models.CharField(max_length=40, help_text=_("For example %, students, points."))
    direction = models.CharField(max_length=4, choices=Direction.choices, default=Direction.UP)
    baseline = models.DecimalField(max_digits=14, decimal_places=4)
    baseline_date = models.DateField()
    target = models.DecimalField(max_digits=14, decimal_places=4)
    target_date = models.DateField()
    update_cycle = models.CharField(max_length=10, choices=Cycle.choices, default=Cycle.YEARLY)

    class Meta(PlanItem.Meta):
        constraints = [
            models.CheckConstraint(
                condition=Q(goal__isnull=False, theory__isnull=True)
                | Q(goal__isnull=True, theory__isnull=False),
                name="measure_on_a_goal_or_a_theory",
            ),
        ]

    def __str__(self):
        return self.name

    TARGET_MARGIN_YEARS = 2
    THEORY_TARGET_YEARS = 5

    def _implausible_target(self):
        """Why the target date is not one a district would mean, or None. A goal's measure
        aims within its plan's school years, give or take a margin; a theory's, which belongs
        to no plan, within a few years of today."""
        if self.goal_id:
            plan = self.goal.plan
            first = shift_years(plan.first_day, -self.TARGET_MARGIN_YEARS)
            last = shift_years(plan.last_day, self.TARGET_MARGIN_YEARS)
            if not first <= self.target_date <= last:
                return gettext(
                    "Choose a target date within the plan's school years, give or take two "
                    "years: between %(first)s and %(last)s."
                ) % {
                    "first": formats.date_format(first, "SHORT_DATE_FORMAT"),
                    "last": formats.date_format(last, "SHORT_DATE_FORMAT"),
                }
        elif not within_years_of_today(self.target_date, self.THEORY_TARGET_YEARS):
            return gettext("Choose a target date within five years of today.")
        return None

    @property
    def cycle_length(self):
        return timedelta(days=self.CYCLE_DAYS[self.update_cycle])

    def clean(self):
        errors = {}
        if (self.goal_id is None) == (self.theory_id is None):
            errors["goal"] = "A measure belongs to one goal or to one theory of action."
        if self.baseline_date and self.target_date and self.target_date <= self.baseline_date:
            errors["target_date"] = "The target date must come after the baseline date."
        elif (
            self.target_date
            and self.changed("target_date")
            and (message := self._implausible_target())
        ):
            errors["target_date"] = message
        if self.baseline is not None and self.target is not None:
            if self.direction == self.Direction.UP and self.target <= self.baseline:
                errors["target"] = "When up is good, the target must be above the baseline."
            if self.direction == self.Direction.DOWN and self.target >= self.baseline:
                errors["target"] = "When down is good, the target must be below the baseline."
        if errors:
            raise ValidationError(errors)


@tracked()
class MeasureValue(models.Model):
    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="values")
    observed_on = models.DateField(_("date"))
    value = models.DecimalField(max_digits=14, decimal_places=4)
    note = models.CharField(max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["observed_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "observed_on"], name="one_value_per_measure_and_date"
            )
        ]

    def __str__(self):
        # Read in history and reports in the reader's language.
        return gettext("%(measure)s: %(value)s on %(day)s") % {
            "measure": self.measure,
            "value": formats.localize(self.value.normalize()),
            "day": formats.date_format(self.observed_on, "SHORT_DATE_FORMAT"),
        }

    def clean(self):
        # Only a new value: one recorded before the baseline moved stays correctable.
        if (
            self._state.adding
            and self.measure_id
            and self.observed_on
            and self.observed_on < self.measure.baseline_date
        ):
            raise ValidationError(
                {
                    "observed_on": gettext(
                        "A value cannot be dated before the baseline date, %(day)s."
                    )
                    % {"day": formats.date_format(self.measure.baseline_date, "SHORT_DATE_FORMAT")}
                }
            )


@tracked(exclude=("data", "public"))
class PlanSnapshot(models.Model):
    """The plan as the board adopted it, or as a district admin published it, kept unchanged:
    to compare with the plan now, and (`public`) to be what the public page shows."""

    class Kind(models.TextChoices):
        ADOPTED = "adopted", _("Adopted by the board")
        PUBLISHED = "published", _("Published")

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="snapshots")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.ADOPTED)
    adopted_on = models.DateField()
    taken_at = models.DateTimeField(auto_now_add=True)
    taken_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    data = models.JSONField()
    public = models.JSONField(
        default=dict,
        blank=True,
        help_text=_("What the public page shows (district_plan.documents.public_document)."),
    )
    # What a publication changed on the page, kept as section codes and the district's own
    # titles so the history reads it in the reader's language: {"sections": [{"section":
    # "goals", "added": [...], "removed": [...], "changed": [...]}], "moved": bool}.
    summary = models.JSONField(
        _("what was published"),
        default=dict,
        blank=True,
        help_text=_("What a publication changed on the page."),
    )

    class Meta:
        ordering = ["-taken_at"]

    def __str__(self):
        return f"{self.plan} as adopted on {self.adopted_on}"

    SECTIONS = {
        "plan": _("Plan"),
        "competencies": _("Learner profile"),
        "goals": _("Goals"),
        "focus areas": _("Focus areas"),
        "measures": _("Measures"),
        "theories": _("Theories of action"),
    }

    @classmethod
    def summary_history_text(cls, summary):
        """The summary as the history shows it, in the reader's language."""
        lines = []
        for section in summary.get("sections", []):
            parts = [
                text % {"titles": "; ".join(section[key])}
                for key, text in (
                    ("added", gettext("added %(titles)s")),
                    ("removed", gettext("removed %(titles)s")),
                    ("changed", gettext("changed %(titles)s")),
                )
                if section.get(key)
            ]
            name = cls.SECTIONS.get(section["section"], section["section"])
            lines.append(f"{name}: {', '.join(parts)}")
        if summary.get("moved"):
            lines.append(gettext("items moved"))
        return ". ".join(lines) or gettext("published again, unchanged")


# The groups a district starts with; it names others (race and ethnicity groups, as its state
# reports them) when its results come in.
DEFAULT_STUDENT_GROUPS = [
    "All students",
    "Economically disadvantaged",
    "Emergent bilingual",
    "Special education",
]
# Their names on the Spanish public page (core.wording).
DEFAULT_STUDENT_GROUPS_ES = {
    "All students": "Todos los estudiantes",
    "Economically disadvantaged": "En desventaja económica",
    "Emergent bilingual": "Bilingües emergentes",
    "Special education": "Educación especial",
}


@tracked()
class StudentGroup(models.Model):
    """A group of students a measure's results are reported for, in the district's words."""

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("student group"), max_length=100)
    name_es = models.CharField(_("student group in Spanish"), max_length=100, blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(
                "district", Lower("name"), name="student_group_name_unique_in_district"
            )
        ]

    def __str__(self):
        return self.name


@tracked()
class MeasureResult(models.Model):
    """A measure's result for one campus (or the whole district) and one student group on one
    date, as the state reports it, with how many students it counts: a result for a group
    smaller than the district's `smallest_group_shown` is kept but masked beyond the cabinet."""

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="results")
    campus = models.ForeignKey(
        Campus, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    group = models.ForeignKey(StudentGroup, on_delete=models.CASCADE, related_name="results")
    observed_on = models.DateField(_("date"))
    value = models.DecimalField(max_digits=14, decimal_places=4)
    students = models.PositiveIntegerField(_("students"), null=True, blank=True)

    class Meta:
        ordering = ["observed_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "campus", "group", "observed_on"],
                condition=Q(campus__isnull=False),
                name="one_campus_result_per_group_and_date",
            ),
            models.UniqueConstraint(
                fields=["measure", "group", "observed_on"],
                condition=Q(campus__isnull=True),
                name="one_district_result_per_group_and_date",
            ),
        ]

    def __str__(self):
        # Read in history in the reader's language.
        return gettext("%(measure)s, %(group)s at %(scope)s: %(value)s on %(day)s") % {
            "measure": self.measure,
            "group": self.group,
            "scope": self.campus or gettext("District-wide"),
            "value": formats.localize(self.value.normalize()),
            "day": formats.date_format(self.observed_on, "SHORT_DATE_FORMAT"),
        }

    def masked_for(self, *, smallest, sees_small):
        """Whether this result is hidden from a reader: a group under `smallest` students,
        to anyone but those who see small groups (the cabinet)."""
        return self.students is not None and self.students < smallest and not sees_small


@tracked()
class GroupEnrollment(models.Model):
    """How many of a campus's students were in one student group in one school year, as the
    state reports it: a campus's make-up, for comparing it with campuses like it."""

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    campus = models.ForeignKey(Campus, on_delete=models.CASCADE, related_name="+")
    group = models.ForeignKey(StudentGroup, on_delete=models.CASCADE, related_name="enrollments")
    school_year = models.PositiveSmallIntegerField(
        _("school year"), help_text=_("The year the school year starts, e.g. 2025.")
    )
    students = models.PositiveIntegerField(_("students"))

    class Meta:
        ordering = ["school_year", "group__order", "group_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["campus", "group", "school_year"],
                name="one_enrollment_per_campus_group_and_year",
            )
        ]

    def __str__(self):
        return gettext("%(group)s at %(campus)s in %(year)s: %(students)s students") % {
            "group": self.group,
            "campus": self.campus,
            "year": self.school_year,
            "students": self.students,
        }


@tracked()
class ResultColumnMapping(models.Model):
    """What a column of the state's wide results file holds, as the cabinet mapped it once: a
    measure's result for a student group, a group's student count, or nothing to import. Next
    year's file with the same heading maps itself; `key` is the heading as compared
    (core.csv_import.heading_key), so a change of case or dash does not lose the mapping."""

    class Kind(models.TextChoices):
        RESULT = "result", _("A measure's result for a student group")
        STUDENTS = "students", _("A student group's count of students")
        IGNORE = "ignore", _("Not imported")

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    heading = models.CharField(_("heading"), max_length=300)
    key = models.CharField(max_length=300)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    measure = models.ForeignKey(
        Measure, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    group = models.ForeignKey(
        StudentGroup, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        ordering = ["heading"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "key"], name="one_column_mapping_per_heading"
            ),
            models.CheckConstraint(
                condition=Q(kind="result", measure__isnull=False, group__isnull=False)
                | Q(kind="students", measure__isnull=True, group__isnull=False)
                | Q(kind="ignore", measure__isnull=True, group__isnull=True),
                name="column_mapping_names_what_its_kind_needs",
            ),
        ]

    def __str__(self):
        return gettext("Column “%(heading)s”: %(kind)s") % {
            "heading": self.heading,
            "kind": self.get_kind_display(),
        }


# Campus plans: each campus's own plan for a span of school years, aligned to the district's.


@tracked()
class CampusPlan(Versioned):
    """A campus's plan for one span of school years: its goals (each serving a district goal),
    their performance objectives, the district theories of action it takes up and its own
    strategies. The campus writes it; the district (the cabinet) approves it."""

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("campus plan status", "Draft")
        APPROVED = "approved", pgettext_lazy("campus plan status", "Approved by the district")
        ARCHIVED = "archived", pgettext_lazy("campus plan status", "Archived")

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    campus = models.ForeignKey(Campus, on_delete=models.CASCADE, related_name="plans")
    start_year = models.PositiveSmallIntegerField(
        _("first school year"), help_text=_("The year the first school year starts, e.g. 2025.")
    )
    end_year = models.PositiveSmallIntegerField(
        _("last school year"), help_text=_("The year the last school year starts, e.g. 2027.")
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    summary = models.TextField(
        _("focus"),
        blank=True,
        max_length=3000,
        help_text=_("In a few sentences: what this campus will focus on, and why."),
    )
    theories = models.ManyToManyField(
        "theories.TheoryOfAction",
        blank=True,
        through="CampusPlanTheory",
        related_name="campus_plans",
        verbose_name=_("district theories of action taken up"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-start_year", "campus__name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__gte=models.F("start_year")),
                name="campus_plan_years_in_order",
            ),
            models.CheckConstraint(
                condition=~Q(status="approved") | Q(approved_on__isnull=False),
                name="approved_campus_plan_has_a_date",
            ),
            models.UniqueConstraint(
                fields=["campus", "start_year"], name="one_campus_plan_per_campus_and_start"
            ),
        ]

    def __str__(self):
        return gettext("%(campus)s plan %(span)s") % {"campus": self.campus, "span": self.span}

    @property
    def span(self):
        return f"{self.start_year}–{str(self.end_year + 1)[-2:]}"

    YEARS_BACK, YEARS_AHEAD, MOST_SCHOOL_YEARS = 5, 3, 5

    def clean(self):
        errors = {}
        this_year = timezone.localdate().year
        earliest, latest = this_year - self.YEARS_BACK, this_year + self.YEARS_AHEAD
        if (
            self.start_year is not None
            and self.changed("start_year")
            and not earliest <= self.start_year <= latest
        ):
            errors["start_year"] = gettext(
                "Enter the year the first school year starts, between %(earliest)s and %(latest)s."
            ) % {"earliest": earliest, "latest": latest}
        elif self.start_year is not None and self.end_year is not None:
            if self.end_year < self.start_year:
                errors["end_year"] = gettext("The last school year cannot come before the first.")
            elif self.end_year - self.start_year >= self.MOST_SCHOOL_YEARS:
                errors["end_year"] = gettext("A campus plan spans at most five school years.")
        if self.campus_id and self.district_id and self.campus.district_id != self.district_id:
            errors["campus"] = gettext("Choose a campus of this district.")
        elif (
            self.campus_id
            and self.start_year is not None
            and self.changed("start_year")
            and CampusPlan.objects.filter(campus_id=self.campus_id, start_year=self.start_year)
            .exclude(pk=self.pk)
            .exists()
        ):
            errors.setdefault(
                "start_year",
                gettext("This campus already has a plan starting that school year."),
            )
        if errors:
            raise ValidationError(errors)


# The theories model is another app's, unknown when this module is read, so the link gets a
# model of its own to keep its history (a `links=` history needs the link's model at once).
@tracked(district="campus_plan__district_id")
class CampusPlanTheory(models.Model):
    campus_plan = models.ForeignKey(CampusPlan, on_delete=models.CASCADE, related_name="+")
    theory = models.ForeignKey(
        "theories.TheoryOfAction", on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["campus_plan", "theory"], name="campus_plan_takes_up_a_theory_once"
            )
        ]

    def __str__(self):
        return str(self.theory)


@tracked()
class CampusGoal(PlanItem):
    """A campus's goal, serving one of the district's goals."""

    campus_plan = models.ForeignKey(CampusPlan, on_delete=models.CASCADE, related_name="goals")
    # Kept when the district deletes the goal (null then), so a campus loses no work to it.
    district_goal = models.ForeignKey(
        Goal,
        null=True,
        on_delete=models.SET_NULL,
        related_name="campus_goals",
        verbose_name=_("district goal it serves"),
    )
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True, max_length=3000)

    def __str__(self):
        return self.title

    def clean(self):
        if self.district_goal_id and self.district_goal.district_id != self.district_id:
            raise ValidationError({"district_goal": gettext("Choose a goal of this district.")})


@tracked()
class PerformanceObjective(PlanItem):
    """What a campus goal will have achieved, measured by one of the district's measures at this
    campus (its results for all students) where one fits."""

    campus_goal = models.ForeignKey(CampusGoal, on_delete=models.CASCADE, related_name="objectives")
    description = models.TextField(max_length=2000)
    measure = models.ForeignKey(
        Measure,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="campus_objectives",
        verbose_name=_("district measure"),
        help_text=_("The measure whose results at this campus show progress, if one fits."),
    )
    baseline = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    target = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)

    def __str__(self):
        return self.description[:80]

    def clean(self):
        errors = {}
        if not (self.description or "").strip():
            errors["description"] = gettext("Say what the campus will have achieved.")
        if self.measure_id:
            if self.measure.district_id != self.district_id:
                errors["measure"] = gettext("Choose a measure of this district.")
            elif self.baseline is not None and self.target is not None:
                up = self.measure.direction == Measure.Direction.UP
                if up and self.target <= self.baseline:
                    errors["target"] = gettext(
                        "When up is good, the target must be above the baseline."
                    )
                if not up and self.target >= self.baseline:
                    errors["target"] = gettext(
                        "When down is good, the target must be below the baseline."
                    )
        elif self.target is not None:
            errors["measure"] = gettext("Choose the measure the target is for.")
        if errors:
            raise ValidationError(errors)


@tracked()
class CampusStrategy(PlanItem):
    """What the campus will do: its own strategy, or its action under a district theory of
    action it takes up."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")

    campus_plan = models.ForeignKey(CampusPlan, on_delete=models.CASCADE, related_name="strategies")
    theory = models.ForeignKey(
        "theories.TheoryOfAction",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="campus_strategies",
        verbose_name=_("under the theory of action"),
        help_text=_("Leave empty for the campus's own strategy."),
    )
    description = models.TextField(max_length=2000)
    owner = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.NOT_STARTED)
    projected_result = models.TextField(
        _("projected result"),
        blank=True,
        max_length=2000,
        help_text=_("What the campus expects to see when this works."),
    )

    class Meta(PlanItem.Meta):
        verbose_name_plural = "campus strategies"

    def __str__(self):
        return self.description[:80]

    def clean(self):
        errors = {}
        if not (self.description or "").strip():
            errors["description"] = gettext("Describe the strategy.")
        if self.theory_id and self.theory.district_id != self.district_id:
            errors["theory"] = gettext("Choose a theory of action of this district.")
        if errors:
            raise ValidationError(errors)


@tracked(exclude=("data",))
class CampusPlanSnapshot(models.Model):
    """The campus plan as the district approved it, kept unchanged to compare with it now."""

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    campus_plan = models.ForeignKey(CampusPlan, on_delete=models.CASCADE, related_name="snapshots")
    approved_on = models.DateField()
    taken_at = models.DateTimeField(auto_now_add=True)
    taken_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    data = models.JSONField()

    class Meta:
        ordering = ["-taken_at"]

    def __str__(self):
        return f"{self.campus_plan} as approved on {self.approved_on}"
