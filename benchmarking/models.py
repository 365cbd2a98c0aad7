from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.history import tracked
from core.models import Campus, District
from core.versioning import Versioned


@tracked()
class Framework(models.Model):
    """Building blocks of high-performing systems, their indicators and a rubric of levels.

    Data, not code: the built-in framework has no district; a district works on its own copy."""

    district = models.ForeignKey(
        District, null=True, blank=True, on_delete=models.CASCADE, related_name="frameworks"
    )
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True, max_length=5000)
    copied_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="copies"
    )
    # Once an analysis has rated against a framework, its structure and wording stay as they
    # were rated; changing them means a new version (a copy, copied_from this one, with the
    # next number), and the analysis keeps pointing at the version it rated.
    revision = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["district_id", "name", "revision"]

    def __str__(self):
        return self.name

    @property
    def built_in(self):
        return self.district_id is None


@tracked(district="framework__district_id")
class Level(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="levels")
    number = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=80)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "number"], name="one_level_per_number")
        ]

    def __str__(self):
        return f"{self.number}. {self.name}"


@tracked(district="framework__district_id")
class BuildingBlock(models.Model):
    framework = models.ForeignKey(
        Framework, on_delete=models.CASCADE, related_name="building_blocks"
    )
    name = models.CharField(max_length=200)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self):
        return self.name


@tracked(district="building_block__framework__district_id")
class Indicator(models.Model):
    building_block = models.ForeignKey(
        BuildingBlock, on_delete=models.CASCADE, related_name="indicators"
    )
    code = models.CharField(max_length=12)
    name = models.CharField(max_length=300)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self):
        return f"{self.code} {self.name}"


@tracked(district="indicator__building_block__framework__district_id")
class Descriptor(models.Model):
    """What an indicator looks like at one level of the rubric."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="descriptors")
    level = models.ForeignKey(Level, on_delete=models.CASCADE, related_name="descriptors")
    text = models.TextField(max_length=2000)

    class Meta:
        ordering = ["level__number"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "level"], name="one_descriptor_per_level")
        ]

    def __str__(self):
        return f"{self.indicator.code} at level {self.level.number}"

    def clean(self):
        if self.indicator.building_block.framework_id != self.level.framework_id:
            raise ValidationError(_("A descriptor's level belongs to the indicator's framework."))


@tracked()
class DiscoveryAnalysis(models.Model):
    district = models.ForeignKey(
        District, on_delete=models.CASCADE, related_name="discovery_analyses"
    )
    name = models.CharField(max_length=200)
    # RESTRICT: a framework in use stays, unless its whole district goes.
    framework = models.ForeignKey(Framework, on_delete=models.RESTRICT, related_name="analyses")
    starts_on = models.DateField()
    ends_on = models.DateField()
    campuses = models.ManyToManyField(Campus, blank=True, related_name="discovery_analyses")
    team = models.ManyToManyField("accounts.User", blank=True, related_name="discovery_analyses")
    # A district re-rates itself a year or so later: the round this one follows, whose consensus
    # is shown beside this one's and measured against it.
    previous = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="next_rounds",
        verbose_name=_("previous round"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "name"]
        verbose_name_plural = "discovery analyses"

    def __str__(self):
        return self.name

    def clean(self):
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The analysis ends after it starts.")})
        if self.framework_id and self.framework.district_id not in (None, self.district_id):
            raise ValidationError(
                {"framework": _("Choose the built-in framework or one of yours.")}
            )
        if self.previous_id is not None and (
            self.previous_id == self.pk or self.previous.district_id != self.district_id
        ):
            raise ValidationError(
                {"previous": _("A round follows an earlier analysis of the same district.")}
            )


@tracked(district="analysis__district_id")
class ReferenceTarget(models.Model):
    """The reference profile: the level the district aims for on one indicator."""

    analysis = models.ForeignKey(
        DiscoveryAnalysis, on_delete=models.CASCADE, related_name="targets"
    )
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+")
    level = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["analysis", "indicator"], name="one_target_per_indicator"
            )
        ]

    def __str__(self):
        return f"Target level {self.level}"


@tracked()
class ConsensusRating(models.Model):
    """The level the team agreed for one indicator, district-wide or for one campus."""

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    analysis = models.ForeignKey(
        DiscoveryAnalysis, on_delete=models.CASCADE, related_name="consensus"
    )
    # RESTRICT: an indicator that was rated is not removed from under its ratings (the
    # framework is locked then; this is the database's word on it), unless its district goes.
    indicator = models.ForeignKey(Indicator, on_delete=models.RESTRICT, related_name="+")
    campus = models.ForeignKey(Campus, null=True, blank=True, on_delete=models.CASCADE)
    level = models.PositiveSmallIntegerField()
    rationale = models.TextField(blank=True, max_length=5000)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["analysis", "indicator", "campus"], name="one_consensus_per_scope"
            ),
            models.UniqueConstraint(
                fields=["analysis", "indicator"],
                condition=models.Q(campus__isnull=True),
                name="one_district_consensus_per_indicator",
            ),
        ]

    def __str__(self):
        scope = self.campus or "district-wide"
        return f"{self.indicator} ({scope}): level {self.level}"


@tracked(links=("indicators",))
class Evidence(Versioned):
    class Kind(models.TextChoices):
        OBSERVATION = "observation", _("Classroom observation")
        INTERVIEW = "interview", _("Interview")
        ARTIFACT = "artifact", _("Artifact review")
        SURVEY = "survey", _("Survey")
        DATA = "data", _("Data")

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    analysis = models.ForeignKey(
        DiscoveryAnalysis, on_delete=models.CASCADE, related_name="evidence"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    collected_on = models.DateField(_("date"))
    campus = models.ForeignKey(Campus, null=True, blank=True, on_delete=models.SET_NULL)
    summary = models.TextField(max_length=5000)
    indicators = models.ManyToManyField(Indicator, blank=True, related_name="evidence")
    # The stored path is bookkeeping; the history shows the name the attachment was given.
    file = models.FileField(upload_to="evidence/", blank=True, editable=False)
    file_name = models.CharField(_("attachment"), max_length=200, blank=True)
    observation = models.ForeignKey(
        "visits.Observation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-collected_on", "-pk"]
        verbose_name_plural = "evidence"
        constraints = [
            models.UniqueConstraint(
                fields=["analysis", "observation"],
                condition=models.Q(observation__isnull=False),
                name="observation_pulled_in_once",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.summary[:60]}"


@tracked(links=("evidence",))
class Rating(Versioned):
    """One rater's level for an indicator, district-wide or for a campus."""

    class Source(models.TextChoices):
        SELF = "self", _("District self-rating")
        TEAM = "team", _("Visiting team")

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    analysis = models.ForeignKey(
        DiscoveryAnalysis, on_delete=models.CASCADE, related_name="ratings"
    )
    indicator = models.ForeignKey(Indicator, on_delete=models.RESTRICT, related_name="+")
    campus = models.ForeignKey(Campus, null=True, blank=True, on_delete=models.CASCADE)
    rater = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="+")
    source = models.CharField(max_length=4, choices=Source.choices)
    level = models.PositiveSmallIntegerField()
    rationale = models.TextField(blank=True, max_length=5000)
    evidence = models.ManyToManyField(Evidence, blank=True, related_name="ratings")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["indicator_id", "campus_id", "source", "rater_id"]

    def __str__(self):
        return f"{self.indicator} by {self.rater}: level {self.level}"


@tracked()
class Finding(models.Model):
    class Kind(models.TextChoices):
        STRENGTH = "strength", _("Strength")
        GAP = "gap", _("Gap")
        NEED = "need", _("Need")

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    analysis = models.ForeignKey(
        DiscoveryAnalysis, on_delete=models.CASCADE, related_name="findings"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    text = models.TextField(max_length=3000)
    evidence = models.ManyToManyField(Evidence, blank=True, related_name="findings")
    indicators = models.ManyToManyField(Indicator, blank=True, related_name="findings")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.text[:70]}"


@tracked()
class Recommendation(models.Model):
    class Priority(models.TextChoices):
        HIGH = "high", _("High")
        MEDIUM = "medium", _("Medium")
        LOW = "low", _("Low")

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    analysis = models.ForeignKey(
        DiscoveryAnalysis, on_delete=models.CASCADE, related_name="recommendations"
    )
    text = models.TextField(max_length=3000)
    priority = models.CharField(max_length=6, choices=Priority.choices, default=Priority.MEDIUM)
    findings = models.ManyToManyField(Finding, blank=True, related_name="recommendations")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["priority", "pk"]

    def __str__(self):
        return self.text[:80]
