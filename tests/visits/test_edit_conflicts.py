"""Two people editing the same visit: the second sees the conflict screen every versioned form
shows (the plan's and the theories' too), not a sentence telling them to reload."""

import re

from django.urls import reverse

from tests.factories import StrandFactory, TheoryFactory, VisitFactory
from visits.models import ProblemOfPractice

SCREEN = [
    "Someone else saved this while you were editing",
    "Nothing was overwritten. Compare the two versions, then keep yours or take theirs.",
    "Their saved version",
    "Your version",
    "Keep my version",
    "Use their version",
]


def _alert(text):
    return re.search(r'<div class="notice warn conflict" role="alert">.*?</table>', text, re.S)[0]


def _edit(client, visit, **data):
    return client.post(reverse("visits:visit_update", args=["lakeside", visit.pk]), data)


def test_a_stale_visit_edit_shows_both_versions_and_keeps_the_saved_one(as_member, personas):
    visit = VisitFactory(program__district=personas.district)
    assert (
        _edit(as_member(personas.visit_team), visit, focus="Math talk", version=1).status_code
        == 302
    )
    second = as_member(personas.cabinet)
    response = _edit(second, visit, focus="Reading groups", version=1)
    assert response.status_code == 200
    alert = _alert(response.text)
    assert "Math talk" in alert
    assert "Reading groups" in alert
    for words in SCREEN:
        assert words in response.text
    # Their text stays in the form, which now carries the saved version.
    assert "Reading groups</textarea>" in response.text
    assert 'name="version" value="2"' in response.text
    visit.refresh_from_db()
    assert visit.focus == "Math talk"
    # "Use their version" leads back to the visit; "Keep my version" saves theirs over it.
    visit_url = reverse("visits:visit", args=["lakeside", visit.pk])
    assert f'href="{visit_url}"' in response.text
    assert _edit(second, visit, focus="Reading groups", version=2).status_code == 302
    visit.refresh_from_db()
    assert visit.focus == "Reading groups"


def test_a_stale_debrief_shows_both_versions_and_adds_no_problem(as_member, personas):
    visit = VisitFactory(program__district=personas.district)
    url = reverse("visits:debrief", args=["lakeside", visit.pk])
    client = as_member(personas.visit_team)
    client.post(url, {"strengths": "Pairs explain their reasoning.", "version": 1})
    response = client.post(
        url, {"strengths": "Exit tickets used.", "new_problem": "Wait time", "version": 1}
    )
    alert = _alert(response.text)
    assert "Pairs explain their reasoning." in alert
    assert "Exit tickets used." in alert
    assert 'value="Wait time"' in response.text
    assert not ProblemOfPractice.objects.filter(name="Wait time").exists()
    visit.refresh_from_db()
    assert visit.strengths == "Pairs explain their reasoning."


def test_the_visit_conflict_looks_like_the_theory_conflict(as_member, personas):
    """The same screen, word for word apart from the values: one template draws them all."""
    client = as_member(personas.cabinet)
    visit = VisitFactory(program__district=personas.district)
    _edit(client, visit, focus="First", version=1)
    visit_alert = _alert(_edit(client, visit, focus="Second", version=1).text)

    theory = TheoryFactory(strand=StrandFactory(district=personas.district))
    theory_url = reverse("theories:theory", args=["lakeside", theory.pk])
    data = {
        "strand": theory.strand_id,
        "if_clause": theory.if_clause,
        "status": theory.status,
        "progress": theory.progress,
        "version": 1,
    }
    client.post(theory_url, {**data, "then_clause": "First"})
    theory_alert = _alert(client.post(theory_url, {**data, "then_clause": "Second"}).text)

    def shape(alert):
        # Who saved and when, and the values compared, differ; the rest is the same.
        alert = re.sub(r"</strong>:[^<]*?\.", "</strong>.", alert)
        return re.sub(r"<tbody>.*", "", alert, flags=re.S)

    assert shape(visit_alert) == shape(theory_alert)
