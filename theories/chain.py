"""Each theory of action tested link by link.

A theory says IF the adults do something, THEN practice changes, SO THAT students gain. Each of
the three links has its own evidence: the IF the theory's actions and the professional learning
delivered for it, the THEN what visitors saw of the look-fors tied to it, the SO THAT the
measures of the theory and of the goals it serves. `judge_chain` judges the three links from
plain facts (no database): every page, list and report that shows a link's status gets it from
there, so they never disagree. theories.selectors.theory_chains gathers the facts for many
theories at once.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext, ngettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _


class LinkStatus(models.TextChoices):
    NO_DATA = "no_data", _("No data")
    NOT_YET = "not_yet", pgettext_lazy("link status", "Not yet")
    MOVING = "moving", pgettext_lazy("link status", "Moving")
    NOT_MOVING = "not_moving", pgettext_lazy("link status", "Not moving")


class Link(models.TextChoices):
    IF = "if", _("IF")
    THEN = "then", _("THEN")
    SO_THAT = "so_that", _("SO THAT")


# An IF whose newest evidence is older than this has stopped moving.
IF_STALE_DAYS = 365
# The THEN compares the seen-rate of the latest window of this many days with the window before.
THEN_WINDOW_DAYS = 182
# Fewer observations than this in the latest window are too few to judge the THEN.
THEN_MINIMUM_OBSERVATIONS = 5
# A THEN is moving when its practice is seen in at least this share of the latest window's
# observations, or when its seen-rate rose by at least THEN_RISE points on the window before.
THEN_SEEN_PERCENT = 50
THEN_RISE = 5


TONES = {
    LinkStatus.NO_DATA: "muted",
    LinkStatus.NOT_YET: "warn",
    LinkStatus.MOVING: "ok",
    LinkStatus.NOT_MOVING: "bad",
}


@dataclass(frozen=True)
class ActionFact:
    done: bool
    has_evidence: bool
    due_date: datetime.date | None
    # When the history first holds the action done with its current evidence; without a
    # history (a database that keeps none), None.
    evidence_on: datetime.date | None = None


@dataclass(frozen=True)
class MeasureFact:
    up: bool  # whether a higher value is better
    baseline: Decimal
    baseline_date: datetime.date
    cycle_days: int
    values: tuple = ()  # ((observed_on, value), ...) oldest first


@dataclass(frozen=True)
class ChainFacts:
    actions: tuple = ()  # ActionFact
    offerings: int = 0  # professional learning offerings serving the theory
    session_dates: tuple = ()  # the dates of those offerings' sessions
    look_fors: int = 0  # look-fors tied to the theory's THEN
    # {visit date: (observations that saw a tied look-for, observations where one was listed)}
    # for the two latest THEN windows, and the newest observation date whatever its age.
    observed_days: dict = field(default_factory=dict)
    last_observed: datetime.date | None = None
    measures: tuple = ()  # MeasureFact


@dataclass(frozen=True)
class LinkResult:
    link: str
    status: str
    latest: datetime.date | None
    why: str

    @property
    def label(self):
        return LinkStatus(self.status).label

    @property
    def link_label(self):
        return Link(self.link).label

    @property
    def tone(self):
        """The badge colour that goes with the status's words, never instead of them."""
        return TONES[self.status]

    @property
    def failing(self):
        return self.status == LinkStatus.NOT_MOVING


@dataclass(frozen=True)
class Chain:
    if_link: LinkResult
    then_link: LinkResult
    so_that_link: LinkResult

    @property
    def links(self):
        return (self.if_link, self.then_link, self.so_that_link)

    def status_of(self, link):
        return {result.link: result for result in self.links}[link].status


def _percent(seen, observed):
    return round(100 * seen / observed) if observed else None


def _judge_if(facts, today):
    delivered = [day for day in facts.session_dates if day <= today]
    evidenced = [a for a in facts.actions if a.done and a.has_evidence]
    past_due = [a for a in facts.actions if not a.done and a.due_date and a.due_date < today]
    dates = [day for day in [*delivered, *(a.evidence_on for a in evidenced)] if day]
    latest = max(dates, default=None)
    if not facts.actions and not facts.offerings:
        return LinkStatus.NO_DATA, None, _("No action and no professional learning for it.")
    if past_due:
        return (
            LinkStatus.NOT_MOVING,
            latest,
            ngettext(
                "%(count)s action past due and not done.",
                "%(count)s actions past due and not done.",
                len(past_due),
            )
            % {"count": len(past_due)},
        )
    if latest and (today - latest).days > IF_STALE_DAYS:
        return LinkStatus.NOT_MOVING, latest, _("Nothing done or delivered in the past year.")
    if not evidenced and not delivered:
        return LinkStatus.NOT_YET, None, _("No action done with evidence, no session held yet.")
    return (
        LinkStatus.MOVING,
        latest,
        gettext("Actions done with evidence: %(actions)s; learning sessions held: %(sessions)s.")
        % {"actions": len(evidenced), "sessions": len(delivered)},
    )


def then_windows(observed_days, today):
    """(seen, observed) over the latest THEN window (the THEN_WINDOW_DAYS days up to today) and
    over the window before it."""
    recent, before = [0, 0], [0, 0]
    for day, (seen, observed) in observed_days.items():
        age = (today - day).days
        if 0 <= age < THEN_WINDOW_DAYS:
            bucket = recent
        elif THEN_WINDOW_DAYS <= age < 2 * THEN_WINDOW_DAYS:
            bucket = before
        else:
            continue
        bucket[0] += seen
        bucket[1] += observed
    return tuple(recent), tuple(before)


def _judge_then(facts, today):
    latest = facts.last_observed
    if not facts.look_fors:
        return LinkStatus.NO_DATA, None, _("No visit look-for is tied to its THEN.")
    if latest is None:
        return LinkStatus.NO_DATA, None, _("No observation has listed its look-fors yet.")
    (seen, observed), (seen_before, observed_before) = then_windows(facts.observed_days, today)
    rate = _percent(seen, observed)
    if observed < THEN_MINIMUM_OBSERVATIONS:
        return (
            LinkStatus.NOT_YET,
            latest,
            ngettext(
                "%(count)s observation in the past six months: too few to judge.",
                "%(count)s observations in the past six months: too few to judge.",
                observed,
            )
            % {"count": observed},
        )
    rate_before = (
        _percent(seen_before, observed_before)
        if observed_before >= THEN_MINIMUM_OBSERVATIONS
        else None
    )
    said = gettext("Seen in %(rate)s%% of %(count)s observations in the past six months") % {
        "rate": rate,
        "count": observed,
    }
    if rate_before is not None:
        said += " " + gettext("(%(before)s%% the six months before).") % {"before": rate_before}
    else:
        said += "."
    rising = rate_before is not None and rate - rate_before >= THEN_RISE
    if rate >= THEN_SEEN_PERCENT or rising:
        return LinkStatus.MOVING, latest, said
    return LinkStatus.NOT_MOVING, latest, said


def measure_moving(measure, today):
    """Whether a measure moves toward its target: its latest value is better than the one
    before it (the baseline for the first) and its update cycle has not passed since."""
    values = [(day, value) for day, value in measure.values if day <= today]
    if not values:
        return False
    last_day, last = values[-1]
    if (today - last_day).days > measure.cycle_days:
        return False
    previous = values[-2][1] if len(values) > 1 else measure.baseline
    return last > previous if measure.up else last < previous


def _judge_so_that(facts, today):
    if not facts.measures:
        return LinkStatus.NO_DATA, None, _("No measure on the theory or the goals it serves.")
    with_values = [m for m in facts.measures if any(day <= today for day, value in m.values)]
    if not with_values:
        return LinkStatus.NOT_YET, None, _("Its measures have no value beyond the baseline yet.")
    latest = max(day for m in with_values for day, value in m.values if day <= today)
    moving = sum(measure_moving(m, today) for m in with_values)
    said = gettext("Measures with values moving toward the target: %(moving)s of %(count)s.") % {
        "moving": moving,
        "count": len(with_values),
    }
    if 2 * moving >= len(with_values):
        return LinkStatus.MOVING, latest, said
    return LinkStatus.NOT_MOVING, latest, said


def judge_chain(facts, today):
    """Each link of one theory, judged from `facts` (ChainFacts) as of `today`, with the date
    of its latest evidence and a sentence saying why.

    IF (the theory's actions and the professional learning delivered for it):
      - no data: the theory has no action and no professional learning offering;
      - not moving: an action is past due (not done, its due date before today), or the newest
        evidence is more than IF_STALE_DAYS (365) days old;
      - not yet: no action is done with its evidence written and no session has been held
        (dated today or before);
      - moving: otherwise. The evidence's date is the newest of the sessions held and of the
        days the history first holds each done action with its current evidence.

    THEN (the look-fors tied to it, in visit observations):
      - no data: no look-for is tied to the theory, or no observation has listed one;
      - not yet: fewer than THEN_MINIMUM_OBSERVATIONS (5) observations listed one in the latest
        THEN_WINDOW_DAYS (182) days, today included;
      - moving: the latest window's seen-rate (observations that ticked a tied look-for, out of
        those that listed one) is at least THEN_SEEN_PERCENT (50), or it rose by at least
        THEN_RISE (5) points on the window before, when that one had enough observations;
      - not moving: otherwise. The evidence's date is the newest such observation's visit.

    SO THAT (the measures of the theory and of the goals it serves):
      - no data: there is no such measure;
      - not yet: none has a value (dated today or before) beyond its baseline;
      - moving: at least half of those with values move toward their target (measure_moving:
        the latest value better than the one before, within its update cycle; a measure whose
        cycle passed without a value is never counted as moving);
      - not moving: otherwise. The evidence's date is the newest value's."""
    results = []
    for link, judge in (
        (Link.IF, _judge_if),
        (Link.THEN, _judge_then),
        (Link.SO_THAT, _judge_so_that),
    ):
        status, latest, why = judge(facts, today)
        results.append(LinkResult(link.value, status.value, latest, str(why)))
    return Chain(*results)
