"""Results by campus and student group from a state-shaped CSV, in long format: one row per
campus, group, measure and school year (*Campus, Student group, Measure, Year, Value,
Students*). Nothing here writes: `plan_results_import` says, row by row, whether confirming
would add, change, leave alone or reject the result, and why; `services.measure_results_apply`
writes exactly that.
"""

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext

from core.csv_import import (
    CellError,
    ImportFileError,
    PreviewRow,
    clean_cell,
    heading_key,
    read_date,
    read_number,
    read_table,
)
from core.models import MAX_ENROLLMENT, Campus
from core.numbers import whole_number
from district_plan.measure_csv import ValuesPlan
from district_plan.models import Measure, MeasureResult, StudentGroup

MAX_ROWS = 50_000

# English as states write them, and the Spanish headings the Spanish page names.
HEADER_ALIASES = {
    "campus": {
        "campus",
        "campus name",
        "school",
        "school name",
        "site",
        "campus id",
        "school id",
        "escuela",
        "plantel",
    },
    "group": {
        "student group",
        "group",
        "subgroup",
        "student subgroup",
        "population",
        "grupo de estudiantes",
        "grupo",
    },
    "measure": {"measure", "indicator", "measure name", "indicator name", "metric", "indicador"},
    "year": {"year", "school year", "date", "as of", "academic year", "año escolar", "año"},
    "value": {"value", "result", "rate", "percent", "score", "valor", "resultado"},
    "students": {
        "students",
        "count",
        "n",
        "student count",
        "denominator",
        "students tested",
        "estudiantes",
    },
}
REQUIRED = ("campus", "group", "measure", "year", "value")
_HEADER_LOOKUP = {heading_key(a): key for key, aliases in HEADER_ALIASES.items() for a in aliases}

# A campus cell that means the district as a whole.
DISTRICT_WORDS = {
    heading_key(w)
    for w in ("district", "district-wide", "all campuses", "all", "distrito", "todo el distrito")
}
_SCHOOL_YEAR = re.compile(r"^(\d{4})\s*[-–/]\s*(\d{2}|\d{4})$")


@dataclass
class ResultRow(PreviewRow):
    line: int
    campus: Campus | None = None
    campus_label: str = ""
    group: StudentGroup | None = None
    group_name: str = ""
    measure: Measure | None = None
    observed_on: datetime.date | None = None
    value: Decimal | None = None
    students: int | None = None
    old: Decimal | None = None
    action: str = "create"
    errors: list = field(default_factory=list)


@dataclass
class ResultsPlan(ValuesPlan):
    """The measure values import's plan, with the student groups confirming would add."""

    new_groups: list = field(default_factory=list)


def read_school_year(text):
    """The date a school year's result stands for, its last day of June: "2025-26",
    "2025-2026" and "2026" (the year it ends) or a date as read_date reads it. ValueError else."""
    text = text.strip()
    match = _SCHOOL_YEAR.match(text)
    if match:
        start, end = int(match[1]), int(match[2])
        end = end if end > 99 else start // 100 * 100 + end
        if end != start + 1:
            raise ValueError(text)
        return datetime.date(end, 6, 30)
    if len(text) == 4 and whole_number(text) is not None:
        return datetime.date(int(text), 6, 30)
    return read_date(text)


def _map_headers(header):
    columns = {}
    for index, title in enumerate(header):
        key = _HEADER_LOOKUP.get(heading_key(title))
        if key and key not in columns:
            columns[key] = index
    missing = [key for key in REQUIRED if key not in columns]
    if missing:
        raise ImportFileError(
            gettext(
                "The first row must name the columns Campus, Student group, Measure, Year and "
                "Value (Students is optional); none was found for: %(missing)s."
            )
            % {"missing": ", ".join(missing)}
        )
    return columns


def plan_results_import(district, text, today=None):
    """What importing `text` into `district` would do, row by row. Raises ImportFileError."""
    today = today or timezone.localdate()
    table = read_table(text)
    (_, header), body = table[0], table[1:]
    columns = _map_headers(header)
    if len(body) > MAX_ROWS:
        raise ImportFileError(
            gettext("The file has %(rows)s rows; at most %(limit)s are accepted.")
            % {"rows": len(body), "limit": MAX_ROWS}
        )
    campuses = {}
    for campus in Campus.objects.filter(district=district):
        for key in (campus.name, campus.state_school_id, campus.nces_id):
            if key:
                campuses.setdefault(heading_key(key), campus)
    measures = {}
    for measure in Measure.objects.filter(district=district):
        measures.setdefault(heading_key(measure.name), measure)
        measures[str(measure.pk)] = measure
    groups = {heading_key(g.name): g for g in StudentGroup.objects.filter(district=district)}
    existing = {
        (r.measure_id, r.campus_id, r.group_id, r.observed_on): (r.value, r.students)
        for r in MeasureResult.objects.filter(district=district)
    }
    new_groups, rows, seen = {}, [], {}

    def cell(cells, key):
        index = columns.get(key)
        return clean_cell(cells[index]) if index is not None and index < len(cells) else ""

    for line, cells in body:
        row = ResultRow(line=line)
        rows.append(row)
        row.campus_label = cell(cells, "campus")[:200]
        if heading_key(row.campus_label) in DISTRICT_WORDS:
            row.campus_label = ""
        elif not row.campus_label:
            row.reject(gettext("The campus is empty; write District for a district-wide result."))
        else:
            row.campus = campuses.get(heading_key(row.campus_label))
            if row.campus is None:
                row.reject(
                    gettext("No campus named or numbered “%(campus)s” in this district.")
                    % {"campus": row.campus_label[:60]}
                )
        row.group_name = cell(cells, "group")[:100]
        if not row.group_name:
            row.reject(gettext("The student group is empty."))
        else:
            row.group = groups.get(heading_key(row.group_name))
            if row.group is None:
                new_groups.setdefault(heading_key(row.group_name), row.group_name)
        raw_measure = cell(cells, "measure")
        row.measure = measures.get(heading_key(raw_measure)) or measures.get(raw_measure)
        if row.measure is None:
            row.reject(
                gettext("No measure named “%(measure)s” in this district.")
                % {"measure": raw_measure[:80]}
            )
        raw_year = cell(cells, "year")
        try:
            row.observed_on = read_school_year(raw_year)
        except ValueError:
            row.reject(
                gettext("Year “%(year)s” is not a school year like 2025-26 or a date.")
                % {"year": raw_year[:20]}
            )
        else:
            if row.observed_on > today + datetime.timedelta(days=366):
                row.reject(gettext("A result cannot be for a school year that has not begun."))
            elif row.observed_on.year < today.year - 30:
                row.reject(gettext("A result more than thirty years old is a typing slip."))
        try:
            row.value = read_number(cell(cells, "value"))
        except CellError as exc:
            row.reject(str(exc))
        raw_students = cell(cells, "students").replace(",", "")
        if raw_students:
            row.students = whole_number(raw_students)
            if row.students is None or row.students > MAX_ENROLLMENT:
                row.reject(
                    gettext("Students “%(count)s” must be a whole number up to %(max)s.")
                    % {"count": raw_students[:20], "max": MAX_ENROLLMENT}
                )
        if row.rejected:
            continue
        group_key = row.group.pk if row.group else heading_key(row.group_name)
        key = (row.measure.pk, row.campus.pk if row.campus else None, group_key, row.observed_on)
        if key in seen:
            row.reject(
                gettext(
                    "Row %(row)s of this file has a result for the same campus, group, "
                    "measure and year."
                )
                % {"row": seen[key]}
            )
            continue
        seen[key] = line
        stored = existing.get(key) if row.group else None
        if stored is None:
            row.action = "create"
        else:
            row.old = stored[0]
            row.action = "unchanged" if stored == (row.value, row.students) else "update"
    return ResultsPlan(rows=rows, new_groups=sorted(new_groups.values(), key=str.lower))
