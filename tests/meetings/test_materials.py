"""Materials attached to a meeting: checked like Discovery evidence, kept privately, opened by
members only."""

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from meetings.models import Material
from tests.factories import MeetingFactory

PDF = b"%PDF-1.7\n%minutes\n"


def url(name, *args):
    return reverse(f"meetings:{name}", args=["lakeside", *args])


@pytest.fixture
def meeting(personas, media):
    return MeetingFactory(district=personas.district, title="Board study session")


def attach(client, meeting, name="minutes.pdf", content=PDF):
    return client.post(
        url("material_new", meeting.pk),
        {"file": SimpleUploadedFile(name, content)},
        follow=True,
    )


def test_cabinet_attaches_a_pdf_that_members_download(as_member, personas, meeting):
    response = attach(as_member(personas.cabinet), meeting)
    assert "“minutes.pdf” attached." in response.text
    material = Material.objects.get()
    assert material.meeting == meeting
    assert default_storage.exists(material.file.name)
    assert "minutes" not in material.file.name
    download = as_member(personas.board).get(url("material", material.pk))
    assert b"".join(download.streaming_content) == PDF
    assert 'filename="minutes.pdf"' in download["Content-Disposition"]


def test_a_file_that_is_not_what_its_name_says_is_refused_next_to_the_field(
    as_member, personas, meeting
):
    response = attach(as_member(personas.cabinet), meeting, "minutes.pdf", b"MZ\x90\x00binary")
    assert "This file is not the PDF its name says." in response.text
    assert not Material.objects.exists()


def test_a_file_of_another_type_is_refused(as_member, personas, meeting):
    response = attach(as_member(personas.cabinet), meeting, "run.exe", b"MZ\x90\x00")
    assert "Attach a PDF, an image (PNG, JPEG) or an Office document." in response.text
    assert not Material.objects.exists()


def test_board_may_not_attach_or_remove(as_member, personas, meeting):
    attach(as_member(personas.cabinet), meeting)
    material = Material.objects.get()
    client = as_member(personas.board)
    assert attach(client, meeting).status_code == 403
    assert client.post(url("material_delete", material.pk)).status_code == 403
    assert Material.objects.count() == 1


def test_outsider_cannot_download(as_member, personas, meeting):
    attach(as_member(personas.cabinet), meeting)
    material = Material.objects.get()
    client = as_member(personas.outsider)
    assert client.get(url("material", material.pk)).status_code == 404
    other = reverse("meetings:material", args=["hillcrest", material.pk])
    assert client.get(other).status_code == 404


def test_removing_a_material_asks_first_and_its_file_goes(
    as_member, personas, meeting, django_capture_on_commit_callbacks
):
    client = as_member(personas.cabinet)
    attach(client, meeting)
    material = Material.objects.get()
    name = material.file.name
    assert "Delete this material?" in client.get(url("material_delete", material.pk)).text
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("material_delete", material.pk))
    assert not Material.objects.exists()
    assert not default_storage.exists(name)
