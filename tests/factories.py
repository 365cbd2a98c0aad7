import factory

from accounts.models import Membership, User
from core.models import Campus, Department, District
from core.roles import Role


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"District {n} Independent School District")
    slug = factory.Sequence(lambda n: f"district-{n}")


class CampusFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campus

    district = factory.SubFactory(DistrictFactory)
    name = factory.Sequence(lambda n: f"Campus {n} Elementary")
    level = Campus.Level.ELEMENTARY
    grade_span = "PK-5"
    region = "North"


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    district = factory.SubFactory(DistrictFactory)
    name = factory.Sequence(lambda n: f"Department {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.test")
    full_name = factory.Sequence(lambda n: f"Person {n}")
    password = factory.django.Password("correct-horse-2026")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    district = factory.SubFactory(DistrictFactory)
    role = Role.CABINET

    @factory.post_generation
    def campuses(self, create, extracted, **kwargs):
        if create and extracted:
            self.campuses.set(extracted)

    @factory.post_generation
    def departments(self, create, extracted, **kwargs):
        if create and extracted:
            self.departments.set(extracted)
