"""A Word document and a pasted text read into the same lines, keeping their structure."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.csv_import import ImportFileError
from core.document_lines import (
    BULLET,
    HEADING,
    NUMBERED,
    PARAGRAPH,
    ROW,
    TITLE,
    check_docx,
    lines_from_docx,
    lines_from_text,
)
from tests.word_documents import WordDocument


def shape(lines):
    return [(line.kind, line.level, line.text) for line in lines]


def test_word_styles_become_kinds_with_levels_in_document_order():
    document = (
        WordDocument()
        .title("Theory of action")
        .heading("Instruction", level=1)
        .paragraph("If we:")
        .bullets("coach teachers")
        .bullets("in every grade", level=1)
        .numbers("adopt units")
        .table(("IF", "THEN"), ("we coach", "lessons improve"))
        .paragraph("• typed bullet")
    )
    lines = lines_from_docx(document.data())
    assert shape(lines) == [
        (TITLE, 0, "Theory of action"),
        (HEADING, 0, "Instruction"),
        (PARAGRAPH, 0, "If we:"),
        (BULLET, 0, "coach teachers"),
        (BULLET, 1, "in every grade"),
        (NUMBERED, 0, "adopt units"),
        (ROW, 0, "IF | THEN"),
        (ROW, 0, "we coach | lessons improve"),
        (BULLET, 0, "typed bullet"),
    ]
    assert lines[7].cells == ("we coach", "lessons improve")
    assert [line.number for line in lines] == list(range(1, 10))


def test_pasted_text_reads_into_the_same_kinds():
    lines = lines_from_text(
        "## Instruction\nIf we:\n- coach teachers\n  - in every grade\n2) adopt units\n"
        "IF\tTHEN\n---\nplain words\n"
    )
    assert shape(lines) == [
        (HEADING, 1, "Instruction"),
        (PARAGRAPH, 0, "If we:"),
        (BULLET, 0, "coach teachers"),
        (BULLET, 1, "in every grade"),
        (NUMBERED, 0, "adopt units"),
        (ROW, 0, "IF | THEN"),
        (PARAGRAPH, 0, "plain words"),
    ]
    assert [line.number for line in lines] == [1, 2, 3, 4, 5, 6, 8]


def upload(name, data):
    return SimpleUploadedFile(name, data)


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("plan.pdf", b"%PDF-1.7", "Upload a Word document saved as .docx"),
        ("plan.doc", b"\xd0\xcf\x11\xe0", "Upload a Word document saved as .docx"),
        ("plan.docx", b"just some text", "This file is not a Word document"),
    ],
)
def test_files_that_are_not_docx_are_refused_by_name_and_first_bytes(name, data, message):
    with pytest.raises(ImportFileError, match=message):
        check_docx(upload(name, data))


def test_a_huge_file_is_refused_before_it_is_read():
    big = upload("plan.docx", b"PK\x03\x04")
    big.size = 11 * 1024 * 1024
    with pytest.raises(ImportFileError, match="documents up to 10 MB are read"):
        check_docx(big)


def zipped(files):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def test_a_zip_that_is_not_a_word_document_is_refused():
    with pytest.raises(ImportFileError, match="could not be opened"):
        lines_from_docx(zipped({"hello.txt": "hello"}))


def test_a_truncated_document_is_refused():
    data = WordDocument().paragraph("If we act, then it shows.").data()
    with pytest.raises(ImportFileError, match="could not be opened"):
        lines_from_docx(data[: len(data) // 2])


def test_a_document_that_unpacks_to_a_huge_size_is_refused():
    with pytest.raises(ImportFileError, match="too large to read"):
        lines_from_docx(zipped({"word/document.xml": "a" * (61 * 1024 * 1024)}))


def test_an_empty_document_says_so():
    with pytest.raises(ImportFileError, match="no text"):
        lines_from_docx(WordDocument().data())
