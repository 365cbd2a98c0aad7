from django.core.exceptions import ValidationError
from django.db import models
from django.utils import formats
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import Membership
from core.dates import within_years_of_today
from core.history import tracked
from core.models import Campus, District
from core.versioning import Versioned
from theories.models import TheoryOfAction
from visits.models import LookFor

# A session is dated within this many years of today: a typing slip (2062) is refused.
SESSION_WITHIN_YEARS = 5
# The most people one campus can send in one staff role to one session.
MAX_COUNT = 10_000


class StaffRole(models.TextChoices):
    """What a participant does on their campus: a staff role, not a role in this app."""

    TEACHER = "teacher", _("Teachers")
    CAMPUS_LEADER = "campus_leader", _("Campus leaders")
    COACH = "coach", _("Instructional coaches")
    OTHER = "other", _("Other staff")


@tracked(links=("theories", "look_fors"))
class Offering(Versioned):
    """A professional-learning offering: what the adults learn so the IF of a theory happens."""

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    theories = models.ManyToManyField(
        TheoryOfAction, blank=True, related_name="learning_offerings", verbose_name=_("theories")
    )
    audience = models.CharField(
        _("audience"),
        max_length=200,
        blank=True,
        help_text=_("Who it is for, for example Grade 3–5 teachers and their coaches."),
    )
    description = models.TextField(_("description"), blank=True, max_length=5000)
    facilitator = models.ForeignKey(
        Membership,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("facilitator"),
    )
    outside_facilitator = models.CharField(
        _("outside facilitator"),
        max_length=200,
        blank=True,
        help_text=_("Someone without an account, such as a state coordinator."),
    )
    outside_organization = models.CharField(_("organization"), max_length=200, blank=True)
    look_fors = models.ManyToManyField(
        LookFor, blank=True, related_name="learning_offerings", verbose_name=_("look-fors")
    )
    keeps_names = models.BooleanField(
        _("keep participant names"),
        default=False,
        help_text=_("Without it, only counts by campus and staff role are kept."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title", "pk"]
        verbose_name = _("professional learning")

    def __str__(self):
        return self.title

    @property
    def facilitator_label(self):
        if self.facilitator_id:
            return self.facilitator.user.get_full_name()
        if self.outside_facilitator:
            if self.outside_organization:
                return f"{self.outside_facilitator} ({self.outside_organization})"
            return self.outside_facilitator
        return ""

    def clean(self):
        errors = {}
        if not (self.title or "").strip():
            errors["title"] = gettext("Give the offering a title.")
        outside = (self.outside_facilitator or "").strip()
        if self.facilitator_id and outside:
            errors["outside_facilitator"] = gettext(
                "Choose a member or name an outside facilitator, not both."
            )
        elif self.outside_organization.strip() and not outside:
            errors["outside_facilitator"] = gettext(
                "Name the outside facilitator from this organization."
            )
        elif outside and not self.outside_organization.strip():
            errors["outside_organization"] = gettext(
                "Say which organization the outside facilitator comes from."
            )
        if self.facilitator_id and self.facilitator.district_id != self.district_id:
            errors["facilitator"] = gettext("Choose a member of this district.")
        if errors:
            raise ValidationError(errors)


@tracked()
class Session(Versioned):
    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    offering = models.ForeignKey(Offering, on_delete=models.CASCADE, related_name="sessions")
    date = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200, blank=True)

    class Meta:
        ordering = ["date", "pk"]
        verbose_name = _("session")

    def __str__(self):
        return formats.date_format(self.date, "SHORT_DATE_FORMAT")

    def clean(self):
        if (
            self.date
            and self.changed("date")
            and not within_years_of_today(self.date, SESSION_WITHIN_YEARS)
        ):
            raise ValidationError(
                {"date": gettext("Choose a session date within five years of today.")}
            )


@tracked()
class Participation(models.Model):
    """How many people of one campus, in one staff role, took part in a session."""

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="participation")
    campus = models.ForeignKey(
        Campus, on_delete=models.CASCADE, related_name="+", verbose_name=_("campus")
    )
    staff_role = models.CharField(_("staff role"), max_length=15, choices=StaffRole.choices)
    count = models.PositiveIntegerField(_("participants"))

    class Meta:
        ordering = ["campus__name", "staff_role", "pk"]
        verbose_name = _("participation")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "campus", "staff_role"], name="one_count_per_session_campus_role"
            )
        ]

    def __str__(self):
        return f"{self.campus} · {self.get_staff_role_display()}: {self.count}"


@tracked()
class Participant(models.Model):
    """A staff member who signed in to a session, kept only when the offering keeps names."""

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="participants")
    name = models.CharField(_("name"), max_length=200)
    campus = models.ForeignKey(
        Campus, on_delete=models.CASCADE, related_name="+", verbose_name=_("campus")
    )
    staff_role = models.CharField(_("staff role"), max_length=15, choices=StaffRole.choices)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("participant")

    def __str__(self):
        return self.name
