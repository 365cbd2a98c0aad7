"""core.forms.LongSelect writes a menu's options itself; what it writes must be Django's select,
but for the line breaks between options."""

import re

import pytest
from django import forms

from core.forms import LongSelect

CHOICES = [
    ("", "District-wide"),
    (1, 'Oak & "Elm" <School>'),
    ("Middle schools", [(2, "Zephyr Middle"), (3, "Ash Middle")]),
    (4, 1234),
]


def same_markup(html):
    """Django's select with the whitespace between tags removed."""
    return re.sub(r">\s+<", "><", html.strip())


@pytest.mark.parametrize("value", ["", 1, 3, None])
def test_it_writes_what_djangos_select_writes(value):
    attrs = {"id": "id_campus", "required": True, "aria-describedby": "campus_help"}
    plain = forms.Select(choices=CHOICES).render("campus", value, attrs=attrs)
    long = LongSelect(choices=CHOICES).render("campus", value, attrs=attrs)
    assert long == same_markup(plain)
    assert "&lt;School&gt;" in long


def test_the_chosen_option_is_selected_and_the_others_not():
    html = LongSelect(choices=CHOICES).render("campus", 3)
    assert '<option value="3" selected>Ash Middle</option>' in html
    assert '<option value="2">Zephyr Middle</option>' in html
    assert '<optgroup label="Middle schools">' in html


def test_a_name_choice_lists_names_and_returns_the_record_chosen(personas):
    from core.forms import NameChoiceField
    from core.models import Campus
    from tests.factories import CampusFactory

    oak = CampusFactory(district=personas.district, name="Oak <Elementary>")
    other = CampusFactory(district=personas.other_district, name="Hillcrest High")

    class ScopeForm(forms.Form):
        campus = NameChoiceField(
            queryset=Campus.objects.filter(district=personas.district).order_by("name"),
            required=False,
            empty_label="District-wide",
        )

    html = str(ScopeForm(initial={"campus": oak.pk})["campus"])
    assert f'<option value="{oak.pk}" selected>Oak &lt;Elementary&gt;</option>' in html
    assert "Hillcrest High" not in html
    chosen = ScopeForm({"campus": str(oak.pk)})
    assert chosen.is_valid()
    assert chosen.cleaned_data["campus"] == oak
    refused = ScopeForm({"campus": str(other.pk)})
    assert not refused.is_valid()
    assert "Select a valid choice" in refused.errors["campus"][0]
