import html

from django import forms
from django.core import signing
from django.core.exceptions import FieldDoesNotExist
from django.utils.formats import localize
from django.utils.safestring import mark_safe
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.csv_import import ImportFileError, decode_upload
from core.logos import check_logo
from core.models import Campus, validate_brand_colour
from core.numbers import whole_number
from core.wording import SOURCE, TRANSLATIONS

IMPORT_MAX_AGE = 60 * 60


def _escaped(value):
    # django.utils.html.conditional_escape without its lazy wrappers, which cost more than the
    # escaping itself over hundreds of options.
    return value.__html__() if hasattr(value, "__html__") else html.escape(str(value))


def _attributes(attrs):
    # As django/forms/widgets/attrs.html writes them.
    return "".join(
        f" {name}" if value is True else f' {name}="{_escaped(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


class LongSelect(forms.Select):
    """A select whose options are written here rather than through a template each: the menu
    of a large district's campuses took hundreds of template renders, and building Django's
    option dictionaries cost as much again. The markup is Django's but for the line breaks
    between options."""

    def render(self, name, value, attrs=None, renderer=None):
        chosen = self.format_value(value)
        has_selected = False
        groups = []
        for option_value, option_label in self.choices:
            if isinstance(option_label, (list, tuple)):
                group, options = option_value, option_label
            else:
                group, options = None, [(option_value, option_label)]
            written = []
            for subvalue, sublabel in options:
                subvalue = "" if subvalue is None else subvalue
                selected = not has_selected and str(subvalue) in chosen
                has_selected |= selected
                written.append(
                    f'<option value="{_escaped(subvalue)}"{" selected" if selected else ""}>'
                    f"{_escaped(localize(sublabel))}</option>"
                )
            written = "".join(written)
            groups.append(
                f'<optgroup label="{_escaped(group)}">{written}</optgroup>' if group else written
            )
        attributes = _attributes(self.build_attrs(self.attrs, attrs))
        # Every value, label and attribute is escaped above.
        return mark_safe(f'<select name="{_escaped(name)}"{attributes}>{"".join(groups)}</select>')


class _NameChoiceIterator(forms.models.ModelChoiceIterator):
    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        yield from self.queryset.values_list("pk", "name")


class NameChoiceField(forms.ModelChoiceField):
    """A choice of records listed by their `name` (a district's campuses), read as rows: a
    model built per option of a large district's menu cost more than writing the menu. What is
    chosen is checked and returned as a record, as by ModelChoiceField."""

    iterator = _NameChoiceIterator

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", LongSelect)
        super().__init__(*args, **kwargs)


class CampusFilterForm(forms.Form):
    """The campus list's search and level filter, and a menu for each of `choosers`
    (core.hooks.CampusChooser) whose choice adds a column."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    level = forms.ChoiceField(
        label=_("Level"), required=False, choices=[("", _("All levels")), *Campus.Level.choices]
    )

    def __init__(self, *args, choosers=(), **kwargs):
        super().__init__(*args, **kwargs)
        for chooser in choosers:
            self.fields[chooser.name] = forms.ChoiceField(
                label=chooser.label,
                required=False,
                choices=[("", chooser.empty_label), *chooser.choices],
            )


class CsvUploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        error_messages={
            "required": _("Choose a CSV file to upload."),
            "empty": _("The file is empty."),
        },
    )

    def clean_file(self):
        try:
            return decode_upload(self.cleaned_data["file"].read())
        except ImportFileError as exc:
            raise forms.ValidationError(str(exc)) from None


def add_service_errors(form, error):
    """Shows a service's refusal (a ValidationError) next to the field it is about; a form
    whose field has another name than the service's says so in `service_fields`
    ({service's name: form's name})."""
    renamed = getattr(form, "service_fields", {})
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            field = renamed.get(field, field)
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class VersionedModelForm(forms.ModelForm):
    """A model form that carries the version the editor started from."""

    # Read as text so that a missing or unreadable version reaches the version check (and is
    # shown as a conflict) instead of failing as an error on a field nobody can see.
    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        self._pair_translations()

    def _pair_translations(self):
        """A text's translation (`<field>_es`, listed right after it) is edited beside it:
        labelled with the language, and each input marked with the language typed into it, so a
        screen reader and a spell checker take the Spanish as Spanish."""
        for name, field in self.fields.items():
            base, _sep, language = name.rpartition("_")
            english = self.fields.get(base)
            if language not in TRANSLATIONS or english is None:
                continue
            field.label = format_lazy(_("{field} in Spanish"), field=english.label)
            field.widget.attrs["lang"] = language
            english.widget.attrs["lang"] = SOURCE
            if "rows" in english.widget.attrs:
                field.widget.attrs["rows"] = english.widget.attrs["rows"]

    def _model_field(self, name):
        """The model field a form field saves to, or None for the form's own extra fields."""
        if name == "version":
            return None
        try:
            return self._meta.model._meta.get_field(name)
        except FieldDoesNotExist:
            return None

    def model_data(self):
        """The submitted values of the model's own (non many-to-many) fields."""
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if (field := self._model_field(name)) is not None and not field.many_to_many
        }

    def m2m_data(self):
        return {
            name: list(value)
            for name, value in self.cleaned_data.items()
            if (field := self._model_field(name)) is not None and field.many_to_many
        }

    def expected_version(self):
        """The version the editor started from; 0 when the form did not say, which no stored
        record has (versions start at 1), so the save is refused like a stale one."""
        version = (self.cleaned_data.get("version") or "").strip()
        return whole_number(version) or 0


class CampusUploadForm(CsvUploadForm):
    file = forms.FileField(
        label=_("Campus list (CSV)"),
        help_text=_(
            "One row per campus. Columns: campus name, level, grade span, region, and "
            "optionally state school id and NCES id. Common spellings of these headings work."
        ),
        error_messages={
            "required": _("Choose a CSV file to upload."),
            "empty": _("The file is empty."),
        },
    )


class SignedUploadConfirmForm(forms.Form):
    """Carries a previewed file back, signed, so what is confirmed is what was previewed."""

    salt = "upload"
    token = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, district, **kwargs):
        self.district = district
        super().__init__(*args, **kwargs)

    @classmethod
    def sign(cls, *, district, text, **extra):
        """`extra` is what else the preview was drawn with (a date chosen on the form); the
        confirm reads it back as `payload`."""
        return signing.dumps({**extra, "d": district.pk, "csv": text}, salt=cls.salt, compress=True)

    def clean_token(self):
        try:
            data = signing.loads(self.cleaned_data["token"], salt=self.salt, max_age=IMPORT_MAX_AGE)
        except signing.SignatureExpired:
            raise forms.ValidationError(
                gettext("This preview is more than an hour old; upload the file again.")
            ) from None
        except signing.BadSignature:
            raise forms.ValidationError(
                gettext("This preview could not be read; upload the file again.")
            ) from None
        if data.get("d") != self.district.pk:
            raise forms.ValidationError(gettext("This preview belongs to another district."))
        self.payload = data
        return data["csv"]


class CampusImportConfirmForm(SignedUploadConfirmForm):
    salt = "campus-import"


class NoBlankChips:
    """Radio buttons are drawn as chips, and a `---------` chip is a choice that means nothing
    (on the tablet it let an observation go without its kind). A required choice is made by
    tapping a chip, an optional one by tapping none."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if not isinstance(widget, forms.RadioSelect) or widget.allow_multiple_selected:
                continue
            if isinstance(field, forms.ModelChoiceField):
                field.empty_label = None
            else:
                field.choices = [choice for choice in field.choices if choice[0] not in ("", None)]


SMALLEST_GROUP_MESSAGE = _("Enter a whole number of students from 1 to 100.")


class DistrictSettingsForm(forms.Form):
    smallest_group_shown = forms.IntegerField(
        label=_("Smallest student group shown"),
        min_value=1,
        max_value=100,
        help_text=_(
            "A result for fewer students than this is kept and shown to the cabinet, but shown "
            "as * to everyone else and masked in charts, the board summary and the public page, "
            "as state accountability reports do."
        ),
        error_messages=dict.fromkeys(
            ("required", "invalid", "min_value", "max_value"), SMALLEST_GROUP_MESSAGE
        ),
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "step": 1}),
    )
    brand_primary = forms.CharField(
        label=_("Brand colour"),
        validators=[validate_brand_colour],
        help_text=_(
            "The band across each report's cover, with white text on it, and the headings and "
            "charts: a colour dark enough for text, such as #163a69."
        ),
        widget=forms.TextInput(attrs={"type": "color"}),
    )
    brand_secondary = forms.CharField(
        label=_("Second brand colour"),
        validators=[validate_brand_colour],
        help_text=_("The second line or bar of the reports' charts; dark enough for text too."),
        widget=forms.TextInput(attrs={"type": "color"}),
    )
    logo = forms.FileField(
        label=_("Logo"),
        required=False,
        help_text=_(
            "A PNG or JPEG image up to 1 MB, shown on the cover of every report. Leave empty to "
            "keep the current logo."
        ),
        widget=forms.FileInput(attrs={"accept": "image/png,image/jpeg"}),
    )
    remove_logo = forms.BooleanField(label=_("Remove the logo"), required=False)

    def clean_brand_primary(self):
        return self.cleaned_data["brand_primary"].lower()

    def clean_brand_secondary(self):
        return self.cleaned_data["brand_secondary"].lower()

    def clean_logo(self):
        upload = self.cleaned_data.get("logo")
        return check_logo(upload) if upload else None
