"""Radio buttons are drawn as chips. A blank `---------` chip means nothing to the person
tapping it, and on the tablet it let an observation be saved without its kind: no form of the
app may offer one, including forms added later."""

import importlib
import inspect
from pathlib import Path

import pytest
from django import forms
from django.apps import apps
from django.conf import settings

from tests.factories import ProgramFactory, VisitFactory


def project_forms():
    base = Path(settings.BASE_DIR).resolve()
    # The virtualenv may live inside the project too; its packages are not ours.
    ours = [
        config for config in apps.get_app_configs() if Path(config.path).resolve().parent == base
    ]
    for config in ours:
        for module in ("forms", "views", "admin"):
            try:
                importlib.import_module(f"{config.name}.{module}")
            except ModuleNotFoundError as error:
                if error.name != f"{config.name}.{module}":
                    raise
    seen, pending = set(), [forms.BaseForm]
    while pending:
        for subclass in pending.pop().__subclasses__():
            if subclass not in seen:
                seen.add(subclass)
                pending.append(subclass)
    # Only our own apps: a library's forms (allauth's, say) are not drawn with our chips.
    local = {config.name.split(".")[0] for config in ours}
    return sorted(
        (form for form in seen if form.__module__.split(".")[0] in local),
        key=lambda form: form.__qualname__,
    )


def is_chip(field):
    # Check boxes are a RadioSelect to Django too, but a multiple choice has no blank entry.
    return isinstance(field.widget, forms.RadioSelect) and not field.widget.allow_multiple_selected


def chip_forms():
    return [form for form in project_forms() if any(map(is_chip, form.base_fields.values()))]


def test_the_scan_finds_the_forms_drawn_as_chips():
    names = {form.__name__ for form in chip_forms()}
    assert {"ObservationForm", "ActionItemForm"} <= names


@pytest.mark.parametrize("form_class", chip_forms(), ids=lambda form: form.__name__)
def test_no_chip_is_blank(db, personas, form_class):
    visit = VisitFactory(program=ProgramFactory(district=personas.district))
    arguments = {"district": personas.district, "visit": visit}
    needed = [
        name
        for name, parameter in inspect.signature(form_class.__init__).parameters.items()
        if parameter.kind is parameter.KEYWORD_ONLY and parameter.default is parameter.empty
    ]
    missing = set(needed) - set(arguments)
    assert not missing, f"teach this test to build {missing} for {form_class.__name__}"
    form = form_class(**{name: arguments[name] for name in needed})
    for name, field in form.fields.items():
        if is_chip(field):
            blank = [label for value, label in field.choices if value in ("", None)]
            assert not blank, f"{form_class.__name__}.{name} offers a blank chip {blank}"
            assert "---------" not in str(form[name])
