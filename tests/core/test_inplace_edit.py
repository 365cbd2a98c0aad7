"""core.inplace_edit.versioned_edit: every page that edits a versioned record behaves alike.

A second editor who saves over a change they did not see is shown the same conflict screen
everywhere (their text kept in the form, the saved text beside it, nothing overwritten) and
chooses to keep theirs or take the other; htmx gets the fragment, a plain post a redirect."""

import datetime
import re
from dataclasses import dataclass

import pytest
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.urls import reverse

from benchmarking.frameworks import built_in_framework, framework_copy
from benchmarking.models import Indicator
from benchmarking.services import analysis_create, evidence_add, rating_record
from core.inplace_edit import versioned_edit
from tests.factories import (
    ActionFactory,
    GoalFactory,
    MeasureFactory,
    PlanFactory,
    StrandFactory,
    TheoryFactory,
    VisitFactory,
)
from theories.forms import StrandForm
from theories.models import Strand

HX = {"HTTP_HX_REQUEST": "true"}
THEIRS = "Saved by the first editor"
MINE = "Typed by the second editor"


@dataclass
class Page:
    url_name: str
    make: object  # personas -> the record
    field: str
    fragment: bool  # whether an htmx save is answered with the record's fragment
    form_url: str = ""  # where the form is drawn, when not at the address it posts to
    # Whether the fragment shows the edited field (a rating's row shows levels, not the why).
    fragment_shows_field: bool = True

    def __str__(self):
        return self.url_name


def _analysis(personas):
    return analysis_create(
        district=personas.district,
        user=personas.admin,
        name="Discovery",
        framework=framework_copy(framework=built_in_framework(), district=personas.district),
        starts_on=datetime.date(2026, 1, 5),
        ends_on=datetime.date(2026, 5, 29),
        campuses=[],
    )


def _indicator(analysis):
    return Indicator.objects.filter(building_block__framework=analysis.framework).first()


def _evidence(personas):
    analysis = _analysis(personas)
    return evidence_add(
        analysis=analysis,
        user=personas.admin,
        kind="interview",
        collected_on=datetime.date(2026, 2, 10),
        summary="Principals' focus group",
        indicators=[_indicator(analysis)],
    )


def _rating(personas):
    """The admin's own rating: only its rater may edit one."""
    analysis = _analysis(personas)
    return rating_record(
        analysis=analysis,
        user=personas.admin,
        indicator=_indicator(analysis),
        campus=None,
        source="self",
        level=2,
        rationale="Some programs",
        evidence=[],
    )


HTMX, PLAIN = True, False
PAGES = [
    Page("theories:strand", lambda p: StrandFactory(district=p.district), "name", HTMX, "?edit=1"),
    Page(
        "theories:theory",
        lambda p: TheoryFactory(strand__district=p.district),
        "then_clause",
        HTMX,
        "edit/",
    ),
    Page(
        "theories:action",
        lambda p: ActionFactory(theory__strand__district=p.district),
        "description",
        HTMX,
    ),
    Page("plan:edit", lambda p: PlanFactory(district=p.district), "vision", HTMX),
    Page("plan:goal", lambda p: GoalFactory(plan__district=p.district), "title", HTMX),
    Page(
        "plan:measure_edit",
        lambda p: MeasureFactory(goal__plan__district=p.district),
        "name",
        PLAIN,
    ),
    Page(
        "visits:visit_update", lambda p: VisitFactory(program__district=p.district), "focus", PLAIN
    ),
    Page(
        "visits:debrief", lambda p: VisitFactory(program__district=p.district), "strengths", PLAIN
    ),
    Page("people:member", lambda p: p.cabinet.memberships.get(district=p.district), "title", PLAIN),
    Page("discovery:evidence_item", _evidence, "summary", HTMX, "edit/"),
    Page("discovery:rating", _rating, "rationale", HTMX, "edit/", fragment_shows_field=False),
]


def _as_posted(form):
    """What the browser sends for the form as it was drawn."""
    data = {}
    for name in form.fields:
        value = form[name].value()
        if isinstance(value, list | tuple):
            data[name] = [str(v) for v in value]
        elif value is not None:
            data[name] = str(value)
    return data


def _alert(text):
    found = re.search(r'<div class="notice warn conflict" role="alert">.*?</table>', text, re.S)
    assert found, "no conflict shown"
    return found[0]


def _stored(record, field):
    return getattr(type(record)._default_manager.get(pk=record.pk), field)


def _open(page, as_member, personas):
    """The record, its address, and the form as the editor drew it."""
    record = page.make(personas)
    url = reverse(page.url_name, args=["lakeside", record.pk])
    client = as_member(personas.admin)
    drawn = client.get(url + page.form_url)
    assert drawn.status_code == 200
    return record, url, _as_posted(drawn.context["form"]), client


@pytest.mark.parametrize("page", PAGES, ids=str)
def test_a_stale_save_shows_both_versions_and_overwrites_nothing(as_member, personas, page):
    record, url, data, client = _open(page, as_member, personas)
    assert client.post(url, {**data, page.field: THEIRS}).status_code == 302

    response = client.post(url, {**data, page.field: MINE})  # still the version first drawn
    assert response.status_code == 200
    alert = _alert(response.text)
    assert "Someone else saved this while you were editing" in alert
    assert THEIRS in alert
    assert MINE in alert
    assert "Keep my version" in response.text
    assert "Use their version" in response.text
    assert MINE in response.text.replace(alert, "")  # still in the form, to keep or drop
    assert _stored(record, page.field) == THEIRS

    # Keep mine: the form now carries the saved version, so saving again wins deliberately.
    version = re.search(r'name="version" value="(\d+)"', response.text)[1]
    assert int(version) == record.version + 1
    assert client.post(url, {**data, page.field: MINE, "version": version}).status_code == 302
    assert _stored(record, page.field) == MINE


@pytest.mark.parametrize("page", [p for p in PAGES if p.fragment], ids=str)
def test_htmx_gets_fragments_and_a_plain_post_a_redirect(as_member, personas, page):
    record, url, data, client = _open(page, as_member, personas)
    saved = client.post(url, {**data, page.field: THEIRS}, **HX)
    assert saved.status_code == 200
    assert "<html" not in saved.text
    assert _stored(record, page.field) == THEIRS
    if page.fragment_shows_field:
        assert THEIRS in saved.text

    stale = client.post(url, {**data, page.field: MINE}, **HX)
    assert "<html" not in stale.text
    assert MINE in _alert(stale.text)

    plain = client.post(url, {**data, page.field: MINE, "version": record.version + 1})
    assert plain.status_code == 302
    assert _stored(record, page.field) == MINE


@pytest.mark.parametrize("page", [p for p in PAGES if not p.fragment], ids=str)
def test_a_page_without_a_fragment_redirects_htmx_too(as_member, personas, page):
    record, url, data, client = _open(page, as_member, personas)
    assert client.post(url, {**data, page.field: THEIRS}, **HX).status_code == 302
    assert _stored(record, page.field) == THEIRS


def _edit_strand(strand, request, save=None, **options):
    """A strand's edit through the helper alone, drawn with the shared template."""
    return versioned_edit(
        request,
        instance=strand,
        form_class=StrandForm,
        form_kwargs={"district": strand.district},
        save=save,
        template="core/_conflict.html",
        success_url=lambda saved: f"/strands/{saved.pk}/",
        **options,
    )


def _request(data=None, user=None):
    request = RequestFactory().post("/", data) if data is not None else RequestFactory().get("/")
    request.htmx = False
    request.user = user
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def test_a_refusal_of_the_service_is_shown_next_to_its_field(personas):
    strand = StrandFactory(district=personas.district, name="Expectations")

    def save(form, **edit):
        raise ValidationError({"name": "Another strand has this name."})

    response = _edit_strand(strand, _request({"name": "Motivation", "version": "1"}), save)
    assert response.status_code == 200
    assert "Another strand has this name." in response.text
    assert Strand.objects.get(pk=strand.pk).name == "Expectations"


def test_the_save_gets_the_version_the_editor_started_from(personas):
    strand = StrandFactory(district=personas.district)
    seen = []

    def save(form, expected_version, user):
        seen.append((expected_version, user))
        return strand

    request = _request({"name": "Motivation", "version": "7"}, user=personas.cabinet)
    response = _edit_strand(strand, request, save, message="Saved.")
    assert seen == [(7, personas.cabinet)]
    assert response.status_code == 302
    assert response.url == f"/strands/{strand.pk}/"


def test_the_form_page_offers_cancel_back_to_the_record(personas):
    strand = StrandFactory(district=personas.district)
    response = _edit_strand(strand, _request())
    assert f'href="/strands/{strand.pk}/"' in response.text
    assert "Cancel" in response.text
    assert "Someone else saved" not in response.text
