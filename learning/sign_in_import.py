"""Reading a sign-in sheet (name, campus, role, date) into a preview of what importing it into
one offering would do. Nothing here writes: `learning.services.sign_in_sheet_apply` writes
exactly the plan made here.

What a row does depends on whether the offering keeps names. With names, a person not yet
signed in to that session is added and counted, and one already there is left as it is. Without
names there is no telling a new person from one counted before, so the sheet's tally for each
session, campus and staff role replaces the count stored for it: importing the same sheet twice
changes nothing either way.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.utils import formats
from django.utils.translation import gettext

from core.csv_import import (
    ImportFileError,
    PreviewRow,
    clean_cell,
    heading_key,
    read_date,
    read_table,
)
from core.models import Campus
from learning.models import Participant, Participation, StaffRole

MAX_ROWS = 5000
NAME_LIMIT = 200

# Spreadsheets made in Spanish name the columns in Spanish.
HEADER_ALIASES = {
    "name": {"name", "full name", "participant", "participant name", "staff name", "nombre"},
    "campus": {"campus", "school", "campus name", "school name", "site", "escuela"},
    "role": {"role", "staff role", "position", "job", "job title", "función", "funcion", "rol"},
    "date": {"date", "session date", "session", "day", "fecha"},
}
_HEADER_LOOKUP = {heading_key(a): key for key, aliases in HEADER_ALIASES.items() for a in aliases}

ROLE_ALIASES = {
    StaffRole.TEACHER: {
        "teacher",
        "teachers",
        "classroom teacher",
        "maestro",
        "maestra",
        "docente",
    },
    StaffRole.CAMPUS_LEADER: {
        "directivo",
        "directivo de escuela",
        "campus leader",
        "campus leaders",
        "principal",
        "assistant principal",
        "ap",
        "school leader",
        "director",
        "directora",
    },
    StaffRole.COACH: {
        "coach",
        "coaches",
        "instructional coach",
        "instructional coaches",
        "specialist",
        "interventionist",
        "asesor",
        "asesora",
        "asesor pedagógico",
        "asesora pedagógica",
    },
    StaffRole.OTHER: {
        "other",
        "other staff",
        "staff",
        "paraprofessional",
        "para",
        "counselor",
        "otro personal",
    },
}
_ROLE_LOOKUP = {heading_key(a): role for role, aliases in ROLE_ALIASES.items() for a in aliases} | {
    heading_key(role.value): role for role in StaffRole
}


def _role_lookup():
    """Codes, the aliases above, and the roles' names in the reader's language."""
    return _ROLE_LOOKUP | {heading_key(str(role.label)): role for role in StaffRole}


@dataclass
class SheetRow(PreviewRow):
    line: int
    values: dict
    action: str = "add"
    session: object = None
    campus: Campus | None = None
    staff_role: str = ""
    errors: list = field(default_factory=list)


@dataclass
class CountChange:
    session: object
    campus: Campus
    staff_role: str
    old: int
    new: int

    @property
    def role_label(self):
        return StaffRole(self.staff_role).label


@dataclass
class SheetPlan:
    rows: list
    changes: list
    keeps_names: bool
    ignored_columns: list

    def count(self, action):
        return sum(1 for row in self.rows if row.action == action)

    @property
    def counts(self):
        return {a: self.count(a) for a in ("add", "unchanged", "reject")}

    @property
    def has_changes(self):
        return bool(self.changes)


def _map_headers(header):
    columns, ignored = {}, []
    for index, title in enumerate(header):
        key = _HEADER_LOOKUP.get(heading_key(title))
        if key and key not in columns:
            columns[key] = index
        elif title.strip():
            ignored.append(clean_cell(title)[:60])
    missing = [key for key in ("name", "campus", "role", "date") if key not in columns]
    if missing:
        raise ImportFileError(
            gettext(
                "The first row must name the columns name, campus, role and date; "
                "missing: %(missing)s."
            )
            % {"missing": ", ".join(missing)}
        )
    return columns, ignored


def _short(day):
    return formats.date_format(day, "SHORT_DATE_FORMAT")


def plan_sign_in_sheet(offering, text):
    """What importing `text` into `offering` would do, row by row. Raises ImportFileError."""
    table = read_table(text)
    (_, header), body = table[0], table[1:]
    columns, ignored = _map_headers(header)
    if not body:
        raise ImportFileError(gettext("The file names its columns but has no one signed in."))
    if len(body) > MAX_ROWS:
        raise ImportFileError(
            gettext("The file has %(rows)s rows; at most %(limit)s are accepted.")
            % {"rows": len(body), "limit": MAX_ROWS}
        )
    sessions = {}
    for session in offering.sessions.order_by("date", "pk"):
        sessions.setdefault(session.date, session)
    campuses = {
        heading_key(c.name): c for c in Campus.objects.filter(district_id=offering.district_id)
    }
    roles = _role_lookup()
    known = set()
    if offering.keeps_names:
        known = {
            (session_id, name.casefold())
            for session_id, name in Participant.objects.filter(
                session__offering=offering
            ).values_list("session_id", "name")
        }

    rows, seen, tally = [], {}, Counter()
    for line, cells in body:
        values = {
            key: clean_cell(cells[index] if index < len(cells) else "").lstrip("'")
            for key, index in columns.items()
        }
        row = SheetRow(line=line, values=values)
        rows.append(row)
        name = values["name"]
        if not name:
            row.reject(gettext("The name is empty."))
        elif len(name) > NAME_LIMIT:
            row.reject(gettext("The name is longer than 200 characters."))
        campus = campuses.get(heading_key(values["campus"])) if values["campus"] else None
        if campus is None:
            row.reject(
                gettext("“%(campus)s” is not a campus of this district.")
                % {"campus": values["campus"][:80] or gettext("(empty)")}
            )
        role = roles.get(heading_key(values["role"]))
        if role is None:
            row.reject(
                gettext("Role “%(role)s” is not one of: %(accepted)s.")
                % {
                    "role": values["role"][:40] or gettext("(empty)"),
                    "accepted": ", ".join(str(r.label).lower() for r in StaffRole),
                }
            )
        try:
            day = read_date(values["date"])
        except ValueError:
            row.reject(
                gettext("“%(date)s” is not a date like 2026-11-15 or 11/15/2026.")
                % {"date": values["date"][:20] or gettext("(empty)")}
            )
        else:
            session = sessions.get(day)
            if session is None:
                row.reject(
                    gettext("This offering has no session on %(date)s.") % {"date": _short(day)}
                )
        if row.rejected:
            continue
        key = (session.pk, name.casefold())
        if key in seen:
            row.reject(
                gettext("Row %(row)s of this file has the same person on this date.")
                % {"row": seen[key]}
            )
            continue
        seen[key] = line
        row.session, row.campus, row.staff_role = session, campus, role
        if key in known:
            row.action = "unchanged"
            continue
        tally[(session, campus, role)] += 1

    stored = {
        (p.session_id, p.campus_id, p.staff_role): p.count
        for p in Participation.objects.filter(session__offering=offering)
    }
    changes = []
    for (session, campus, role), counted in sorted(
        tally.items(), key=lambda kv: (kv[0][0].date, kv[0][1].name, kv[0][2])
    ):
        old = stored.get((session.pk, campus.pk, role), 0)
        new = old + counted if offering.keeps_names else counted
        if new != old:
            changes.append(
                CountChange(session=session, campus=campus, staff_role=role, old=old, new=new)
            )
    if not offering.keeps_names:
        changed = {(c.session.pk, c.campus.pk, c.staff_role) for c in changes}
        for row in rows:
            if not row.rejected and (row.session.pk, row.campus.pk, row.staff_role) not in changed:
                row.action = "unchanged"
    return SheetPlan(
        rows=rows, changes=changes, keeps_names=offering.keeps_names, ignored_columns=ignored
    )
