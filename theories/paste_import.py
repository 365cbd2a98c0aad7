"""Reading theories of action out of a district's own document, pasted as text or uploaded as a
Word file (both arrive as `core.document_lines` lines).

Real documents vary: strand headings, then IF … THEN … statements as bullets, dashes or
numbers; statements broken over lines; "If", "IF", "We believe that if", "When we"; a comma, a
semicolon or nothing before THEN; an "If we" block of bulleted actions answered by a THEN
sentence or block and a "So that" block; lead-ins such as "students are ready to:" before a
list; problem and root-cause statements before a theory; "Next steps" under a theory; tables of
IF | THEN | SO THAT or problem | root cause | theory; a document title. `parse_lines` finds the
strands and statements, flags what it guessed with the reason, and accounts for every line: each
one is in a statement, in an unread row (with its strand and the reason), or left out (a title
or a heading with nothing under it).
"""

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext

from core.document_lines import HEADING, PARAGRAPH, ROW, TITLE, lines_from_text
from theories.import_clauses import (
    BELIEF,
    IF,
    PARTS,
    SENTENCE_END,
    SO_THAT,
    THEN,
    Piece,
    Statement,
    split_inline,
    split_so_that,
)
from theories.import_tables import read_table

DEFAULT_STRAND = "General"

PROBLEM = re.compile(
    r"^(?:the )?(?:problem(?: of practice| statement)?|challenge)\s*\d*\s*[:–—-]\s*", re.IGNORECASE
)
ROOT_CAUSE = re.compile(r"^root[ -]causes?\s*\d*\s*(?=[:–—-])", re.IGNORECASE)
NEXT_STEPS = re.compile(
    r"^(?:next steps?|action steps?|actions?|key actions|action plan|steps)\b[\s:]*$",
    re.IGNORECASE,
)


@dataclass
class Unparsed:
    line: int
    text: str
    reason: str
    strand: str = ""
    clauses: dict = field(default_factory=dict)
    lines: list = field(default_factory=list)

    def __post_init__(self):
        self.lines = self.lines or [self.line]


@dataclass
class LeftOut:
    """A line that is neither a strand nor a theory (a title, a heading with nothing under it),
    or, in `ParseResult.headings`, a strand's heading."""

    line: int
    text: str
    reason: str


@dataclass
class ParseResult:
    statements: list
    unparsed: list
    left_out: list = field(default_factory=list)
    headings: list = field(default_factory=list)
    line_count: int = 0

    @property
    def strands(self):
        names = []
        for statement in self.statements:
            if statement.strand not in names:
                names.append(statement.strand)
        return names

    @property
    def needing_review(self):
        return [s for s in self.statements if s.review]

    @property
    def unread_line_count(self):
        return sum(len(item.lines) for item in self.unparsed)

    @property
    def accounted_lines(self):
        """Every line number the result holds, once each: the check that nothing vanished."""
        numbers = [n for s in self.statements for n in s.lines]
        numbers += [n for u in self.unparsed for n in u.lines]
        numbers += [item.line for item in self.left_out + self.headings]
        return sorted(numbers)


def is_heading(text):
    words = text.split()
    return (
        0 < len(words) <= 10
        and len(text) <= 90
        and (text[0].isupper() or text[0].isdigit() or text.endswith(":"))
        and not SENTENCE_END.search(text)
    )


def _reasons():
    return {
        "no_then": gettext("An IF statement needs a THEN part."),
        "no_if": gettext("A THEN statement needs an IF part."),
        "unread": gettext("Not an IF … THEN statement or a strand heading."),
        "guessed_then": gettext("THEN had no comma before it: check where the IF ends."),
        "implied_then": gettext("The THEN was read from the sentence after the list: check it."),
        "actions": gettext("Lines under this theory were read as its next steps (actions)."),
        "lonely_steps": gettext("A next step with no theory above it."),
        "lonely_problem": gettext("A problem statement with no theory after it."),
        "title": gettext("The document's title, not a strand."),
        "empty_heading": gettext("A heading with no theory under it, not a strand."),
    }


class _Reader:
    def __init__(self, default_strand):
        self.reasons = _reasons()
        self.strand = default_strand
        self.heading = None
        self.heading_mark = 0
        self.current = None
        self.last = None
        self.mode = None
        self.problem = None
        self.previous = ""
        self.upcoming = None
        self.statements, self.unparsed, self.left_out, self.headings = [], [], [], []

    # The document, line by line

    def read(self, lines):
        index = 0
        while index < len(lines):
            line = lines[index]
            if line.kind == ROW:
                rows = _table_at(lines, index)
                self.read_rows(rows)
                index += len(rows)
                continue
            self.upcoming = lines[index + 1] if index + 1 < len(lines) else None
            self.read_line(line)
            self.previous = line.text
            index += 1
        self.finish()
        self.close_strand()
        return ParseResult(
            statements=self.statements,
            unparsed=sorted(self.unparsed, key=lambda item: item.line),
            left_out=self.left_out,
            headings=self.headings,
            line_count=len(lines),
        )

    def read_line(self, line):
        text = BELIEF.sub("", line.text, count=1)
        listed = line.is_list_item
        if line.kind == TITLE:
            self.finish()
            self.left_out.append(LeftOut(line.number, text, self.reasons["title"]))
        elif line.kind == HEADING and not IF.match(text):
            self.read_heading(line, text)
        elif IF.match(text):
            self.start_statement(line, IF.sub("", text, count=1), listed)
        elif THEN.match(text) and self.current is not None and not self.current.clause("then"):
            self.read_then(line, THEN.sub("", text, count=1), listed)
        elif SO_THAT.match(text) and self.current is not None:
            self.current.open_part("so_that", SO_THAT.sub("", text, count=1), listed)
            self.current.lines.append(line.number)
        elif PROBLEM.match(text) or ROOT_CAUSE.match(text):
            self.read_problem(line, text)
        elif (NEXT_STEPS.match(text) and not listed) or self.heads_statements(text, listed):
            self.read_heading(line, text)
        elif self.mode == "problem" and (listed or not SENTENCE_END.search(self.previous)):
            self.problem.pieces["problem"].append(Piece(text, listed))
            self.problem.lines.append(line.number)
        elif self.implies_then(text, listed):
            self.current.flag(self.reasons["implied_then"])
            self.read_then(line, text, listed=False)
        elif self.continues_statement(text, listed):
            self.current.add(text, listed)
            self.current.lines.append(line.number)
        elif self.reads_as_step(line, text):
            self.offer_action(line, text)
        elif line.kind == PARAGRAPH and is_heading(text) and not text[0].islower():
            self.read_heading(line, text)
        else:
            self.finish()
            self.unread(line.number, text, self.reasons["unread"])

    def heads_statements(self, text, listed):
        """A short line, numbered or not ("2. Motivation"), with a statement or a table right
        after it names a strand, unless it is an item of a list still being read (the IF's, or
        the next steps')."""
        upcoming = self.upcoming
        return (
            (self.current is None or self.current.complete)
            and not (listed and self.mode == "next_steps")
            and is_heading(text)
            and not text[0].islower()
            and upcoming is not None
            and (upcoming.kind == ROW or bool(IF.match(BELIEF.sub("", upcoming.text))))
        )

    def implies_then(self, text, listed):
        """A sentence after an "If we" list of actions, saying what "will" happen, is its THEN."""
        current = self.current
        return (
            current is not None
            and current.part == "if"
            and current.block
            and not listed
            and re.search(r"\bwill\b", text, re.IGNORECASE) is not None
        )

    def reads_as_step(self, line, text):
        """A list item under a whole theory, or any line under "Next steps" but a heading."""
        if line.is_list_item:
            return self.mode == "next_steps" or bool(self.current and self.current.complete)
        return self.mode == "next_steps" and not is_heading(text)

    def continues_statement(self, text, listed):
        current = self.current
        if current is None:
            return False
        if current.block and listed:
            return True
        return not listed and (
            not SENTENCE_END.search(self.previous)
            and (text[0].islower() or not current.clause("then"))
        )

    # Parts of a theory

    def start_statement(self, line, text, listed):
        self.finish()
        statement = Statement(strand=self.strand, lines=[line.number])
        if self.problem is not None:
            statement.pieces["problem"] = self.problem.pieces["problem"]
            statement.lines = [*self.problem.lines, line.number]
            self.problem = None
        self.mode = None
        inline = split_inline(text)
        statement.open_part("if", inline.if_text, listed)
        if inline.then_text is not None:
            statement.open_part("then", inline.then_text)
            statement.block = False
            if inline.guessed:
                statement.flag(self.reasons["guessed_then"])
        if inline.so_that is not None:
            statement.open_part("so_that", inline.so_that)
        self.current = statement

    def read_then(self, line, text, listed):
        then_text, so_that = split_so_that(text)
        self.current.open_part("then", then_text, listed)
        if so_that is not None:
            self.current.open_part("so_that", so_that)
        self.current.lines.append(line.number)

    def read_problem(self, line, text):
        """Problem and root-cause statements wait for the theory that answers them."""
        self.finish()
        if self.problem is None:
            self.problem = Statement(strand=self.strand)
        text = PROBLEM.sub("", text, count=1)
        self.problem.pieces["problem"].append(Piece(text))
        self.problem.lines.append(line.number)
        self.mode = "problem"

    def offer_action(self, line, text):
        target = self.current if self.current is not None and self.current.complete else self.last
        if target is None:
            self.finish()
            self.unread(line.number, text, self.reasons["lonely_steps"])
            return
        target.actions.append(text.rstrip(" ;,"))
        target.lines.append(line.number)
        target.flag(self.reasons["actions"])

    # Strands

    def read_heading(self, line, text):
        self.finish()
        if NEXT_STEPS.match(text):
            # "Next steps" names what follows the theory above, not a strand.
            self.mode = "next_steps"
            if self.last is not None:
                self.last.lines.append(line.number)
            else:
                self.unread(line.number, text, self.reasons["lonely_steps"])
            return
        self.close_strand()
        self.strand = text.rstrip(":").strip()
        self.heading = line
        self.heading_mark = len(self.statements) + len(self.unparsed)
        self.mode = None
        self.last = None

    def close_strand(self):
        if self.problem is not None:
            problem, self.problem = self.problem, None
            self.unread(
                problem.first_line,
                problem.clause("problem"),
                self.reasons["lonely_problem"],
                clauses=problem.clauses(),
                lines=problem.lines,
            )
        if self.heading is None:
            return
        heading = LeftOut(self.heading.number, self.strand, self.reasons["empty_heading"])
        if self.heading_mark == len(self.statements) + len(self.unparsed):
            self.left_out.append(heading)
        else:
            self.headings.append(heading)
        self.heading = None

    # Tables

    def read_rows(self, rows):
        self.finish()
        self.mode = None
        for statement, line, reason in read_table(rows, self.strand):
            if statement is None:
                self.unread(line.number, line.text, reason)
                continue
            if reason:
                statement.flag(reason)
            self.current = statement
            self.finish()
        self.previous = "."

    # What becomes of a statement

    def finish(self):
        current, self.current = self.current, None
        if current is None:
            return
        if current.complete:
            self.statements.append(current)
            self.last = current
            return
        reason = self.reasons["no_then" if current.clause("if") else "no_if"]
        text = " ".join(piece.text for part in PARTS for piece in current.pieces[part])
        self.unread(
            current.first_line, text, reason, clauses=current.clauses(), lines=current.lines
        )
        self.last = None

    def unread(self, number, text, reason, clauses=None, lines=None):
        self.unparsed.append(
            Unparsed(
                number,
                text,
                reason,
                strand=self.strand,
                clauses=clauses or {"if_clause": text},
                lines=sorted(lines or [number]),
            )
        )


def _table_at(lines, index):
    """The rows of the table starting at `index`: consecutive rows of one table."""
    first = lines[index]
    end = index
    while end < len(lines) and lines[end].kind == ROW and lines[end].table == first.table:
        end += 1
    return lines[index:end]


def parse_lines(lines, default_strand=DEFAULT_STRAND):
    return _Reader(default_strand).read(lines)


def parse_theories(text, default_strand=DEFAULT_STRAND):
    return parse_lines(lines_from_text(text), default_strand)
