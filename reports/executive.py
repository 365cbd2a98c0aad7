"""The board summary's executive summary: the year's headline results, what changed since the
last board summary in a few plain sentences, the decisions the board is asked to take and the
scorecard on one page.

The sentences are built from the data, never written by hand, so they are plain strings (no
markup) in the report's language, in a fixed order (most newsworthy first, ties by name and id):
the same data reads the same sentences. What the summary found (each goal's status, each goal
measure's latest value) is kept on the report (`Report.facts`), so the next summary can say
which goals changed status and how far each measure moved since.
"""

import datetime
import re
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Exists, OuterRef
from django.utils import formats, timezone
from django.utils.formats import date_format
from django.utils.text import capfirst, get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext_lazy

from core.charts import sparkline
from core.history import events_of, recording
from core.wording import in_language
from dashboard.scorecard import GOAL_STATUSES, scorecard
from district_plan.models import MeasureValue
from reports.models import Report
from theories.models import TheoryOfAction
from visits.models import ActionItem, Observation, Visit
from visits.selectors import school_year_start

SENTENCES_MAX = 6
# Sentences of each kind at most: the summary names the largest changes, the scorecard the rest.
GOAL_CHANGES_NAMED = 2
MOVEMENTS = 2
NAMES_IN_A_SENTENCE = 3
# The scorecard on one page: a letter page holds about eight goals of three measures each.
SCORECARD_GOALS = 8
SCORECARD_MEASURES = 3

# A goal's status as a sentence names it, lower case: "moved from on track to behind".
STATUS_WORDS = {
    "on_track": pgettext_lazy("a goal's status in a sentence", "on track"),
    "behind": pgettext_lazy("a goal's status in a sentence", "behind"),
    "needs_update": pgettext_lazy("a goal's status in a sentence", "needing an update"),
    "no_data": pgettext_lazy("a goal's status in a sentence", "without data"),
}
# A number a cabinet member types may start a decision's line; the summary numbers them itself.
LIST_MARK = re.compile(r"^\s*(?:[-*•·]|\d{1,2}[.)])\s+")


@dataclass(frozen=True)
class Since:
    """The moment the summary compares with: the last ready board summary's data, else the
    start of the school year."""

    moment: datetime.datetime
    day: datetime.date
    previous: Report | None

    @property
    def phrase(self):
        if self.previous is None:
            return _("since the school year began")
        return _("since the board summary of %(date)s") % {
            "date": date_format(self.day, "DATE_FORMAT")
        }


def last_board_summary(report):
    """The district's latest ready board summary other than `report`, or None."""
    return (
        Report.objects.filter(
            district_id=report.district_id,
            kind=Report.Kind.BOARD_SUMMARY,
            status=Report.Status.READY,
            data_as_of__isnull=False,
        )
        .exclude(pk=report.pk)
        .order_by("-data_as_of")
        .first()
    )


def since_for(previous, today):
    if previous is not None:
        return Since(previous.data_as_of, timezone.localdate(previous.data_as_of), previous)
    start = school_year_start(today)
    moment = timezone.make_aware(datetime.datetime.combine(start, datetime.time()))
    return Since(moment, start, None)


def executive_summary(*, report, plan, today):
    """The executive summary's data, and the facts the next summary compares with."""
    district = report.district
    # The sparklines are drawn here, named in the report's language (compact_scorecard).
    # No filter menus in a PDF: their choices are not read.
    card = (
        scorecard(district=district, plan=plan, today=today, chart=False, options={})
        if plan
        else None
    )
    since = since_for(last_board_summary(report), today)
    rows = list(card.rows) if card else []
    return {
        "since": since,
        "headline": headline(rows),
        "sentences": what_changed(district=district, rows=rows, since=since, today=today),
        "decisions": decisions(report),
        "scorecard": compact_scorecard(rows, colour=district.brand_colours[0]),
        "facts": facts(rows),
    }


def headline(rows):
    """How many of the plan's goals stand where: (status, count, words), every status."""
    counts = defaultdict(int)
    for row in rows:
        counts[row.status] += 1
    words = {
        "on_track": lambda n: ngettext("goal on track", "goals on track", n),
        "behind": lambda n: ngettext("goal behind", "goals behind", n),
        "needs_update": lambda n: ngettext("goal needs an update", "goals need an update", n),
        "no_data": lambda n: ngettext("goal without data", "goals without data", n),
    }
    return [(status, counts[status], words[status](counts[status])) for status in GOAL_STATUSES]


def decisions(report):
    """The decisions the cabinet listed, one a line, without the blank lines and list marks."""
    lines = (LIST_MARK.sub("", line).strip() for line in report.decisions.splitlines())
    return [line for line in lines if line]


def facts(rows):
    """What the next summary compares with: each goal's status and each goal measure's latest
    value, keyed by id (JSON keys are strings)."""
    return {
        "goals": {str(row.goal.pk): row.status for row in rows},
        "measures": {
            str(m.measure.pk): str(m.status.latest.value)
            for row in rows
            for m in row.measures
            if m.status.latest is not None
        },
    }


def compact_scorecard(rows, *, colour):
    shown = []
    for row in rows[:SCORECARD_GOALS]:
        shown.append(
            {
                "row": row,
                "title": in_language(row.goal, "title"),
                "measures": [
                    (m, in_language(m.measure, "name"), _sparkline(m, colour))
                    for m in row.measures[:SCORECARD_MEASURES]
                ],
                "more_measures": max(0, len(row.measures) - SCORECARD_MEASURES),
            }
        )
    return {"rows": shown, "more_goals": max(0, len(rows) - SCORECARD_GOALS)}


def _sparkline(m, colour):
    """The measure's trend line, its text alternative naming the measure as the report does."""
    return sparkline(
        points=m.points,
        target=m.measure.target,
        direction=m.measure.direction,
        unit=m.measure.unit,
        title=str(in_language(m.measure, "name")),
        chart_id=f"executive-{m.measure.pk}",
        baseline=(m.measure.baseline_date, m.measure.baseline),
        colour=colour,
    )


def what_changed(*, district, rows, since, today):
    """Three to six plain sentences, most newsworthy first: goals that changed status, the
    largest measure movements, measures needing an update, then the new values, action items,
    visits and theories adopted. The last three kinds always have a sentence, even of zeros, so
    there are always three."""
    sentences = [
        *_goal_changes(rows, since),
        *_movements(rows, since),
        *_needing_update(rows),
        _new_values(district, since),
        _action_items(district, since, today),
        _visits(district, since, today),
        *_theories_adopted(district, since),
    ]
    # A language may start a sentence with a word the English puts later ("se hicieron…").
    return [capfirst(sentence) for sentence in sentences[:SENTENCES_MAX]]


def number(value):
    """A value as the report's language writes it, to two decimals at most and without
    trailing zeros: 70.5, 70,5."""
    value = Decimal(value).quantize(Decimal("0.01")).normalize()
    places = max(0, -value.as_tuple().exponent)
    return formats.number_format(value, decimal_pos=places, force_grouping=True)


def count(value):
    return formats.number_format(value, force_grouping=True)


def with_unit(value, unit):
    if unit == "%":
        return f"{number(value)}%"
    return f"{number(value)} {unit}".strip()


def _names(names, more):
    if more:
        names = [
            *names,
            ngettext("%(count)s more", "%(count)s more", more) % {"count": count(more)},
        ]
    return get_text_list(names, _("and"))


def _goal_changes(rows, since):
    before = (since.previous.facts or {}).get("goals", {}) if since.previous else {}
    changed = [row for row in rows if before.get(str(row.goal.pk)) not in (None, row.status)]
    sentences = [
        _("The goal “%(goal)s” moved from %(before)s to %(after)s %(since)s.")
        % {
            "goal": in_language(row.goal, "title"),
            "before": STATUS_WORDS.get(before[str(row.goal.pk)], before[str(row.goal.pk)]),
            "after": STATUS_WORDS[row.status],
            "since": since.phrase,
        }
        for row in changed[:GOAL_CHANGES_NAMED]
    ]
    more = len(changed) - GOAL_CHANGES_NAMED
    if more > 0:
        sentences.append(
            ngettext(
                "%(count)s more goal changed status; the scorecard below shows where each stands.",
                "%(count)s more goals changed status; the scorecard below shows where each stands.",
                more,
            )
            % {"count": count(more)}
        )
    return sentences


def _movements(rows, since):
    """The goal measures that moved the most since, as a share of the way from baseline to
    target: what the last summary showed (its facts), else the value observed before the day
    the comparison starts, else the baseline."""
    measures = [m for row in rows for m in row.measures if m.status.latest is not None]
    shown = (since.previous.facts or {}).get("measures", {}) if since.previous else {}
    moved = []
    for m in measures:
        measure, after = m.measure, m.status.latest.value
        if shown:
            if str(measure.pk) not in shown:
                continue
            before = Decimal(shown[str(measure.pk)])
        else:
            earlier = [value for day, value in m.points if day < since.day]
            before = earlier[-1] if earlier else measure.baseline
        if after == before:
            continue
        distance = abs(measure.target - measure.baseline) or Decimal(1)
        name = in_language(measure, "name")
        moved.append((-abs(after - before) / distance, str(name), measure.pk, name, m, before))
    moved.sort(key=lambda item: item[:3])
    sentences = []
    for *_key, name, m, before in moved[:MOVEMENTS]:
        after, unit = m.status.latest.value, m.measure.unit
        template = (
            _("%(measure)s rose from %(before)s to %(after)s (target %(target)s).")
            if after > before
            else _("%(measure)s fell from %(before)s to %(after)s (target %(target)s).")
        )
        sentences.append(
            template
            % {
                "measure": name,
                "before": with_unit(before, unit),
                "after": with_unit(after, unit),
                "target": with_unit(m.measure.target, unit),
            }
        )
    return sentences


def _needing_update(rows):
    stale = sorted(
        (str(in_language(m.measure, "name")), m.measure.pk)
        for row in rows
        for m in row.measures
        if m.status.needs_update
    )
    if not stale:
        return []
    names = [name for name, _pk in stale[:NAMES_IN_A_SENTENCE]]
    return [
        ngettext(
            "%(count)s goal measure needs an update: %(names)s.",
            "%(count)s goal measures need an update: %(names)s.",
            len(stale),
        )
        % {"count": count(len(stale)), "names": _names(names, len(stale) - len(names))}
    ]


def _new_values(district, since):
    values = MeasureValue.objects.filter(
        district=district, created_at__gt=since.moment, observed_on__gte=since.day
    )
    found = values.count()
    if not found:
        return _("No new measure value was recorded %(since)s.") % {"since": since.phrase}
    measures = values.values("measure_id").distinct().count()
    # Translators: the two parts are "12 new measure values were recorded since …" and
    # "for 5 measures".
    return _("%(values)s, for %(measures)s.") % {
        "values": ngettext(
            "%(count)s new measure value was recorded %(since)s",
            "%(count)s new measure values were recorded %(since)s",
            found,
        )
        % {"count": count(found), "since": since.phrase},
        "measures": ngettext("%(count)s measure", "%(count)s measures", measures)
        % {"count": count(measures)},
    }


def _action_items(district, since, today):
    items = ActionItem.objects.filter(district=district)
    done = items.filter(status=ActionItem.Status.DONE, completed_on__gte=since.day).count()
    overdue = items.exclude(status=ActionItem.Status.DONE).filter(due_date__lt=today).count()
    # Translators: the two parts are "8 action items were completed since …" and
    # "3 are now overdue".
    return _("%(done)s, and %(overdue)s.") % {
        "done": ngettext(
            "%(count)s action item was completed %(since)s",
            "%(count)s action items were completed %(since)s",
            done,
        )
        % {"count": count(done), "since": since.phrase},
        "overdue": ngettext("%(count)s is now overdue", "%(count)s are now overdue", overdue)
        % {"count": count(overdue)},
    }


def _visits(district, since, today):
    visits = Visit.objects.filter(district=district, date__gte=since.day, date__lte=today).exclude(
        status=Visit.Status.PLANNED
    )
    made = visits.count()
    if not made:
        return _("No visit was made %(since)s.") % {"since": since.phrase}
    campuses = visits.values("campus_id").distinct().count()
    observations = Observation.objects.filter(visit__in=visits, private=False).count()
    # Translators: the parts are "14 visits were made", "6 campuses" and "52 observations".
    return _("%(visits)s to %(campuses)s %(since)s, with %(observations)s logged.") % {
        "visits": ngettext("%(count)s visit was made", "%(count)s visits were made", made)
        % {"count": count(made)},
        "campuses": ngettext("%(count)s campus", "%(count)s campuses", campuses)
        % {"count": count(campuses)},
        "since": since.phrase,
        "observations": ngettext("%(count)s observation", "%(count)s observations", observations)
        % {"count": count(observations)},
    }


def _theories_adopted(district, since):
    """Theories adopted now that were not adopted at the moment compared with, from their
    history (kept where PostgreSQL records it)."""
    if not recording():
        return []
    events = events_of(TheoryOfAction).filter(pgh_obj_id=OuterRef("pk"), status="adopted")
    theories = list(
        TheoryOfAction.objects.filter(district=district, status=TheoryOfAction.Status.ADOPTED)
        .filter(Exists(events.filter(pgh_created_at__gt=since.moment)))
        .exclude(Exists(events.filter(pgh_created_at__lte=since.moment)))
        .order_by("order", "pk")
    )
    if not theories:
        return []
    if len(theories) > NAMES_IN_A_SENTENCE:
        # A list of a hundred theories' names is not a sentence anyone reads to a board.
        return [
            ngettext(
                "%(count)s theory of action was adopted %(since)s.",
                "%(count)s theories of action were adopted %(since)s.",
                len(theories),
            )
            % {"count": count(len(theories)), "since": since.phrase}
        ]
    names = [
        str(in_language(t, "short_name") if t.short_name else in_language(t, "if_clause"))
        for t in theories[:NAMES_IN_A_SENTENCE]
    ]
    names = [name if len(name) <= 70 else name[:69].rstrip() + "…" for name in names]
    # A clause may end with its own period; the sentence adds one.
    names = [name.rstrip(". ") for name in names]
    return [
        ngettext(
            "%(count)s theory of action was adopted %(since)s: %(names)s.",
            "%(count)s theories of action were adopted %(since)s: %(names)s.",
            len(theories),
        )
        % {
            "count": count(len(theories)),
            "since": since.phrase,
            "names": _names(names, len(theories) - len(names)),
        }
    ]
