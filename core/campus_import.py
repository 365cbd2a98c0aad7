"""Reading a district's campus CSV into a preview of what importing it would do.

Nothing here writes: `plan_campus_import` compares the file with the campuses already stored
and says, row by row, whether it would create, update, leave unchanged or reject the campus,
and why. `core.services.campus_import_apply` writes exactly that plan.
"""

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext, gettext_lazy

from core.csv_import import (
    ImportFileError,
    PreviewRow,
    clean_cell,
    heading_key,
    read_table,
)
from core.models import MAX_ENROLLMENT, Campus
from core.numbers import whole_number

MAX_ROWS = 5000

FIELD_LABELS = {
    "name": gettext_lazy("Name"),
    "level": gettext_lazy("Level"),
    "grade_span": gettext_lazy("Grade span"),
    "region": gettext_lazy("Region"),
    "cohort": gettext_lazy("Cohort"),
    "state_school_id": gettext_lazy("State school id"),
    "nces_id": gettext_lazy("NCES id"),
    "principal": gettext_lazy("Principal"),
    "enrollment": gettext_lazy("Enrollment"),
}

HEADER_ALIASES = {
    "name": {"name", "campus", "campus name", "school", "school name", "site", "site name"},
    "level": {"level", "school level", "campus level", "type", "school type", "campus type"},
    "grade_span": {
        "grade span",
        "gradespan",
        "grades",
        "grade range",
        "grade levels",
        "grade band",
        "grades served",
        "span",
    },
    "region": {
        "region",
        "area",
        "zone",
        "feeder",
        "feeder pattern",
        "division",
        "network",
        "learning community",
    },
    "cohort": {"cohort", "visit cohort"},
    "state_school_id": {
        "state id",
        "state school id",
        "state campus id",
        "campus id",
        "campus number",
        "school id",
        "school number",
        "tea id",
        "cds code",
    },
    "nces_id": {
        "nces",
        "nces id",
        "ncessch",
        "nces school id",
        "nces school number",
        "nces number",
    },
    "principal": {"principal", "principal name", "school leader", "campus leader"},
    "enrollment": {
        "enrollment",
        "total enrollment",
        "students",
        "student count",
        "total students",
        "membership",
    },
}

LEVEL_ALIASES = {
    Campus.Level.EARLY_CHILDHOOD: {
        "early childhood",
        "early childhood center",
        "ec",
        "ece",
        "pre k",
        "prek",
        "pre kindergarten",
    },
    Campus.Level.ELEMENTARY: {"elementary", "elementary school", "elem", "es", "primary"},
    Campus.Level.MIDDLE: {"middle", "middle school", "ms", "junior high", "junior high school"},
    Campus.Level.HIGH: {"high", "high school", "hs", "senior high", "secondary"},
    Campus.Level.COMBINED: {"combined", "k 8", "k8", "pk 8", "k 12", "k12", "pk 12"},
    Campus.Level.ALTERNATIVE: {"alternative", "alternative school", "alt"},
}

GRADES = ["PK", "K"] + [str(n) for n in range(1, 13)]
_GRADE_NAMES = (
    {"PK": "PK", "PREK": "PK", "EE": "PK", "K": "K", "KG": "K"}
    | {str(n): str(n) for n in range(1, 13)}
    | {f"{n:02d}": str(n) for n in range(1, 13)}
)
_SPAN = re.compile(r"^\s*([A-Z0-9]+)\s*(?:-|–|—|TO|THROUGH)\s*([A-Z0-9]+)\s*$")


_HEADER_LOOKUP = {heading_key(a): key for key, aliases in HEADER_ALIASES.items() for a in aliases}
_LEVEL_LOOKUP = (
    {heading_key(a): level for level, aliases in LEVEL_ALIASES.items() for a in aliases}
    | {heading_key(level.label): level for level in Campus.Level}
    | {heading_key(level.value): level for level in Campus.Level}
)


@dataclass
class PlannedRow(PreviewRow):
    line: int
    values: dict
    action: str = "create"
    campus: Campus | None = None
    changes: list = field(default_factory=list)
    errors: list = field(default_factory=list)


@dataclass
class ImportPlan:
    rows: list
    columns: dict
    ignored_columns: list

    def count(self, action):
        return sum(1 for row in self.rows if row.action == action)

    @property
    def counts(self):
        return {a: self.count(a) for a in ("create", "update", "unchanged", "reject")}

    @property
    def has_changes(self):
        return any(row.action in ("create", "update") for row in self.rows)


def _map_headers(header):
    columns, ignored = {}, []
    for index, title in enumerate(header):
        key = _HEADER_LOOKUP.get(heading_key(title))
        if key and key not in columns:
            columns[key] = index
        elif title.strip():
            ignored.append(title.strip())
    missing = [FIELD_LABELS[k] for k in ("name", "level") if k not in columns]
    if missing:
        raise ImportFileError(
            gettext(
                "The first row must name the columns; no column was recognised for "
                "%(missing)s. Accepted headings include: Campus name, Level, Grade span, "
                "Region, State school id, NCES id."
            )
            % {"missing": gettext(" and ").join(str(label) for label in missing)}
        )
    return columns, ignored


def normalise_grade_span(raw):
    """'pk - 5' -> 'PK-5'; a single grade stays single. None when it is not a grade span."""
    text = raw.strip().upper().replace("PRE-K", "PK").replace("PRE K", "PK")
    if not text:
        return ""
    match = _SPAN.match(text)
    parts = match.groups() if match else (text, text)
    grades = [_GRADE_NAMES.get(p.strip()) for p in parts]
    if None in grades or GRADES.index(grades[0]) > GRADES.index(grades[1]):
        return None
    return grades[0] if grades[0] == grades[1] else f"{grades[0]}-{grades[1]}"


def _row_values(cells, columns):
    values, errors = {}, []
    for key, index in columns.items():
        raw = cells[index] if index < len(cells) else ""
        values[key] = clean_cell(raw).lstrip("'")

    if not values["name"]:
        errors.append(gettext("The campus name is empty."))
    elif len(values["name"]) > 200:
        errors.append(gettext("The campus name is longer than 200 characters."))

    level = _LEVEL_LOOKUP.get(heading_key(values["level"]))
    if level is None:
        accepted = ", ".join(level.label.lower() for level in Campus.Level)
        shown = values["level"][:40] or gettext("(empty)")
        errors.append(
            gettext("Level “%(level)s” is not one of: %(accepted)s.")
            % {"level": shown, "accepted": accepted}
        )
    else:
        values["level"] = level.value

    if "grade_span" in values:
        span = normalise_grade_span(values["grade_span"])
        if span is None:
            errors.append(
                gettext("Grade span “%(span)s” is not like PK-5, K-8 or 9-12.")
                % {"span": values["grade_span"][:20]}
            )
        else:
            values["grade_span"] = span

    for key, limit in (("region", 100), ("cohort", 100), ("state_school_id", 30)):
        if len(values.get(key, "")) > limit:
            errors.append(
                gettext("%(field)s is longer than %(limit)s characters.")
                % {"field": FIELD_LABELS[key], "limit": limit}
            )
    if len(values.get("principal", "")) > 200:
        errors.append(
            gettext("%(field)s is longer than %(limit)s characters.")
            % {"field": FIELD_LABELS["principal"], "limit": 200}
        )
    if "enrollment" in values:
        raw = values["enrollment"].replace(",", "")
        enrollment = whole_number(raw) if raw else None
        if raw and (enrollment is None or not 0 <= enrollment <= MAX_ENROLLMENT):
            errors.append(
                gettext("Enrollment “%(value)s” must be a whole number of students up to %(max)s.")
                % {"value": values["enrollment"][:20], "max": MAX_ENROLLMENT}
            )
        values["enrollment"] = enrollment
    nces = values.get("nces_id", "")
    if nces and not (whole_number(nces) is not None and len(nces) <= 12):
        errors.append(gettext("NCES id “%(id)s” must be up to 12 digits.") % {"id": nces[:20]})
    return values, errors


def _shown(key, value):
    if key == "level" and value:
        return Campus.Level(value).label
    return value


def plan_campus_import(district, text):
    """What importing `text` into `district` would do, row by row. Raises ImportFileError."""
    table = read_table(text)
    (_, header), body = table[0], table[1:]
    columns, ignored = _map_headers(header)
    if len(body) > MAX_ROWS:
        raise ImportFileError(
            gettext("The file has %(rows)s rows; at most %(limit)s are accepted.")
            % {"rows": len(body), "limit": MAX_ROWS}
        )

    existing = list(Campus.objects.filter(district=district))
    by_name = {c.name.lower(): c for c in existing}
    by_state = {c.state_school_id: c for c in existing if c.state_school_id}
    by_nces = {c.nces_id: c for c in existing if c.nces_id}

    rows = []
    seen_names, seen_state, seen_nces, seen_campus = {}, {}, {}, {}
    for line, cells in body:
        values, errors = _row_values(cells, columns)
        row = PlannedRow(line=line, values=values)
        rows.append(row)
        if errors:
            for message in errors:
                row.reject(message)
            continue

        name_key = values["name"].lower()
        duplicates = [
            (seen_names, name_key, gettext("Row %(row)s of this file has the same campus name.")),
            (
                seen_state,
                values.get("state_school_id"),
                gettext("Row %(row)s of this file has the same state school id."),
            ),
            (
                seen_nces,
                values.get("nces_id"),
                gettext("Row %(row)s of this file has the same NCES id."),
            ),
        ]
        for seen, key, what in duplicates:
            if key and key in seen:
                row.reject(what % {"row": seen[key]})
        if row.rejected:
            continue
        for seen, key, _ in duplicates:
            if key:
                seen[key] = line

        campus = (
            by_nces.get(values.get("nces_id") or None)
            or by_state.get(values.get("state_school_id") or None)
            or by_name.get(name_key)
        )
        namesake = by_name.get(name_key)
        if campus and namesake and namesake.pk != campus.pk:
            row.reject(
                gettext("Another campus is already called “%(name)s”.") % {"name": namesake.name}
            )
            continue
        if campus is None:
            continue
        if campus.pk in seen_campus:
            row.reject(
                gettext("Row %(row)s of this file already updates this campus.")
                % {"row": seen_campus[campus.pk]}
            )
            continue
        seen_campus[campus.pk] = line
        row.campus = campus
        for key, new in values.items():
            old = getattr(campus, key)
            # A blank cell leaves what is stored alone rather than erasing it.
            if new and new != old:
                row.changes.append((FIELD_LABELS[key], _shown(key, old), _shown(key, new)))
        row.action = "update" if row.changes else "unchanged"

    return ImportPlan(rows=rows, columns=columns, ignored_columns=ignored)
