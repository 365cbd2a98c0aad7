"""Publishing the plan page: a district admin turns it on or off and previews it first."""

from django.urls import reverse

from tests.helpers import query_budget


def _manage(district):
    return reverse("publication:manage", args=[district.slug])


def _preview(district, language):
    return reverse("publication:preview", args=[district.slug, language])


def test_admin_publishes_and_the_public_link_answers(as_member, client, published, personas):
    personas.district.plan_published = False
    personas.district.save()
    public_url = reverse("public:plan", args=[personas.district.slug])
    admin = as_member(personas.admin)
    response = admin.post(_manage(personas.district), {"plan_published": "on"}, follow=True)
    assert "The plan is now public." in response.text
    assert f"http://testserver{public_url}" in response.text
    history = admin.get(reverse("core:history", args=[personas.district.slug])).text
    assert f"Changed</strong> by {personas.admin.get_full_name()}" in history
    admin.logout()
    assert client.get(public_url).status_code == 200


def test_unpublishing_takes_the_page_down_at_once(as_member, client, published, personas):
    public_url = reverse("public:plan", args=[personas.district.slug])
    assert client.get(public_url).status_code == 200
    as_member(personas.admin).post(_manage(personas.district), {})
    client.logout()
    assert client.get(public_url).status_code == 404


def test_cabinet_previews_but_cannot_publish(as_member, published, personas):
    cabinet = as_member(personas.cabinet)
    page = cabinet.get(_manage(personas.district)).text
    assert "A district admin publishes or unpublishes the page." in page
    assert 'name="plan_published"' not in page
    assert cabinet.post(_manage(personas.district), {"plan_published": "on"}).status_code == 403


def test_preview_shows_an_unpublished_plan_to_those_who_plan(as_member, published, personas):
    personas.district.plan_published = False
    personas.district.save()
    cabinet = as_member(personas.cabinet)
    page = cabinet.get(_preview(personas.district, "es")).text
    assert "Aún no está publicada" in page
    assert "Metas y cómo las medimos" in page
    assert "Early literacy for every reader" in page


def test_board_and_campus_leaders_cannot_manage_or_preview(as_member, published, personas):
    for user in (personas.board, personas.campus_leader):
        member = as_member(user)
        assert member.get(_manage(personas.district)).status_code == 403
        assert member.get(_preview(personas.district, "en")).status_code == 403


def test_outsider_gets_404(as_member, published, personas):
    outsider = as_member(personas.outsider)
    assert outsider.get(_manage(personas.district)).status_code == 404
    assert outsider.get(_preview(personas.district, "en")).status_code == 404


def test_manage_page_says_when_there_is_nothing_to_publish(as_member, personas):
    page = as_member(personas.admin).get(_manage(personas.district)).text
    assert "There is no adopted plan yet" in page


def test_manage_and_preview_have_a_query_budget(as_member, published, personas):
    admin = as_member(personas.admin)
    # The pending list reads the plan's parts a query each, however many there are.
    with query_budget(9):
        assert admin.get(_manage(personas.district)).status_code == 200
    with query_budget(14):
        assert admin.get(_preview(personas.district, "en")).status_code == 200
