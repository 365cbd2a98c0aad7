"""Hooks let a lower app show what a higher one knows without importing it (core.hooks)."""

import importlib

import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured

from core.hooks import Hook


def test_a_question_nobody_answers_gets_its_default():
    assert Hook("nobody", default=()).ask(district=1) == ()
    assert Hook("nobody", default=()).ask_all(district=1) == []


def test_the_one_answer_is_asked_with_the_keywords():
    hook = Hook("double")
    hook.answer(lambda *, n: 2 * n)
    assert hook.ask(n=4) == 8


def test_a_question_for_one_answer_refuses_two():
    hook = Hook("twice")
    hook.answer(lambda: 1)
    hook.answer(lambda: 2)
    with pytest.raises(ImproperlyConfigured):
        hook.ask()
    assert hook.ask_all() == [1, 2]


def test_registering_the_same_answer_again_keeps_one():
    hook, answer = Hook("again"), lambda: 1
    hook.answer(answer)
    hook.answer(answer)
    assert hook.ask() == 1


def test_the_apps_above_answer_every_question_the_apps_below_ask():
    """Once Django has started, every question a lower app asks (each app's `hooks` module, and
    core's) has its answer, so no page silently shows a default."""
    asking, unanswered = set(), []
    for config in apps.get_app_configs():
        try:
            module = importlib.import_module(f"{config.name}.hooks")
        except ModuleNotFoundError:
            continue
        asking.add(config.name)
        unanswered += [
            f"{config.name}.hooks.{name}"
            for name, hook in vars(module).items()
            if isinstance(hook, Hook) and not hook._answers
        ]
    assert {"core", "accounts", "district_plan", "theories", "visits", "meetings"} <= asking
    assert not unanswered
