from urllib.parse import urlencode

from django import forms
from django.utils.translation import gettext_lazy as _

from dashboard.scorecard import Filters


class ScorecardFilterForm(forms.Form):
    """The scorecard's filters, checked against the menus' choices (scorecard.filter_options),
    so a value naming nothing of this district's plan is left out, said next to its field."""

    strand = forms.ChoiceField(
        label=_("Strand"),
        required=False,
        error_messages={
            "invalid_choice": _("Choose a strand from the list; every strand is shown meanwhile.")
        },
    )
    owner = forms.ChoiceField(
        label=_("Owner"),
        required=False,
        error_messages={
            "invalid_choice": _("Choose an owner from the list; every owner is shown meanwhile.")
        },
    )
    campus = forms.ChoiceField(
        label=_("Campus"),
        required=False,
        error_messages={
            "invalid_choice": _(
                "Choose a campus from the list; the district's results are shown meanwhile."
            )
        },
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        error_messages={
            "invalid_choice": _("Choose a status from the list; every status is shown meanwhile.")
        },
    )

    def __init__(self, *args, options, **kwargs):
        super().__init__(*args, **kwargs)
        self.options = options
        self.fields["strand"].choices = [
            ("", _("All strands")),
            *((str(strand.pk), strand.name) for strand in options["strands"]),
        ]
        self.fields["owner"].choices = [
            ("", _("All owners")),
            *((owner, owner) for owner in options["owners"]),
        ]
        self.fields["status"].choices = [("", _("All statuses")), *options["statuses"]]
        # The page shows the campus menu only once a campus has results (or to say why a
        # campus asked for was left out).
        self.fields["campus"].choices = [
            ("", _("The whole district")),
            *((str(campus.pk), campus.name) for campus in options["campuses"]),
        ]

    def filters(self):
        """The Filters the valid fields make; an invalid field is left out."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        strands = {str(strand.pk): strand for strand in self.options["strands"]}
        campuses = {str(campus.pk): campus for campus in self.options["campuses"]}
        return Filters(
            strand=strands.get(data.get("strand") or ""),
            owner=data.get("owner") or "",
            campus=campuses.get(data.get("campus") or ""),
            status=data.get("status") or "",
        )

    def query(self):
        """The filters kept, as the query string of the page's sibling links (CSV, table)."""
        data = getattr(self, "cleaned_data", {})
        return urlencode({name: data[name] for name in self.fields if data.get(name)})
