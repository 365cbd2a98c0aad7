"""Reading a CSV of people to invite into a preview of what inviting them would do.

Nothing here writes: `plan_invitation_import` says, row by row, whether the address would be
invited, invited again (replacing its pending invitation), skipped as already a member, or
rejected and why. `accounts.services.invitation_import_apply` invites exactly that plan.
"""

import unicodedata
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import translation
from django.utils.translation import gettext, gettext_lazy

from accounts.models import Invitation, Membership
from core.csv_import import (
    ImportFileError,
    PreviewRow,
    clean_cell,
    heading_key,
    read_table,
)
from core.models import Campus, Department
from core.roles import Role

MAX_ROWS = 2000
NAME_SEPARATORS = (";", "|", "\n")

FIELD_LABELS = {
    "email": gettext_lazy("Email"),
    "full_name": gettext_lazy("Name"),
    "role": gettext_lazy("Role"),
    "bindings": gettext_lazy("Campuses or departments"),
    "title": gettext_lazy("Title"),
}

HEADER_ALIASES = {
    "email": {"email", "email address", "e mail", "mail", "correo", "correo electronico"},
    "full_name": {"name", "full name", "person", "nombre", "nombre completo"},
    "role": {"role", "rol", "district role"},
    "bindings": {
        "campus",
        "campuses",
        "school",
        "schools",
        "department",
        "departments",
        "campus or department",
        "campuses or departments",
        "campus department",
        "escuela",
        "escuelas",
        "departamento",
        "departamentos",
    },
    "title": {"title", "job title", "position", "cargo", "puesto", "titulo"},
}


def _key(text):
    """Compared without case, accents or punctuation: "Peña Elementary" is "pena elementary"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return heading_key("".join(ch for ch in decomposed if not unicodedata.combining(ch)))


_HEADER_LOOKUP = {_key(a): key for key, aliases in HEADER_ALIASES.items() for a in aliases}


def _role_lookup():
    """A role by its code or its label in English or Spanish."""
    lookup = {}
    for role in Role:
        lookup[_key(role.value)] = role
        for language in ("en", "es"):
            with translation.override(language):
                lookup[_key(str(role.label))] = role
    return lookup


@dataclass
class PlannedInvitation(PreviewRow):
    line: int
    values: dict
    action: str = "invite"
    names: list = field(default_factory=list)
    campuses: list = field(default_factory=list)
    departments: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    errors: list = field(default_factory=list)

    @property
    def role_label(self):
        return Role(self.values["role"]).label if self.values.get("role") in Role else ""


@dataclass
class InvitationPlan:
    rows: list
    ignored_columns: list

    def count(self, action):
        return sum(1 for row in self.rows if row.action == action)

    @property
    def counts(self):
        return {a: self.count(a) for a in ("invite", "reinvite", "member", "reject")}

    @property
    def to_invite(self):
        return [row for row in self.rows if row.action in ("invite", "reinvite")]


def _map_headers(header):
    columns, ignored = {}, []
    for index, title in enumerate(header):
        key = _HEADER_LOOKUP.get(_key(title))
        if key == "bindings":
            columns.setdefault(key, []).append(index)
        elif key and key not in columns:
            columns[key] = index
        elif title.strip():
            ignored.append(clean_cell(title)[:60])
    missing = [FIELD_LABELS[k] for k in ("email", "role") if k not in columns]
    if missing:
        raise ImportFileError(
            gettext(
                "The first row must name the columns; no column was recognised for "
                "%(missing)s. Accepted headings include: Email, Name, Role, Campuses, "
                "Departments, Title."
            )
            % {"missing": gettext(" and ").join(str(label) for label in missing)}
        )
    return columns, ignored


def _cell(cells, index):
    return clean_cell(cells[index]).lstrip("'") if index < len(cells) else ""


def _binding_names(cells, indexes):
    names = []
    for index in indexes:
        raw = cells[index] if index < len(cells) else ""
        for separator in NAME_SEPARATORS[1:]:
            raw = raw.replace(separator, NAME_SEPARATORS[0])
        names += [clean_cell(part) for part in raw.split(NAME_SEPARATORS[0]) if clean_cell(part)]
    return names


def _read_row(row, cells, columns, roles):
    values = {key: _cell(cells, index) for key, index in columns.items() if key != "bindings"}
    values["email"] = values["email"].lower()
    if not values["email"]:
        row.reject(gettext("The email address is empty."))
    else:
        try:
            validate_email(values["email"])
        except ValidationError:
            row.reject(
                gettext("“%(email)s” is not an email address.") % {"email": values["email"][:80]}
            )
    for key in ("full_name", "title"):
        if len(values.get(key, "")) > 200:
            row.reject(
                gettext("%(field)s is longer than %(limit)s characters.")
                % {"field": FIELD_LABELS[key], "limit": 200}
            )
    role = roles.get(_key(values["role"]))
    if role is None:
        accepted = ", ".join(str(r.label) for r in Role)
        row.reject(
            gettext("Role “%(role)s” is not one of: %(accepted)s.")
            % {"role": values["role"][:40] or gettext("(empty)"), "accepted": accepted}
        )
    else:
        values["role"] = role.value
    return values


def _bind(row, district, campuses, departments):
    """Finds each named campus or department in the district, as the role needs them."""
    role = row.values["role"]
    for name in row.names:
        campus, department = campuses.get(_key(name)), departments.get(_key(name))
        if role == Role.DEPARTMENT_LEAD:
            campus = None
        elif role == Role.CAMPUS_LEADER or campus is not None:
            department = None
        if campus is not None:
            row.campuses.append(campus)
        elif department is not None:
            row.departments.append(department)
        else:
            kind = {
                Role.CAMPUS_LEADER: gettext("campus"),
                Role.DEPARTMENT_LEAD: gettext("department"),
            }.get(role, gettext("campus or department"))
            row.reject(
                gettext("This district has no %(kind)s called “%(name)s”.")
                % {"kind": kind, "name": name[:80]}
            )
    if row.rejected:
        return
    try:
        Membership(district=district, role=role).clean_bindings(row.campuses, row.departments)
    except ValidationError as exc:
        for messages in exc.message_dict.values():
            for message in messages:
                row.reject(message)


def plan_invitation_import(district, text):
    """What inviting the people of `text` to `district` would do, row by row. Raises
    ImportFileError when the file as a whole cannot be read."""
    table = read_table(text)
    (_, header), body = table[0], table[1:]
    columns, ignored = _map_headers(header)
    if len(body) > MAX_ROWS:
        raise ImportFileError(
            gettext("The file has %(rows)s rows; at most %(limit)s are accepted.")
            % {"rows": len(body), "limit": MAX_ROWS}
        )
    roles = _role_lookup()
    campuses = {_key(c.name): c for c in Campus.objects.filter(district=district)}
    departments = {_key(d.name): d for d in Department.objects.filter(district=district)}
    members = dict(
        Membership.objects.filter(district=district).values_list("user__email", "is_active")
    )
    members = {email.lower(): active for email, active in members.items()}
    pending = set(
        Invitation.objects.filter(district=district, accepted_at=None, revoked_at=None).values_list(
            "email", flat=True
        )
    )

    rows, seen = [], {}
    for line, cells in body:
        row = PlannedInvitation(line=line, values={})
        rows.append(row)
        row.values = _read_row(row, cells, columns, roles)
        row.names = _binding_names(cells, columns.get("bindings", []))
        email = row.values["email"]
        if row.rejected:
            continue
        if email in seen:
            row.reject(
                gettext("Row %(row)s of this file has the same email address.")
                % {"row": seen[email]}
            )
            continue
        seen[email] = line
        if email in members:
            row.action = "member"
            if not members[email]:
                row.notes.append(
                    gettext("Deactivated here: reactivate them from the People page instead.")
                )
            continue
        _bind(row, district, campuses, departments)
        if not row.rejected and email in pending:
            row.action = "reinvite"
            row.notes.append(gettext("Replaces the invitation already waiting for an answer."))
    return InvitationPlan(rows=rows, ignored_columns=ignored)
