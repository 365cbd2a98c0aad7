"""Word documents built in the test, the way districts lay out their plans (no binary fixtures)."""

import io

import docx
from django.core.files.uploadedfile import SimpleUploadedFile


class WordDocument:
    """A .docx written step by step: `heading`, `title`, `paragraph`, `bullets`, `numbers` and
    `table`, then `upload()` as a browser would send it."""

    def __init__(self):
        self.document = docx.Document()

    def title(self, text):
        self.document.add_paragraph(text, style="Title")
        return self

    def heading(self, text, level=1):
        self.document.add_heading(text, level=level)
        return self

    def paragraph(self, text):
        self.document.add_paragraph(text)
        return self

    def bullets(self, *items, level=0):
        style = "List Bullet" if level == 0 else f"List Bullet {level + 1}"
        for item in items:
            self.document.add_paragraph(item, style=style)
        return self

    def numbers(self, *items):
        for item in items:
            self.document.add_paragraph(item, style="List Number")
        return self

    def table(self, *rows):
        table = self.document.add_table(rows=0, cols=len(rows[0]))
        for cells in rows:
            row = table.add_row()
            for cell, text in zip(row.cells, cells, strict=True):
                cell.text = text
        return self

    def data(self):
        buffer = io.BytesIO()
        self.document.save(buffer)
        return buffer.getvalue()

    def upload(self, name="plan.docx"):
        return SimpleUploadedFile(
            name,
            self.data(),
            content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        )
