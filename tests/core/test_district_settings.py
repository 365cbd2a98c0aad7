"""The district settings page: a district admin sets the smallest student group shown, with a
message next to the field for anything but a whole number from 1 to 100, and the history
keeps who changed it."""

import pytest
from django.urls import reverse

from core.history import history, record_events
from core.models import District
from core.roles import Role
from tests.helpers import query_budget


def _url(district):
    return reverse("core:settings", args=[district.slug])


def test_an_admin_sets_the_smallest_group_and_the_history_keeps_it(as_member, personas):
    client = as_member(personas.admin)
    response = client.post(_url(personas.district), {"smallest_group_shown": "15"}, follow=True)
    assert "The district&#x27;s settings are saved." in response.text
    assert 'value="15"' in response.text
    assert District.objects.get(pk=personas.district.pk).smallest_group_shown == 15
    changes = [
        (change.old, change.new, entry.user)
        for entry in history([record_events(personas.district)])
        for change in entry.changes
        if entry.action == "changed" and change.field == "smallest_group_shown"
    ]
    assert changes == [("10", "15", personas.admin)]


@pytest.mark.parametrize("value", ["0", "101", "12.5", "ten", "", "-3", "²", "1" + "0" * 30])
def test_anything_but_a_whole_number_from_1_to_100_is_refused_next_to_the_field(
    as_member, personas, value
):
    response = as_member(personas.admin).post(
        _url(personas.district), {"smallest_group_shown": value}
    )
    assert response.status_code == 200
    assert (
        '<ul class="errorlist" id="id_smallest_group_shown_error"><li>Enter a whole number of '
        "students from 1 to 100.</li></ul>" in response.text
    )
    assert District.objects.get(pk=personas.district.pk).smallest_group_shown == 10


@pytest.mark.parametrize("role", [r for r in Role if r != Role.ADMIN])
def test_only_district_admins_change_the_settings(as_member, personas, role):
    client = as_member(personas.by_role()[role])
    assert client.post(_url(personas.district), {"smallest_group_shown": "3"}).status_code == 403
    assert District.objects.get(pk=personas.district.pk).smallest_group_shown == 10


def test_a_member_of_another_district_gets_404(as_member, personas):
    client = as_member(personas.outsider)
    assert client.get(_url(personas.district)).status_code == 404
    assert client.post(_url(personas.district), {"smallest_group_shown": "3"}).status_code == 404
    assert District.objects.get(pk=personas.district.pk).smallest_group_shown == 10


def test_admins_reach_the_settings_from_the_menu_and_the_page_has_a_query_budget(
    as_member, personas
):
    client = as_member(personas.admin)
    home = client.get(reverse("dashboard:home", args=[personas.district.slug])).text
    assert f'href="{_url(personas.district)}"' in home
    with query_budget(8):
        page = client.get(_url(personas.district)).text
    assert 'name="smallest_group_shown"' in page
    cabinet_home = as_member(personas.cabinet).get(
        reverse("dashboard:home", args=[personas.district.slug])
    )
    assert f'href="{_url(personas.district)}"' not in cabinet_home.text
