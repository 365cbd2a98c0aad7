"""Reading uploaded CSV files the way spreadsheets write them."""

import codecs
import csv
import datetime
import io
import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext

MAX_FILE_BYTES = 2 * 1024 * 1024


class PreviewRow:
    """A row of an import's preview: what confirming will do with it (`action`), or why it is
    refused (`errors`). Subclasses are dataclasses with those two fields."""

    @property
    def rejected(self):
        return self.action == "reject"

    def reject(self, message):
        self.action = "reject"
        self.errors.append(message)


class ImportFileError(Exception):
    """The file as a whole cannot be read. `field` names the upload form's field the message
    is shown next to: the file, unless what is missing is something else the form asks for."""

    def __init__(self, message, field="file"):
        super().__init__(message)
        self.field = field


def decode_upload(data):
    if len(data) > MAX_FILE_BYTES:
        raise ImportFileError(
            gettext("The file is %(size)s KB; files up to %(limit)s MB are accepted.")
            % {"size": len(data) // 1024, "limit": MAX_FILE_BYTES // (1024 * 1024)}
        )
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # Excel's "Unicode Text": UTF-16 with a byte-order mark, tab separated.
        try:
            data = data.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError:
            raise ImportFileError(
                gettext("The file's characters could not be read; save it as UTF-8 CSV.")
            ) from None
    if b"\x00" in data[:4096]:
        raise ImportFileError(
            gettext(
                "This is not a CSV text file. Save the spreadsheet as CSV (comma separated) first."
            )
        )
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFileError(gettext("The file's characters could not be read; save it as UTF-8 CSV."))


def heading_key(text):
    """A heading or a named choice as compared with the names a file may use: "Grade span",
    "grade_span" and "GRADE-SPAN" are one key."""
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text.lower()).split())


def clean_cell(raw):
    """A cell's text on one line, without the control characters spreadsheets leave in it."""
    return " ".join("".join(ch for ch in raw if ch.isprintable()).split())


# What states and spreadsheets print in place of a value withheld for a small group.
SUPPRESSED = re.compile(r"^(\*+|-+|<\s*\d+|>\s*\d+|n/?a|masked|suppressed)$", re.I)
# A comma not followed by exactly three digits: "55,5" is a decimal comma, which would be read
# as 555 if taken for a thousands separator like the one in "1,204".
DECIMAL_COMMA = re.compile(r",(?!\d{3}(?:\D|$))")


class CellError(ValueError):
    """A cell that cannot be read; its text is the reason, for the preview row."""


def read_number(text):
    """A value as spreadsheets and states write it: "61.5", "1,204", "55%". CellError, saying
    why, for a suppressed value ("*", "<10", "--", "n/a"), a decimal comma ("55,5", refused
    rather than read as 555) and anything else that is not a number under ten billion."""
    text = text.strip()
    if SUPPRESSED.match(text):
        raise CellError(
            gettext("“%(value)s” stands for a suppressed value; it is not imported.")
            % {"value": text[:20]}
        )
    if DECIMAL_COMMA.search(text):
        raise CellError(
            gettext(
                "Value “%(value)s” has a comma that is not a thousands separator; write "
                "decimals with a point, like 55.5."
            )
            % {"value": text[:20]}
        )
    try:
        value = Decimal(text.replace(",", "").rstrip("%").strip())
        if not value.is_finite() or abs(value) >= 10**10:
            raise InvalidOperation
    except InvalidOperation:
        raise CellError(
            gettext("Value “%(value)s” is not a number.") % {"value": text[:20]}
        ) from None
    return value


_US_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})$")


def read_date(text):
    """A date as people type it in a US spreadsheet: 2026-11-15 (ISO, as exported), or
    11/15/2026 and 11/15/26, month first, as Excel saves a date cell to CSV. ValueError when it
    is neither; a day-first 15/11/2026 is refused rather than guessed."""
    text = text.strip()
    match = _US_DATE.match(text)
    if match is None:
        return datetime.date.fromisoformat(text)
    month, day, year = (int(part) for part in match.groups())
    if len(match.group(3)) == 2:
        year += 2000
    return datetime.date(year, month, day)


def read_table(text):
    """The non-empty rows of a CSV text as (line number, cells); comma, semicolon or tab."""
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    try:
        rows = [(reader.line_num, row) for row in reader]
    except csv.Error as exc:
        raise ImportFileError(
            gettext("The file is not valid CSV: %(problem)s.") % {"problem": exc}
        ) from None
    rows = [(line, row) for line, row in rows if any(cell.strip() for cell in row)]
    if not rows:
        raise ImportFileError(gettext("The file is empty."))
    return rows
