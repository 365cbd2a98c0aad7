import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from benchmarking.models import Evidence, Indicator, Rating
from benchmarking.selectors import rating_spread
from benchmarking.services import (
    consensus_record,
    evidence_from_observations,
    rating_record,
)
from tests.factories import MembershipFactory, ProgramFactory, VisitFactory


def add(client, analysis, **extra):
    data = {
        "kind": "artifact",
        "collected_on": "2026-02-10",
        "summary": "Curriculum maps for grades K-5",
    } | extra
    return client.post(reverse("discovery:evidence_add", args=["lakeside", analysis.pk]), data)


def test_evidence_with_an_attachment_is_stored_privately_and_opened_by_members(
    as_member, personas, analysis
):
    client = as_member(personas.cabinet)
    pdf = SimpleUploadedFile("maps.pdf", b"%PDF-1.7 maps", "application/pdf")
    assert add(client, analysis, file=pdf).status_code == 302
    record = Evidence.objects.get()
    assert record.file_name == "maps.pdf"
    response = as_member(personas.board).get(
        reverse("discovery:evidence_file", args=["lakeside", record.pk])
    )
    assert b"".join(response.streaming_content) == b"%PDF-1.7 maps"
    assert (
        as_member(personas.outsider)
        .get(reverse("discovery:evidence_file", args=["lakeside", record.pk]))
        .status_code
        == 404
    )


def test_an_attachment_gone_from_the_storage_is_not_found_rather_than_an_error(
    as_member, personas, analysis
):
    client = as_member(personas.cabinet)
    pdf = SimpleUploadedFile("maps.pdf", b"%PDF-1.7 maps", "application/pdf")
    add(client, analysis, file=pdf)
    record = Evidence.objects.get()
    default_storage.delete(record.file.name)
    response = client.get(reverse("discovery:evidence_file", args=["lakeside", record.pk]))
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            SimpleUploadedFile("run.exe", b"MZ", "application/octet-stream"),
            "Attach a PDF, an image",
        ),
        (
            SimpleUploadedFile("fake.pdf", b"<html>not a pdf</html>", "application/pdf"),
            "This file is not the PDF its name says.",
        ),
        (
            SimpleUploadedFile("big.png", b"\x89PNG" + b"0" * (10 * 1024 * 1024), "image/png"),
            "Files up to 10 MB",
        ),
    ],
)
def test_bad_attachments_are_refused_and_nothing_saved(
    as_member, personas, analysis, upload, message
):
    response = add(as_member(personas.cabinet), analysis, file=upload)
    assert message in response.text
    assert not Evidence.objects.exists()


def test_visit_observations_are_pulled_in_once(personas, analysis):
    from visits.models import Observation

    visit = VisitFactory(
        program=ProgramFactory(district=personas.district), campus=personas.district.campuses.get()
    )
    observation = Observation.objects.create(
        district=personas.district,
        visit=visit,
        kind="classroom",
        notes="Pairs explained",
        fingerprint="x",
    )
    evidence_from_observations(analysis=analysis, user=None, observations=[observation])
    evidence_from_observations(analysis=analysis, user=None, observations=[observation])
    record = Evidence.objects.get()
    assert (record.kind, record.campus, record.summary) == (
        "observation",
        visit.campus,
        "Pairs explained",
    )


def test_spread_self_versus_team_and_single_source_flag(personas, analysis):
    indicator = Indicator.objects.filter(building_block__framework=analysis.framework).first()
    other_rater = MembershipFactory(district=personas.district, role="visit_team").user
    interview = Evidence.objects.create(
        district=personas.district,
        analysis=analysis,
        kind="interview",
        collected_on="2026-02-01",
        summary="Principals",
    )
    survey = Evidence.objects.create(
        district=personas.district,
        analysis=analysis,
        kind="survey",
        collected_on="2026-02-02",
        summary="Teachers",
    )
    rating_record(
        analysis=analysis,
        user=personas.cabinet,
        indicator=indicator,
        campus=None,
        source="self",
        level=3,
        evidence=[interview, survey],
    )
    rating_record(
        analysis=analysis,
        user=other_rater,
        indicator=indicator,
        campus=None,
        source="team",
        level=1,
        evidence=[interview],
    )
    consensus_record(analysis=analysis, user=None, indicator=indicator, campus=None, level=2)
    [row] = rating_spread(analysis=analysis)
    assert (row["spread"], row["self"], row["team"], row["consensus"]) == (2, 3, 1, 2)
    flags = {r.source: r.single_source for r in row["ratings"]}
    assert flags == {"self": False, "team": True}


def test_rating_outside_the_rubric_is_explained(as_member, personas, analysis):
    indicator = Indicator.objects.filter(building_block__framework=analysis.framework).first()
    response = as_member(personas.cabinet).post(
        reverse("discovery:rating_add", args=["lakeside", analysis.pk]),
        {"indicator": indicator.pk, "level": 7, "source": "self"},
    )
    assert "Choose a level of the rubric." in response.text
    assert not Rating.objects.exists()
