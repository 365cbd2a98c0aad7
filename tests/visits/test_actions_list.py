"""The actions list: a status change with its note and evidence, done items apart from open
ones, tab counts that match what each tab lists, and conflicts that say which item collided."""

import datetime
import re
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
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


def index(**params):
    """The actions list with these query parameters (`open` may be a list)."""
    query = urlencode(params, doseq=True)
    return reverse("actions:index", args=["lakeside"]) + (f"?{query}" if query else "")


def group_keys(page):
    """The owner groups a page lists, in order."""
    return re.findall(r'<section class="panel" id="owner-([a-z]+-\d+)"', page)


def every_group_open(client, show):
    """The tab with every owner group opened, as opening each one's link would show it."""
    return client.get(index(show=show, open=group_keys(client.get(index(show=show)).text))).text


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
    page = client.get(index(show="all", open=item.owner_key)).text
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
    page = as_member(personas.cabinet).get(index(show="all", open=f"campus-{visit.campus_id}")).text
    assert listed(page) == [
        "Item open-late",
        "Item open-soon",
        "Item open-later",
        "Item open-undated",
        "Item done-first",
        "Item done-middle",
        "Item done-undated",
    ]
    done = page[page.index(f'id="owner-campus-{visit.campus_id}-done"') :]
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
        page = every_group_open(client, show)
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
        response = client.get(index(show="all", open=f"campus-{visit.campus_id}"))
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


# Folded owner groups: the list sends each owner's counts, and its items when it is opened.


def hx_target(target):
    return {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": target}


@pytest.fixture
def two_owners(personas, visit):
    """Two items of the campus (one overdue) and one done, and one of a department."""
    department = personas.district.departments.get()
    return {
        "late": ActionItemFactory(visit=visit, description="Item late", due_date=in_days(-2)),
        "soon": ActionItemFactory(visit=visit, description="Item soon", due_date=in_days(3)),
        "done": ActionItemFactory(visit=visit, description="Item finished", status="done"),
        "department": ActionItemFactory(
            visit=visit,
            description="Item of a department",
            owner="department",
            department=department,
        ),
    }


def summary_of(page, key):
    start = page.index(f'id="owner-{key}-items-fold"')
    summary = page[page.index("<summary>", start) : page.index("</summary>", start)]
    return " ".join(re.sub(r"<[^>]+>", " ", summary).split())


def test_owner_groups_open_folded_with_their_open_overdue_and_done_counts(
    as_member, personas, visit, two_owners
):
    page = as_member(personas.cabinet).get(index(show="all")).text
    campus, department = f"campus-{visit.campus_id}", two_owners["department"].owner_key
    assert group_keys(page) == [campus, department]
    assert summary_of(page, campus) == "2 open 1 overdue 1 done"
    assert summary_of(page, department) == "1 open"
    assert "<strong>3</strong> open, <strong>1</strong> overdue." in page
    assert listed(page) == []
    assert "Item late" not in page


def test_opening_a_group_fetches_its_items_alone(as_member, personas, visit, two_owners):
    client = as_member(personas.cabinet)
    key = f"campus-{visit.campus_id}"
    page = client.get(index(show="all")).text
    assert f'hx-get="{index(show="all", open=key).replace("&", "&amp;")}#owner-{key}"' in page
    fragment = client.get(index(show="all", open=key), **hx_target(f"owner-{key}-items")).text
    assert listed(fragment) == ["Item late", "Item soon", "Item finished"]
    assert "<html" not in fragment
    assert 'class="inline-status"' in fragment


def test_without_javascript_a_groups_link_opens_it(as_member, personas, visit, two_owners):
    client = as_member(personas.cabinet)
    key = two_owners["department"].owner_key
    link = f'<a href="{index(show="open", open=key).replace("&", "&amp;")}#owner-{key}">'
    assert link in client.get(index(show="open")).text
    page = client.get(index(show="open", open=key)).text
    assert listed(page) == ["Item of a department"]
    assert f'id="owner-{key}-items-fold" hx-disinherit="*" open>' in page


def test_a_link_to_one_item_opens_its_group_on_the_item(as_member, personas, visit, two_owners):
    item = two_owners["soon"]
    client = as_member(personas.campus_leader)
    lands = f"{index(show='all', open=item.owner_key)}#item-{item.pk}"
    history = client.get(reverse("actions:history", args=["lakeside", item.pk])).text
    assert f'href="{lands.replace("&", "&amp;")}"' in history
    page = client.get(index(show="all", open=item.owner_key)).text
    assert f'<li class="action-item" id="item-{item.pk}">' in page
    # An update made in the opened group comes back to it, on the item.
    assert f'name="next" value="{lands.replace("&", "&amp;")}"' in page
    response = client.post(
        reverse("actions:item", args=["lakeside", item.pk]),
        {"status": "in_progress", "version": item.version, "next": lands},
    )
    assert response["Location"] == lands


def test_each_tab_counts_its_groups_from_what_it_lists(as_member, personas, visit, two_owners):
    client = as_member(personas.campus_leader)
    mine = client.get(index(show="mine")).text
    assert group_keys(mine) == [f"campus-{visit.campus_id}"]
    assert summary_of(mine, f"campus-{visit.campus_id}") == "2 open 1 overdue 1 done"
    open_tab = client.get(index(show="open")).text
    assert summary_of(open_tab, f"campus-{visit.campus_id}") == "2 open 1 overdue"


def test_a_group_the_tab_does_not_list_is_404_as_a_fragment(as_member, personas, visit, two_owners):
    client = as_member(personas.campus_leader)
    key = two_owners["department"].owner_key
    response = client.get(index(show="mine", open=key), **hx_target(f"owner-{key}-items"))
    assert response.status_code == 404
    key = f"campus-{visit.campus_id}"
    assert client.get(index(show="mine"), **hx_target(f"owner-{key}-items")).status_code == 200
    outsider = as_member(personas.outsider)
    assert outsider.get(index(show="all"), **hx_target(f"owner-{key}-items")).status_code == 404


def test_the_list_and_a_groups_items_keep_their_query_budget_at_any_size(
    as_member, personas, visit
):
    client = as_member(personas.cabinet)
    key = f"campus-{visit.campus_id}"
    counts = []
    for size in (3, 60):
        ActionItem.objects.all().delete()
        for n in range(size):
            ActionItemFactory(
                visit=visit, description=f"Item {n}", status="done" if n % 3 else "open"
            )
        with CaptureQueriesContext(connection) as page:
            assert client.get(index(show="all")).status_code == 200
        with CaptureQueriesContext(connection) as fragment:
            response = client.get(index(show="all", open=key), **hx_target(f"owner-{key}-items"))
        assert len(listed(response.text)) == size
        counts.append((len(page.captured_queries), len(fragment.captured_queries)))
    assert counts[0] == counts[1]
    assert counts[1][0] <= 5
    assert counts[1][1] <= 6
