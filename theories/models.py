from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from core.dates import within_years_of_today
from core.history import tracked
from core.models import District
from core.versioning import Versioned
from district_plan.models import FocusArea, Goal, MeasureValue

CLAUSE_LIMIT = 2000
SHORT_NAME_LIMIT = 60


class Progress(models.TextChoices):
    NOT_ASSESSED = "not_assessed", _("Not assessed")
    ON_TRACK = "on_track", _("On track")
    AT_RISK = "at_risk", _("At risk")
    OFF_TRACK = "off_track", _("Off track")


@tracked()
class Strand(Versioned):
    """A district-defined group of theories, such as "Continuous improvement and data"."""

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="strands")
    name = models.CharField(max_length=200)
    # Spanish beside the English the public page shows; blank: the English stands in.
    name_es = models.CharField(_("name in Spanish"), max_length=200, blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(
                "district", Lower("name"), name="strand_name_unique_in_district"
            )
        ]

    def __str__(self):
        return self.name


@tracked(links=("goals", "focus_areas"))
class TheoryOfAction(Versioned):
    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        # A theory is feminine in Spanish (la teoría); the plan's "Adopted" is masculine.
        ADOPTED = "adopted", pgettext_lazy("theory status", "Adopted")
        RETIRED = "retired", _("Retired")

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="theories")
    # RESTRICT: a strand with theories cannot be deleted on its own, only with its district.
    strand = models.ForeignKey(Strand, on_delete=models.RESTRICT, related_name="theories")
    short_name = models.CharField(
        _("short name"),
        max_length=SHORT_NAME_LIMIT,
        blank=True,
        help_text=_("A few words that name the theory in lists and menus."),
    )
    problem = models.TextField(_("problem it answers"), blank=True, max_length=CLAUSE_LIMIT)
    if_clause = models.TextField(_("IF (what the adults will do)"), max_length=CLAUSE_LIMIT)
    then_clause = models.TextField(
        _("THEN (what we will see in practice)"), max_length=CLAUSE_LIMIT
    )
    so_that = models.TextField(
        _("SO THAT (the outcome for students)"), blank=True, max_length=CLAUSE_LIMIT
    )
    # The public page's words in Spanish; blank: the English stands in (core.wording).
    short_name_es = models.CharField(
        _("short name in Spanish"), max_length=SHORT_NAME_LIMIT, blank=True
    )
    if_clause_es = models.TextField(_("IF in Spanish"), blank=True, max_length=CLAUSE_LIMIT)
    then_clause_es = models.TextField(_("THEN in Spanish"), blank=True, max_length=CLAUSE_LIMIT)
    so_that_es = models.TextField(_("SO THAT in Spanish"), blank=True, max_length=CLAUSE_LIMIT)
    rationale = models.TextField(blank=True, max_length=5000)
    owner = models.CharField(max_length=200, blank=True, help_text=_("A person or a team."))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROPOSED)
    progress = models.CharField(
        max_length=15, choices=Progress.choices, default=Progress.NOT_ASSESSED
    )
    goals = models.ManyToManyField(Goal, blank=True, related_name="theories")
    focus_areas = models.ManyToManyField(FocusArea, blank=True, related_name="theories")
    order = models.PositiveIntegerField(default=0)
    origin = models.ForeignKey(
        "benchmarking.Recommendation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="theories",
        help_text=_("The Discovery Analysis recommendation this theory was drafted from."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = "theory of action"
        verbose_name_plural = "theories of action"

    def __str__(self):
        return self.label

    @property
    def label(self):
        """What names the theory wherever it is listed or chosen: its short name, or without
        one the start of its IF clause."""
        if self.short_name:
            return self.short_name
        if len(self.if_clause) > SHORT_NAME_LIMIT:
            return f"IF {self.if_clause[:SHORT_NAME_LIMIT]}…"
        return f"IF {self.if_clause}"

    def has_measure_values(self):
        return bool(self.pk) and MeasureValue.objects.filter(measure__theory=self).exists()

    def clean(self):
        errors = {}
        if not (self.if_clause or "").strip():
            errors["if_clause"] = "Write what the adults will do."
        if not (self.then_clause or "").strip():
            errors["then_clause"] = "Write what we will see in practice."
        if self.strand_id and self.strand.district_id != self.district_id:
            errors["strand"] = "Choose a strand of this district."
        if self.progress == Progress.ON_TRACK and not self.has_measure_values():
            errors["progress"] = (
                "A theory is on track only when one of its measures has a value that shows it. "
                "Add a measure value first."
            )
        if errors:
            raise ValidationError(errors)


@tracked()
class Action(Versioned):
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    theory = models.ForeignKey(TheoryOfAction, on_delete=models.CASCADE, related_name="actions")
    description = models.TextField(max_length=CLAUSE_LIMIT)
    owner = models.CharField(max_length=200, blank=True)
    due_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.NOT_STARTED)
    progress = models.CharField(
        max_length=15, choices=Progress.choices, default=Progress.NOT_ASSESSED
    )
    evidence = models.TextField(
        blank=True,
        max_length=3000,
        help_text=_("What shows where this action stands: a document, a data point, a visit."),
    )
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self):
        return self.description[:80]

    DUE_WITHIN_YEARS = 5

    def clean(self):
        errors = {}
        if not (self.description or "").strip():
            errors["description"] = gettext("Describe the action.")
        if self.progress == Progress.ON_TRACK and not (self.evidence or "").strip():
            errors["progress"] = gettext(
                "An action is on track only with evidence: say what shows it."
            )
        if (
            self.due_date
            and self.changed("due_date")
            and not within_years_of_today(self.due_date, self.DUE_WITHIN_YEARS)
        ):
            errors["due_date"] = gettext("Choose a due date within five years of today.")
        if errors:
            raise ValidationError(errors)
