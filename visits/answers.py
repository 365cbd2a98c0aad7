"""Visits answer what theories and member pages ask (theories.hooks, accounts.hooks)."""

from accounts import hooks as accounts_hooks
from theories import hooks as theories_hooks
from visits import selectors

theories_hooks.implementation_evidence.answer(selectors.implementation_evidence)
theories_hooks.theory_evidence_detail.answer(selectors.theory_evidence_detail)
accounts_hooks.open_action_items_of.answer(selectors.open_action_items_of)
