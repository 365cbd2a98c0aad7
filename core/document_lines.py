"""A district's own document, pasted as text or uploaded as a Word file, as one list of lines
that keep the structure the reader needs: headings, bullets and numbers with their level, plain
paragraphs and table rows. The theory and goal importers read this model, so a pasted document
and an uploaded one are read by the same code."""

import io
import re
import zipfile
from dataclasses import dataclass

import docx
from django.utils.translation import gettext
from docx.table import Table

from core.csv_import import ImportFileError
from core.files import MAX_ATTACHMENT_BYTES

MAX_DOCUMENT_CHARACTERS = 200_000
# A .docx is a zip: a small file can unpack to a huge one, so what it unpacks to is capped too.
MAX_UNPACKED_BYTES = 60 * 1024 * 1024

TITLE, HEADING, BULLET, NUMBERED, PARAGRAPH, ROW = (
    "title",
    "heading",
    "bullet",
    "numbered",
    "paragraph",
    "row",
)

_BULLET_MARK = re.compile(r"^(?:[-–—•●◦▪▫*+>]+)\s*")
_NUMBER_MARK = re.compile(r"^(?:\(?\d{1,3}[.)]|\(?[a-zA-Z][.)]|[ivxIVX]{1,4}[.)])\s+")
_MARKDOWN_HEADING = re.compile(r"^(#{1,6})\s*")


@dataclass(frozen=True)
class Line:
    """One line of a document. `number` counts the document's non-blank lines (a pasted text's
    own line number), `level` is a heading's or a list item's depth from 0, `cells` a table
    row's, and `table` which table of the document a row belongs to."""

    number: int
    kind: str
    text: str
    level: int = 0
    cells: tuple = ()
    table: int = 0

    @property
    def is_list_item(self):
        return self.kind in (BULLET, NUMBERED)


def _tidy(text):
    return " ".join(text.split())


def _split_row(text):
    """The cells of a pasted table row: tab or pipe separated, two cells at least."""
    separator = "\t" if "\t" in text else "|" if text.count("|") >= 1 else None
    if separator is None:
        return None
    cells = [_tidy(cell) for cell in text.strip().strip("|").split(separator)]
    if len(cells) < 2 or any(re.fullmatch(r":?-{3,}:?", cell) for cell in cells):
        return None
    return tuple(cells)


def classify(number, raw, *, kind=None, level=0):
    """A line of text as the reader sees it; `kind` is what a Word style already said."""
    text = raw.strip()
    indent = len(raw) - len(raw.lstrip(" \t"))
    if kind is None:
        if heading := _MARKDOWN_HEADING.match(text):
            return Line(number, HEADING, _tidy(text[heading.end() :]), len(heading[1]) - 1)
        cells = _split_row(raw)
        if cells is not None:
            return Line(number, ROW, " | ".join(cells), cells=cells)
        level = indent // 2
    if (match := _BULLET_MARK.match(text)) and len(text) > match.end():
        return Line(number, BULLET, _tidy(text[match.end() :]), level)
    if match := _NUMBER_MARK.match(text):
        return Line(number, NUMBERED, _tidy(text[match.end() :]), level)
    return Line(number, kind or PARAGRAPH, _tidy(text), level)


def lines_from_text(text):
    """The lines of a pasted text; a line without a letter or a digit (a dash or a rule between
    statements) carries nothing and is not one."""
    lines = []
    for number, raw in enumerate(text.splitlines(), start=1):
        if any(ch.isalnum() for ch in raw):
            lines.append(classify(number, raw))
    return lines


# Reading a Word document


def check_docx(upload):
    """The bytes of an uploaded .docx, refused with a reason for the form's field when the name,
    the size or the first bytes say it is something else."""
    name = (upload.name or "").lower()
    if not name.endswith(".docx"):
        raise ImportFileError(
            gettext("Upload a Word document saved as .docx (older .doc files: save as .docx).")
        )
    if upload.size > MAX_ATTACHMENT_BYTES:
        raise ImportFileError(
            gettext("The document is %(size)s MB; documents up to %(limit)s MB are read.")
            % {
                "size": upload.size // (1024 * 1024),
                "limit": MAX_ATTACHMENT_BYTES // (1024 * 1024),
            }
        )
    data = upload.read()
    if not data.startswith(b"PK\x03\x04"):
        raise ImportFileError(gettext("This file is not a Word document, whatever its name says."))
    return data


def _unreadable():
    return ImportFileError(
        gettext("This Word document could not be opened; save it again from Word and retry.")
    )


def lines_from_docx(data):
    """The document's paragraphs and table rows in their order. Raises ImportFileError for a
    damaged file or one too large to read."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED_BYTES:
                raise ImportFileError(
                    gettext("This document is too large to read; split it into parts.")
                )
        document = docx.Document(io.BytesIO(data))
        lines, characters, tables = [], 0, 0
        for block in document.iter_inner_content():
            if isinstance(block, Table):
                tables += 1
                new = _table_lines(block, len(lines) + 1, tables)
            else:
                new = _paragraph_lines(block, len(lines) + 1)
            lines.extend(new)
            characters += sum(len(line.text) for line in new)
            if characters > MAX_DOCUMENT_CHARACTERS:
                raise ImportFileError(
                    gettext("This document has more than %(limit)s characters; split it.")
                    % {"limit": MAX_DOCUMENT_CHARACTERS}
                )
    except ImportFileError:
        raise
    except Exception:  # A damaged zip or XML fails in many ways inside python-docx.
        raise _unreadable() from None
    if not lines:
        raise ImportFileError(gettext("The document has no text."))
    return lines


def _style_name(paragraph):
    style = paragraph.style
    return (style.name or "") if style is not None else ""


def _list_level(paragraph):
    """The depth of a numbered or bulleted paragraph, or None for one that is not in a list."""
    properties = paragraph._p.pPr
    numbering = properties.numPr if properties is not None else None
    if numbering is None:
        return None
    level = numbering.ilvl
    return int(level.val) if level is not None and level.val is not None else 0


def _paragraph_lines(paragraph, number):
    text = _tidy(paragraph.text)
    if not text:
        return []
    style = _style_name(paragraph)
    if style == "Title":
        return [Line(number, TITLE, text)]
    if heading := re.match(r"Heading (\d)", style):
        return [Line(number, HEADING, text, int(heading[1]) - 1)]
    level = _list_level(paragraph)
    if style.startswith("List Number"):
        return [Line(number, NUMBERED, text, _style_level(style, level))]
    if style.startswith("List Bullet") or level is not None:
        return [Line(number, BULLET, text, _style_level(style, level))]
    return [classify(number, text)]


def _style_level(style, level):
    if level:
        return level
    depth = re.search(r"(\d)$", style)
    return int(depth[1]) - 1 if depth else 0


def _cell_text(cell):
    """A cell's paragraphs on one line: a list inside a cell reads as "lead-in: a; b"."""
    text = ""
    for paragraph in cell.paragraphs:
        part = _tidy(paragraph.text)
        if not part:
            continue
        if text:
            text += " " if text.endswith(":") else "; "
        text += part
    return text


def _table_lines(table, number, index):
    lines = []
    for row in table.rows:
        cells = []
        for cell in row.cells:
            # A merged cell is returned once per grid column it spans.
            if cells and cell._tc is cells[-1][0]:
                continue
            cells.append((cell._tc, _cell_text(cell)))
        texts = tuple(text for _, text in cells)
        if any(texts):
            line = Line(number + len(lines), ROW, " | ".join(texts), cells=texts, table=index)
            lines.append(line)
    return lines
