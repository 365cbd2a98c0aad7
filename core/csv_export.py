import csv

from django.http import HttpResponse
from django.utils import timezone, translation

# A spreadsheet runs a cell that starts with one of these as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


class SafeWriter:
    """csv.writer that keeps exported text from being run as spreadsheet formulas."""

    def __init__(self, stream):
        self._writer = csv.writer(stream)

    def writerow(self, row):
        self._writer.writerow([safe_cell(value) for value in row])


def download_name(stem, extension, *, moment=None, language=None, with_time=False):
    """`<stem>-<day>[-<hhmm>]-<language>.<extension>`: the day (and time) where the district
    is, not UTC, so a file saved late in the evening is named for that evening."""
    local = timezone.localtime(moment) if moment else timezone.localtime()
    stamp = f"{local:%Y-%m-%d-%H%M}" if with_time else f"{local:%Y-%m-%d}"
    return f"{stem}-{stamp}-{language or translation.get_language()}.{extension}"


def csv_response(stem):
    """A CSV download in the reader's language, opened by spreadsheets as UTF-8 (the BOM)."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{download_name(stem, "csv")}"'
    response.write("\ufeff")
    return response
