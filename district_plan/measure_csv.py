"""Measures and their values as CSV: the export, and a bulk update in exactly its format.

Only the date, value and note columns are read back, matched on measure_id; the other
columns describe the measure for the person filling in the sheet.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import formats, timezone
from django.utils.translation import gettext

from core.csv_import import CellError, ImportFileError, read_date, read_number, read_table
from core.numbers import whole_number
from district_plan.models import Measure, MeasureValue

COLUMNS = [
    "measure_id",
    "measure",
    "belongs_to",
    "unit",
    "direction",
    "baseline",
    "baseline_date",
    "target",
    "target_date",
    "update_cycle",
    "date",
    "value",
    "note",
]
MAX_ROWS = 20_000


def _number(value):
    return format(value.normalize(), "f")


def export_rows(district):
    measures = (
        Measure.objects.filter(district=district)
        .select_related("goal", "theory")
        .prefetch_related("values")
        .order_by("goal_id", "theory_id", "order", "pk")
    )
    yield COLUMNS
    for measure in measures:
        owner = f"Goal: {measure.goal}" if measure.goal_id else f"Theory: {measure.theory}"
        described = [
            measure.pk,
            measure.name,
            owner,
            measure.unit,
            measure.direction,
            _number(measure.baseline),
            measure.baseline_date.isoformat(),
            _number(measure.target),
            measure.target_date.isoformat(),
            measure.update_cycle,
        ]
        values = list(measure.values.all())
        if not values:
            yield [*described, "", "", ""]
        for value in values:
            yield [*described, value.observed_on.isoformat(), _number(value.value), value.note]


@dataclass
class ValueRow:
    line: int
    measure: Measure | None = None
    observed_on: datetime.date | None = None
    value: Decimal | None = None
    note: str = ""
    old: Decimal | None = None
    action: str = "create"
    errors: list = field(default_factory=list)


@dataclass
class ValuesPlan:
    rows: list

    @property
    def counts(self):
        return {
            a: sum(1 for r in self.rows if r.action == a)
            for a in ("create", "update", "unchanged", "reject")
        }

    @property
    def has_changes(self):
        return any(r.action in ("create", "update") for r in self.rows)


def plan_values_import(district, text, today=None):
    today = today or timezone.localdate()
    table = read_table(text)
    (_, header), body = table[0], table[1:]
    index = {name.strip().lower(): i for i, name in enumerate(header)}
    missing = [c for c in ("measure_id", "date", "value") if c not in index]
    if missing:
        raise ImportFileError(
            gettext(
                "Use the measures export as the template; these columns are missing: %(columns)s."
            )
            % {"columns": ", ".join(missing)}
        )
    if len(body) > MAX_ROWS:
        raise ImportFileError(
            gettext("The file has %(rows)s rows; at most %(limit)s are accepted.")
            % {"rows": len(body), "limit": MAX_ROWS}
        )
    measures = {m.pk: m for m in Measure.objects.filter(district=district)}
    existing = {
        (v.measure_id, v.observed_on): v.value
        for v in MeasureValue.objects.filter(district=district)
    }

    def cell(cells, name):
        i = index.get(name)
        return cells[i].strip() if i is not None and i < len(cells) else ""

    rows, seen = [], {}
    for line, cells in body:
        raw_date, raw_value = cell(cells, "date"), cell(cells, "value")
        if not raw_date and not raw_value:
            continue  # a measure listed without a value: nothing to record
        row = ValueRow(line=line, note=cell(cells, "note")[:500])
        rows.append(row)
        raw_id = cell(cells, "measure_id")
        row.measure = measures.get(whole_number(raw_id))
        if row.measure is None:
            row.errors.append(
                gettext("No measure with id “%(id)s” in this district.") % {"id": raw_id[:20]}
            )
        try:
            row.observed_on = read_date(raw_date)
        except ValueError:
            row.errors.append(
                gettext("Date “%(date)s” is not a date like 2026-09-30 or 9/30/2026.")
                % {"date": raw_date[:20]}
            )
        else:
            if row.observed_on > today:
                row.errors.append(gettext("A value cannot be dated in the future."))
            elif row.measure is not None and row.observed_on < row.measure.baseline_date:
                row.errors.append(
                    gettext("A value cannot be dated before the baseline date, %(day)s.")
                    % {"day": formats.date_format(row.measure.baseline_date, "SHORT_DATE_FORMAT")}
                )
        try:
            row.value = read_number(raw_value)
        except CellError as exc:
            row.errors.append(str(exc))
        if not row.errors:
            key = (row.measure.pk, row.observed_on)
            if key in seen:
                row.errors.append(
                    gettext("Row %(row)s of this file has a value for the same date.")
                    % {"row": seen[key]}
                )
            seen.setdefault(key, line)
        if row.errors:
            row.action = "reject"
            continue
        row.old = existing.get(key)
        if row.old is None:
            row.action = "create"
        else:
            row.action = "unchanged" if row.old == row.value else "update"
    return ValuesPlan(rows=rows)
