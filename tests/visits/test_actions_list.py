"""The actions list: a status change with its note and evidence, done items apart from open
ones, tab counts that match what each tab lists, and conflicts that say which item collided."""

import datetime
import re

import pytest
from django.urls import reverse

from tests.factories import ActionItemFactory, CampusFactory, ProgramFactory, VisitFactory
from tests.helpers import travel_to
from visits.models import ActionItem

TODAY = datetime.date(2026, 11, 17)


@pytest.fixture(autouse=True)
def _today():
    with travel_to(TODAY):
        yield


@pytest.fixture
def visit(personas):
    return VisitFactory(
        program=ProgramFactory(district=personas.district),
        campus=personas.district.campuses.get(),
        date=TODAY - datetime.timedelta(days=30),
    )


def in_days(days):
    return None if days is None else TODAY + datetime.timedelta(days=days)


def listed(page):
    """The descriptions of the items on the page, in the order they are shown."""
    return re.findall(r'class="description">([^<]+)<', page)


def post_status(client, item, **fields):
    return client.post(
        reverse("actions:item", args=["lakeside", item.pk]),
        {"status": "done", "version": item.version} | fields,
        follow=True,
    )


def test_a_status_change_carries_a_note_and_evidence_shown_on_the_item_and_in_its_history(
    as_member, personas, visit
):
    item = ActionItemFactory(visit=visit, description="Item post-the-schedule")
    client = as_member(personas.campus_leader)
    response = post_status(
        client,
        item,
        status_note="Posted in the front office and on the staff site",
        evidence="https://drive.example.org/schedule",
    )
    assert "Action item updated." in response.text
    stored = ActionItem.objects.get(pk=item.pk)
    assert (stored.status, stored.status_note, stored.evidence) == (
        "done",
        "Posted in the front office and on the staff site",
        "https://drive.example.org/schedule",
    )
    page = client.get(reverse("actions:index", args=["lakeside"]) + "?show=all").text
    assert "Posted in the front office and on the staff site" in page
    assert 'href="https://drive.example.org/schedule"' in page
    history = client.get(reverse("actions:history", args=["lakeside", item.pk]))
    assert history.status_code == 200
    assert "Posted in the front office and on the staff site" in history.text
    assert "https://drive.example.org/schedule" in history.text
    assert personas.campus_leader.get_full_name() in history.text


def test_a_status_change_without_a_note_keeps_the_one_recorded(as_member, personas, visit):
    item = ActionItemFactory(visit=visit, status_note="Started the walkthroughs")
    post_status(as_member(personas.campus_leader), item, status="in_progress")
    assert ActionItem.objects.get(pk=item.pk).status_note == "Started the walkthroughs"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"status_note": "x" * 501}, "at most 500 characters"),
        ({"evidence": "y" * 3001}, "at most 3000 characters"),
        ({"status": "finished"}, "Select a valid choice"),
    ],
)
def test_a_bad_note_or_status_is_refused_naming_the_item_and_saves_nothing(
    as_member, personas, visit, fields, message
):
    item = ActionItemFactory(visit=visit, description="Item coach-the-team")
    response = post_status(as_member(personas.campus_leader), item, **fields)
    assert "Item coach-the-team" in response.text
    assert message in response.text
    stored = ActionItem.objects.get(pk=item.pk)
    assert (stored.status, stored.status_note, stored.version) == ("open", "", 1)


def test_done_items_sit_apart_below_the_open_ones_each_sorted_by_due_date(
    as_member, personas, visit
):
    for description, days, status in [
        ("Item open-later", 10, "open"),
        ("Item open-undated", None, "in_progress"),
        ("Item open-soon", 2, "open"),
        ("Item open-late", -3, "open"),
        ("Item done-middle", 5, "done"),
        ("Item done-undated", None, "done"),
        ("Item done-first", 1, "done"),
    ]:
        ActionItemFactory(
            visit=visit, description=description, due_date=in_days(days), status=status
        )
    page = (
        as_member(personas.cabinet)
        .get(reverse("actions:index", args=["lakeside"]) + "?show=all")
        .text
    )
    assert listed(page) == [
        "Item open-late",
        "Item open-soon",
        "Item open-later",
        "Item open-undated",
        "Item done-first",
        "Item done-middle",
        "Item done-undated",
    ]
    done = page[page.index('id="done-heading"') :]
    assert "Item done-first" in done
    assert "Item open-undated" not in done


def tab_count(page, name):
    return int(re.search(rf">{name} <span[^>]*>(\d+)</span>", page).group(1))


@pytest.mark.parametrize("role", ["campus_leader", "cabinet"])
def test_each_tab_counts_what_it_lists(as_member, personas, visit, role):
    member = getattr(personas, role)
    elsewhere = VisitFactory(
        program=visit.program, campus=CampusFactory(district=personas.district)
    )
    ActionItemFactory(visit=visit, description="Item mine-open", assignee=member)
    ActionItemFactory(visit=visit, description="Item mine-done", assignee=member, status="done")
    ActionItemFactory(visit=elsewhere, description="Item theirs-open")
    ActionItemFactory(visit=elsewhere, description="Item theirs-done", status="done")
    client = as_member(member)
    for show, tab in [("mine", "Mine"), ("open", "All open"), ("all", "Everything")]:
        page = client.get(reverse("actions:index", args=["lakeside"]) + f"?show={show}").text
        assert tab_count(page, tab) == len(listed(page)), show


def test_a_conflict_names_the_item_that_collided(as_member, personas, visit):
    item = ActionItemFactory(visit=visit, description="Item share-the-walkthrough-schedule")
    ActionItem.objects.filter(pk=item.pk).update(version=2)
    response = post_status(as_member(personas.campus_leader), item)
    assert "Someone else updated “Item share-the-walkthrough-schedule” meanwhile" in response.text
    assert ActionItem.objects.get(pk=item.pk).status == "open"


def test_the_actions_list_keeps_its_query_budget(
    as_member, personas, visit, django_assert_max_num_queries
):
    for n in range(30):
        ActionItemFactory(
            visit=visit,
            description=f"Item {n}",
            assignee=personas.campus_leader,
            status="done" if n % 3 == 0 else "open",
        )
    client = as_member(personas.cabinet)
    with django_assert_max_num_queries(15):
        response = client.get(reverse("actions:index", args=["lakeside"]) + "?show=all")
    assert len(listed(response.text)) == 30


def test_another_districts_member_gets_404_for_the_list_an_item_and_its_history(
    as_member, personas, visit
):
    item = ActionItemFactory(visit=visit)
    client = as_member(personas.outsider)
    for url in (
        reverse("actions:index", args=["lakeside"]),
        reverse("actions:history", args=["lakeside", item.pk]),
    ):
        assert client.get(url).status_code == 404, url
    assert post_status(client, item).status_code == 404
    assert ActionItem.objects.get(pk=item.pk).status == "open"
