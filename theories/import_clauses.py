"""The words that mark the parts of a theory of action inside one line or cell, how the pieces
of a part are joined back into one clause, and the statement the readers build from them."""

import re
from dataclasses import dataclass, field

IF = re.compile(r"^(?:if|when)\b[\s,:]*", re.IGNORECASE)
THEN = re.compile(r"^then\b[\s,:]*", re.IGNORECASE)
SO_THAT = re.compile(
    r"^(?:so that|which leads to|which will lead to|leading to|in order that)\b[\s,:]*",
    re.IGNORECASE,
)
# "We believe that if …" and "Our theory of action is that if …" only lead in to the IF.
BELIEF = re.compile(
    r"^(?:we believe(?: that)?|our (?:theory of action|theory|belief) is(?: that)?)[\s,:]+"
    r"(?=(?:if|when)\b)",
    re.IGNORECASE,
)
# THEN inside a line: after a comma, semicolon or colon in any case, or in capitals anywhere.
_INLINE_THEN = re.compile(r"(?:[,;:]\s*|\s+-\s+)then\b[\s,:]*", re.IGNORECASE)
_INLINE_THEN_CAPS = re.compile(r"\bTHEN\b[\s,:]*")
# "if we coach teachers then lessons improve": a bare "then", unless it joins two actions
# ("we plan first and then teach").
_BARE_THEN = re.compile(r"(?<!\band)(?<!\bor)(?<!\bbut)\s+then\s+", re.IGNORECASE)
_INLINE_SO_THAT = re.compile(
    r"[,;:]?\s*\b(?:so that|which leads to|which will lead to|leading to|in order that)\b[\s,:]*",
    re.IGNORECASE,
)
SENTENCE_END = re.compile(r"[.!?]\s*$")
_DANGLING = re.compile(r"(?:[,;]\s*(?:and|or))?[\s,;:]*$", re.IGNORECASE)


@dataclass
class Inline:
    """A line cut at its keywords; `guessed` says the THEN had no comma or capitals to go by."""

    if_text: str
    then_text: str | None = None
    so_that: str | None = None
    guessed: bool = False


def split_inline(text):
    """'we do X, THEN Y, so that Z' -> Inline('we do X', 'Y', 'Z'); missing parts are None."""
    match = _INLINE_THEN.search(text) or _INLINE_THEN_CAPS.search(text)
    guessed = False
    if match is None:
        match = _BARE_THEN.search(text)
        guessed = match is not None
    if match is None:
        return Inline(text)
    if_text, then_text = text[: match.start()], text[match.end() :]
    then_text, so_that = split_so_that(then_text)
    return Inline(if_text, then_text, so_that, guessed)


def split_so_that(text):
    """'Y, so that Z' -> ('Y', 'Z'); ('Y', None) without one."""
    match = _INLINE_SO_THAT.search(text)
    if match is None:
        return text, None
    return text[: match.start()], text[match.end() :]


def tidy(text):
    """A piece of a clause on one line, without the commas, semicolons and dangling "and" a
    list item or a broken line leaves at its end."""
    return _DANGLING.sub("", " ".join(text.split())).strip()


@dataclass
class Piece:
    text: str
    listed: bool = False

    @property
    def lead_in(self):
        return self.text.rstrip().endswith(":")


def join(pieces):
    """The pieces of one clause as a sentence: list items after a lead-in read "lead-in: a; b";
    items of a list are separated by semicolons; a line broken mid-sentence joins with a space."""
    text = ""
    previous = None
    for piece in pieces:
        part = tidy(piece.text)
        if not part:
            continue
        if previous is None:
            text = part
        elif previous.lead_in or (
            piece.listed and not previous.listed and not SENTENCE_END.search(text)
        ):
            # A list after a line of its own: that line leads in to the list.
            text += ": " + part
        elif piece.listed and previous.listed:
            text = text.rstrip(".") + "; " + part
        else:
            text += " " + part
        previous = piece
    return text


# Lead-ins that only name who acts or sees ("If we:", "Then we will see:") say nothing the
# clause needs; others ("all students are ready to:") are the start of the clause.
_EMPTY_LEAD_INS = {
    "",
    "we",
    "we will",
    "we will see",
    "we would see",
    "we'll see",
    "you will see",
    "the district",
    "the district will",
    "our district will",
}
PARTS = ("if", "then", "so_that", "problem")


@dataclass
class Statement:
    strand: str
    lines: list = field(default_factory=list)
    pieces: dict = field(default_factory=lambda: {part: [] for part in PARTS})
    actions: list = field(default_factory=list)
    review: list = field(default_factory=list)
    part: str = "if"
    block: bool = False

    @property
    def first_line(self):
        return min(self.lines) if self.lines else 0

    @property
    def complete(self):
        return bool(self.clause("if") and self.clause("then"))

    def clause(self, part):
        return join(self.pieces[part])

    def add(self, text, listed=False):
        if text.strip():
            self.pieces[self.part].append(Piece(text.strip(), listed))

    def open_part(self, part, text, listed=False):
        """Starts a part with the text after its keyword. A short text or one ending in a colon
        ("If we:", "So that all students are ready to:") opens a block the next list items
        belong to; a lead-in that only names who acts ("If we:") is dropped."""
        self.part = part
        words = text.strip().rstrip(":").strip()
        self.block = text.rstrip().endswith(":") or (
            len(words.split()) <= 4 and not SENTENCE_END.search(words)
        )
        if words.lower() not in _EMPTY_LEAD_INS:
            self.add(text, listed)

    def flag(self, reason):
        if reason not in self.review:
            self.review.append(reason)

    def clauses(self):
        return {
            "if_clause": self.clause("if"),
            "then_clause": self.clause("then"),
            "so_that": self.clause("so_that"),
            "problem": self.clause("problem"),
        }
