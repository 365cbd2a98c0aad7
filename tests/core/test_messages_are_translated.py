"""Every sentence the app's Python code shows a person is marked for translation and has Spanish.

The sentences are found in the source, not in the pages, so a message raised by a service, an
importer or a form is covered the day it is written, however rarely it is seen."""

import ast
import importlib

import pytest
from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import trans_real

APPS = [
    "accounts",
    "benchmarking",
    "comments",
    "core",
    "district_plan",
    "learning",
    "public",
    "reports",
    "theories",
    "visits",
]
# Calls whose text argument reaches a person: the function's name and which arguments are text.
SHOWN = {
    "ValidationError": (0,),
    "add_error": (1,),
    "success": (1,),
    "error": (1,),
    "info": (1,),
    "warning": (1,),
    "PermissionDenied": (0,),
    "ImportFileError": (0,),
    "FrameworkFormatError": (0,),
    "RotationError": (0,),
    "reject": (0,),
    "Unparsed": (2,),
}
SHOWN_KEYWORDS = {"label", "help_text", "verbose_name", "verbose_name_plural", "empty_label"}
# Never shown: allauth drops its "remember me" box when ACCOUNT_SESSION_REMEMBER is set.
LABELLED_LATER = {"accounts.forms.SignInForm.remember"}
MARKERS = {"_", "gettext", "gettext_lazy", "pgettext", "pgettext_lazy", "ngettext", "ngettext_lazy"}


def _sources():
    for app in APPS:
        for path in sorted((settings.BASE_DIR / app).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def _name(function):
    if isinstance(function, ast.Name):
        return function.id
    if isinstance(function, ast.Attribute):
        return function.attr
    return None


def _plain_texts(node):
    """The literal strings in a value that no gettext call wraps (a dict's values included)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        if any(c.isalpha() for c in node.value):
            yield node
    elif isinstance(node, ast.JoinedStr):
        yield node
    elif isinstance(node, ast.Dict):
        for value in node.values:
            yield from _plain_texts(value)
    elif isinstance(node, ast.Call) and _name(node.func) == "format":
        yield from _plain_texts(node.func.value)
    elif isinstance(node, ast.BinOp):
        yield from _plain_texts(node.left)
        yield from _plain_texts(node.right)


def _unmarked(path):
    tree = ast.parse(path.read_text())
    for call in ast.walk(tree):
        if not isinstance(call, ast.Call):
            continue
        name = _name(call.func)
        texts = []
        if name == "append" and _name(call.func.value) in ("errors",):
            # An importer's list of what is wrong with a row.
            texts += call.args[:1]
        if name in SHOWN:
            texts += [call.args[i] for i in SHOWN[name] if i < len(call.args)]
            texts += [k.value for k in call.keywords if k.arg in ("message", "msg")]
        if name == "JSONField":
            # Data kept for the app, not a field a person fills in.
            continue
        texts += [k.value for k in call.keywords if k.arg in SHOWN_KEYWORDS]
        if name and name.endswith("Field") and name != "ManyToManyField" and call.args:
            # A model field's first argument is its verbose name, the label of its form field.
            texts.append(call.args[0])
        for text in texts:
            for plain in _plain_texts(text):
                yield f"{path.relative_to(settings.BASE_DIR)}:{plain.lineno}"


def test_every_message_shown_from_python_is_marked_for_translation():
    unmarked = [where for path in _sources() for where in _unmarked(path)]
    assert not unmarked, f"Wrap these in gettext and translate them: {unmarked}"


def _marked(path):
    tree = ast.parse(path.read_text())
    for call in ast.walk(tree):
        if isinstance(call, ast.Call) and _name(call.func) in MARKERS and call.args:
            first = call.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                if _name(call.func).startswith("pgettext") and len(call.args) > 1:
                    yield ("p", first.value, call.args[1].value)
                elif _name(call.func).startswith("ngettext") and len(call.args) > 1:
                    yield ("n", first.value, call.args[1].value)
                else:
                    yield ("", first.value, None)


@pytest.mark.parametrize("app", APPS)
def test_every_marked_python_message_has_spanish(app):
    # In the catalogue, not merely different: "Plan" and "No" are Spanish too.
    catalogue = trans_real.translation("es")._catalog
    missing = []
    for path in _sources():
        if path.relative_to(settings.BASE_DIR).parts[0] != app:
            continue
        for kind, text, other in _marked(path):
            if kind == "p":
                key = f"{text}\x04{other}"
            elif kind == "n":
                key = (text, 0)
            else:
                key = text
            if key not in catalogue and any(c.isalpha() for c in text):
                missing.append(other if kind == "p" else text)
    assert not missing, f"Translate these in locale/es/LC_MESSAGES/django.po: {missing}"


def _form_classes():
    from django import forms

    for app in APPS:
        for path in sorted((settings.BASE_DIR / app).glob("*forms*.py")):
            module = importlib.import_module(f"{app}.{path.stem}")
            for value in vars(module).values():
                if (
                    isinstance(value, type)
                    and issubclass(value, forms.BaseForm)
                    and value.__module__ == module.__name__
                ):
                    yield value


def _label_problems(form_class):
    catalogue = trans_real.translation("es")._catalog
    where = f"{form_class.__module__}.{form_class.__name__}"
    for name, field in form_class.base_fields.items():
        if field.widget.is_hidden or f"{where}.{name}" in LABELLED_LATER:
            continue
        # Without a label the page shows the field's name, in English.
        shown = {"label": field.label, "help_text": field.help_text or None}
        for kind, text in shown.items():
            if text is None and kind == "help_text":
                continue
            if not isinstance(text, Promise) or str(text._args[0]) not in catalogue:
                yield f"{where}.{name} {kind}: {text!r}"


def test_every_form_field_has_a_spanish_label_and_help():
    problems = [p for form_class in _form_classes() for p in _label_problems(form_class)]
    assert not problems, "\n".join(problems)
