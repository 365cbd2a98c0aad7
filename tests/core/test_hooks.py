"""Hooks let a lower app show what a higher one knows without importing it (core.hooks)."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from accounts import hooks as accounts_hooks
from core import hooks as core_hooks
from core.hooks import Hook
from district_plan import hooks as plan_hooks
from theories import hooks as theories_hooks


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


def test_the_apps_above_answer_what_the_plan_theories_and_members_ask():
    """Once Django has started, every question the lower apps ask has its answer, so no page
    silently shows a default."""
    assert plan_hooks.plan_theories._answers
    assert plan_hooks.plan_actions._answers
    assert plan_hooks.adopted_theories._answers
    assert plan_hooks.plan_history_events._answers
    assert plan_hooks.plan_annotations._answers
    assert plan_hooks.goal_annotations._answers
    assert plan_hooks.plan_coherence_issues._answers
    assert theories_hooks.implementation_evidence._answers
    assert theories_hooks.theory_evidence_detail._answers
    assert accounts_hooks.open_action_items_of._answers
    assert core_hooks.campus_sections._answers
    assert core_hooks.campus_columns._answers
    assert core_hooks.campus_choosers._answers
    assert core_hooks.decisions_about._answers
    assert core_hooks.calendar_events._answers
