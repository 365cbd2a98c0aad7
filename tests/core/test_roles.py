import pytest
from django.urls import reverse

from accounts.models import Membership
from core.roles import RULES, Capability, Role, can, capabilities_of, governs_the_plan

# The role matrix, written out so a change to core/roles.py shows up here as a decision.
EXPECTED = {
    Role.ADMIN: set(Capability),
    Role.CABINET: {
        Capability.VIEW,
        Capability.EDIT_PLAN,
        Capability.EDIT_CAMPUS_PLANS,
        Capability.LOG_VISITS,
        Capability.UPDATE_OWN_ACTION_ITEMS,
        Capability.REQUEST_REPORTS,
        Capability.DOWNLOAD_REPORTS,
        Capability.COMMENT,
    },
    Role.VISIT_TEAM: {
        Capability.VIEW,
        Capability.COMMENT,
        Capability.LOG_VISITS,
        Capability.UPDATE_OWN_ACTION_ITEMS,
        Capability.REQUEST_REPORTS,
    },
    Role.CAMPUS_LEADER: {
        Capability.VIEW,
        Capability.COMMENT,
        Capability.EDIT_CAMPUS_PLANS,
        Capability.UPDATE_OWN_ACTION_ITEMS,
    },
    Role.DEPARTMENT_LEAD: {
        Capability.VIEW,
        Capability.UPDATE_OWN_ACTION_ITEMS,
        Capability.COMMENT,
    },
    Role.BOARD: {Capability.VIEW, Capability.DOWNLOAD_REPORTS, Capability.COMMENT},
}


@pytest.mark.parametrize("role", list(Role))
def test_each_role_has_exactly_its_capabilities(role):
    assert set(capabilities_of(role)) == EXPECTED[role]


def test_every_capability_has_a_rule():
    assert set(RULES) == set(Capability)


def test_no_membership_grants_nothing():
    assert not can(None, Capability.VIEW)


@pytest.mark.parametrize("role", list(Role))
def test_only_district_admins_may_import_campuses(as_member, personas, role):
    client = as_member(personas.by_role()[role])
    response = client.get(reverse("core:campus_import", args=[personas.district.slug]))
    if role == Role.ADMIN:
        assert response.status_code == 200
    else:
        assert response.status_code == 403
        assert b"cannot manage campuses" in response.content


@pytest.mark.parametrize("role", list(Role))
def test_the_plans_scorecard_opens_the_home_page_of_those_who_govern_the_plan(role):
    membership = Membership(role=role)
    assert governs_the_plan(membership) == (role in {Role.ADMIN, Role.CABINET, Role.BOARD})
    assert not governs_the_plan(None)
