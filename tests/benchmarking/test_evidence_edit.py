"""Evidence is edited in place and deleted with a confirmation, keeping its history."""

import datetime

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from benchmarking.models import Evidence, Finding, Indicator, Rating
from benchmarking.services import evidence_add, finding_add, rating_record
from core.history import history, record_events
from tests.helpers import query_budget

HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def indicators(analysis):
    return list(
        Indicator.objects.filter(building_block__framework=analysis.framework).order_by(
            "building_block__order", "order"
        )
    )


@pytest.fixture
def record(personas, analysis, indicators):
    return evidence_add(
        analysis=analysis,
        user=personas.cabinet,
        kind="artifact",
        collected_on=datetime.date(2026, 2, 10),
        summary="Curriculum maps for grades K-5",
        indicators=[indicators[0]],
        upload=SimpleUploadedFile("maps.pdf", b"%PDF-1.7 maps", "application/pdf"),
    )


def url(name, pk):
    return reverse(f"discovery:{name}", args=["lakeside", pk])


def form_data(record, **changes):
    return {
        "kind": record.kind,
        "collected_on": record.collected_on.isoformat(),
        "campus": record.campus_id or "",
        "summary": record.summary,
        "indicators": [i.pk for i in record.indicators.all()],
        "version": record.version,
    } | changes


def test_an_edit_is_saved_and_a_plain_post_is_redirected_to_the_list(
    as_member, personas, record, indicators
):
    client = as_member(personas.cabinet)
    response = client.post(
        url("evidence_item", record.pk),
        form_data(record, summary="Curriculum maps, K-8", indicators=[indicators[1].pk]),
    )
    assert response.status_code == 302
    assert response["Location"] == (url("evidence", record.analysis_id) + f"#evidence-{record.pk}")
    record.refresh_from_db()
    assert (record.summary, record.version) == ("Curriculum maps, K-8", 2)
    assert list(record.indicators.all()) == [indicators[1]]
    assert record.file_name == "maps.pdf"  # kept
    page = client.get(url("evidence_history", record.pk)).text
    assert "Curriculum maps, K-8" in page
    assert indicators[1].name in page  # the tag added is in the history too


def test_htmx_gets_the_form_and_then_the_row(as_member, personas, record):
    client = as_member(personas.cabinet)
    form = client.get(url("evidence_edit", record.pk), **HX)
    assert form.text.lstrip().startswith(f'<li class="editing" id="evidence-{record.pk}"')
    assert "Replace the attachment" in form.text
    response = client.post(url("evidence_item", record.pk), form_data(record, summary="New"), **HX)
    assert response.status_code == 200
    assert response.text.lstrip().startswith(f'<li id="evidence-{record.pk}"')
    assert "New" in response.text
    # Cancel asks for the row again.
    row = client.get(url("evidence_item", record.pk), **HX)
    assert row.text.lstrip().startswith(f'<li id="evidence-{record.pk}"')


def test_the_attachment_is_replaced_and_the_old_file_deleted(
    as_member, personas, record, django_capture_on_commit_callbacks
):
    old = record.file.name
    client = as_member(personas.cabinet)
    png = SimpleUploadedFile("chart.png", b"\x89PNG chart", "image/png")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("evidence_item", record.pk), form_data(record, attachment=png))
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.file_name == "chart.png"
    assert not default_storage.exists(old)
    with default_storage.open(record.file.name, "rb") as handle:
        assert handle.read() == b"\x89PNG chart"


def test_the_attachment_can_be_removed(
    as_member, personas, record, django_capture_on_commit_callbacks
):
    old = record.file.name
    client = as_member(personas.cabinet)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("evidence_item", record.pk), form_data(record, remove_attachment="on"))
    record.refresh_from_db()
    assert (record.file.name, record.file_name) == ("", "")
    assert not default_storage.exists(old)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"summary": ""}, "This field is required."),
        ({"collected_on": "not a date"}, "Enter a valid date."),
        (
            {"attachment": SimpleUploadedFile("fake.pdf", b"<html>", "application/pdf")},
            "This file is not the PDF its name says.",
        ),
        (
            {
                "attachment": SimpleUploadedFile("a.pdf", b"%PDF-1.7", "application/pdf"),
                "remove_attachment": "on",
            },
            "Either replace the attachment or remove it, not both.",
        ),
    ],
)
def test_bad_input_is_shown_next_to_the_field_and_nothing_changes(
    as_member, personas, record, changes, message
):
    before = (record.summary, record.file.name, record.version)
    files = set(default_storage.listdir("evidence/lakeside")[1])
    response = as_member(personas.cabinet).post(
        url("evidence_item", record.pk), form_data(record, **changes), **HX
    )
    assert response.status_code == 200
    assert message in response.text
    assert 'class="errorlist"' in response.text
    record.refresh_from_db()
    assert (record.summary, record.file.name, record.version) == before
    assert set(default_storage.listdir("evidence/lakeside")[1]) == files


def test_a_second_editor_sees_both_versions_and_nothing_is_overwritten(as_member, personas, record):
    client = as_member(personas.cabinet)
    client.post(url("evidence_item", record.pk), form_data(record, summary="First editor"), **HX)
    stale = form_data(record, summary="Second editor")  # still version 1
    response = client.post(url("evidence_item", record.pk), stale, **HX)
    assert "Someone else saved this while you were editing" in response.text
    assert "First editor" in response.text
    assert 'name="version" value="2"' in response.text
    record.refresh_from_db()
    assert record.summary == "First editor"
    client.post(url("evidence_item", record.pk), {**stale, "version": 2}, **HX)
    record.refresh_from_db()
    assert record.summary == "Second editor"


def test_delete_asks_first_then_removes_the_citations_and_keeps_the_history(
    as_member, personas, analysis, record, indicators, django_capture_on_commit_callbacks
):
    rating = rating_record(
        analysis=analysis,
        user=personas.cabinet,
        indicator=indicators[0],
        campus=None,
        source="self",
        level=2,
        evidence=[record],
    )
    finding = finding_add(
        analysis=analysis,
        user=personas.cabinet,
        kind="gap",
        text="Maps stop at 5",
        evidence=[record],
    )
    client = as_member(personas.cabinet)
    page = client.get(url("evidence_delete", record.pk))
    assert page.status_code == 200
    assert "Delete this evidence?" in page.text
    assert "Maps stop at 5" in page.text
    assert "level 2" in page.text
    assert Evidence.objects.filter(pk=record.pk).exists()  # asking deletes nothing
    stored = record.file.name
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("evidence_delete", record.pk))
    assert response.status_code == 302
    assert response["Location"] == url("evidence", analysis.pk)
    assert not Evidence.objects.filter(pk=record.pk).exists()
    assert not default_storage.exists(stored)
    assert Rating.objects.get(pk=rating.pk).evidence.count() == 0
    assert Finding.objects.get(pk=finding.pk).evidence.count() == 0
    [deleted, *_] = history([record_events(record)])
    assert deleted.action == "deleted"
    assert deleted.user == personas.cabinet


def test_htmx_delete_returns_the_evidence_list(as_member, personas, analysis, record):
    response = as_member(personas.cabinet).post(url("evidence_delete", record.pk), **HX)
    assert response.text.lstrip().startswith('<div id="evidence-body">')
    assert "Evidence deleted." in response.text
    assert "Evidence collected (0)" in response.text


@pytest.mark.parametrize("role", ["visit_team", "board", "campus_leader"])
def test_only_those_who_add_evidence_edit_or_delete_it(as_member, personas, record, role):
    client = as_member(getattr(personas, role))
    assert client.get(url("evidence_edit", record.pk)).status_code == 403
    assert client.post(url("evidence_item", record.pk), form_data(record)).status_code == 403
    assert client.post(url("evidence_delete", record.pk)).status_code == 403
    assert client.get(url("evidence_item", record.pk)).status_code == 200  # reading is fine
    assert Evidence.objects.filter(pk=record.pk, version=1).exists()


def test_an_outsider_gets_404(as_member, personas, record):
    client = as_member(personas.outsider)
    for name in ("evidence_item", "evidence_edit", "evidence_delete", "evidence_history"):
        assert client.get(url(name, record.pk)).status_code == 404
    assert client.post(url("evidence_item", record.pk), form_data(record)).status_code == 404
    assert client.post(url("evidence_delete", record.pk)).status_code == 404
    assert Evidence.objects.filter(pk=record.pk, version=1).exists()


def test_query_budgets(as_member, personas, analysis, record):
    client = as_member(personas.cabinet)
    with query_budget(9):
        assert client.get(url("evidence", analysis.pk)).status_code == 200
    with query_budget(7):
        assert client.get(url("evidence_item", record.pk)).status_code == 200
    with query_budget(7):
        assert client.get(url("evidence_edit", record.pk), **HX).status_code == 200
    with query_budget(6):
        assert client.get(url("evidence_delete", record.pk)).status_code == 200
    with query_budget(17):
        assert client.get(url("evidence_history", record.pk)).status_code == 200
    # Most of a save is the history's bookkeeping (the context set before each write).
    with query_budget(20):
        client.post(url("evidence_item", record.pk), form_data(record, summary="Saved"), **HX)
