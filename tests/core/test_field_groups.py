"""A group of check boxes or radio buttons is one question: it is drawn as a fieldset whose
legend asks it, each box inside its own label, so a screen reader reads the question with
every choice and no label points at nothing."""

import re

from django import forms
from django.template.loader import render_to_string
from django.urls import reverse

from tests.factories import FocusAreaFactory, GoalFactory, PlanFactory, StrandFactory, TheoryFactory


class Choices(forms.Form):
    colours = forms.MultipleChoiceField(
        label="Colours",
        choices=[("red", "Red"), ("blue", "Blue")],
        widget=forms.CheckboxSelectMultiple,
        help_text="Tick every colour you like.",
    )
    size = forms.ChoiceField(
        label="Size", choices=[("s", "Small"), ("l", "Large")], widget=forms.RadioSelect
    )
    name = forms.CharField(label="Name")


def render(form):
    return render_to_string("includes/form_fields.html", {"form": form})


def test_check_boxes_and_radio_buttons_are_a_fieldset_with_a_legend():
    html = render(Choices())
    assert re.search(r'<fieldset class="field"[^>]*>\s*<legend>Colours</legend>', html)
    assert re.search(r'<fieldset class="field"[^>]*>\s*<legend>Size</legend>', html)
    assert '<label for="id_colours_0"><input type="checkbox"' in html
    assert '<label for="id_size_1"><input type="radio"' in html
    assert 'for=""' not in html
    assert '<label for="id_name">Name</label>' in html
    assert html.count("<fieldset") == 2


def test_the_fieldset_is_described_by_its_help_and_its_errors():
    html = render(Choices(data={"name": "x"}))
    fieldset = re.search(r'<fieldset class="field has-error"[^>]*>\s*<legend>Colours', html)
    assert fieldset
    assert 'aria-describedby="id_colours_helptext id_colours_error"' in fieldset.group(0)
    assert 'id="id_colours_error"' in html


def test_the_theory_form_asks_for_its_goals_and_focus_areas_in_fieldsets(as_member, personas):
    plan = PlanFactory(district=personas.district)
    GoalFactory(plan=plan, title="Read by grade 3")
    FocusAreaFactory(plan=plan, name="Early literacy")
    theory = TheoryFactory(strand=StrandFactory(district=personas.district))
    html = (
        as_member(personas.cabinet).get(reverse("theories:edit", args=["lakeside", theory.pk])).text
    )
    assert re.search(r"<fieldset[^>]*>\s*<legend>Goals</legend>", html)
    assert re.search(r"<fieldset[^>]*>\s*<legend>Focus areas</legend>", html)
    assert 'for=""' not in html
