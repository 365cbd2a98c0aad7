"""Families see the plan as the board adopted it and an admin published it, never an edit
nobody reviewed: later changes wait in a list until a district admin publishes them."""

from django.urls import reverse

from district_plan.models import Goal
from district_plan.services import part_create, part_update, plan_adopt
from tests.factories import StrandFactory, TheoryFactory
from theories.models import TheoryOfAction
from theories.services import theory_update


def _public(client, district):
    return client.get(reverse("public:plan_in", args=[district.slug, "en"])).text


def _manage(district):
    return reverse("publication:manage", args=[district.slug])


def _publish(district):
    return reverse("publication:publish", args=[district.slug])


def _add_goal(plan, user, title):
    return part_create(instance=Goal(district=plan.district, plan=plan, title=title), user=user)


def _adopt_the_proposal(user):
    theory = TheoryOfAction.objects.get(if_clause="we pilot a secret new program")
    return theory_update(
        theory=theory, expected_version=theory.version, user=user, data={"status": "adopted"}
    )


def _publish_as(admin_client, district):
    review = admin_client.get(_publish(district))
    fingerprint = review.context["fingerprint"]
    return admin_client.post(_publish(district), {"reviewed": fingerprint}, follow=True)


def test_a_goal_added_after_adoption_is_not_public_until_published(
    as_member, client, published, personas
):
    _add_goal(published, personas.cabinet, "Attendance above 95% on every campus")
    assert "Attendance above 95%" not in _public(client, personas.district)
    _publish_as(as_member(personas.admin), personas.district)
    client.logout()
    assert "Attendance above 95%" in _public(client, personas.district)


def test_a_theory_switched_to_adopted_is_not_public_until_published(
    as_member, client, published, personas
):
    _adopt_the_proposal(personas.cabinet)
    assert "secret new program" not in _public(client, personas.district)
    _publish_as(as_member(personas.admin), personas.district)
    client.logout()
    assert "secret new program" in _public(client, personas.district)


def test_an_edited_goal_keeps_its_adopted_wording_until_published(
    as_member, client, published, personas
):
    goal = Goal.objects.get(title="Early literacy for every reader")
    part_update(
        instance=goal,
        expected_version=goal.version,
        user=personas.cabinet,
        data={"title": "Every child a reader"},
    )
    page = _public(client, personas.district)
    assert "Early literacy for every reader" in page
    assert "Every child a reader" not in page


def test_adopting_the_plan_again_publishes_it(client, published, personas):
    _add_goal(published, personas.cabinet, "Attendance above 95% on every campus")
    plan_adopt(
        plan=published,
        expected_version=published.version,
        user=personas.admin,
        adopted_on=published.adopted_on,
    )
    assert "Attendance above 95%" in _public(client, personas.district)


def test_new_measure_values_show_at_once(client, published, personas):
    from decimal import Decimal

    from django.utils import timezone

    from district_plan.models import Measure
    from district_plan.services import measure_value_record

    measure = Measure.objects.get(name="Third graders reading on grade level")
    measure.values.all().delete()
    measure_value_record(
        measure=measure,
        user=personas.cabinet,
        observed_on=timezone.localdate(),
        value=Decimal("61.5"),
    )
    assert "61.5 %" in _public(client, personas.district)


def test_the_admin_sees_what_waits_to_be_published(as_member, published, personas):
    admin = as_member(personas.admin)
    assert "Nothing waits to be published" in admin.get(_manage(personas.district)).text
    _add_goal(published, personas.cabinet, "Attendance above 95% on every campus")
    _adopt_the_proposal(personas.cabinet)
    goal = Goal.objects.get(title="Early literacy for every reader")
    part_update(
        instance=goal,
        expected_version=goal.version,
        user=personas.cabinet,
        data={"title": "Every child a reader"},
    )
    TheoryFactory(
        strand=StrandFactory(district=personas.district),
        status="proposed",
        if_clause="we try an idea nobody adopted",
    )
    page = admin.get(_manage(personas.district)).text
    assert "Waiting to be published" in page
    assert "Attendance above 95% on every campus" in page
    assert "IF we pilot a secret new program" in page
    assert "Early literacy for every reader" in page
    assert "Every child a reader" in page
    # What would not be public anyway is not pending.
    assert "nobody adopted" not in page


def test_the_admin_reviews_then_publishes_and_it_is_in_the_history(
    as_member, client, published, personas
):
    _add_goal(published, personas.cabinet, "Attendance above 95% on every campus")
    admin = as_member(personas.admin)
    review = admin.get(_publish(personas.district))
    assert review.status_code == 200
    assert "Attendance above 95% on every campus" in review.text
    # Looking at the review publishes nothing.
    client.logout()
    assert "Attendance above 95%" not in _public(client, personas.district)
    admin = as_member(personas.admin)
    response = admin.post(
        _publish(personas.district), {"reviewed": review.context["fingerprint"]}, follow=True
    )
    assert "The public page now shows the plan as it is." in response.text
    assert "Nothing waits to be published" in response.text
    history = admin.get(reverse("plan:history", args=[personas.district.slug, published.pk])).text
    assert f"Created</strong> by {personas.admin.get_full_name()}" in history
    assert "Attendance above 95% on every campus" in history


def test_a_change_made_during_the_review_is_not_published_unseen(
    as_member, client, published, personas
):
    admin = as_member(personas.admin)
    _add_goal(published, personas.cabinet, "Attendance above 95% on every campus")
    fingerprint = admin.get(_publish(personas.district)).context["fingerprint"]
    _add_goal(published, personas.cabinet, "A goal added while the admin was reading")
    response = admin.post(_publish(personas.district), {"reviewed": fingerprint})
    assert response.status_code == 200
    assert "The plan changed while you were reviewing it" in response.text
    client.logout()
    page = _public(client, personas.district)
    assert "Attendance above 95%" not in page
    assert "while the admin was reading" not in page


def test_only_district_admins_publish(as_member, client, published, personas):
    _add_goal(published, personas.cabinet, "Attendance above 95% on every campus")
    for user in (personas.cabinet, personas.board, personas.visit_team):
        member = as_member(user)
        assert member.get(_publish(personas.district)).status_code == 403
        assert member.post(_publish(personas.district), {"reviewed": "x"}).status_code == 403
    cabinet_page = as_member(personas.cabinet).get(_manage(personas.district)).text
    assert "Attendance above 95% on every campus" in cabinet_page
    assert _publish(personas.district) not in cabinet_page
    client.logout()
    assert "Attendance above 95%" not in _public(client, personas.district)


def test_preview_shows_what_publishing_would_show(as_member, published, personas):
    _add_goal(published, personas.cabinet, "Attendance above 95% on every campus")
    preview = reverse("publication:preview", args=[personas.district.slug, "en"])
    page = as_member(personas.cabinet).get(preview).text
    assert "Attendance above 95%" in page
    assert "as it will be once what waits is published" in page


def test_publishing_leaves_the_comparison_with_the_adopted_plan_alone(
    as_member, published, personas
):
    from district_plan.models import PlanSnapshot

    adopted = PlanSnapshot.objects.get(plan=published)
    _add_goal(published, personas.cabinet, "Attendance above 95% on every campus")
    admin = as_member(personas.admin)
    _publish_as(admin, personas.district)
    plan_page = admin.get(reverse("plan:plan", args=[personas.district.slug, published.pk])).text
    compare = reverse("plan:compare", args=[personas.district.slug, published.pk, adopted.pk])
    assert f'href="{compare}"' in plan_page
    assert "Attendance above 95% on every campus" in admin.get(compare).text


def test_a_made_up_review_publishes_nothing(as_member, client, published, personas):
    _add_goal(published, personas.cabinet, "Attendance above 95% on every campus")
    admin = as_member(personas.admin)
    for reviewed in ("", "x" * 5000, "0" * 64):
        response = admin.post(_publish(personas.district), {"reviewed": reviewed})
        assert response.status_code == 200
        assert "Review the changes again" in response.text
    client.logout()
    assert "Attendance above 95%" not in _public(client, personas.district)


def test_what_a_publication_changed_reads_in_the_readers_language(as_member, published, personas):
    _add_goal(published, personas.cabinet, "Attendance above 95% on every campus")
    admin = as_member(personas.admin)
    review = admin.get(_publish(personas.district))
    admin.post(_publish(personas.district), {"reviewed": review.context["fingerprint"]})
    url = reverse("plan:history", args=[personas.district.slug, published.pk])
    english = admin.get(url, HTTP_ACCEPT_LANGUAGE="en").text
    assert "Goals: added Attendance above 95% on every campus" in english
    spanish = admin.get(url, HTTP_ACCEPT_LANGUAGE="es").text
    assert "Metas: se añadió Attendance above 95% on every campus" in spanish
