"""The Spanish interface reads as Spanish: the app's own labels, dates written the Spanish way,
and downloads named for the day they were made, where the district is, in their language."""

import datetime

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone, translation

from benchmarking.frameworks import built_in_framework, framework_copy
from benchmarking.selectors import gap_profile
from benchmarking.services import analysis_create
from tests.factories import (
    ActionFactory,
    ActionItemFactory,
    GoalFactory,
    PlanFactory,
    ProgramFactory,
    ReportFactory,
    StrandFactory,
    TheoryFactory,
    VisitFactory,
)
from tests.helpers import travel_to

SPANISH = {"HTTP_ACCEPT_LANGUAGE": "es-MX"}
# 23:30 in Chicago on December 1 is already December 2 in UTC.
LATE_EVENING = datetime.datetime(2026, 12, 1, 23, 30)


@pytest.fixture(autouse=True)
def _english_afterwards():
    # A Spanish request leaves Spanish active in this thread; later tests expect the default.
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def visit(personas):
    return VisitFactory(
        program=ProgramFactory(district=personas.district),
        campus=personas.district.campuses.get(),
        date=datetime.date(2026, 12, 1),
    )


def test_the_coherence_panel_names_each_gap_in_spanish(as_member, personas):
    plan = PlanFactory(district=personas.district)
    GoalFactory(plan=plan, title="Goal without theory")
    theory = TheoryFactory(strand=StrandFactory(district=personas.district))
    ActionFactory(theory=theory, due_date=timezone.localdate() - datetime.timedelta(days=3))
    client = as_member(personas.board)
    text = client.get(reverse("plan:index", args=["lakeside"]), **SPANISH).text
    assert "Metas sin teoría de acción" in text
    assert "Teorías sin indicador" in text
    assert "Acciones vencidas" in text
    assert "Goals with no theory" not in text
    listed = client.get(
        reverse("plan:plan_gaps_actions-past-due", args=["lakeside", plan.pk]), **SPANISH
    ).text
    assert "Acción vencida desde" in listed
    assert "Action past due" not in listed


def test_an_action_item_owned_by_a_campus_names_its_leadership_team_in_spanish(
    as_member, personas, visit
):
    ActionItemFactory(visit=visit, owner="campus", description="Share the schedule")
    page = as_member(personas.cabinet).get(reverse("actions:index", args=["lakeside"]), **SPANISH)
    assert f"Equipo directivo de {visit.campus.name}" in page.text
    assert "leadership team" not in page.text


def test_a_spanish_date_reads_day_of_month(as_member, personas, visit):
    page = as_member(personas.cabinet).get(
        reverse("visits:visit", args=["lakeside", visit.pk]), **SPANISH
    )
    assert "martes, 1 de diciembre de 2026" in page.text


def test_an_english_date_stays_as_it_was(as_member, personas, visit):
    page = as_member(personas.cabinet).get(reverse("visits:visit", args=["lakeside", visit.pk]))
    assert "Tuesday, December 1, 2026" in page.text


@pytest.mark.parametrize(
    ("name", "stem"),
    [
        ("plan:measures_export", "lakeside-measures"),
        ("theories:export", "lakeside-theories"),
        ("actions:export", "lakeside-action-items"),
    ],
)
def test_a_csv_export_is_named_for_the_districts_day_and_its_language(
    as_member, personas, name, stem
):
    with travel_to(timezone.make_aware(LATE_EVENING)):
        response = as_member(personas.cabinet).get(reverse(name, args=["lakeside"]), **SPANISH)
    assert response["Content-Disposition"] == f'attachment; filename="{stem}-2026-12-01-es.csv"'


def test_a_report_is_named_for_the_districts_time_and_its_language(as_member, personas, media):
    name = default_storage.save("reports/lakeside/1.pdf", ContentFile(b"%PDF-1.7 summary"))
    report = ReportFactory(
        district=personas.district,
        status="ready",
        file=name,
        language="es",
        data_as_of=timezone.make_aware(LATE_EVENING),
    )
    response = as_member(personas.board).get(
        reverse("reports:download", args=["lakeside", report.pk])
    )
    assert response["Content-Disposition"] == (
        'attachment; filename="lakeside-board-summary-2026-12-01-2330-es.pdf"'
    )


def test_the_changes_since_adoption_name_their_fields_in_spanish(as_member, personas):
    plan = PlanFactory(district=personas.district)
    goal = GoalFactory(plan=plan, title="Read by grade 3", description="Before")
    client = as_member(personas.cabinet)
    client.post(
        reverse("plan:adopt", args=["lakeside", plan.pk]),
        {"version": plan.version, "adopted_on": "2025-08-12"},
    )
    snapshot = plan.snapshots.get()
    goal.description = "After"
    goal.save()
    page = client.get(
        reverse("plan:compare", args=["lakeside", plan.pk, snapshot.pk]), **SPANISH
    ).text
    assert '<th scope="row">Descripción</th>' in page
    assert '<th scope="row">Description</th>' not in page


def test_the_discovery_heat_map_names_its_rows_in_spanish(personas):
    framework = framework_copy(framework=built_in_framework(), district=personas.district)
    analysis = analysis_create(
        district=personas.district,
        user=personas.cabinet,
        name="Discovery 2026",
        framework=framework,
        starts_on=datetime.date(2026, 1, 5),
        ends_on=datetime.date(2026, 5, 29),
        campuses=[personas.district.campuses.get()],
    )
    with translation.override("es"):
        labels = [label for label, _ in gap_profile(analysis=analysis)["rows"]]
    assert labels[:2] == ["Todo el distrito", "Promedio de las escuelas"]


def test_a_moved_visit_is_announced_with_a_spanish_date(as_member, personas):
    visit = VisitFactory(
        program=ProgramFactory(district=personas.district),
        campus=personas.district.campuses.get(),
        date=datetime.date(2026, 12, 1),
    )
    page = as_member(personas.visit_team).post(
        reverse("visits:move", args=["lakeside", visit.pk]),
        {"date": "2026-12-02"},
        follow=True,
        **SPANISH,
    )
    assert "Visita trasladada al miércoles, 2 de diciembre." in page.text
