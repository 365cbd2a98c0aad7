"""Demo visits: a program for the cohort, past visits with observations, debriefs and action
items, and planned visits ahead. `large` runs three years of weekly visits, in bulk."""

import datetime
import random
import uuid

from django.utils import timezone

from accounts.models import Membership
from core.models import Campus, Department
from theories.models import TheoryOfAction
from visits import rotation
from visits.models import ActionItem, LookFor, Observation, ProblemOfPractice, Visit, VisitProgram

PROBLEMS = [
    "Student discourse is rare in upper grades",
    "Small-group reading is not tied to data",
    "Planning time is used for logistics",
    "Exit tickets are collected but not used",
    "Transitions take instructional minutes",
    "Intervention blocks lack clear materials",
]
SETTINGS = ["Room 12", "Library", "Grade 3 hallway", "Science lab", "Cafeteria", "Room 204", "Gym"]
SUBJECTS = ["Reading", "Math", "Science", "Social studies", "Writing", ""]
NOTES = [
    "Students explained their reasoning to a partner before sharing.",
    "Objective posted; most students could say what they were learning.",
    "Teacher-led talk for most of the segment; few student questions.",
    "Team reviewed the last common assessment and regrouped students.",
    "Planning agenda focused on the field trip rather than instruction.",
    "Anchor charts from the reading curriculum were in use.",
]
ITEMS = [
    ("campus", "Share the discourse look-fors with every grade-level team", None),
    ("campus", "Protect the 30-minute small-group block on the master schedule", None),
    ("department", "Send a coach to model small-group reading", "Curriculum and Instruction"),
    ("department", "Provide dyslexia screening materials", "Special Education"),
    ("department", "Set up the reading dashboard for the campus", "Research and Accountability"),
    (
        "department",
        "Train the team on the co-teaching model for English learners",
        "Multilingual Programs",
    ),
]


def seed_visits(*, district, size="small", today=None):
    today = today or timezone.localdate()
    rng = random.Random(11)
    cohort = list(Campus.objects.filter(district=district).exclude(cohort="").order_by("name"))
    departments = {d.name: d for d in Department.objects.filter(district=district)}
    people = list(
        Membership.objects.filter(
            district=district, role__in=["visit_team", "cabinet"]
        ).select_related("user")
    )
    principal = Membership.objects.filter(district=district, role="campus_leader").first()
    if size == "large":
        start, end = today - datetime.timedelta(days=3 * 365), today + datetime.timedelta(days=60)
    else:
        start, end = today - datetime.timedelta(weeks=10), today + datetime.timedelta(weeks=20)
    program = VisitProgram.objects.create(
        district=district,
        name="Communities of Practice",
        weekday=1,
        start_date=start,
        end_date=end,
    )
    program.campuses.set(cohort)
    holiday = today + datetime.timedelta(weeks=4)
    program.blackouts.create(
        start_date=holiday,
        end_date=holiday + datetime.timedelta(days=4),
        reason="Winter testing window",
    )
    theories = list(
        TheoryOfAction.objects.filter(district=district).order_by("strand__order", "order")[:4]
    )
    look_fors = LookFor.objects.bulk_create(
        [
            LookFor(district=district, program=program, text=text, theory=theory, order=i)
            for i, (text, theory) in enumerate(
                [
                    (
                        "Students explain their thinking to a peer",
                        theories[0] if theories else None,
                    ),
                    (
                        "Small groups match the latest reading data",
                        theories[2] if len(theories) > 2 else None,
                    ),
                    ("Learning objective is posted and referenced", None),
                    ("Team plans from student work", theories[1] if len(theories) > 1 else None),
                ]
            )
        ]
    )
    problems = ProblemOfPractice.objects.bulk_create(
        [ProblemOfPractice(district=district, name=name) for name in PROBLEMS]
    )

    slots = rotation.generate_rotation(
        campuses=[c.pk for c in cohort],
        weekday=program.weekday,
        start=start,
        end=end,
        blackouts=[(holiday, holiday + datetime.timedelta(days=4))],
    )
    visits = []
    for slot in slots:
        past = slot.date < today
        status = Visit.Status.PLANNED
        if past:
            status = (
                Visit.Status.CLOSED
                if slot.date < today - datetime.timedelta(days=14)
                else Visit.Status.DEBRIEFED
            )
        visits.append(
            Visit(
                district=district,
                program=program,
                campus_id=slot.campus,
                date=slot.date,
                round=slot.round,
                status=status,
                focus=rng.choice(PROBLEMS) if past else "",
                strengths="Clear routines and posted objectives in most rooms." if past else "",
                instructional_alignment="Lessons matched the adopted curriculum in most classrooms."
                if past
                else "",
                teacher_effectiveness="Checks for understanding were frequent in lower grades."
                if past
                else "",
            )
        )
    Visit.objects.bulk_create(visits)
    past_visits = [v for v in visits if v.date < today]

    Visit.departments.through.objects.bulk_create(
        [
            Visit.departments.through(visit_id=v.pk, department_id=d.pk)
            for v in visits
            for d in rng.sample(list(departments.values()), k=min(3, len(departments)))
        ]
    )
    Visit.team.through.objects.bulk_create(
        [Visit.team.through(visit_id=v.pk, user_id=m.user_id) for v in visits for m in people]
    )
    Visit.problems.through.objects.bulk_create(
        [
            Visit.problems.through(visit_id=v.pk, problemofpractice_id=p.pk)
            for v in past_visits
            for p in rng.sample(problems, k=2)
        ]
    )

    per_visit = 8 if size == "large" else 4
    observations = [
        Observation(
            district=district,
            visit=v,
            client_id=uuid.UUID(int=rng.getrandbits(128), version=4),
            fingerprint="seed",
            kind=rng.choice(Observation.Kind.values),
            setting=rng.choice(SETTINGS),
            grade_band=rng.choice(Observation.GradeBand.values),
            subject=rng.choice(SUBJECTS),
            notes=rng.choice(NOTES),
            observer=rng.choice(people).user if people else None,
        )
        for v in past_visits
        for _ in range(per_visit)
    ]
    Observation.objects.bulk_create(observations)
    Observation.look_fors.through.objects.bulk_create(
        [
            Observation.look_fors.through(observation_id=o.pk, lookfor_id=lf.pk)
            for o in observations
            for lf in look_fors
            if rng.random() < 0.45
        ]
    )

    items, now = [], timezone.now()
    for v in past_visits:
        for owner, text, department in rng.sample(ITEMS, k=3 if size == "large" else 2):
            due = v.date + datetime.timedelta(days=rng.choice([14, 21, 30]))
            done = due < today - datetime.timedelta(days=20) or rng.random() < 0.3
            resolved = rng.random() < 0.1
            items.append(
                ActionItem(
                    district=district,
                    visit=v,
                    campus_id=v.campus_id,
                    owner=owner,
                    department=departments.get(department) if department else None,
                    assignee=rng.choice(people).user
                    if people and owner == "department"
                    else (
                        principal.user
                        if principal and v.campus_id in principal.bound_campus_ids()
                        else None
                    ),
                    description=text,
                    due_date=due,
                    status=ActionItem.Status.DONE
                    if done or resolved
                    else rng.choice([ActionItem.Status.OPEN, ActionItem.Status.IN_PROGRESS]),
                    resolved_during_visit=resolved,
                    completed_on=min(due, today) if done or resolved else None,
                    assigned_notified_at=now,
                )
            )
    ActionItem.objects.bulk_create(items)
    return program
