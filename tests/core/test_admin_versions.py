"""The Django admin keeps the no-lost-update promise of the app's own forms."""

import pytest
from django.urls import reverse

from core.roles import Role
from tests.factories import CampusFactory, MembershipFactory, StrandFactory, UserFactory


@pytest.fixture
def staff(client, personas):
    user = UserFactory(is_staff=True)
    MembershipFactory(user=user, district=personas.district, role=Role.ADMIN)
    client.force_login(user)
    return client


def edit_strand(client, strand, **extra):
    return client.post(
        reverse("admin:theories_strand_change", args=[strand.pk]),
        {"district": strand.district_id, "name": "Renamed", "order": strand.order, **extra},
    )


def test_the_version_opened_is_saved_and_moves_on(staff, personas):
    strand = StrandFactory(district=personas.district, name="Data")
    page = staff.get(reverse("admin:theories_strand_change", args=[strand.pk]))
    assert 'name="opened_version" value="1"' in page.text
    response = edit_strand(staff, strand, opened_version=1)
    assert response.status_code == 302
    strand.refresh_from_db()
    assert (strand.name, strand.version) == ("Renamed", 2)


def test_a_stale_version_is_refused(staff, personas):
    strand = StrandFactory(district=personas.district, name="Data", version=3)
    response = edit_strand(staff, strand, opened_version=2)
    assert response.status_code == 200
    assert "Someone else changed this record since you opened it." in response.text
    strand.refresh_from_db()
    assert (strand.name, strand.version) == ("Data", 3)


@pytest.mark.parametrize("extra", [{}, {"opened_version": ""}, {"opened_version": "0"}])
def test_a_missing_or_zero_version_is_refused(staff, personas, extra):
    strand = StrandFactory(district=personas.district, name="Data", version=3)
    response = edit_strand(staff, strand, **extra)
    assert response.status_code == 200
    assert "did not say which version it was opened at" in response.text
    strand.refresh_from_db()
    assert strand.name == "Data"


def test_superusers_are_held_to_the_version_too(client, personas):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    strand = StrandFactory(district=personas.district, name="Data", version=3)
    response = edit_strand(client, strand, opened_version=1)
    assert "Someone else changed this record since you opened it." in response.text
    strand.refresh_from_db()
    assert strand.name == "Data"


def test_versioned_admin_choices_stay_in_the_district(staff, personas):
    foreign = CampusFactory(district=personas.other_district, name="Hillcrest Middle")
    page = staff.get(reverse("admin:visits_actionitem_add"))
    assert page.status_code == 200
    assert "Lakeside Elementary" in page.text
    assert foreign.name not in page.text


def test_a_district_admin_finds_their_districts_feedback_in_the_admin_and_no_other(staff, personas):
    from tests.factories import FeedbackFactory, GoalFactory, PlanFactory

    ours = FeedbackFactory(goal=GoalFactory(plan=PlanFactory(district=personas.district)))
    theirs = FeedbackFactory(goal=GoalFactory(plan=PlanFactory(district=personas.other_district)))
    listing = staff.get(reverse("admin:public_feedback_changelist")).text
    assert str(ours) in listing
    assert staff.get(reverse("admin:public_feedback_change", args=[theirs.pk])).status_code in (
        302,
        404,
    )
