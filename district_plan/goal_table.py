"""A plan's goals and their measures brought in from the table a district already keeps:
goal | measure | baseline | target | year (and optionally unit), from a Word document's table or
pasted tab- or pipe-separated text. `plan_goals_import` is the dry run; what it accepts is what
`services.goals_import_apply` writes."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import formats
from django.utils.translation import gettext

from core.csv_import import CellError, ImportFileError, PreviewRow, heading_key, read_number
from core.dates import shift_years
from core.document_lines import ROW, lines_from_text
from district_plan.models import Goal, Measure
from district_plan.result_csv import read_school_year

MAX_ROWS = 500
_COLUMNS = {
    "goal": ("goal", "goals", "goal title", "district goal"),
    "measure": ("measure", "measures", "indicator", "metric", "measure of success"),
    "unit": ("unit", "units"),
    "baseline": ("baseline", "baseline value", "starting point", "current"),
    "target": ("target", "target value", "goal value"),
    "year": ("year", "target year", "by", "school year", "target date"),
}
REQUIRED = ("goal", "measure", "baseline", "target", "year")


@dataclass
class GoalRow(PreviewRow):
    line: int
    goal_title: str = ""
    goal: Goal | None = None
    measure_name: str = ""
    unit: str = ""
    baseline: Decimal | None = None
    target: Decimal | None = None
    target_date: object = None
    action: str = "create"
    errors: list = field(default_factory=list)

    @property
    def direction(self):
        return Measure.Direction.UP if self.target > self.baseline else Measure.Direction.DOWN


@dataclass
class GoalsImport:
    plan: object
    rows: list

    @property
    def counts(self):
        counts = {"create": 0, "update": 0, "unchanged": 0, "reject": 0}
        for row in self.rows:
            counts[row.action] += 1
        return counts

    @property
    def has_changes(self):
        return any(row.action == "create" for row in self.rows)

    @property
    def new_goals(self):
        names = []
        for row in self.rows:
            if row.action == "create" and row.goal is None and row.goal_title not in names:
                names.append(row.goal_title)
        return names


def table_text(lines):
    """The first table of a document whose headings name a goal, as tab-separated text: what the
    confirm carries, so a Word table and a pasted one are read by one parser."""
    table, found = [], None
    for line in lines:
        if line.kind != ROW:
            if table:
                break
            continue
        if found is None:
            if "goal" not in _roles(line.cells):
                continue
            found = line.table
        if line.table != found:
            break
        table.append("\t".join(cell.replace("\t", " ") for cell in line.cells))
    if not table:
        raise ImportFileError(
            gettext("No table with a Goal column was found; its first row names the columns.")
        )
    return "\n".join(table)


def _roles(cells):
    roles = {}
    for index, cell in enumerate(cells):
        key = heading_key(cell)
        for role, names in _COLUMNS.items():
            if role not in roles and key in names:
                roles[role] = index
    return roles


def _cells(text):
    rows = [line for line in lines_from_text(text) if line.kind == ROW]
    if not rows:
        raise ImportFileError(
            gettext("Separate the columns with tabs or | (a table copied from Word or a sheet).")
        )
    if len(rows) > MAX_ROWS + 1:
        raise ImportFileError(
            gettext("Import at most %(count)s rows at a time.") % {"count": MAX_ROWS}
        )
    roles = _roles(rows[0].cells)
    missing = [name for name in REQUIRED if name not in roles]
    if missing:
        raise ImportFileError(
            gettext("The first row must name the columns %(columns)s; missing: %(missing)s.")
            % {"columns": ", ".join(REQUIRED), "missing": ", ".join(missing)}
        )
    for row in rows[1:]:
        cells = {name: _cell(row.cells, index) for name, index in roles.items()}
        yield row.number, cells


def _cell(cells, index):
    return cells[index].strip() if index < len(cells) else ""


def plan_goals_import(plan, text):
    goals = {heading_key(goal.title): goal for goal in plan.goals.all()}
    existing = {
        (measure.goal_id, heading_key(measure.name))
        for measure in Measure.objects.filter(goal__plan=plan)
    }
    seen = set()
    rows = []
    for number, cells in _cells(text):
        row = _read_row(plan, number, cells, goals)
        key = (
            row.goal.pk if row.goal else heading_key(row.goal_title),
            heading_key(row.measure_name),
        )
        if not row.rejected and key in existing:
            row.action = "unchanged"
        elif not row.rejected and key in seen:
            row.reject(gettext("This goal already has this measure in an earlier row."))
        seen.add(key)
        rows.append(row)
    if not rows:
        raise ImportFileError(gettext("The table has headings and no rows."))
    return GoalsImport(plan=plan, rows=rows)


def _read_row(plan, number, cells, goals):
    row = GoalRow(line=number, goal_title=" ".join(cells["goal"].split())[:300])
    row.measure_name = " ".join(cells["measure"].split())[:300]
    row.goal = goals.get(heading_key(row.goal_title))
    if not row.goal_title:
        row.reject(gettext("Name the goal."))
    if not row.measure_name:
        row.reject(gettext("Name the measure."))
    row.baseline = _number(row, cells["baseline"], gettext("Baseline"))
    row.target = _number(row, cells["target"], gettext("Target"))
    row.unit = _unit(cells)
    if not row.unit:
        row.reject(gettext("Say the unit: a Unit column, or % after the numbers."))
    if row.baseline is not None and row.target is not None and row.baseline == row.target:
        row.reject(gettext("The target is the baseline: say where the measure should go."))
    row.target_date = _target_date(row, plan, cells["year"])
    return row


def _number(row, text, label):
    if not text:
        row.reject(gettext("%(column)s is empty.") % {"column": label})
        return None
    try:
        return read_number(text)
    except CellError as exc:
        row.reject(gettext("%(column)s: %(problem)s") % {"column": label, "problem": exc})
        return None


def _unit(cells):
    unit = " ".join(cells.get("unit", "").split())[:40]
    if unit:
        return unit
    if cells["baseline"].endswith("%") or cells["target"].endswith("%"):
        return "%"
    return ""


def _target_date(row, plan, text):
    """The last day of the school year the target is for, within the plan's years give or take
    two, as a measure of a goal must be."""
    try:
        day = read_school_year(text)
    except ValueError:
        row.reject(gettext("Year “%(year)s” is not a school year like 2027-28.") % {"year": text})
        return None
    first = shift_years(plan.first_day, -Measure.TARGET_MARGIN_YEARS)
    last = shift_years(plan.last_day, Measure.TARGET_MARGIN_YEARS)
    if not (first <= day <= last) or day <= plan.first_day:
        row.reject(
            gettext("Choose a target year within the plan's school years: %(first)s to %(last)s.")
            % {
                "first": formats.date_format(plan.first_day, "SHORT_DATE_FORMAT"),
                "last": formats.date_format(last, "SHORT_DATE_FORMAT"),
            }
        )
        return None
    return day
