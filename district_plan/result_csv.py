"""Results by campus and student group from a state-shaped CSV. Nothing here writes:
`plan_results_import` says, row by row, whether confirming would add, change, leave alone or
reject each result and student count, and why; `services.measure_results_apply` writes exactly
that.

Two shapes are read, told apart by their headings. The long format has one row per campus,
group, measure and school year (*Campus, Student group, Measure, Year, Value, Students*). The
wide format, as most states publish, has one row per campus and a column per measure and group
("Grade 3 reading - Hispanic"), and optionally a count column per group ("Hispanic -
students"), which fills the campus's student counts (GroupEnrollment) and is the count its
results are for. A wide column is read as the district mapped its heading before
(ResultColumnMapping), else as its heading names a measure and a group, else as the person
maps it on the preview.
"""

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext

from core.csv_import import (
    SUPPRESSED,
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
from district_plan.models import (
    DEFAULT_STUDENT_GROUPS,
    GroupEnrollment,
    Measure,
    MeasureResult,
    ResultColumnMapping,
    StudentGroup,
)

MAX_ROWS = 50_000
# A wide file: one row a campus, as the campus import accepts, and a column per measure and group.
MAX_CAMPUS_ROWS = 5000
MAX_COLUMNS = 400

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
# Words after a group's name in the heading of its count column: "Hispanic - students".
COUNT_WORDS = {
    heading_key(w)
    for w in (
        "students",
        "student count",
        "count",
        "number of students",
        "n",
        "enrollment",
        "enrolled",
        "estudiantes",
        "número de estudiantes",
        "matrícula",
    )
}
# What parts a wide heading into measure and group, or group and count: a spaced dash, a colon,
# a bar or an opening parenthesis ("Hispanic (n)").
_PART = re.compile(r"\s+[-–—]+\s+|\s*[:|]\s*|\s*\(")
ALL_STUDENTS = heading_key(DEFAULT_STUDENT_GROUPS[0])
_SCHOOL_YEAR = re.compile(r"^(\d{4})\s*[-–/]\s*(\d{2}|\d{4})$")


# What a wide file's column holds; "unmapped" is a column nobody has said anything about yet,
# not imported, and asked about on the preview.
RESULT, STUDENTS, IGNORE, UNMAPPED = "result", "students", "ignore", "unmapped"


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
class EnrollmentRow(PreviewRow):
    """A campus's count of students in one group for one school year (a wide file's count
    column)."""

    line: int
    campus: Campus | None = None
    campus_label: str = ""
    group: StudentGroup | None = None
    group_name: str = ""
    school_year: int | None = None
    students: int | None = None
    old: int | None = None
    action: str = "create"
    errors: list = field(default_factory=list)

    @property
    def school_year_label(self):
        return f"{self.school_year}–{(self.school_year + 1) % 100:02d}"


@dataclass
class ResultColumn:
    """A column of a wide file and what it holds, with where that was read from (`source`:
    "saved" mapping, the "heading", the person's "chosen" mapping; "" when unmapped)."""

    index: int
    heading: str
    kind: str = UNMAPPED
    measure: Measure | None = None
    group: StudentGroup | None = None
    group_name: str = ""
    source: str = ""
    problem: str = ""

    @property
    def key(self):
        return heading_key(self.heading)

    @property
    def group_key(self):
        return heading_key(self.group.name if self.group else self.group_name)

    @property
    def imported(self):
        return self.kind in (RESULT, STUDENTS)

    @property
    def new_group(self):
        return self.imported and self.group is None

    def choice(self):
        """The mapping as the preview's form and the confirm carry it."""
        return {
            "kind": self.kind,
            "measure": self.measure.pk if self.measure else None,
            "group": self.group.name if self.group else self.group_name,
        }


@dataclass
class ResultsPlan(ValuesPlan):
    """The measure values import's plan, with the student groups confirming would add and, for
    a wide file, its columns and the student counts it holds."""

    new_groups: list = field(default_factory=list)
    shape: str = "long"
    columns: list = field(default_factory=list)
    enrollments: list = field(default_factory=list)

    @property
    def enrollment_counts(self):
        return {
            a: sum(1 for r in self.enrollments if r.action == a)
            for a in ("create", "update", "unchanged", "reject")
        }

    @property
    def has_changes(self):
        return super().has_changes or any(
            r.action in ("create", "update") for r in self.enrollments
        )

    @property
    def unmapped(self):
        return [c for c in self.columns if c.kind == UNMAPPED]


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


def school_year_problem(day, today):
    """Why a result cannot be for `day`, or None."""
    if day > today + datetime.timedelta(days=366):
        return gettext("A result cannot be for a school year that has not begun.")
    if day.year < today.year - 30:
        return gettext("A result more than thirty years old is a typing slip.")
    return None


def school_year_of(day):
    """The year the school year holding `day` starts: a school year runs July to June."""
    return day.year if day.month >= 7 else day.year - 1


def _read_students(raw):
    """A count of students, or CellError saying why it is not one."""
    text = raw.replace(",", "")
    if SUPPRESSED.match(text.strip()):
        raise CellError(
            gettext("“%(value)s” stands for a suppressed value; it is not imported.")
            % {"value": raw[:20]}
        )
    students = whole_number(text)
    if students is None or students > MAX_ENROLLMENT:
        raise CellError(
            gettext("Students “%(count)s” must be a whole number up to %(max)s.")
            % {"count": raw[:20], "max": MAX_ENROLLMENT}
        )
    return students


class _Lookups:
    """The district's campuses, measures, groups and what is stored, read once per file."""

    def __init__(self, district, today):
        self.district, self.today = district, today
        self.campuses = {}
        for campus in Campus.objects.filter(district=district):
            for key in (campus.name, campus.state_school_id, campus.nces_id):
                if key:
                    self.campuses.setdefault(heading_key(key), campus)
        self.measures, self.measures_by_pk = {}, {}
        for measure in Measure.objects.filter(district=district):
            self.measures.setdefault(heading_key(measure.name), measure)
            self.measures_by_pk[measure.pk] = measure
        self.groups = {
            heading_key(g.name): g for g in StudentGroup.objects.filter(district=district)
        }
        self.results = {
            (r.measure_id, r.campus_id, r.group_id, r.observed_on): (r.value, r.students)
            for r in MeasureResult.objects.filter(district=district)
        }
        self.new_groups = {}
        self.seen = {}

    def measure(self, text):
        return self.measures.get(heading_key(text)) or self.measures_by_pk.get(whole_number(text))

    def read_campus(self, row, label):
        row.campus_label = label[:200]
        if heading_key(row.campus_label) in DISTRICT_WORDS:
            row.campus_label = ""
        elif not row.campus_label:
            row.reject(gettext("The campus is empty; write District for a district-wide result."))
        else:
            row.campus = self.campuses.get(heading_key(row.campus_label))
            if row.campus is None:
                row.reject(
                    gettext("No campus named or numbered “%(campus)s” in this district.")
                    % {"campus": row.campus_label[:60]}
                )

    def read_year(self, row, raw, default):
        if not raw and default is not None:
            row.observed_on = default
            return
        try:
            row.observed_on = read_school_year(raw)
        except ValueError:
            row.reject(
                gettext("Year “%(year)s” is not a school year like 2025-26 or a date.")
                % {"year": raw[:20]}
            )
        else:
            if problem := school_year_problem(row.observed_on, self.today):
                row.reject(problem)

    def finish_result(self, row):
        """Refuses a second result for the same thing in the file, else says whether the row
        adds, changes or repeats what is stored."""
        if row.rejected:
            return
        group_key = row.group.pk if row.group else heading_key(row.group_name)
        key = (row.measure.pk, row.campus.pk if row.campus else None, group_key, row.observed_on)
        if key in self.seen:
            row.reject(
                gettext(
                    "Row %(row)s of this file has a result for the same campus, group, "
                    "measure and year."
                )
                % {"row": self.seen[key]}
            )
            return
        self.seen[key] = row.line
        stored = self.results.get(key) if row.group else None
        if stored is None:
            row.action = "create"
        else:
            row.old = stored[0]
            row.action = "unchanged" if stored == (row.value, row.students) else "update"


def _map_headers(header):
    columns = {}
    for index, title in enumerate(header):
        key = _HEADER_LOOKUP.get(heading_key(title))
        if key and key not in columns:
            columns[key] = index
    return columns


def _missing_long(columns, *, year_given):
    required = [k for k in REQUIRED if not (k == "year" and year_given)]
    missing = [key for key in required if key not in columns]
    if missing:
        raise ImportFileError(
            gettext(
                "The first row must name the columns Campus, Student group, Measure, Year and "
                "Value (Students is optional), or Campus and a column per measure and student "
                "group; none was found for: %(missing)s."
            )
            % {"missing": ", ".join(missing)}
        )


def plan_results_import(district, text, *, year=None, columns=None, today=None):
    """What importing `text` into `district` would do, row by row. `year` is the date the
    results stand for when the file has no Year column; `columns` maps a wide file's columns
    as the person chose on the preview ({column index: ResultColumn.choice()}), over what was
    saved and what the headings say. Raises ImportFileError."""
    today = today or timezone.localdate()
    table = read_table(text)
    (_, header), body = table[0], table[1:]
    found = _map_headers(header)
    lookups = _Lookups(district, today)
    if "campus" in found and "group" not in found and "measure" not in found:
        plan = _plan_wide(lookups, header, body, found, year=year, chosen=columns or {})
    else:
        _missing_long(found, year_given=year is not None)
        plan = _plan_long(lookups, body, found, year=year)
    plan.new_groups = sorted(lookups.new_groups.values(), key=str.lower)
    return plan


def _cell(cells, index):
    return clean_cell(cells[index]) if index is not None and index < len(cells) else ""


def _plan_long(lookups, body, columns, *, year):
    if len(body) > MAX_ROWS:
        raise ImportFileError(
            gettext("The file has %(rows)s rows; at most %(limit)s are accepted.")
            % {"rows": len(body), "limit": MAX_ROWS}
        )
    rows = []
    for line, cells in body:
        row = ResultRow(line=line)
        rows.append(row)
        lookups.read_campus(row, _cell(cells, columns["campus"]))
        row.group_name = _cell(cells, columns["group"])[:100]
        if not row.group_name:
            row.reject(gettext("The student group is empty."))
        else:
            row.group = lookups.groups.get(heading_key(row.group_name))
            if row.group is None:
                lookups.new_groups.setdefault(heading_key(row.group_name), row.group_name)
        raw_measure = _cell(cells, columns["measure"])
        row.measure = lookups.measure(raw_measure)
        if row.measure is None:
            row.reject(
                gettext("No measure named “%(measure)s” in this district.")
                % {"measure": raw_measure[:80]}
            )
        lookups.read_year(row, _cell(cells, columns.get("year")), year)
        try:
            row.value = read_number(_cell(cells, columns["value"]))
        except CellError as exc:
            row.reject(str(exc))
        raw_students = _cell(cells, columns.get("students"))
        if raw_students:
            try:
                row.students = _read_students(raw_students)
            except CellError as exc:
                row.reject(str(exc))
        lookups.finish_result(row)
    return ResultsPlan(rows=rows)


def _set_group(column, name, lookups):
    column.group = lookups.groups.get(heading_key(name))
    column.group_name = column.group.name if column.group else name.strip()[:100]


def _read_heading(column, lookups):
    """A column whose heading names a measure and a group ("Grade 3 reading - Hispanic"), or
    a group and a count ("Hispanic - students"); a group not yet the district's is named."""
    parts = [
        (
            column.heading[: match.start()].strip(),
            column.heading[match.end() :].strip().rstrip(")").strip(),
        )
        for match in _PART.finditer(column.heading)
    ]
    parts = [(left, right) for left, right in parts if heading_key(left) and heading_key(right)]
    if parts and heading_key(parts[-1][1]) in COUNT_WORDS:
        # "Grade 3 reading - Hispanic - students" counts those a result is for, not the
        # group at the campus: left for the person to say.
        if len(parts) > 1 and heading_key(parts[0][0]) in lookups.measures:
            return
        column.kind, column.source = STUDENTS, "heading"
        _set_group(column, parts[-1][0], lookups)
        return
    for left, right in parts:
        measure = lookups.measures.get(heading_key(left))
        if measure is not None:
            column.kind, column.measure, column.source = RESULT, measure, "heading"
            _set_group(column, right, lookups)
            return
    # Without a mark between them, only a measure and a group the district has.
    for key, group in lookups.groups.items():
        if column.key.endswith(" " + key):
            measure = lookups.measures.get(column.key[: -len(key) - 1])
            if measure is not None:
                column.kind, column.measure, column.group = RESULT, measure, group
                column.group_name, column.source = group.name, "heading"
                return


def _apply_choice(column, choice, lookups):
    kind = choice.get("kind")
    column.source = "chosen"
    if kind in (IGNORE, UNMAPPED):
        column.kind = kind
        return
    if kind == RESULT:
        column.measure = lookups.measures_by_pk.get(choice.get("measure"))
        if column.measure is None:
            column.problem = gettext(
                "The measure chosen for this column is no longer in the plan; choose again."
            )
            return
    _set_group(column, choice.get("group") or "", lookups)
    if not column.group_name:
        column.problem = gettext("Choose the student group this column is for.")
        return
    column.kind = kind


def _wide_columns(lookups, header, found, chosen):
    if len(header) > MAX_COLUMNS:
        raise ImportFileError(
            gettext("The file has %(columns)s columns; at most %(limit)s are accepted.")
            % {"columns": len(header), "limit": MAX_COLUMNS}
        )
    saved = {
        m.key: m
        for m in ResultColumnMapping.objects.filter(district=lookups.district).select_related(
            "measure", "group"
        )
    }
    columns, taken = [], {}
    for index, title in enumerate(header):
        column = ResultColumn(index=index, heading=clean_cell(title)[:300])
        if index in (found["campus"], found.get("year")) or not column.key:
            continue
        columns.append(column)
        mapping = saved.get(column.key)
        if str(index) in chosen:
            _apply_choice(column, chosen[str(index)], lookups)
        elif mapping is not None:
            column.kind, column.source = mapping.kind, "saved"
            column.measure, column.group = mapping.measure, mapping.group
            column.group_name = mapping.group.name if mapping.group else ""
        else:
            _read_heading(column, lookups)
        if not column.imported:
            continue
        target = (column.kind, column.measure and column.measure.pk, column.group_key)
        if target in taken:
            column.problem = gettext(
                "Column “%(other)s” already holds this; this one is not imported."
            ) % {"other": taken[target].heading[:80]}
            column.kind, column.source = UNMAPPED, ""
            continue
        taken[target] = column
        if column.new_group:
            lookups.new_groups.setdefault(column.group_key, column.group_name)
    return columns


def _plan_wide(lookups, header, body, found, *, year, chosen):
    if "year" not in found and year is None:
        raise ImportFileError(
            gettext(
                "This file has a column per measure and student group but no Year column: "
                "choose the school year its results are for."
            ),
            "year",
        )
    columns = _wide_columns(lookups, header, found, chosen)
    results = [c for c in columns if c.kind == RESULT]
    counts = [c for c in columns if c.kind == STUDENTS]
    if len(body) > MAX_CAMPUS_ROWS or len(body) * len(results) > MAX_ROWS:
        raise ImportFileError(
            gettext(
                "The file has %(rows)s campuses and %(columns)s result columns; at most "
                "%(campuses)s campuses and %(limit)s results are accepted."
            )
            % {
                "rows": len(body),
                "columns": len(results),
                "campuses": MAX_CAMPUS_ROWS,
                "limit": MAX_ROWS,
            }
        )
    stored = {
        (e.campus_id, e.group_id, e.school_year): e.students
        for e in GroupEnrollment.objects.filter(district=lookups.district)
    }
    rows, enrollments, seen = [], [], {}
    for line, cells in body:
        place = ResultRow(line=line)
        lookups.read_campus(place, _cell(cells, found["campus"]))
        lookups.read_year(place, _cell(cells, found.get("year")), year)
        students = {}
        for column in counts:
            raw = _cell(cells, column.index)
            if not raw:
                continue
            entry = EnrollmentRow(
                line=line,
                campus=place.campus,
                campus_label=place.campus_label,
                group=column.group,
                group_name=column.group_name,
                errors=list(place.errors),
                action=place.action,
            )
            if place.observed_on:
                entry.school_year = school_year_of(place.observed_on)
            try:
                entry.students = _read_students(raw)
            except CellError as exc:
                entry.reject(str(exc))
            else:
                students[column.group_key] = entry.students
            # The district's own row counts its results' students; a campus's is its make-up.
            if place.campus is None and not place.rejected:
                continue
            enrollments.append(entry)
            if entry.rejected:
                continue
            group_key = column.group.pk if column.group else column.group_key
            key = (entry.campus.pk, group_key, entry.school_year)
            if key in seen:
                entry.reject(
                    gettext(
                        "Row %(row)s of this file has a count for the same campus, group and year."
                    )
                    % {"row": seen[key]}
                )
                continue
            seen[key] = line
            entry.old = stored.get(key) if column.group else None
            if entry.old is None:
                entry.action = "create"
            else:
                entry.action = "unchanged" if entry.old == entry.students else "update"
        for column in results:
            raw = _cell(cells, column.index)
            if not raw:
                continue
            row = ResultRow(
                line=line,
                campus=place.campus,
                campus_label=place.campus_label,
                group=column.group,
                group_name=column.group_name,
                measure=column.measure,
                observed_on=place.observed_on,
                students=students.get(column.group_key),
                errors=list(place.errors),
                action=place.action,
            )
            rows.append(row)
            try:
                row.value = read_number(raw)
            except CellError as exc:
                row.reject(str(exc))
            lookups.finish_result(row)
    return ResultsPlan(rows=rows, shape="wide", columns=columns, enrollments=enrollments)
