import datetime
from decimal import Decimal

import factory
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from accounts.models import Invitation, Membership, User, invitation_token_hash
from comments.models import Comment, Notification
from core.models import Campus, Department, District
from core.roles import Role
from district_plan.models import (
    CampusGoal,
    CampusPlan,
    CampusStrategy,
    Competency,
    FocusArea,
    Goal,
    GroupEnrollment,
    Measure,
    MeasureResult,
    MeasureValue,
    Partner,
    PerformanceObjective,
    Plan,
    Strategy,
    StudentGroup,
)
from learning.models import Offering, Participation, Session
from meetings.models import Decision, Meeting
from public.models import Feedback
from reports.models import Report
from theories.models import Action, Strand, TheoryOfAction
from visits.models import ActionItem, LookFor, Visit, VisitProgram


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


class InvitationFactory(factory.django.DjangoModelFactory):
    """A pending invitation; its link's token is `invitation.token`."""

    class Meta:
        model = Invitation
        skip_postgeneration_save = True

    district = factory.SubFactory(DistrictFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@example.test")
    full_name = factory.Sequence(lambda n: f"Invitee {n}")
    role = Role.CABINET
    token = factory.Sequence(lambda n: f"test-invitation-token-{n}")
    token_hash = factory.LazyAttribute(lambda o: invitation_token_hash(o.token))
    sent_at = factory.LazyFunction(timezone.now)
    expires_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=14))

    @classmethod
    def _create(cls, model_class, *args, token, **kwargs):
        invitation = super()._create(model_class, *args, **kwargs)
        invitation.token = token
        return invitation

    @factory.post_generation
    def campuses(self, create, extracted, **kwargs):
        if create and extracted:
            self.campuses.set(extracted)

    @factory.post_generation
    def departments(self, create, extracted, **kwargs):
        if create and extracted:
            self.departments.set(extracted)


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan

    district = factory.SubFactory(DistrictFactory)
    title = factory.Sequence(lambda n: f"Strategic Plan {n}")
    start_year = 2025
    end_year = 2027
    vision = "Every student known, every student ready."


class PlanPartFactory(factory.django.DjangoModelFactory):
    class Meta:
        abstract = True

    plan = factory.SubFactory(PlanFactory)
    district = factory.SelfAttribute("plan.district")


class GoalFactory(PlanPartFactory):
    class Meta:
        model = Goal

    title = factory.Sequence(lambda n: f"Goal {n}")


class CompetencyFactory(PlanPartFactory):
    class Meta:
        model = Competency

    grade_band = "3-5"
    name = factory.Sequence(lambda n: f"Competency {n}")


class FocusAreaFactory(PlanPartFactory):
    class Meta:
        model = FocusArea

    name = factory.Sequence(lambda n: f"Focus area {n}")


class PartnerFactory(PlanPartFactory):
    class Meta:
        model = Partner

    name = factory.Sequence(lambda n: f"Partner {n}")
    kind = "nonprofit"


class StrategyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Strategy

    focus_area = factory.SubFactory(FocusAreaFactory)
    district = factory.SelfAttribute("focus_area.district")
    description = factory.Sequence(lambda n: f"Strategy {n}")


class StrandFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Strand

    district = factory.SubFactory(DistrictFactory)
    name = factory.Sequence(lambda n: f"Strand {n}")
    order = factory.Sequence(lambda n: n)


class TheoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TheoryOfAction

    strand = factory.SubFactory(StrandFactory)
    district = factory.SelfAttribute("strand.district")
    if_clause = factory.Sequence(lambda n: f"we do thing {n}")
    then_clause = factory.Sequence(lambda n: f"we will see practice {n}")
    order = factory.Sequence(lambda n: n)


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    theory = factory.SubFactory(TheoryFactory)
    district = factory.SelfAttribute("theory.district")
    description = factory.Sequence(lambda n: f"Action {n}")


class MeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Measure

    goal = factory.SubFactory(GoalFactory)
    district = factory.SelfAttribute("goal.district")
    name = factory.Sequence(lambda n: f"Measure {n}")
    unit = "%"
    baseline = Decimal("40")
    baseline_date = factory.LazyFunction(
        lambda: timezone.localdate() - datetime.timedelta(days=400)
    )
    target = Decimal("80")
    target_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=700))
    update_cycle = "yearly"


class MeasureValueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeasureValue

    measure = factory.SubFactory(MeasureFactory)
    district = factory.SelfAttribute("measure.district")
    observed_on = factory.LazyFunction(timezone.localdate)
    value = Decimal("50")


class StudentGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StudentGroup
        django_get_or_create = ["district", "name"]

    district = factory.SubFactory(DistrictFactory)
    name = "All students"


class MeasureResultFactory(factory.django.DjangoModelFactory):
    """A campus's All students result, unless told another group or campus=None."""

    class Meta:
        model = MeasureResult

    measure = factory.SubFactory(MeasureFactory)
    district = factory.SelfAttribute("measure.district")
    campus = factory.SubFactory(CampusFactory, district=factory.SelfAttribute("..district"))
    group = factory.SubFactory(StudentGroupFactory, district=factory.SelfAttribute("..district"))
    observed_on = datetime.date(2026, 6, 30)
    value = Decimal("50")
    students = 200


class GroupEnrollmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GroupEnrollment

    campus = factory.SubFactory(CampusFactory)
    district = factory.SelfAttribute("campus.district")
    group = factory.SubFactory(StudentGroupFactory, district=factory.SelfAttribute("..district"))
    school_year = 2025
    students = 200


class CampusPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CampusPlan

    campus = factory.SubFactory(CampusFactory)
    district = factory.SelfAttribute("campus.district")
    start_year = factory.LazyFunction(lambda: timezone.localdate().year)
    end_year = factory.LazyFunction(lambda: timezone.localdate().year + 2)
    summary = "Reading on grade level by grade 3."


class CampusGoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CampusGoal

    campus_plan = factory.SubFactory(CampusPlanFactory)
    district = factory.SelfAttribute("campus_plan.district")
    district_goal = factory.SubFactory(
        GoalFactory,
        plan=factory.SubFactory(PlanFactory, district=factory.SelfAttribute("...district")),
    )
    title = factory.Sequence(lambda n: f"Campus goal {n}")


class PerformanceObjectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PerformanceObjective

    campus_goal = factory.SubFactory(CampusGoalFactory)
    district = factory.SelfAttribute("campus_goal.district")
    description = factory.Sequence(lambda n: f"Objective {n}")


class CampusStrategyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CampusStrategy

    campus_plan = factory.SubFactory(CampusPlanFactory)
    district = factory.SelfAttribute("campus_plan.district")
    description = factory.Sequence(lambda n: f"Campus strategy {n}")


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VisitProgram

    district = factory.SubFactory(DistrictFactory)
    name = factory.Sequence(lambda n: f"Program {n}")
    weekday = 1
    start_date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(weeks=4))
    end_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(weeks=20))


class VisitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Visit

    program = factory.SubFactory(ProgramFactory)
    district = factory.SelfAttribute("program.district")
    campus = factory.SubFactory(CampusFactory, district=factory.SelfAttribute("..district"))
    date = factory.LazyFunction(timezone.localdate)


class LookForFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LookFor

    program = factory.SubFactory(ProgramFactory)
    district = factory.SelfAttribute("program.district")
    text = factory.Sequence(lambda n: f"Look-for {n}")


class ActionItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionItem

    visit = factory.SubFactory(VisitFactory)
    district = factory.SelfAttribute("visit.district")
    campus = factory.SelfAttribute("visit.campus")
    owner = "campus"
    description = factory.Sequence(lambda n: f"Action item {n}")
    due_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=14))


class ReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Report

    district = factory.SubFactory(DistrictFactory)
    kind = "board_summary"
    title = factory.Sequence(lambda n: f"Board summary {n}")


class DistrictResultFactory(factory.django.DjangoModelFactory):
    """A district-wide result unless given a campus; 2025-26 (June 30, 2026) by default."""

    class Meta:
        model = MeasureResult

    measure = factory.SubFactory(MeasureFactory)
    district = factory.SelfAttribute("measure.district")
    campus = None
    group = factory.SubFactory(
        StudentGroupFactory, district=factory.SelfAttribute("..district"), name="All students"
    )
    observed_on = datetime.date(2026, 6, 30)
    value = Decimal("50")
    students = 100


class OfferingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Offering

    district = factory.SubFactory(DistrictFactory)
    title = factory.Sequence(lambda n: f"Professional learning {n}")
    audience = "Grade 3–5 teachers"


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    offering = factory.SubFactory(OfferingFactory)
    district = factory.SelfAttribute("offering.district")
    date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=7))


class ParticipationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participation

    session = factory.SubFactory(SessionFactory)
    district = factory.SelfAttribute("session.district")
    campus = factory.SubFactory(CampusFactory, district=factory.SelfAttribute("..district"))
    staff_role = "teacher"
    count = 5


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    district = factory.SubFactory(DistrictFactory)
    kind = Meeting.Kind.CABINET_RETREAT
    title = factory.Sequence(lambda n: f"Meeting {n}")
    date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=7))


class DecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Decision

    meeting = factory.SubFactory(MeetingFactory)
    district = factory.SelfAttribute("meeting.district")
    text = factory.Sequence(lambda n: f"Decision {n}")


class CommentFactory(factory.django.DjangoModelFactory):
    """A comment on a theory (`record=` takes any registered record)."""

    class Meta:
        model = Comment
        exclude = ["record"]

    record = factory.SubFactory(TheoryFactory)
    district = factory.SelfAttribute("record.district")
    content_type = factory.LazyAttribute(lambda o: ContentType.objects.get_for_model(o.record))
    object_id = factory.SelfAttribute("record.pk")
    author = factory.SubFactory(UserFactory)
    body = factory.Sequence(lambda n: f"Comment {n}")


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    comment = factory.SubFactory(CommentFactory)
    district = factory.SelfAttribute("comment.district")
    recipient = factory.SubFactory(UserFactory)
    reason = Notification.Reason.MENTION


class FeedbackFactory(factory.django.DjangoModelFactory):
    """A message from the public page about a goal of a new plan unless given one (goal=None:
    about the whole plan)."""

    class Meta:
        model = Feedback

    goal = factory.SubFactory(GoalFactory)
    district = factory.LazyAttribute(lambda o: o.goal.district if o.goal else DistrictFactory())
    message = "¿Cuándo empiezan las noches de lectura?"
    language = "es"
