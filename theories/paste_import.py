"""Reading theories of action out of text pasted from a district's own document.

Real documents vary: strand headings, then IF … THEN … statements as bullets, dashes or
numbers; statements broken over lines; "If", "IF", "If we believe", "When we"; a comma or a
semicolon before THEN; an IF block of several bullets answered by one THEN block and a
"So that" block; and stray lines such as "design plan". `parse_theories` finds the strands and
statements and returns every line it could not place, with the reason, so a person can fix it.
"""

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext

DEFAULT_STRAND = "General"
MAX_TEXT = 200_000

_BULLET = re.compile(r"^(?:[-–—•●◦▪▫*+>]+|\(?\d{1,3}[.)]|\(?[a-zA-Z][.)]|[ivxIVX]{1,4}[.)])\s*")
_IF = re.compile(r"^(?:if|when)\b[\s,:]*", re.IGNORECASE)
_THEN = re.compile(r"^then\b[\s,:]*", re.IGNORECASE)
_SO_THAT = re.compile(
    r"^(?:so that|which leads to|which will lead to|leading to)\b[\s,:]*", re.IGNORECASE
)
# THEN inside a line: after a comma, semicolon or colon in any case, or in capitals anywhere.
_INLINE_THEN = re.compile(r"(?:[,;:]\s*|\s+-\s+)then\b[\s,:]*", re.IGNORECASE)
_INLINE_THEN_CAPS = re.compile(r"\bTHEN\b[\s,:]*")
_INLINE_SO_THAT = re.compile(
    r"[,;:]?\s*\b(?:so that|which leads to|which will lead to|leading to)\b[\s,:]*", re.IGNORECASE
)
_SENTENCE_END = re.compile(r"[.!?]\s*$")


@dataclass
class Statement:
    strand: str
    if_parts: list = field(default_factory=list)
    then_parts: list = field(default_factory=list)
    so_that_parts: list = field(default_factory=list)
    lines: list = field(default_factory=list)
    part: str = "if"
    block: bool = False

    @property
    def first_line(self):
        return self.lines[0] if self.lines else 0

    def add(self, text):
        text = text.strip()
        if text:
            getattr(self, f"{self.part}_parts").append(text)

    def open_block(self, text):
        """Adds the text after a keyword; "If we:" or "Then we will see:" opens a block of
        bullets and is only a lead-in, not part of the clause."""
        self.block = not text.strip() or text.rstrip().endswith(":")
        if not (self.block and len(text.split()) <= 4):
            self.add(text)

    def clauses(self):
        return {
            "if_clause": _join(self.if_parts),
            "then_clause": _join(self.then_parts),
            "so_that": _join(self.so_that_parts),
        }


@dataclass
class Unparsed:
    line: int
    text: str
    reason: str


@dataclass
class ParseResult:
    statements: list
    unparsed: list

    @property
    def strands(self):
        names = []
        for statement in self.statements:
            if statement.strand not in names:
                names.append(statement.strand)
        return names


def _join(parts):
    cleaned = [re.sub(r"\s+", " ", p).strip(" ,;:") for p in parts]
    cleaned = [p for p in cleaned if p]
    if len(cleaned) > 1 and all(not _SENTENCE_END.search(p) for p in cleaned[:-1]):
        # Bullets of one block read as a list; lines broken mid-sentence read as one sentence.
        joiner = "; " if any(p[:1].isupper() for p in cleaned[1:]) else " "
        return joiner.join(cleaned)
    return " ".join(cleaned)


def _split_inline(text):
    """'we do X, THEN Y, so that Z' -> ('we do X', 'Y', 'Z'); missing parts are None."""
    then_text = so_that = None
    match = _INLINE_THEN.search(text) or _INLINE_THEN_CAPS.search(text)
    if match:
        text, then_text = text[: match.start()], text[match.end() :]
        so = _INLINE_SO_THAT.search(then_text)
        if so:
            then_text, so_that = then_text[: so.start()], then_text[so.end() :]
    return text, then_text, so_that


def _is_heading(text):
    words = text.split()
    return (
        0 < len(words) <= 10
        and len(text) <= 90
        and (text[0].isupper() or text[0].isdigit() or text.endswith(":"))
        and not _SENTENCE_END.search(text)
    )


def parse_theories(text, default_strand=DEFAULT_STRAND):
    statements, unparsed = [], []
    strand = default_strand
    current = None
    previous_text = ""

    def finish():
        nonlocal current
        if current is None:
            return
        clauses = current.clauses()
        if clauses["if_clause"] and clauses["then_clause"]:
            statements.append(current)
        else:
            if clauses["if_clause"]:
                reason = gettext("An IF statement needs a THEN part.")
            else:
                reason = gettext("A THEN statement needs an IF part.")
            source = " ".join(current.if_parts + current.then_parts + current.so_that_parts)
            unparsed.append(Unparsed(current.first_line, source, reason))
        current = None

    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        had_bullet = bool(_BULLET.match(stripped))
        line = _BULLET.sub("", stripped, count=1).strip() if had_bullet else stripped
        line = line.lstrip("#").strip() if stripped.startswith("#") else line
        if not line:
            continue

        if _IF.match(line):
            finish()
            body = _IF.sub("", line, count=1)
            current = Statement(strand=strand, lines=[number])
            if_text, then_text, so_that = _split_inline(body)
            current.open_block(if_text)
            if then_text is not None:
                current.part = "then"
                current.add(then_text)
                current.block = False
            if so_that is not None:
                current.part = "so_that"
                current.add(so_that)
        elif _THEN.match(line) and current is not None and not current.then_parts:
            current.part = "then"
            body = _THEN.sub("", line, count=1)
            so = _INLINE_SO_THAT.search(body)
            current.open_block(body[: so.start()] if so else body)
            current.lines.append(number)
            if so:
                current.part = "so_that"
                current.add(body[so.end() :])
        elif _SO_THAT.match(line) and current is not None and current.then_parts:
            current.part = "so_that"
            current.open_block(_SO_THAT.sub("", line, count=1))
            current.lines.append(number)
        elif current is not None and (
            (current.block and had_bullet)
            or (
                not _SENTENCE_END.search(previous_text)
                and (line[0].islower() or not current.then_parts)
            )
        ):
            current.add(line)
            current.lines.append(number)
        elif _is_heading(line) and not line[0].islower():
            finish()
            strand = line.rstrip(":").strip()
        else:
            finish()
            unparsed.append(
                Unparsed(number, line, gettext("Not an IF … THEN statement or a strand heading."))
            )
        previous_text = line

    finish()
    unparsed.sort(key=lambda item: item.line)
    return ParseResult(statements=statements, unparsed=unparsed)
