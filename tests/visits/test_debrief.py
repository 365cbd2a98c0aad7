"""The debrief: the team records what it saw and the problems of practice, in one save."""

from django.urls import reverse

from core.history import events_of
from tests.factories import VisitFactory
from tests.helpers import query_budget
from visits.models import ProblemOfPractice, Visit


def _url(visit):
    return reverse("visits:debrief", args=[visit.district.slug, visit.pk])


def test_visit_team_saves_a_debrief_with_a_new_problem_of_practice(as_member, personas):
    visit = VisitFactory(program__district=personas.district)
    known = ProblemOfPractice.objects.create(district=personas.district, name="Low-rigor tasks")
    response = as_member(personas.visit_team).post(
        _url(visit),
        {
            "version": visit.version,
            "strengths": "Students explained their reasoning in pairs.",
            "instructional_alignment": "Tasks matched the unit plan.",
            "teacher_effectiveness": "",
            "problems": [known.pk],
            "new_problem": "  Wait   time too short ",
        },
    )
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.strengths == "Students explained their reasoning in pairs."
    assert sorted(p.name for p in visit.problems.all()) == [
        "Low-rigor tasks",
        "Wait time too short",
    ]
    assert events_of(Visit).filter(pgh_obj_id=visit.pk, pgh_label="changed").exists()


def test_a_stale_debrief_save_is_refused_and_nothing_is_half_saved(as_member, personas):
    visit = VisitFactory(program__district=personas.district)
    response = as_member(personas.visit_team).post(
        _url(visit),
        {
            "version": visit.version - 1 if visit.version > 1 else 99,
            "strengths": "Late copy",
            "new_problem": "Brand new",
        },
    )
    assert response.status_code == 200
    assert "Someone else saved this while you were editing" in response.text
    visit.refresh_from_db()
    assert visit.strengths == ""
    assert not ProblemOfPractice.objects.filter(name="Brand new").exists()


def test_debrief_page_has_a_query_budget_and_outsiders_get_404(as_member, personas):
    visit = VisitFactory(program__district=personas.district)
    team = as_member(personas.visit_team)
    with query_budget(8):
        assert team.get(_url(visit)).status_code == 200
    assert as_member(personas.outsider).get(_url(visit)).status_code == 404


def _advance(client, visit):
    return client.post(
        reverse("visits:advance", args=[visit.district.slug, visit.pk]), {"version": visit.version}
    )


def test_a_visit_with_an_empty_debrief_cannot_be_marked_debriefed(as_member, personas):
    visit = VisitFactory(program__district=personas.district, status="in_progress")
    response = _advance(as_member(personas.visit_team), visit)
    assert response.status_code == 200
    assert "Write the debrief before marking the visit debriefed." in response.text
    assert response.context["form"].errors["strengths"]
    visit.refresh_from_db()
    assert visit.status == "in_progress"


def test_a_visit_with_a_debrief_is_marked_debriefed(as_member, personas):
    visit = VisitFactory(
        program__district=personas.district, status="in_progress", strengths="Shared routines."
    )
    assert _advance(as_member(personas.visit_team), visit).status_code == 302
    visit.refresh_from_db()
    assert visit.status == "debriefed"


def test_the_debrief_of_a_debriefed_visit_cannot_be_emptied(as_member, personas):
    visit = VisitFactory(
        program__district=personas.district, status="debriefed", strengths="Shared routines."
    )
    response = as_member(personas.visit_team).post(
        _url(visit), {"version": visit.version, "strengths": "  "}
    )
    assert "Write the debrief before marking the visit debriefed." not in response.text
    assert "A debriefed visit keeps its debrief" in response.text
    visit.refresh_from_db()
    assert visit.strengths == "Shared routines."
