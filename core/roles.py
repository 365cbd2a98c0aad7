"""Who may do what in a district: the one place role rules live.

Every view asks `can(membership, capability)` (or uses `require`); nothing else decides.
Tenancy (is this person a member of the district at all?) is settled before this, by
core.tenancy.DistrictMiddleware.
"""

from enum import StrEnum
from functools import wraps

from django.db import models
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("District admin")
    CABINET = "cabinet", _("Cabinet")
    VISIT_TEAM = "visit_team", _("Visit team")
    CAMPUS_LEADER = "campus_leader", _("Campus leader")
    DEPARTMENT_LEAD = "department_lead", _("Department lead")
    BOARD = "board", _("Board")


class Capability(StrEnum):
    VIEW = "view"
    EDIT_PLAN = "edit_plan"
    EDIT_CAMPUS_PLANS = "edit_campus_plans"
    LOG_VISITS = "log_visits"
    UPDATE_OWN_ACTION_ITEMS = "update_own_action_items"
    REQUEST_REPORTS = "request_reports"
    DOWNLOAD_REPORTS = "download_reports"
    MANAGE_DISTRICT = "manage_district"
    COMMENT = "comment"


_EVERYONE = frozenset(Role)

RULES = {
    Capability.VIEW: _EVERYONE,
    Capability.EDIT_PLAN: frozenset({Role.ADMIN, Role.CABINET}),
    # A campus leader, for their own campuses only (may_edit_campus_plan).
    Capability.EDIT_CAMPUS_PLANS: frozenset({Role.ADMIN, Role.CABINET, Role.CAMPUS_LEADER}),
    Capability.LOG_VISITS: frozenset({Role.ADMIN, Role.CABINET, Role.VISIT_TEAM}),
    Capability.UPDATE_OWN_ACTION_ITEMS: frozenset(
        {Role.ADMIN, Role.CABINET, Role.VISIT_TEAM, Role.CAMPUS_LEADER, Role.DEPARTMENT_LEAD}
    ),
    Capability.REQUEST_REPORTS: frozenset({Role.ADMIN, Role.CABINET, Role.VISIT_TEAM}),
    Capability.DOWNLOAD_REPORTS: frozenset({Role.ADMIN, Role.CABINET, Role.BOARD}),
    Capability.MANAGE_DISTRICT: frozenset({Role.ADMIN}),
    # The board reads the records but answers back on them like everyone (comments app).
    Capability.COMMENT: _EVERYONE,
}

DESCRIPTIONS = {
    Capability.VIEW: _("read this district's pages"),
    Capability.EDIT_PLAN: _("edit the plan and theories of action"),
    Capability.EDIT_CAMPUS_PLANS: _("edit campus plans"),
    Capability.LOG_VISITS: _("log visits and observations"),
    Capability.UPDATE_OWN_ACTION_ITEMS: _("update action items assigned to you"),
    Capability.REQUEST_REPORTS: _("request PDF reports"),
    Capability.DOWNLOAD_REPORTS: _("download PDF reports"),
    Capability.MANAGE_DISTRICT: _("manage campuses, departments and members"),
    Capability.COMMENT: _("comment on records and mention members"),
}


def can(membership, capability):
    """True when this district membership grants the capability."""
    if membership is None:
        return False
    return membership.role in RULES[Capability(capability)]


def bound_to_campuses(membership):
    """A campus leader answers for their campuses only: their lists narrow to them."""
    return membership is not None and membership.role == Role.CAMPUS_LEADER


def bound_to_departments(membership):
    """A department lead answers for their departments only: their lists narrow to them."""
    return membership is not None and membership.role == Role.DEPARTMENT_LEAD


def sees_every_private_note(membership):
    """Private observations are for their visit's team and writer, and the district's admins."""
    return can(membership, Capability.MANAGE_DISTRICT)


def forbidden(request, needed):
    """The one page a member sees when their role may not do something: it says what."""
    return render(request, "core/forbidden.html", {"needed": needed}, status=403)


def may_update_action_item(membership, item):
    """Campus leaders update their campuses' items, department leads their departments';
    those who run visits update any item of the district. A deactivated member updates none.

    The one rule for an action item: it decides who may update one and, run over the
    district's members, who may be assigned one (visits.selectors.assignee_choices)."""
    if membership is None or not membership.is_active:
        return False
    if item.district_id != membership.district_id:
        return False
    if can(membership, Capability.LOG_VISITS):
        return True
    if bound_to_campuses(membership):
        return item.owner == "campus" and item.campus_id in membership.bound_campus_ids()
    if bound_to_departments(membership):
        return item.department_id in membership.bound_department_ids()
    return False


def may_change_comment(membership, comment):
    """A comment's words are its author's: they may change or delete it while they may
    comment in its district; nobody else may, an admin included."""
    return (
        comment.author_id is not None
        and comment.author_id == getattr(membership, "user_id", None)
        and comment.district_id == membership.district_id
        and can(membership, Capability.COMMENT)
    )


def may_edit_campus_plan(membership, campus_plan):
    """The cabinet edits every campus's plan, a campus leader their own campuses' plans; an
    archived plan is kept as it was. Approving one is the cabinet's (Capability.EDIT_PLAN)."""
    if membership is None or not membership.is_active:
        return False
    if campus_plan.district_id != membership.district_id:
        return False
    if campus_plan.status == "archived":
        return False
    if can(membership, Capability.EDIT_PLAN):
        return True
    return bound_to_campuses(membership) and (
        campus_plan.campus_id in membership.bound_campus_ids()
    )


def may_change_rating(membership, rating):
    """A Discovery rating is its rater's judgement: they change it (while their role may rate),
    nobody else does; the team's agreed level is the consensus, recorded separately."""
    if membership is None or not membership.is_active:
        return False
    if rating.district_id != membership.district_id or rating.rater_id != membership.user_id:
        return False
    return can(membership, Capability.EDIT_PLAN)


def capabilities_of(role):
    return [capability for capability in Capability if role in RULES[capability]]


def require(capability):
    """View decorator: members whose role lacks the capability get a 403 page saying why."""
    capability = Capability(capability)

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not can(request.membership, capability):
                return forbidden(request, DESCRIPTIONS[capability])
            return view(request, *args, **kwargs)

        wrapped.required_capability = capability
        return wrapped

    return decorator


def governs_the_plan(membership):
    """Those who write the plan (the cabinet, and the admins) and the board who adopts it: their
    home page opens on the plan's scorecard."""
    return membership is not None and membership.role in {Role.ADMIN, Role.CABINET, Role.BOARD}
