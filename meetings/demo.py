"""Demo meetings: a cabinet retreat led by an outside facilitator that created a district goal,
a board study session, a town hall with families and partners, and a visit debrief with a
follow-up action item."""

import datetime

from django.utils import timezone

from accounts.models import Membership
from benchmarking.models import Recommendation
from district_plan.models import Competency, Goal
from meetings.models import Decision, Meeting
from theories.models import TheoryOfAction
from visits.models import ActionItem


def seed_meetings(*, district, today=None):
    today = today or timezone.localdate()
    members = {
        m.role: m for m in Membership.objects.filter(district=district).select_related("user")
    }
    cabinet, admin, board = members.get("cabinet"), members.get("admin"), members.get("board")
    goal = Goal.objects.filter(district=district).order_by("order", "pk").first()
    competency = Competency.objects.filter(district=district).order_by("order", "pk").first()
    theory = TheoryOfAction.objects.filter(district=district).order_by("order", "pk").first()
    recommendation = Recommendation.objects.filter(district=district).order_by("pk").first()

    def day(offset):
        return today + datetime.timedelta(days=offset)

    retreat = Meeting.objects.create(
        district=district,
        kind=Meeting.Kind.CABINET_RETREAT,
        title="Summer cabinet retreat",
        date=day(-120),
        start_time=datetime.time(8, 30),
        place="Education Service Center, Room B",
        facilitator_name="Rosa Delgado",
        facilitator_organisation="Region 4 Education Service Center",
        guests="Rosa Delgado, Region 4 Education Service Center",
        agenda="1. Discovery Analysis results\n2. Draft district goals\n3. Theories of action",
        notes="The cabinet agreed the literacy goal and asked for a first draft of its measures.",
    )
    retreat.attendees.set([m for m in (cabinet, admin) if m])
    decisions = [
        Decision(
            district=district,
            meeting=retreat,
            text="Adopt a district goal for early literacy, to go to the board.",
            effect=Decision.Effect.CREATED,
            goal=goal,
            recommendation=recommendation,
            order=0,
        ),
        Decision(
            district=district,
            meeting=retreat,
            text="Take up shared walkthroughs as a theory of action across campuses.",
            effect=Decision.Effect.CREATED,
            theory=theory,
            order=1,
        ),
    ]
    study = Meeting.objects.create(
        district=district,
        kind=Meeting.Kind.BOARD_STUDY_SESSION,
        title="Board study session on the learner profile",
        date=day(-60),
        start_time=datetime.time(18, 0),
        place="Board room, Central Office",
        facilitator=cabinet,
        agenda="Learner profile competencies by grade band; questions from trustees.",
    )
    study.attendees.set([m for m in (cabinet, board) if m])
    decisions.append(
        Decision(
            district=district,
            meeting=study,
            text="Reword the collaboration competency for the early grades.",
            effect=Decision.Effect.CHANGED,
            competency=competency,
            order=0,
        )
    )
    Meeting.objects.create(
        district=district,
        kind=Meeting.Kind.TOWN_HALL,
        title="Spring town hall on the district plan",
        date=day(21),
        start_time=datetime.time(18, 30),
        place="High school cafeteria",
        facilitator=admin,
        guests="María López, Parent-Teacher Association\n"
        "James Carter, Eastside Boys & Girls Club\n"
        "Linh Tran, Community College workforce office",
        agenda="How the plan is going; questions and ideas from families and partners.",
    )
    debrief = Meeting.objects.create(
        district=district,
        kind=Meeting.Kind.VISIT_DEBRIEF,
        title="Think-tank debrief after the week's campus visit",
        date=day(-7),
        place="https://meet.example.org/visit-debrief",
        facilitator=cabinet,
        notes="Small-group reading was not tied to data; the campus asked for a coach.",
    )
    Decision.objects.bulk_create(decisions)
    principal = members.get("campus_leader")
    campus = principal.campuses.order_by("name").first() if principal else None
    if campus is not None:
        debrief.attendees.set([m for m in (cabinet, principal) if m])
        follow_up = ActionItem.objects.create(
            district=district,
            campus=campus,
            owner=ActionItem.Owner.CAMPUS,
            assignee=principal.user,
            description="Tie the small-group reading block to the latest screening data",
            due_date=day(14),
        )
        debrief.follow_ups.add(follow_up)
    lead = members.get("department_lead")
    department = lead.departments.order_by("name").first() if lead else None
    if department is not None:
        # A department's follow-up for every campus names none.
        framework = ActionItem.objects.create(
            district=district,
            campus=None,
            owner=ActionItem.Owner.DEPARTMENT,
            department=department,
            assignee=lead.user,
            description="Share the small-group reading guidance with every campus",
            due_date=day(21),
        )
        debrief.follow_ups.add(framework)
