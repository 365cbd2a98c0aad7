from django.contrib.auth import authenticate
from django.core.management import call_command

from accounts.models import Membership
from core.models import Campus, Department, District
from core.roles import Role
from dashboard.demo import DEMO_PASSWORD


def test_small_demo_has_the_districts_and_accounts_of_the_design(db, rf):
    call_command("seed_demo", size="small")
    demo = District.objects.get(slug="demo")
    assert demo.campuses.count() == 8
    assert set(demo.campuses.values_list("level", flat=True)) == {"elementary", "middle", "high"}
    assert Department.objects.filter(district=demo).count() == 6
    roles = dict(Membership.objects.filter(district=demo).values_list("user__email", "role"))
    assert roles == {
        "admin@demo.test": Role.ADMIN,
        "cabinet@demo.test": Role.CABINET,
        "visitor@demo.test": Role.VISIT_TEAM,
        "principal@demo.test": Role.CAMPUS_LEADER,
        "dept@demo.test": Role.DEPARTMENT_LEAD,
        "board@demo.test": Role.BOARD,
    }
    other = Membership.objects.get(user__email="other@demo.test")
    assert (other.district.slug, other.role) == ("other", Role.CABINET)
    principal = Membership.objects.get(user__email="principal@demo.test")
    assert principal.campuses.count() == 1
    request = rf.post("/accounts/login/")
    admin = authenticate(request, username="admin@demo.test", password=DEMO_PASSWORD)
    assert admin is not None
    assert admin.is_superuser


def test_large_demo_is_a_big_urban_district_with_a_44_campus_cohort(db):
    call_command("seed_demo", size="large")
    campuses = Campus.objects.filter(district__slug="demo")
    assert 260 <= campuses.count() <= 290
    assert campuses.exclude(cohort="").count() == 44
    assert campuses.values("name").distinct().count() == campuses.count()


def test_seeding_again_replaces_the_demo_and_keeps_other_districts(db):
    District.objects.create(slug="real", name="A Real District")
    call_command("seed_demo", size="large")
    call_command("seed_demo", size="small")
    assert Campus.objects.filter(district__slug="demo").count() == 8
    assert District.objects.filter(slug="real").exists()


def test_if_empty_leaves_existing_data_alone(db, capsys):
    call_command("seed_demo", size="small")
    Campus.objects.filter(district__slug="demo").first().delete()
    call_command("seed_demo", size="small", if_empty=True)
    assert Campus.objects.filter(district__slug="demo").count() == 7
    assert "admin@demo.test" in capsys.readouterr().out
