import base64

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.colours import AA_TEXT, WHITE, contrast_ratio, parse_hex, shown_ratio
from core.history import tracked
from core.numbers import whole_number

# The largest school in the country has about 20,000 students; more is a typing slip.
MAX_ENROLLMENT = 50_000

# The colours the reports used before a district chose its own: headings, and charts and rules.
DEFAULT_BRAND_PRIMARY = "#163a69"
DEFAULT_BRAND_SECONDARY = "#1f4e8c"


def validate_brand_colour(value):
    """A brand colour carries white text on a report's cover and is the colour of headings on
    white paper: "#rrggbb", at least WCAG AA's contrast for text against white."""
    if parse_hex(value) is None:
        raise ValidationError(
            _("Enter a colour as # and six hexadecimal digits, for example #163a69."),
            code="invalid",
        )
    ratio = contrast_ratio(value, WHITE)
    if ratio < AA_TEXT:
        raise ValidationError(
            _(
                "This colour's contrast with white is %(ratio)s:1; WCAG AA asks at least "
                "%(minimum)s:1 for text. Choose a darker colour."
            ),
            code="contrast",
            params={"ratio": shown_ratio(ratio), "minimum": AA_TEXT},
        )


@tracked(district="id")
class District(models.Model):
    """The tenant: every other row belongs to exactly one district."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=60,
        unique=True,
        help_text=_("Used in every address of the district's pages, for example /d/<slug>/."),
    )
    nightly_board_summary = models.BooleanField(
        default=False,
        help_text=_("Render a board summary of the adopted plan every night, ready to download."),
    )
    plan_published = models.BooleanField(
        _("public plan page"),
        default=False,
        help_text=_(
            "Anyone can read the adopted plan and its progress at /p/<slug>/, without signing in."
        ),
    )
    smallest_group_shown = models.PositiveSmallIntegerField(
        _("smallest student group shown"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_(
            "A result for fewer students than this is kept but shown only to the cabinet, and "
            "masked on charts, exports and the public page, as state accountability reports do."
        ),
    )
    public_shows_names = models.BooleanField(
        _("staff names on the public page"),
        default=False,
        help_text=_(
            "The public page shows who owns each theory of action; otherwise no staff names."
        ),
    )
    require_mfa_for_admins = models.BooleanField(
        _("second factor for admins"),
        default=False,
        help_text=_(
            "District admins must set up an authenticator app before they can use the district."
        ),
    )
    # The languages besides English the public page is published in (codes from
    # settings.LANGUAGES): English, the language the district writes in, is always published.
    public_translations = models.JSONField(
        _("languages of the public page besides English"), default=list, blank=True
    )
    brand_primary = models.CharField(
        _("brand colour"),
        max_length=7,
        default=DEFAULT_BRAND_PRIMARY,
        validators=[validate_brand_colour],
        help_text=_("The cover band, headings and charts of the reports."),
    )
    brand_secondary = models.CharField(
        _("second brand colour"),
        max_length=7,
        default=DEFAULT_BRAND_SECONDARY,
        validators=[validate_brand_colour],
        help_text=_("The second series of the reports' charts and the rules beside theories."),
    )
    # The name the logo was uploaded under: the history says when it changed and by whom; the
    # image itself is a DistrictLogo, read only by the pages and reports that show it.
    logo_name = models.CharField(_("logo"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("dashboard:home", args=[self.slug])

    @property
    def brand_colours(self):
        """The two brand colours, the app's where a stored value is not a colour (a row written
        around the checks): they go into reports' CSS and charts as they are."""
        return tuple(
            value if parse_hex(value) else default
            for value, default in (
                (self.brand_primary, DEFAULT_BRAND_PRIMARY),
                (self.brand_secondary, DEFAULT_BRAND_SECONDARY),
            )
        )

    @property
    def public_languages(self):
        """The languages the public page answers in, English first."""
        return [settings.LANGUAGE_CODE, *self.public_translations]


class DistrictLogo(models.Model):
    """A district's logo, checked to be a PNG or JPEG image (core.logos): kept in the database
    because reports embed it in the PDF and the settings page shows it through a view, and a
    separate row so reading the district on every request does not read the image."""

    class Format(models.TextChoices):
        PNG = "PNG", "PNG"
        JPEG = "JPEG", "JPEG"

    district = models.OneToOneField(
        District, on_delete=models.CASCADE, primary_key=True, related_name="logo"
    )
    image = models.BinaryField()
    format = models.CharField(max_length=4, choices=Format.choices)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"{self.district} logo"

    @property
    def content_type(self):
        return {"PNG": "image/png", "JPEG": "image/jpeg"}[self.format]

    @property
    def data_uri(self):
        """The image inline, for the PDF: WeasyPrint loads nothing but static files and data:."""
        encoded = base64.b64encode(bytes(self.image)).decode("ascii")
        return f"data:{self.content_type};base64,{encoded}"


@tracked()
class Campus(models.Model):
    class Level(models.TextChoices):
        EARLY_CHILDHOOD = "early_childhood", pgettext_lazy("campus level", "Early childhood")
        ELEMENTARY = "elementary", pgettext_lazy("campus level", "Elementary")
        MIDDLE = "middle", pgettext_lazy("campus level", "Middle")
        HIGH = "high", pgettext_lazy("campus level", "High")
        COMBINED = "combined", pgettext_lazy("campus level", "Combined (K-8 or K-12)")
        ALTERNATIVE = "alternative", pgettext_lazy("campus level", "Alternative")

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="campuses")
    name = models.CharField(max_length=200)
    level = models.CharField(max_length=20, choices=Level.choices)
    grade_span = models.CharField(
        max_length=20,
        blank=True,
        help_text=_("Lowest and highest grade, for example PK-5 or 9-12."),
    )
    region = models.CharField(max_length=100, blank=True)
    cohort = models.CharField(
        max_length=100, blank=True, help_text=_("The visit cohort this campus belongs to, if any.")
    )
    state_school_id = models.CharField(_("state school id"), max_length=30, blank=True)
    nces_id = models.CharField(_("NCES school id"), max_length=12, blank=True)
    principal = models.CharField(_("principal"), max_length=200, blank=True)
    enrollment = models.PositiveIntegerField(
        _("enrollment"), null=True, blank=True, validators=[MaxValueValidator(MAX_ENROLLMENT)]
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "campuses"
        constraints = [
            models.UniqueConstraint(
                "district", Lower("name"), name="campus_name_unique_in_district"
            ),
            models.UniqueConstraint(
                fields=["district", "state_school_id"],
                condition=~models.Q(state_school_id=""),
                name="campus_state_id_unique_in_district",
            ),
            models.UniqueConstraint(
                fields=["district", "nces_id"],
                condition=~models.Q(nces_id=""),
                name="campus_nces_id_unique_in_district",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("core:campus", args=[self.district.slug, self.pk])

    def clean(self):
        if self.nces_id and whole_number(self.nces_id) is None:
            raise ValidationError({"nces_id": _("An NCES school id is made of digits only.")})


@tracked()
class Department(models.Model):
    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="departments")
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                "district", Lower("name"), name="department_name_unique_in_district"
            ),
        ]

    def __str__(self):
        return self.name


class HistoryEntry(models.Model):
    """History written by the app before the database kept it (core.history): read-only, kept
    so a district loses none of it, and listed on the district's history page after the rest."""

    class Action(models.TextChoices):
        CREATED = "created", _("Created")
        CHANGED = "changed", _("Changed")
        DELETED = "deleted", _("Deleted")

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE)
    object_id = models.BigIntegerField()
    object_label = models.CharField(max_length=300)
    action = models.CharField(max_length=10, choices=Action.choices)
    changes = models.JSONField(default=list, help_text="[{field, label, old, new}, ...]")
    user = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "history entries"
        indexes = [models.Index(fields=["content_type", "object_id", "-created_at"])]

    def __str__(self):
        return f"{self.get_action_display()} {self.object_label}"
