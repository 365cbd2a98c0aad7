"""Tenancy, generated from the URL resolver so every new district page is covered."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from benchmarking.frameworks import built_in_framework, framework_copy
from benchmarking.services import analysis_create
from district_plan.models import CampusPlanSnapshot, PlanSnapshot
from tests.factories import (
    ActionFactory,
    ActionItemFactory,
    CampusFactory,
    CampusGoalFactory,
    CampusPlanFactory,
    CampusStrategyFactory,
    CommentFactory,
    CompetencyFactory,
    DecisionFactory,
    FeedbackFactory,
    FocusAreaFactory,
    GoalFactory,
    InvitationFactory,
    MeasureFactory,
    MeasureValueFactory,
    MeetingFactory,
    MembershipFactory,
    NotificationFactory,
    OfferingFactory,
    ParticipationFactory,
    PartnerFactory,
    PerformanceObjectiveFactory,
    PlanFactory,
    ProgramFactory,
    ReportFactory,
    StrandFactory,
    StrategyFactory,
    TheoryFactory,
    VisitFactory,
)

DISTRICT_PREFIX = "d/<slug:district_slug>/"

PART_FACTORIES = {
    "competency": CompetencyFactory,
    "goal": GoalFactory,
    "focus-area": FocusAreaFactory,
    "strategy": StrategyFactory,
    "partner": PartnerFactory,
}


def _plan(district, made):
    if "plan" not in made:
        made["plan"] = PlanFactory(district=district)
    return made["plan"]


def _published_language(district, made):
    """The public page's preview needs an adopted plan; its parameter is a language."""
    plan = _plan(district, made)
    plan.status, plan.adopted_on = "adopted", "2025-08-01"
    plan.save()
    return "es"


def _snapshot(district, made):
    plan = _plan(district, made)
    return PlanSnapshot.objects.create(
        district=district, plan=plan, adopted_on="2025-08-01", data={"plan": {}}
    )


def _framework(district):
    return framework_copy(framework=built_in_framework(), district=district)


def _analysis(district):
    return analysis_create(
        district=district,
        user=None,
        name="Discovery",
        framework=_framework(district),
        starts_on="2026-01-01",
        ends_on="2026-06-01",
    )


def _recommendation(district):
    from benchmarking.models import Recommendation

    return Recommendation.objects.create(
        district=district, analysis=_analysis(district), text="Coordinate early literacy"
    )


def _evidence(district):
    from benchmarking.models import Evidence

    record = Evidence.objects.create(
        district=district,
        analysis=_analysis(district),
        kind="artifact",
        collected_on="2026-02-01",
        summary="Curriculum map",
    )
    record.file.save("test.pdf", ContentFile(b"%PDF-1.7"))
    return record


def _material(district):
    from meetings.models import Material

    record = Material(
        district=district, meeting=MeetingFactory(district=district), file_name="agenda.pdf"
    )
    record.file.save("agenda.pdf", ContentFile(b"%PDF-1.7"))
    return record


def _rating(district):
    """A rating by the district's admin (who opens every page in these sweeps): a rating is
    changed by its rater only."""
    from accounts.models import Membership
    from benchmarking.services import rating_record

    admin = Membership.objects.filter(district=district, role="admin").order_by("pk").first()
    rater = admin.user if admin else MembershipFactory(district=district, role="admin").user
    analysis = _analysis(district)
    indicator = analysis.framework.building_blocks.first().indicators.first()
    return rating_record(
        analysis=analysis,
        user=rater,
        indicator=indicator,
        campus=None,
        source="self",
        level=2,
        rationale="Half the campuses screen readers",
    )


def _report(district):
    name = default_storage.save("reports/test.pdf", ContentFile(b"%PDF-1.7"))
    return ReportFactory(district=district, status="ready", file=name)


def _logo(district):
    """Gives the district a logo and returns no query string (QUERY's "core:logo")."""
    import io

    from PIL import Image

    from core.models import DistrictLogo

    buffer = io.BytesIO()
    Image.new("RGB", (32, 32), "#163a69").save(buffer, "PNG")
    DistrictLogo.objects.update_or_create(
        district=district,
        defaults={"image": buffer.getvalue(), "format": "PNG", "width": 32, "height": 32},
    )
    return ""


def _program(district, made):
    if "program" not in made:
        made["program"] = ProgramFactory(district=district)
    return made["program"]


def _offering(district, made):
    if "offering" not in made:
        made["offering"] = OfferingFactory(district=district)
    return made["offering"]


def _part(district, made, kind):
    if kind == "strategy":
        return StrategyFactory(focus_area=FocusAreaFactory(plan=_plan(district, made)))
    return PART_FACTORIES[kind](plan=_plan(district, made))


def _campus_plan(district, made):
    if "campus_plan" not in made:
        made["campus_plan"] = CampusPlanFactory(campus=CampusFactory(district=district))
    return made["campus_plan"]


def _campus_snapshot(district, made):
    plan = _campus_plan(district, made)
    return CampusPlanSnapshot.objects.create(
        district=district, campus_plan=plan, approved_on=plan.created_at.date(), data={}
    )


def _campus_goal(district, made):
    plan = _campus_plan(district, made)
    return CampusGoalFactory(
        campus_plan=plan, district_goal=GoalFactory(plan=_plan(district, made))
    )


def _campus_part(district, made, kind):
    """A part of a campus plan of the URL's kind; asked for a district plan's kind (the bad-input
    sweep furnishes one record of every kind), one of each, returning the goal."""
    if kind in CAMPUS_PART_FACTORIES:
        return CAMPUS_PART_FACTORIES[kind](district, made)
    parts = [make(district, made) for make in CAMPUS_PART_FACTORIES.values()]
    return parts[0]


CAMPUS_PART_FACTORIES = {
    "campus-goal": _campus_goal,
    "objective": lambda district, made: PerformanceObjectiveFactory(
        campus_goal=_campus_goal(district, made)
    ),
    "campus-strategy": lambda district, made: CampusStrategyFactory(
        campus_plan=_campus_plan(district, made)
    ),
}


def _commented_theory(district, made):
    if "theory" not in made:
        made["theory"] = TheoryFactory(strand=StrandFactory(district=district))
    return made["theory"]


def _district_admin(district):
    """The district's admin, who opens every page here."""
    from accounts.models import Membership

    admin = Membership.objects.filter(district=district, role="admin").order_by("pk").first()
    return admin.user if admin else MembershipFactory(district=district, role="admin").user


def _notification(district, made):
    """A notification in the admin's inbox."""
    return NotificationFactory(
        comment=CommentFactory(record=_commented_theory(district, made)),
        recipient=_district_admin(district),
    )


# How to make an object of the URL's kind in a district, by URL parameter name. A page with
# a parameter missing here fails `test_every_object_parameter_is_known`.
OBJECT_PARAMETERS = {
    "campus_pk": lambda district, made, defaults: CampusFactory(district=district).pk,
    "membership_pk": lambda district, made, defaults: MembershipFactory(district=district).pk,
    "invitation_pk": lambda district, made, defaults: InvitationFactory(district=district).pk,
    "plan_pk": lambda district, made, defaults: _plan(district, made).pk,
    "snapshot_pk": lambda district, made, defaults: _snapshot(district, made).pk,
    "part_pk": lambda district, made, defaults: _part(district, made, defaults["kind"]).pk,
    "measure_pk": lambda district, made, defaults: (
        MeasureFactory(goal=GoalFactory(plan=_plan(district, made))).pk
    ),
    "value_pk": lambda district, made, defaults: (
        MeasureValueFactory(measure=MeasureFactory(goal=GoalFactory(plan=_plan(district, made)))).pk
    ),
    "strand_pk": lambda district, made, defaults: StrandFactory(district=district).pk,
    "theory_pk": lambda district, made, defaults: (
        TheoryFactory(strand=StrandFactory(district=district)).pk
    ),
    "action_pk": lambda district, made, defaults: (
        ActionFactory(theory=TheoryFactory(strand=StrandFactory(district=district))).pk
    ),
    "framework_pk": lambda district, made, defaults: _framework(district).pk,
    "analysis_pk": lambda district, made, defaults: _analysis(district).pk,
    "recommendation_pk": lambda district, made, defaults: _recommendation(district).pk,
    "evidence_pk": lambda district, made, defaults: _evidence(district).pk,
    "rating_pk": lambda district, made, defaults: _rating(district).pk,
    "level_pk": lambda district, made, defaults: _framework(district).levels.first().pk,
    "block_pk": lambda district, made, defaults: _framework(district).building_blocks.first().pk,
    "indicator_pk": lambda district, made, defaults: (
        _framework(district).building_blocks.first().indicators.first().pk
    ),
    "report_pk": lambda district, made, defaults: _report(district).pk,
    "program_pk": lambda district, made, defaults: _program(district, made).pk,
    "visit_pk": lambda district, made, defaults: VisitFactory(program=_program(district, made)).pk,
    "language": lambda district, made, defaults: _published_language(district, made),
    "campus_plan_pk": lambda district, made, defaults: _campus_plan(district, made).pk,
    "campus_snapshot_pk": lambda district, made, defaults: _campus_snapshot(district, made).pk,
    "campus_part_pk": lambda district, made, defaults: (
        _campus_part(district, made, defaults["kind"]).pk
    ),
    "meeting_pk": lambda district, made, defaults: MeetingFactory(district=district).pk,
    "decision_pk": lambda district, made, defaults: (
        DecisionFactory(meeting=MeetingFactory(district=district)).pk
    ),
    "material_pk": lambda district, made, defaults: _material(district).pk,
    "item_pk": lambda district, made, defaults: (
        ActionItemFactory(visit=VisitFactory(program=_program(district, made))).pk
    ),
    "offering_pk": lambda district, made, defaults: _offering(district, made).pk,
    "session_pk": lambda district, made, defaults: (
        ParticipationFactory(
            session__offering=_offering(district, made),
            campus=CampusFactory(district=district),
        ).session_id
    ),
    # The comments page of a record: of a theory here (tests/comments cover every kind).
    "kind": lambda district, made, defaults: "theory",
    "record_pk": lambda district, made, defaults: _commented_theory(district, made).pk,
    # The admin's own comment, whose pages only its author opens.
    "comment_pk": lambda district, made, defaults: (
        CommentFactory(
            record=_commented_theory(district, made), author=_district_admin(district)
        ).pk
    ),
    "notification_pk": lambda district, made, defaults: _notification(district, made).pk,
    "feedback_pk": lambda district, made, defaults: (
        FeedbackFactory(goal=GoalFactory(plan=_plan(district, made))).pk
    ),
}

# Pages that need to be told what a new record belongs to.
QUERY = {
    "plan:campus_plan_new": lambda district, made: f"?campus={CampusFactory(district=district).pk}",
    "plan:campus-goal_new": lambda district, made: (
        f"?campus_plan={_campus_plan(district, made).pk}"
    ),
    "plan:campus-strategy_new": lambda district, made: (
        f"?campus_plan={_campus_plan(district, made).pk}"
    ),
    "plan:objective_new": lambda district, made: f"?campus_goal={_campus_goal(district, made).pk}",
    "plan:measure_new": lambda district, made: (
        f"?goal={GoalFactory(plan=_plan(district, made)).pk}"
    ),
    **{
        f"plan:{kind}_new": (
            lambda district, made, kind=kind: (
                f"?plan={_plan(district, made).pk}"
                if kind != "strategy"
                else f"?focus_area={FocusAreaFactory(plan=_plan(district, made)).pk}"
            )
        )
        for kind in PART_FACTORIES
    },
    # The logo's address has no parameter: the district needs a logo for it to answer.
    "core:logo": lambda district, made: _logo(district),
}


def _walk(patterns, namespace):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}:{entry.namespace}" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, inner.strip(":"))
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}:{entry.name}".strip(":"), entry


def district_url_names():
    for entry in get_resolver().url_patterns:
        if isinstance(entry, URLResolver) and str(entry.pattern) == DISTRICT_PREFIX:
            return sorted(
                (name, tuple(p.pattern.converters), tuple(sorted(p.default_args.items())))
                for name, p in _walk(entry.url_patterns, "")
            )
    raise AssertionError("No /d/<district_slug>/ include in the URL configuration.")


DISTRICT_URLS = [(name, params) for name, params, _ in district_url_names()]
DEFAULTS = {name: dict(defaults) for name, _, defaults in district_url_names()}


def build_url(name, parameters, district, made=None):
    made = {} if made is None else made
    kwargs = {p: OBJECT_PARAMETERS[p](district, made, DEFAULTS[name]) for p in parameters}
    url = reverse(name, kwargs={"district_slug": district.slug, **kwargs})
    return url + (QUERY[name](district, made) if name in QUERY else "")


def test_the_matrix_covers_the_district_pages():
    names = {name for name, _ in DISTRICT_URLS}
    assert {
        "dashboard:home",
        "core:campuses",
        "core:campus",
        "plan:index",
        "reports:index",
    } <= names


def test_every_object_parameter_is_known():
    unknown = {p for _, params in DISTRICT_URLS for p in params} - set(OBJECT_PARAMETERS)
    assert not unknown, f"Add these URL parameters to OBJECT_PARAMETERS: {unknown}"


@pytest.mark.parametrize(("name", "parameters"), DISTRICT_URLS)
def test_anonymous_visitor_is_sent_to_sign_in(client, personas, name, parameters):
    url = build_url(name, parameters, personas.district)
    for method in (client.get, client.post):
        response = method(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("accounts:login") + "?next=")


@pytest.mark.parametrize(("name", "parameters"), DISTRICT_URLS)
def test_member_of_another_district_gets_404(as_member, personas, name, parameters):
    client = as_member(personas.outsider)
    url = build_url(name, parameters, personas.district)
    assert client.get(url).status_code == 404, url
    assert client.post(url).status_code == 404, url


@pytest.mark.parametrize(
    ("name", "parameters"), [(n, p) for n, p in DISTRICT_URLS if p], ids=lambda v: str(v)
)
def test_object_of_another_district_is_404_inside_your_own(as_member, personas, name, parameters):
    # The outsider administers their own district, and asks for this district's object there.
    client = as_member(personas.outsider)
    made = {}
    kwargs = {p: OBJECT_PARAMETERS[p](personas.district, made, DEFAULTS[name]) for p in parameters}
    url = reverse(name, kwargs={"district_slug": personas.other_district.slug, **kwargs})
    assert client.get(url).status_code in (404, 405), url
    assert client.post(url).status_code == 404, url


@pytest.mark.parametrize(("name", "parameters"), DISTRICT_URLS)
def test_member_can_open_every_page(as_member, personas, name, parameters):
    client = as_member(personas.admin)
    url = build_url(name, parameters, personas.district)
    # POST-only actions (move, adopt, archive, add strand) answer a GET with 405.
    assert client.get(url).status_code in (200, 405), url


def test_unknown_district_is_404_for_a_signed_in_user(as_member, personas):
    client = as_member(personas.admin)
    assert client.get("/d/no-such-district/").status_code == 404


def test_unknown_page_under_a_district_is_404(as_member, personas):
    client = as_member(personas.admin)
    assert client.get(f"/d/{personas.district.slug}/no-such-page/").status_code == 404
