"""Reading uploaded CSV files the way spreadsheets write them."""

import csv
import io

from django.utils.translation import gettext

MAX_FILE_BYTES = 2 * 1024 * 1024


class ImportFileError(Exception):
    """The file as a whole cannot be read."""


def decode_upload(data):
    if len(data) > MAX_FILE_BYTES:
        raise ImportFileError(
            gettext("The file is %(size)s KB; files up to %(limit)s MB are accepted.")
            % {"size": len(data) // 1024, "limit": MAX_FILE_BYTES // (1024 * 1024)}
        )
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
