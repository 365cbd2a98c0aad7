"""Theories of action laid out as a table: IF | THEN | SO THAT, or problem | root cause |
theory, with an optional strand column. The first row names the columns; a table without
headings whose first cell starts with IF is read as IF | THEN | SO THAT and flagged."""

import re

from django.utils.translation import gettext

from core.csv_import import heading_key
from theories.import_clauses import BELIEF, IF, SO_THAT, THEN, Piece, Statement, split_inline

# The first pattern a heading matches names its column.
_COLUMNS = [
    ("strand", r"strand|pillar|focus area"),
    ("problem", r"(the )?problem( of practice| statement)?|challenge|need"),
    ("root_cause", r"root causes?|causes?|why"),
    ("if", r"if( we| the district)?( will)?|what (the adults|we) will do|strateg(y|ies)"),
    ("then", r"then( we will see)?|what we will see.*"),
    ("so_that", r"so that.*|outcomes?( for students)?|result"),
    ("theory", r"(our )?theor(y|ies)( of action)?|if then( so that)?"),
    ("actions", r"(next |action )?steps|actions?"),
]


def column_roles(cells):
    """{role: column index} for the headings a table's first row gives."""
    roles = {}
    for index, cell in enumerate(cells):
        key = heading_key(cell)
        for role, pattern in _COLUMNS:
            if role not in roles and re.fullmatch(pattern, key):
                roles[role] = index
                break
    return roles


def _readable(roles):
    return "theory" in roles or ("if" in roles and "then" in roles)


def read_table(rows, strand):
    """Yields (statement, line, reason) per row: a statement (complete or not) with the reason
    it needs review, or None with the line and the reason it could not be read."""
    roles = column_roles(rows[0].cells)
    header = rows[0]
    guessed = None
    if not _readable(roles):
        width = len(rows[0].cells)
        if 2 <= width <= 3 and IF.match(BELIEF.sub("", rows[0].cells[0])):
            roles = dict(zip(("if", "then", "so_that"), range(width), strict=False))
            header = None
            guessed = gettext("A table without headings, read as IF | THEN | SO THAT: check it.")
        else:
            reason = gettext(
                "A table whose columns are not IF, THEN, SO THAT or problem, root cause, theory."
            )
            for row in rows:
                yield None, row, reason
            return
    body = rows[1:] if header is not None else rows
    if not body:
        yield None, header, gettext("A table with headings and no rows.")
        return
    for position, row in enumerate(body):
        statement = Statement(strand=_cell(row, roles, "strand") or strand, lines=[row.number])
        if position == 0 and header is not None:
            statement.lines.insert(0, header.number)
        _fill(statement, row, roles)
        yield statement, row, guessed


def _cell(row, roles, role):
    index = roles.get(role)
    if index is None or index >= len(row.cells):
        return ""
    return row.cells[index].strip()


def _fill(statement, row, roles):
    pieces = statement.pieces
    if "theory" in roles:
        inline = split_inline(IF.sub("", BELIEF.sub("", _cell(row, roles, "theory")), count=1))
        _put(pieces["if"], inline.if_text)
        _put(pieces["then"], inline.then_text or "")
        _put(pieces["so_that"], inline.so_that or "")
        if inline.guessed:
            statement.flag(gettext("THEN had no comma before it: check where the IF ends."))
    else:
        _put(pieces["if"], IF.sub("", _cell(row, roles, "if"), count=1))
        _put(pieces["then"], THEN.sub("", _cell(row, roles, "then"), count=1))
        _put(pieces["so_that"], SO_THAT.sub("", _cell(row, roles, "so_that"), count=1))
    _put(pieces["problem"], _cell(row, roles, "problem"))
    if cause := _cell(row, roles, "root_cause"):
        _put(pieces["problem"], gettext("Root cause: %(cause)s") % {"cause": cause})
    for action in _cell(row, roles, "actions").split(";"):
        if action.strip():
            statement.actions.append(action.strip())


def _put(pieces, text):
    if text.strip():
        pieces.append(Piece(text.strip()))
