"""A board summary's cover and brand: the request names the board meeting, the audience and
the decisions asked for; the cover shows them with the district's logo, and the report is drawn
in the district's brand colours."""

import base64
import datetime
import io
import re

import pytest
from django.urls import reverse
from PIL import Image

from core.models import DistrictLogo
from reports.models import Report
from reports.rendering import report_html
from tests.factories import (
    DistrictResultFactory,
    GoalFactory,
    MeasureFactory,
    MeasureValueFactory,
    PlanFactory,
    ReportFactory,
    StudentGroupFactory,
)
from tests.helpers import travel_to


@pytest.fixture
def not_rendered(monkeypatch):
    from reports import tasks

    monkeypatch.setattr(tasks, "enqueue_render", lambda report_id: None)


def _request(client, **fields):
    return client.post(
        reverse("reports:request", args=["lakeside"]),
        {"kind": "board_summary", "language": "en", **fields},
    )


def test_the_request_keeps_the_meeting_date_audience_and_decisions(
    as_member, personas, not_rendered
):
    with travel_to("2026-12-07"):
        response = _request(
            as_member(personas.cabinet),
            meeting_date="2027-01-12",
            audience="the Finance Committee",
            decisions="Adopt the literacy goal\r\n\r\n  Approve the visit calendar  \n",
        )
    assert response.status_code == 302
    report = Report.objects.get()
    assert str(report.meeting_date) == "2027-01-12"
    # The cover reads "Prepared for the ...": a typed "the" is not repeated.
    assert report.audience == "Finance Committee"
    assert report.decisions == "Adopt the literacy goal\nApprove the visit calendar"


def test_the_request_form_offers_the_board_fields(as_member, personas):
    page = as_member(personas.cabinet).get(reverse("reports:index", args=["lakeside"])).text
    assert 'name="meeting_date"' in page
    assert 'placeholder="Board of Trustees"' in page
    assert 'name="decisions"' in page


@pytest.mark.parametrize(
    ("day", "message"),
    [
        (
            "2025-12-01",
            "Enter the date of a board meeting from December 7, 2025 to December 7, 2028.",
        ),
        (
            "2029-01-12",
            "Enter the date of a board meeting from December 7, 2025 to December 7, 2028.",
        ),
        ("2027-02-30", "Enter a valid date."),
        ("next Tuesday", "Enter a valid date."),
    ],
)
def test_an_implausible_meeting_date_is_refused_next_to_the_field(
    as_member, personas, not_rendered, day, message
):
    with travel_to("2026-12-07"):
        response = _request(as_member(personas.cabinet), meeting_date=day)
    assert response.status_code == 200
    assert (
        f'<ul class="errorlist" id="id_meeting_date_error"><li>{message}</li></ul>' in response.text
    )
    assert not Report.objects.exists()


@pytest.mark.parametrize(
    ("decisions", "counts"),
    [
        ("\n".join(f"Decision {n}" for n in range(13)), "this has 13 lines and 145 characters"),
        ("x" * 4001, "this has 1 lines and 4001 characters"),
    ],
)
def test_more_than_twelve_decisions_or_4000_characters_are_refused(
    as_member, personas, not_rendered, decisions, counts
):
    response = _request(as_member(personas.cabinet), decisions=decisions)
    assert response.status_code == 200
    assert 'id="id_decisions_error"' in response.text
    assert counts in response.text
    assert not Report.objects.exists()


def test_the_board_fields_are_ignored_for_another_kind_of_report(as_member, personas, not_rendered):
    from benchmarking.frameworks import built_in_framework
    from benchmarking.services import analysis_create

    analysis = analysis_create(
        district=personas.district,
        user=None,
        name="Spring review",
        framework=built_in_framework(),
        starts_on="2026-01-01",
        ends_on="2026-06-01",
    )
    response = as_member(personas.cabinet).post(
        reverse("reports:request", args=["lakeside"]),
        {
            "kind": "discovery",
            "analysis": analysis.pk,
            "meeting_date": "2040-01-01",
            "audience": "Board",
            "decisions": "\n".join(["Decide"] * 20),
        },
    )
    assert response.status_code == 302
    report = Report.objects.get()
    assert (report.meeting_date, report.audience, report.decisions) == (None, "", "")


def _png():
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), (122, 31, 43)).save(buffer, "PNG")
    return buffer.getvalue()


def test_the_cover_names_the_meeting_and_audience_and_shows_the_logo(personas):
    data = _png()
    DistrictLogo.objects.create(
        district=personas.district, image=data, format="PNG", width=40, height=20
    )
    report = ReportFactory(
        district=personas.district,
        meeting_date=datetime.date(2027, 1, 12),
        audience="Finance Committee",
    )
    html, _ = report_html(report)
    cover = html[html.index('<section class="cover">') : html.index("</section>")]
    assert "Board meeting of 12 January 2027" in cover
    assert "Prepared for the Finance Committee" in cover
    logo = f"data:image/png;base64,{base64.b64encode(data).decode()}"
    assert f'<img class="logo" src="{logo}" alt="{personas.district.name} logo">' in cover


def test_a_cover_without_meeting_or_audience_is_prepared_for_the_board(personas):
    html, _ = report_html(ReportFactory(district=personas.district))
    cover = html[html.index('<section class="cover">') : html.index("</section>")]
    assert "Board meeting of" not in cover
    assert "Prepared for the Board of Trustees" in cover
    assert "<img" not in cover


def test_the_cover_is_in_the_reports_language(personas):
    report = ReportFactory(
        district=personas.district, meeting_date=datetime.date(2027, 1, 12), language="es"
    )
    html, _ = report_html(report)
    assert "Reunión de la junta del 12 de enero de 2027" in html
    assert "Preparado para la Junta Directiva" in html
    assert f"Logotipo de {personas.district.name}" not in html  # no logo, no image


def test_the_report_and_its_charts_are_drawn_in_the_brand_colours(personas):
    personas.district.brand_primary = "#7a1f2b"
    personas.district.brand_secondary = "#2d5a27"
    personas.district.save()
    plan = PlanFactory(
        district=personas.district, status="adopted", adopted_on=datetime.date(2026, 6, 1)
    )
    MeasureValueFactory(measure=MeasureFactory(goal=GoalFactory(plan=plan)))
    html, _ = report_html(ReportFactory(district=personas.district))
    assert "h1, h2, h3 { color: #7a1f2b;" in html
    assert "background: #7a1f2b" in html  # the cover band
    assert "border-bottom: 1pt solid #7a1f2b" in html  # the running header's rule
    assert "border-bottom: 3mm solid #2d5a27" in html
    # The measure's chart draws its values in the brand colour, not the app's blue.
    chart = html[html.index('<svg class="chart"') :]
    chart = chart[: chart.index("</svg>")]
    assert 'stroke="#7a1f2b"' in chart
    assert "#1f4e8c" not in chart
    # So does the executive summary's trend line.
    start = html.index('<svg class="sparkline"')
    sparkline = html[start : html.index("</svg>", start)]
    assert 'fill="#7a1f2b"' in sparkline
    assert "#1f4e8c" not in sparkline


def test_without_a_brand_the_report_keeps_the_apps_colours(personas):
    html, _ = report_html(ReportFactory(district=personas.district))
    assert "h1, h2, h3 { color: #163a69;" in html
    assert "border-left: 2pt solid #1f4e8c" in html


def _series_colours(html):
    start = html.index('id="results-groups-')
    chart = html[start : html.index("</svg>", start)]
    return re.findall(r'<polyline points="[^"]*" fill="none" stroke="(#\w+)"', chart)


@pytest.mark.parametrize(
    ("secondary", "lines"),
    [
        ("#2d5a27", ["#7a1f2b", "#2d5a27"]),
        # Too like the first to tell two lines apart: the app's second colour stays.
        ("#7b2030", ["#7a1f2b", "#a3441c"]),
    ],
)
def test_the_group_chart_takes_the_brand_colours_when_they_stand_apart(personas, secondary, lines):
    personas.district.brand_primary = "#7a1f2b"
    personas.district.brand_secondary = secondary
    personas.district.save()
    plan = PlanFactory(
        district=personas.district, status="adopted", adopted_on=datetime.date(2026, 6, 1)
    )
    measure = MeasureFactory(goal=GoalFactory(plan=plan))
    for name in ("All students", "English learners"):
        group = StudentGroupFactory(district=personas.district, name=name)
        for year, value in ((2025, 40), (2026, 45)):
            DistrictResultFactory(
                measure=measure,
                group=group,
                observed_on=datetime.date(year, 6, 30),
                value=value,
                students=200,
            )
    html, _ = report_html(ReportFactory(district=personas.district))
    assert _series_colours(html) == lines
