"""The people every test talks about, one per role, plus an outsider from another district."""

from dataclasses import dataclass

from accounts.models import User
from core.models import District
from core.roles import Role
from tests.factories import (
    CampusFactory,
    DepartmentFactory,
    DistrictFactory,
    MembershipFactory,
    UserFactory,
)

PASSWORD = "correct-horse-2026"


@dataclass
class Personas:
    district: District
    other_district: District
    admin: User
    cabinet: User
    visit_team: User
    campus_leader: User
    department_lead: User
    board: User
    outsider: User

    def by_role(self):
        return {
            Role.ADMIN: self.admin,
            Role.CABINET: self.cabinet,
            Role.VISIT_TEAM: self.visit_team,
            Role.CAMPUS_LEADER: self.campus_leader,
            Role.DEPARTMENT_LEAD: self.department_lead,
            Role.BOARD: self.board,
        }


def make_personas():
    district = DistrictFactory(slug="lakeside", name="Lakeside Unified School District")
    other = DistrictFactory(slug="hillcrest", name="Hillcrest School District")
    campus = CampusFactory(district=district, name="Lakeside Elementary")
    department = DepartmentFactory(district=district, name="Special Education")

    def member(role, email, **bindings):
        user = UserFactory(email=email)
        MembershipFactory(user=user, district=district, role=role, **bindings)
        return user

    outsider = UserFactory(email="outsider@hillcrest.test")
    MembershipFactory(user=outsider, district=other, role=Role.ADMIN)
    return Personas(
        district=district,
        other_district=other,
        admin=member(Role.ADMIN, "admin@lakeside.test"),
        cabinet=member(Role.CABINET, "cabinet@lakeside.test"),
        visit_team=member(Role.VISIT_TEAM, "visitor@lakeside.test"),
        campus_leader=member(Role.CAMPUS_LEADER, "principal@lakeside.test", campuses=[campus]),
        department_lead=member(
            Role.DEPARTMENT_LEAD, "dept@lakeside.test", departments=[department]
        ),
        board=member(Role.BOARD, "board@lakeside.test"),
        outsider=outsider,
    )
