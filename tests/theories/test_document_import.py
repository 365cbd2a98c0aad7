"""A cabinet member brings in the district's own Word document: upload → preview → confirm."""

import re

from django.urls import reverse

from core.history import record_events
from tests.word_documents import WordDocument
from theories.models import Action, Strand, TheoryOfAction


def url():
    return reverse("theories:import", args=["lakeside"])


def plan_document():
    return (
        WordDocument()
        .title("Lakeside ISD theory of action")
        .heading("Instruction")
        .table(
            ("IF", "THEN", "SO THAT"),
            (
                "we adopt shared units",
                "lessons follow the units",
                "students meet grade-level work",
            ),
            ("IF we coach every teacher", "THEN feedback is weekly", "SO THAT practice improves"),
        )
        .heading("Families")
        .paragraph("If we")
        .bullets("call home in the family's language", "hold evening meetings")
        .paragraph("Then families will tell us what their children need.")
        .paragraph("So that:")
        .bullets("attendance rises", "families join school decisions")
        .heading("Next steps", level=2)
        .bullets("Hire two liaisons")
        .paragraph("Problem: Few students take advanced courses.")
        .paragraph("Root cause: Counselors meet students late.")
        .paragraph("If we meet every ninth grader in the fall then more will enroll")
    )


def preview(client, upload, **extra):
    return client.post(url(), {"default_strand": "General", "document": upload, **extra})


def rows(response):
    return response.context["formset"].initial


def confirm_data(initial):
    data = {
        "form-TOTAL_FORMS": str(len(initial)),
        "form-INITIAL_FORMS": str(len(initial)),
    }
    for index, row in enumerate(initial):
        for name, value in row.items():
            if name == "include":
                if value:
                    data[f"form-{index}-include"] = "on"
            else:
                data[f"form-{index}-{name}"] = value
    return data


def test_cabinet_uploads_a_word_plan_reviews_it_and_confirms(
    as_member, personas, django_assert_max_num_queries
):
    client = as_member(personas.cabinet)
    response = preview(client, plan_document().upload())
    assert response.status_code == 200
    text = re.sub(r"\s+", " ", response.text)
    assert (
        "<strong>4</strong> statements found in <strong>2</strong> strands (Instruction, Families)"
        in text
    )
    assert "<strong>2</strong> need review." in text
    assert "<strong>0</strong> lines could not be read." in text
    assert "Lakeside ISD theory of action" in text  # the title, listed as left out
    assert "Needs review" in text
    assert not Strand.objects.filter(district=personas.district).exists()

    initial = rows(response)
    assert [(row["strand"], row["if_clause"]) for row in initial] == [
        ("Instruction", "we adopt shared units"),
        ("Instruction", "we coach every teacher"),
        ("Families", "call home in the family's language; hold evening meetings"),
        ("Families", "we meet every ninth grader in the fall"),
    ]
    assert initial[2]["so_that"] == "attendance rises; families join school decisions"
    assert initial[2]["actions"] == "Hire two liaisons"
    assert initial[3]["problem"] == (
        "Few students take advanced courses. Root cause: Counselors meet students late."
    )

    with django_assert_max_num_queries(60):
        response = client.post(url(), confirm_data(initial))
    assert response.status_code == 302
    theories = TheoryOfAction.objects.filter(district=personas.district).order_by("pk")
    assert [t.strand.name for t in theories] == [
        "Instruction",
        "Instruction",
        "Families",
        "Families",
    ]
    families = theories[2]
    assert families.then_clause == "families will tell us what their children need."
    assert [a.description for a in Action.objects.filter(theory=families)] == ["Hire two liaisons"]
    assert theories[3].problem.startswith("Few students take advanced courses.")
    [event] = record_events(families)
    assert event.pgh_context.metadata["user"] == personas.cabinet.pk


def test_a_pasted_text_and_the_same_word_document_read_alike(as_member, personas):
    client = as_member(personas.cabinet)
    pasted = client.post(
        url(),
        {
            "default_strand": "General",
            "text": "Families\nIf we\n- call home weekly\n- meet at night\n"
            "Then families will trust us.\n",
        },
    )
    word = preview(
        client,
        WordDocument()
        .heading("Families")
        .paragraph("If we")
        .bullets("call home weekly", "meet at night")
        .paragraph("Then families will trust us.")
        .upload(),
    )
    assert rows(pasted) == rows(word)


def test_a_line_that_cannot_be_read_is_counted_and_keeps_its_strand(as_member, personas):
    client = as_member(personas.cabinet)
    response = client.post(
        url(),
        {
            "default_strand": "General",
            "text": "Leadership\nIF principals co-plan, THEN plans improve.\n"
            "Discussed at the retreat.\n",
        },
    )
    assert "<strong>1</strong> line could not be read." in re.sub(r"\s+", " ", response.text)
    unread = rows(response)[1]
    assert (unread["include"], unread["strand"]) == (False, "Leadership")


def test_a_file_that_is_not_a_word_document_is_refused_next_to_the_field(as_member, personas):
    client = as_member(personas.cabinet)
    upload = WordDocument().paragraph("x").upload(name="plan.pdf")
    response = preview(client, upload)
    assert response.status_code == 200
    assert response.context["form"].errors["document"] == [
        "Upload a Word document saved as .docx (older .doc files: save as .docx)."
    ]
    assert "formset" not in response.context


def test_a_damaged_word_document_is_refused(as_member, personas):
    client = as_member(personas.cabinet)
    data = WordDocument().paragraph("If we act, then it shows.").data()
    upload = WordDocument().upload()
    upload.file.seek(0)
    upload.file.truncate()
    upload.file.write(data[:2000])
    upload.file.seek(0)
    upload.size = 2000
    response = preview(client, upload)
    assert "could not be opened" in response.context["form"].errors["document"][0]


def test_neither_text_nor_document_asks_for_one(as_member, personas):
    response = as_member(personas.cabinet).post(url(), {"default_strand": "General"})
    assert response.context["form"].errors["text"] == [
        "Paste the text of your theory-of-action document or upload it."
    ]


def test_board_cannot_import_and_outsider_gets_404(as_member, personas):
    assert as_member(personas.board).get(url()).status_code == 403
    assert as_member(personas.outsider).get(url()).status_code == 404


def test_the_upload_page_shows_both_ways_in(as_member, personas, django_assert_max_num_queries):
    client = as_member(personas.cabinet)
    with django_assert_max_num_queries(12):
        response = client.get(url())
    assert 'enctype="multipart/form-data"' in response.text
    assert 'name="document"' in response.text
