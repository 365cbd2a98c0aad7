"""The people every test talks about, one per role, plus an outsider from another district.

They are built once per test session (tests/conftest.py) and read back by each test that asks
for them, inside the test's own transaction: a test that changes one changes its own copy."""

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


EMAILS = {
    "admin": "admin@lakeside.test",
    "cabinet": "cabinet@lakeside.test",
    "visit_team": "visitor@lakeside.test",
    "campus_leader": "principal@lakeside.test",
    "department_lead": "dept@lakeside.test",
    "board": "board@lakeside.test",
    "outsider": "outsider@hillcrest.test",
}
SLUGS = {"district": "lakeside", "other_district": "hillcrest"}


def load_personas():
    """The personas as the database holds them, or None when they are not there (a browser
    test before this one emptied the database)."""
    users = {u.email: u for u in User.objects.filter(email__in=EMAILS.values())}
    districts = {d.slug: d for d in District.objects.filter(slug__in=SLUGS.values())}
    if len(users) < len(EMAILS) or len(districts) < len(SLUGS):
        return None
    return Personas(
        **{name: districts[slug] for name, slug in SLUGS.items()},
        **{name: users[email] for name, email in EMAILS.items()},
    )


def make_personas():
    district = DistrictFactory(slug=SLUGS["district"], name="Lakeside Unified School District")
    other = DistrictFactory(slug=SLUGS["other_district"], name="Hillcrest School District")
    campus = CampusFactory(district=district, name="Lakeside Elementary")
    department = DepartmentFactory(district=district, name="Special Education")

    def member(role, email, **bindings):
        user = UserFactory(email=email)
        MembershipFactory(user=user, district=district, role=role, **bindings)
        return user

    outsider = UserFactory(email=EMAILS["outsider"])
    MembershipFactory(user=outsider, district=other, role=Role.ADMIN)
    return Personas(
        district=district,
        other_district=other,
        admin=member(Role.ADMIN, EMAILS["admin"]),
        cabinet=member(Role.CABINET, EMAILS["cabinet"]),
        visit_team=member(Role.VISIT_TEAM, EMAILS["visit_team"]),
        campus_leader=member(Role.CAMPUS_LEADER, EMAILS["campus_leader"], campuses=[campus]),
        department_lead=member(
            Role.DEPARTMENT_LEAD, EMAILS["department_lead"], departments=[department]
        ),
        board=member(Role.BOARD, EMAILS["board"]),
        outsider=outsider,
    )
