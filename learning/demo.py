"""Demo professional learning: offerings tied to the demo's theories, with sessions around
today, participation by campus and staff role (names on one offering) and the look-fors each
should change. `large` adds an offering for many more theories, in bulk."""

import datetime
import random

from django.utils import timezone

from accounts.models import Membership
from core.models import Campus
from learning.models import Offering, Participant, Participation, Session, StaffRole
from theories.models import TheoryOfAction
from visits.models import LookFor

OFFERINGS = [
    # title, audience, description, theory index, look-for text, session offsets (days), names
    (
        "Structured student discourse",
        "K–8 teachers and instructional coaches",
        "Talk moves and partner routines so every student explains their reasoning; "
        "coaches model a lesson at each campus between sessions.",
        0,
        "Students explain their thinking to a peer",
        (-35, -21, 14),
        True,
    ),
    (
        "Small-group reading with data",
        "Grade K–3 teachers and reading interventionists",
        "Forming and re-forming reading groups from the latest screening data.",
        2,
        "Small groups match the latest reading data",
        (-42, -14),
        False,
    ),
    (
        "Planning from student work",
        "Campus leadership teams",
        "Protocols that start team planning from samples of student work.",
        1,
        "Team plans from student work",
        (-28,),
        False,
    ),
]
OUTSIDE = ("Renata Salas", "Region 4 Education Service Center")
NAMES = [
    "Ana Peña",
    "Marcus Lee",
    "Sofía Ramírez",
    "Jordan Brooks",
    "Mei Chen",
    "Oluwaseun Adeyemi",
    "Grace Kim",
    "Luis Ortega",
    "Hannah Novak",
    "Tariq Haddad",
]
PLACES = ["Professional Learning Center, Room 3", "Online", ""]


def seed_learning(*, district, size="small", today=None):
    today = today or timezone.localdate()
    rng = random.Random(18)
    theories = list(
        TheoryOfAction.objects.filter(district=district).order_by("strand__order", "order", "pk")
    )
    if not theories:
        return
    look_fors = {lf.text: lf for lf in LookFor.objects.filter(district=district)}
    campuses = list(Campus.objects.filter(district=district).order_by("name"))
    cohort = [c for c in campuses if c.cohort] or campuses
    cabinet = Membership.objects.filter(district=district, role="cabinet").first()

    rows = []
    for index, (title, audience, description, theory, look_for, offsets, names) in enumerate(
        OFFERINGS
    ):
        offering = Offering(
            district=district,
            title=title,
            audience=audience,
            description=description,
            keeps_names=names,
        )
        if index == 0:
            offering.outside_facilitator, offering.outside_organization = OUTSIDE
        else:
            offering.facilitator = cabinet
        rows.append((offering, [theories[theory % len(theories)]], look_for, offsets))
    if size == "large":
        # One more offering for each of many theories, so the list and the theory pages are
        # read at the size of a big district.
        for number, theory in enumerate(theories[3:120], start=1):
            offering = Offering(
                district=district,
                title=f"Learning series {number}: {theory.label[:120]}",
                audience="Teachers and instructional coaches",
                facilitator=cabinet,
            )
            rows.append((offering, [theory], None, (-70 + number % 50, -10 - number % 20)))
    Offering.objects.bulk_create([offering for offering, *_ in rows])
    Offering.theories.through.objects.bulk_create(
        [
            Offering.theories.through(offering_id=offering.pk, theoryofaction_id=theory.pk)
            for offering, served, _, _ in rows
            for theory in served
        ]
    )
    Offering.look_fors.through.objects.bulk_create(
        [
            Offering.look_fors.through(offering_id=offering.pk, lookfor_id=look_fors[text].pk)
            for offering, _, text, _ in rows
            if text in look_fors
        ]
    )
    sessions = Session.objects.bulk_create(
        [
            Session(
                district=district,
                offering=offering,
                date=today + datetime.timedelta(days=offset),
                place=rng.choice(PLACES),
            )
            for offering, _, _, offsets in rows
            for offset in offsets
        ]
    )
    held = [s for s in sessions if s.date <= today]
    lines, people = [], []
    for session in held:
        if session.offering.keeps_names:
            # Names kept: the counts are those of the people who signed in.
            tally = {}
            for name in rng.sample(NAMES, k=6):
                campus, role = rng.choice(cohort[:3]), rng.choice(StaffRole.values)
                people.append(
                    Participant(
                        district=district,
                        session=session,
                        name=name,
                        campus=campus,
                        staff_role=role,
                    )
                )
                tally[(campus, role)] = tally.get((campus, role), 0) + 1
            counts = tally.items()
        else:
            counts = [
                ((campus, role), rng.randint(1, 12))
                for campus in rng.sample(cohort, k=min(len(cohort), 4))
                for role in rng.sample(StaffRole.values, k=2)
            ]
        lines += [
            Participation(
                district=district, session=session, campus=campus, staff_role=role, count=n
            )
            for (campus, role), n in counts
        ]
    Participation.objects.bulk_create(lines)
    Participant.objects.bulk_create(people)
