import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import TestCase
from django.urls import reverse

from reports.models import Report
from tests.factories import ProgramFactory, ReportFactory, VisitFactory
from tests.helpers import query_budget, travel_to


def url(name, *args):
    return reverse(f"reports:{name}", args=["lakeside", *args])


@pytest.fixture
def ready(personas, media):
    name = default_storage.save("reports/lakeside/1.pdf", ContentFile(b"%PDF-1.7 board summary"))
    return ReportFactory(
        district=personas.district,
        status="ready",
        file=name,
        sha256="abc",
        page_count=3,
        size_bytes=22,
    )


def test_board_member_downloads_a_ready_report(as_member, personas, ready):
    response = as_member(personas.board).get(url("download", ready.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith(
        'attachment; filename="lakeside-board-summary-'
    )
    assert b"".join(response.streaming_content) == b"%PDF-1.7 board summary"


def test_a_report_whose_file_is_gone_from_the_storage_is_not_found(as_member, personas, ready):
    default_storage.delete(ready.file.name)
    response = as_member(personas.board).get(url("download", ready.pk))
    assert response.status_code == 404


def test_visit_team_without_the_right_cannot_download(as_member, personas, ready):
    response = as_member(personas.visit_team).get(url("download", ready.pk))
    assert response.status_code == 403
    page = as_member(personas.visit_team).get(url("index")).text
    assert "Your role cannot download reports." in page


def test_member_of_another_district_cannot_download(as_member, personas, ready):
    assert as_member(personas.outsider).get(url("download", ready.pk)).status_code == 404
    other_url = reverse("reports:download", args=["hillcrest", ready.pk])
    assert as_member(personas.outsider).get(other_url).status_code == 404


def test_the_file_is_not_served_from_a_public_media_url(client, ready):
    assert client.get("/media/" + ready.file.name).status_code == 404


def test_requesting_queues_a_report_and_the_row_polls_until_ready(
    as_member, personas, media, monkeypatch
):
    from reports import tasks

    monkeypatch.setattr(tasks, "enqueue_render", lambda report_id: None)
    client = as_member(personas.cabinet)
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(url("request"), {"kind": "board_summary"})
    assert response.status_code == 302
    report = Report.objects.get()
    assert (report.status, report.requested_by) == ("queued", personas.cabinet)
    row = client.get(url("report", report.pk), HTTP_HX_REQUEST="true").text
    assert 'hx-trigger="every 2s"' in row
    Report.objects.filter(pk=report.pk).update(
        status="ready", file="reports/x.pdf", page_count=2, size_bytes=10
    )
    row = client.get(url("report", report.pk), HTTP_HX_REQUEST="true").text
    assert "hx-trigger" not in row
    assert "Download PDF" in row


def test_a_visit_report_needs_a_visit(as_member, personas):
    response = as_member(personas.cabinet).post(url("request"), {"kind": "visit"})
    assert "Choose the visit to report on." in response.text
    assert not Report.objects.exists()


def test_a_visit_report_is_requested_rendered_and_downloaded(
    as_member, personas, media, monkeypatch
):
    from reports import tasks

    visit = VisitFactory(
        program=ProgramFactory(district=personas.district),
        campus__name="Lakeside Middle",
        status="closed",
    )
    client = as_member(personas.cabinet)
    form = client.get(url("index")).text
    assert f'<option value="{visit.pk}">' in form
    # The task renders in this process; test_worker drives the pipeline with a real worker.
    monkeypatch.setattr(tasks, "enqueue_render", tasks.render_report)
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(url("request"), {"kind": "visit", "visit": visit.pk})
    assert response.status_code == 302
    report = Report.objects.get()
    assert (report.kind, report.visit, report.status) == ("visit", visit, "ready")
    assert "Lakeside Middle" in report.title
    assert "Download PDF" in client.get(url("index")).text
    download = as_member(personas.admin).get(url("download", report.pk))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_a_visit_older_than_the_offered_list_can_still_be_reported(
    as_member, personas, monkeypatch
):
    from reports import forms, tasks

    monkeypatch.setattr(tasks, "enqueue_render", lambda report_id: None)
    monkeypatch.setattr(forms, "OFFERED_VISITS", 2)
    program = ProgramFactory(district=personas.district)
    old, *recent = (
        VisitFactory(program=program, status="closed", date=f"2026-0{month}-10")
        for month in (1, 2, 3)
    )
    client = as_member(personas.cabinet)
    form = client.get(url("index")).text
    assert f'<option value="{old.pk}">' not in form
    assert all(f'<option value="{v.pk}">' in form for v in recent)
    assert f'<option value="{old.pk}" selected>' in client.get(url("index"), {"visit": old.pk}).text
    response = client.post(url("request"), {"kind": "visit", "visit": old.pk})
    assert response.status_code == 302
    assert Report.objects.get().visit == old


def test_a_visit_of_another_district_or_still_planned_cannot_be_reported(as_member, personas):
    foreign = VisitFactory(
        program=ProgramFactory(district=personas.other_district), status="closed"
    )
    planned = VisitFactory(program=ProgramFactory(district=personas.district), status="planned")
    for visit in (foreign, planned):
        response = as_member(personas.cabinet).post(
            url("request"), {"kind": "visit", "visit": visit.pk}
        )
        assert "Select a valid choice" in response.text
    assert not Report.objects.exists()


def test_board_cannot_request_and_failed_reports_can_be_retried(as_member, personas, monkeypatch):
    from reports import tasks

    assert (
        as_member(personas.board).post(url("request"), {"kind": "board_summary"}).status_code == 403
    )
    queued = []
    monkeypatch.setattr(tasks, "enqueue_render", queued.append)
    failed = ReportFactory(
        district=personas.district, status="failed", error="The report service could not be reached"
    )
    client = as_member(personas.cabinet)
    assert "The report service could not be reached" in client.get(url("index")).text
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(url("retry", failed.pk))
    failed.refresh_from_db()
    assert failed.status == "queued"
    assert queued == [failed.pk]
    # A second click finds it queued already: nothing more is sent to the workers.
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(url("retry", failed.pk))
    assert queued == [failed.pk]


def test_reports_page_query_budget(as_member, personas):
    for _ in range(30):
        ReportFactory(district=personas.district, status="ready", requested_by=personas.cabinet)
    client = as_member(personas.board)
    with query_budget(8):
        client.get(url("index"))


def test_nightly_prerender_queues_a_summary_only_where_turned_on(personas, monkeypatch):
    from reports import tasks
    from reports.tasks import prerender_board_summaries
    from tests.factories import PlanFactory

    monkeypatch.setattr(tasks, "enqueue_render", lambda report_id: None)
    PlanFactory(district=personas.district, status="adopted", adopted_on="2025-08-01")
    PlanFactory(district=personas.other_district, status="adopted", adopted_on="2025-08-01")
    personas.district.nightly_board_summary = True
    personas.district.save()
    with travel_to("2026-11-17T05:00"):
        prerender_board_summaries()
    assert list(Report.objects.values_list("district__slug", flat=True)) == ["lakeside"]


def test_district_admin_turns_nightly_summaries_on(as_member, personas):
    as_member(personas.cabinet).post(url("nightly"), {"nightly": "on"})
    personas.district.refresh_from_db()
    assert not personas.district.nightly_board_summary
    as_member(personas.admin).post(url("nightly"), {"nightly": "on"})
    personas.district.refresh_from_db()
    assert personas.district.nightly_board_summary


def test_a_board_summary_can_be_requested_in_spanish(as_member, personas, monkeypatch):
    from reports import tasks

    monkeypatch.setattr(tasks, "enqueue_render", lambda report_id: None)
    client = as_member(personas.cabinet)
    client.post(url("request"), {"kind": "board_summary", "language": "es"})
    report = Report.objects.get()
    assert report.language == "es"
    assert report.title == f"Resumen para la junta: {personas.district.name}"


def test_a_discovery_report_is_requested_for_the_chosen_analysis(as_member, personas, monkeypatch):
    from benchmarking.frameworks import built_in_framework
    from benchmarking.services import analysis_create
    from reports import tasks

    monkeypatch.setattr(tasks, "enqueue_render", lambda report_id: None)
    analysis = analysis_create(
        district=personas.district,
        user=None,
        name="Spring review",
        framework=built_in_framework(),
        starts_on="2026-01-01",
        ends_on="2026-06-01",
    )
    response = as_member(personas.cabinet).post(
        url("request"), {"kind": "discovery", "analysis": analysis.pk, "language": "es"}
    )
    assert response.status_code == 302
    report = Report.objects.get()
    assert (report.analysis, report.language) == (analysis, "es")
    assert report.title == "Informe del Análisis de Descubrimiento: Spring review"


@pytest.mark.parametrize("visit", ["²³", "١٢"])
def test_a_visit_named_in_other_digits_is_not_a_crash(as_member, personas, visit):
    client = as_member(personas.cabinet)
    assert client.get(url("index") + f"?visit={visit}").status_code == 200
    response = client.post(url("request"), {"kind": "visit", "visit": visit, "language": "en"})
    assert response.status_code == 200
    assert 'class="errorlist' in response.text
    assert not Report.objects.exists()
