"""Each report kind renders for the demo district, and its text says the right things."""

import hashlib
import io
import re

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone
from pypdf import PdfReader

from dashboard.demo import seed_demo
from district_plan.models import Measure
from reports.models import Report
from reports.tasks import BROKER_DOWN, RENDER_FAILED, enqueue_render, render_report
from visits.models import Visit


@pytest.fixture
def demo(db, media):
    seed_demo(size="small")


def render(report):
    render_report(report.pk)
    report.refresh_from_db()
    return report


def text_of(report):
    with default_storage.open(report.file.name, "rb") as handle:
        data = handle.read()
    assert hashlib.sha256(data).hexdigest() == report.sha256
    reader = PdfReader(io.BytesIO(data))
    return data, reader, "\n".join(page.extract_text() for page in reader.pages)


def test_board_summary_has_its_sections_figures_and_honest_status(demo):
    report = render(
        Report.objects.create(district_id=_demo_id(), kind="board_summary", title="Board summary")
    )
    assert report.status == "ready"
    data, reader, text = text_of(report)
    assert len(reader.pages) == report.page_count >= 6
    assert report.size_bytes == len(data)
    for heading in (
        "Contents",
        "What changed since the last board summary",
        "The plan and its goals",
        "Theories of action by strand",
        "Action items by owner",
        "Visit highlights and recurring problems of practice",
        "Every student reads on grade level by the end of grade 3",
        "Grade 3 students meeting the reading standard",
    ):
        assert heading in text, heading
    assert "Teachers returning the next school year — Needs update" in text
    assert "Page 1 of" in text
    assert reader.metadata.title == "Board summary"
    assert "/StructTreeRoot" in reader.trailer["/Root"]  # tagged for screen readers
    fonts = {
        str(font.get_object()["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"].get("/Font", {}).values()
    }
    assert fonts
    assert all("Inter" in name for name in fonts)  # only the shipped font, embedded


def test_board_summary_in_spanish_has_spanish_headings_dates_and_numbers(demo):
    report = render(
        Report.objects.create(
            district_id=_demo_id(), kind="board_summary", title="Resumen", language="es"
        )
    )
    assert report.status == "ready"
    _, reader, text = text_of(report)
    flat = text.replace("\n", " ")
    for heading in (
        "Contenido",
        "Qué cambió desde el último resumen para la junta",
        "El plan y sus metas",
        "Teorías de acción por eje",
        "Acciones de seguimiento por responsable",
        "Requiere actualización",
        "Página 1 de",
    ):
        assert heading in flat, heading
    assert "The plan and its goals" not in flat
    assert re.search(r"aprobado por la junta el \d+ de [a-z]+ de 20\d\d", flat)
    assert "/StructTreeRoot" in reader.trailer["/Root"]


@pytest.mark.db_clock
def test_a_later_board_summary_opens_with_what_changed_since(demo):
    first = render(
        Report.objects.create(district_id=_demo_id(), kind="board_summary", title="First")
    )
    measure = Measure.objects.filter(goal__isnull=False).first()
    from district_plan.services import measure_value_record

    measure_value_record(
        measure=measure,
        user=None,
        observed_on=timezone.localdate(),
        value=measure.baseline + 1,
        replace=True,
    )
    second = render(
        Report.objects.create(district_id=_demo_id(), kind="board_summary", title="Second")
    )
    _, _, text = text_of(second)
    assert (
        f"since the board summary of {timezone.localtime(first.data_as_of):%B %-d, %Y}"
        in text.replace("\n", " ")
    )
    # The value is new for today, or replaced one the demo had recorded for today.
    flat = text.replace("\n", " ")
    assert f"Created {measure.name}: " in flat or f"Changed {measure.name}: " in flat


def test_visit_report_has_the_visit_observations_debrief_and_items(demo):
    visit = Visit.objects.filter(status="closed").first()
    report = render(
        Report.objects.create(district_id=_demo_id(), kind="visit", visit=visit, title="Visit")
    )
    _, _, text = text_of(report)
    flat = text.replace("\n", " ")
    assert visit.campus.name in flat
    assert "Look-fors seen" in flat
    assert "Debrief" in flat
    assert visit.action_items.first().description in flat


def test_a_second_run_of_a_finished_report_does_nothing(demo):
    report = render(Report.objects.create(district_id=_demo_id(), kind="board_summary", title="B"))
    assert render_report(report.pk) == "nothing to do"
    report.refresh_from_db()
    assert report.attempts == 1


def test_a_failed_render_says_so_in_a_sentence(demo, monkeypatch):
    def broken(report):
        raise ValueError("the template is missing a section")

    monkeypatch.setitem(
        __import__("reports.documents").documents.GATHERERS, "board_summary", broken
    )
    report = render(Report.objects.create(district_id=_demo_id(), kind="board_summary", title="B"))
    assert (report.status, report.error) == ("failed", RENDER_FAILED)


def test_broker_down_fails_the_request_with_a_clear_message(demo, monkeypatch):
    from kombu.exceptions import OperationalError

    def down(*args, **kwargs):
        raise OperationalError("Connection refused")

    monkeypatch.setattr(render_report, "delay", down)
    report = Report.objects.create(district_id=_demo_id(), kind="board_summary", title="B")
    enqueue_render(report.pk)
    report.refresh_from_db()
    assert (report.status, report.error) == ("failed", BROKER_DOWN)


def test_large_board_summary_renders(db, media):
    seed_demo(size="large")
    report = render(
        Report.objects.create(district_id=_demo_id(), kind="board_summary", title="Large")
    )
    assert report.status == "ready"
    assert report.page_count < 40


def _demo_id():
    from core.models import District

    return District.objects.get(slug="demo").pk


def test_discovery_report_has_the_heat_map_gaps_findings_and_recommendations(demo):
    from benchmarking.models import DiscoveryAnalysis

    analysis = DiscoveryAnalysis.objects.get(district__slug="demo", previous__isnull=False)
    report = render(
        Report.objects.create(
            district_id=_demo_id(), kind="discovery", analysis=analysis, title="Discovery"
        )
    )
    assert report.status == "ready"
    _, _, text = text_of(report)
    flat = " ".join(text.split())
    for expected in (
        "Gaps to the reference profile",
        "Largest gaps",
        "Reading help starts after grade 3",
        "Screen every K-2 reader three times a year",
        "Average of campuses",
        "Since the last round",
        "Protect a daily intervention block on every campus",
    ):
        assert expected in flat, expected


def test_board_summary_reports_the_discovery_analysis_status(demo):
    report = render(Report.objects.create(district_id=_demo_id(), kind="board_summary", title="B"))
    _, _, text = text_of(report)
    flat = " ".join(text.split())
    assert "2 findings, 1 recommendation, 0 turned into an improvement pathway" in flat
