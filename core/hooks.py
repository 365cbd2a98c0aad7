"""Questions an app asks that the apps above it answer.

The layers (README, *Layout*; the import-linter contracts in pyproject.toml) let an app import
only the apps below it. Where a lower app's page shows what a higher app knows (the plan lists
its theories of action, a theory shows what visits saw of it, a member's page lists their open
action items), the lower app declares a `Hook`, the higher app answers it when Django starts (in
its `AppConfig.ready`), and the page asks the hook. A hook nobody answers gives its default, so an
app keeps working without the apps above it.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured


class Hook:
    def __init__(self, name, *, default=None):
        self.name = name
        self.default = default
        self._answers = []

    def __repr__(self):
        return f"<Hook {self.name}>"

    def answer(self, function):
        """Registers `function` (called with the hook's keyword arguments); usable as a
        decorator. Registering the same function twice keeps one."""
        if function not in self._answers:
            self._answers.append(function)
        return function

    def ask(self, **kwargs):
        """The one answer, or the default when no app answers."""
        if len(self._answers) > 1:
            raise ImproperlyConfigured(f"{self.name} takes one answer, not {len(self._answers)}.")
        if not self._answers:
            return self.default
        return self._answers[0](**kwargs)

    def ask_all(self, **kwargs):
        """Every app's answer, in the order they registered."""
        return [answer(**kwargs) for answer in self._answers]


@dataclass
class CampusSection:
    """One part of a campus's page that an app above core draws: `template` with `context`,
    placed by `order` among the others.

    A section that reads only records the history keeps (core.history.tracked) can be `kept`:
    the page then draws it once per change of the district and keeps the HTML
    (core.fragments), `context` is a function called only when it is drawn, `kept` names what
    the section varies by for this reader beyond their capabilities and language, and the
    template draws nothing when there is nothing to show."""

    order: int
    template: str
    context: object
    kept: tuple | None = None


# What the apps above know of one campus, for its page (keywords: campus, membership, today):
# each answers a CampusSection, or None when it has nothing to show.
campus_sections = Hook("campus_sections", default=())


@dataclass
class CampusColumn:
    """A column of the campus list that an app above core adds: `expression` annotates each
    campus as `key`; the list sorts on it (empty values last) and shows it as a `kind` ("date",
    "number", "percent" or "result", a stored decimal). `masked`, when given, annotates each
    campus with whether its value is hidden from this reader (a small group's result): the
    expression is then empty, so the list neither shows nor sorts by it, and the cell says *."""

    key: str
    label: str
    expression: object
    kind: str
    masked: object = None


# The campus list's columns from the apps above (keyword: today): each answers a list of
# CampusColumn.
campus_columns = Hook("campus_columns", default=())


@dataclass
class CampusChooser:
    """A menu above the campus list that an app above core offers: the query parameter `name`
    with `label`, `empty_label` (nothing chosen) and `choices` ((value, label) pairs, values as
    text); `column(value)` is the CampusColumn a chosen value adds."""

    name: str
    label: str
    empty_label: str
    choices: list
    column: Callable


# The campus list's menus from the apps above (keywords: district, membership): each answers a
# CampusChooser, or None when it has nothing to offer.
campus_choosers = Hook("campus_choosers", default=())


@dataclass
class Decided:
    """A meeting's decision about a record, for that record's page: "Decided at <meeting> on
    <date>", linked to the meeting."""

    text: str
    meeting: str
    date: object
    url: str
    effect: str


# Where records were decided (keywords: district_id, about: {kind: ids} with kind one of "goal",
# "competency", "theory", "campus_plan", "finding", "recommendation"), in one query however many
# kinds and ids: {(kind, id): [Decided, ...]}, oldest meeting first; a record no meeting decided
# is not a key.
decisions_about = Hook("decisions_about", default={})


@dataclass
class CalendarEvent:
    """An event an app above visits adds to a member's calendar feed: `start` and `end` are
    dates (a whole day, `end` the day after) or aware datetimes."""

    uid: str
    start: object
    end: object
    summary: str
    description: str = ""
    location: str = ""


# What the apps above visits add to the district's calendar feed (keywords: district, since: the
# first day the feed shows, limit: at most how many): each answers a list of CalendarEvent.
calendar_events = Hook("calendar_events", default=())


@dataclass
class DueItem:
    """A piece of a member's work due by a day, for their digest email: what it is, when it
    is due and the path of its page."""

    description: str
    due_date: object
    path: str


# The member's open work due on or before `until` (keywords: district, user, until), for the
# digest email (comments.digest): each app answers a list of DueItem, soonest first.
items_due = Hook("items_due", default=())
