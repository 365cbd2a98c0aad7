"""A meeting summary PDF, requested from the meeting's page and rendered like the others."""

import io

from django.core.files.storage import default_storage
from django.test import TestCase
from django.urls import reverse
from pypdf import PdfReader

from reports.models import Report
from tests.factories import (
    ActionItemFactory,
    DecisionFactory,
    GoalFactory,
    MeetingFactory,
    PlanFactory,
)


def test_a_meeting_summary_is_requested_from_its_page_and_rendered(
    as_member, personas, media, monkeypatch
):
    from reports import tasks

    meeting = MeetingFactory(
        district=personas.district,
        title="Summer cabinet retreat",
        facilitator_name="Rosa Delgado",
        facilitator_organisation="Region 4 Education Service Center",
        guests="Ann Lee, Lakeside PTA",
    )
    goal = GoalFactory(
        plan=PlanFactory(district=personas.district),
        district=personas.district,
        title="Every reader by grade 3",
    )
    DecisionFactory(meeting=meeting, text="Adopt the early literacy goal", goal=goal)
    item = ActionItemFactory(
        visit=None,
        district=personas.district,
        campus=personas.district.campuses.get(),
        description="Draft the literacy measures",
    )
    meeting.follow_ups.add(item)
    client = as_member(personas.cabinet)
    page = client.get(reverse("meetings:meeting", args=["lakeside", meeting.pk])).text
    assert "Make a PDF" in page
    monkeypatch.setattr(tasks, "enqueue_render", tasks.render_report)
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            reverse("reports:request", args=["lakeside"]),
            {"kind": "meeting", "meeting": meeting.pk, "language": "en"},
        )
    assert response.status_code == 302
    report = Report.objects.get()
    assert (report.kind, report.meeting, report.status) == ("meeting", meeting, "ready")
    assert "Summer cabinet retreat" in report.title
    with default_storage.open(report.file.name, "rb") as handle:
        text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(handle.read())).pages)
    flat = " ".join(text.split())
    assert "Rosa Delgado (Region 4 Education Service Center)" in flat
    assert "Ann Lee (Lakeside PTA)" in flat
    assert "Adopt the early literacy goal" in flat
    assert "Every reader by grade 3" in flat
    assert "Draft the literacy measures" in flat


def test_a_meeting_summary_needs_a_meeting_of_this_district(as_member, personas):
    client = as_member(personas.cabinet)
    url = reverse("reports:request", args=["lakeside"])
    assert "Choose the meeting to summarise." in client.post(url, {"kind": "meeting"}).text
    foreign = MeetingFactory(district=personas.other_district)
    response = client.post(url, {"kind": "meeting", "meeting": foreign.pk})
    assert response.status_code == 200
    assert not Report.objects.exists()


def test_board_cannot_request_a_meeting_summary(as_member, personas):
    meeting = MeetingFactory(district=personas.district)
    client = as_member(personas.board)
    page = client.get(reverse("meetings:meeting", args=["lakeside", meeting.pk])).text
    assert "Make a PDF" not in page
    response = client.post(
        reverse("reports:request", args=["lakeside"]), {"kind": "meeting", "meeting": meeting.pk}
    )
    assert response.status_code == 403
    assert not Report.objects.exists()
