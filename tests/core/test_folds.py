"""The shared fold of long lists (core/folds.py): the URL that opens a group keeps the page's
other parameters, and an htmx request names the group whose body it wants."""

from django.test import RequestFactory
from django_htmx.middleware import HtmxDetails

from core.folds import asked_open, fold_url, target_key


def request(path="/d/x/theories/", **headers):
    made = RequestFactory().get(path, headers=headers)
    made.htmx = HtmxDetails(made)
    return made


def test_a_groups_url_keeps_the_pages_parameters_and_lands_on_its_anchor():
    url = fold_url("/d/x/actions/", "campus-3", params=[("show", "all"), ("q", "")], anchor="a")
    assert url == "/d/x/actions/?show=all&open=campus-3#a"
    assert fold_url("/d/x/theories/", 5, params=[("q", "read & write")]) == (
        "/d/x/theories/?q=read+%26+write&open=5"
    )


def test_the_groups_asked_open_are_read_from_every_open_parameter():
    assert asked_open(request("/d/x/theories/?open=4&open=9&q=x")) == ["4", "9"]
    assert asked_open(request()) == []


def test_an_htmx_request_names_the_group_whose_body_it_targets():
    aimed = request(HX_Request="true", HX_Target="strand-12-theories")
    assert target_key(aimed, "strand-", "-theories") == "12"
    assert target_key(aimed, "owner-", "-items") is None
    assert (
        target_key(request(HX_Request="true", HX_Target="strand--theories"), "strand-", "-theories")
        is None
    )
    assert target_key(request(HX_Target="strand-12-theories"), "strand-", "-theories") is None
