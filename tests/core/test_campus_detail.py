from django.urls import reverse

from tests.factories import CampusFactory
from tests.helpers import query_budget


def test_shows_the_campus_and_its_leaders(as_member, personas):
    campus = personas.campus_leader.memberships.get().campuses.get()
    response = as_member(personas.board).get(reverse("core:campus", args=["lakeside", campus.pk]))
    assert response.status_code == 200
    assert "Lakeside Elementary" in response.text
    assert personas.campus_leader.full_name in response.text


def test_campus_of_another_district_is_404(as_member, personas):
    foreign = CampusFactory(district=personas.other_district)
    client = as_member(personas.admin)
    assert client.get(reverse("core:campus", args=["lakeside", foreign.pk])).status_code == 404


def test_outsider_gets_404(as_member, personas):
    campus = CampusFactory(district=personas.district)
    client = as_member(personas.outsider)
    assert client.get(reverse("core:campus", args=["lakeside", campus.pk])).status_code == 404


def test_query_budget(as_member, personas):
    campus = CampusFactory(district=personas.district)
    client = as_member(personas.cabinet)
    with query_budget(6):
        client.get(reverse("core:campus", args=["lakeside", campus.pk]))
