"""A full demo plan and its theories of action, written for the demo district.

`small` is a plan a cabinet could really have: four goals, focus areas, partners, measures
with values, and theories in five strands. `large` adds generated theories, actions and
measures (a few hundred), inserted in bulk, so pages can be measured at size.
"""

import datetime
import random
from decimal import Decimal

from django.db.models import Case, When
from django.utils import timezone

from core.models import Campus, Department
from district_plan.documents import campus_plan_document, plan_document, public_document
from district_plan.models import (
    CampusGoal,
    CampusPlan,
    CampusPlanSnapshot,
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
    PlanSnapshot,
    Strategy,
)
from district_plan.services import student_groups_ensure
from theories.models import Action, Progress, Strand, TheoryOfAction

STRANDS = [
    "General",
    "Continuous improvement and data",
    "Expectations",
    "Motivation",
    "Parents and community",
]

COMPETENCIES = [
    ("PK-2", "Curious reader", "Asks questions about what they read and hear."),
    ("PK-2", "Kind collaborator", "Takes turns, listens and helps a classmate."),
    ("3-5", "Problem solver", "Tries more than one way and explains which worked."),
    ("3-5", "Clear communicator", "Shares an idea in writing and aloud with evidence."),
    ("6-8", "Self-directed learner", "Sets a goal, tracks it and asks for help early."),
    ("9-12", "Ready for what comes next", "Leaves with a credential, an admission or a plan."),
    ("9-12", "Engaged citizen", "Takes part in the life of the school and the town."),
]

# (title, description, measure: name, unit, direction, baseline, target, cycle,
#  values as (days before today, value))
GOALS = [
    (
        "Every student reads on grade level by the end of grade 3",
        "Early literacy is the first promise the district makes to families.",
        (
            "Grade 3 students meeting the reading standard",
            "%",
            "up",
            "48",
            "70",
            "yearly",
            [(160, "52")],
        ),
    ),
    (
        "Chronic absence falls below 10% on every campus",
        "Students learn when they are in school, and they come when they belong.",
        (
            "Students chronically absent",
            "%",
            "down",
            "18",
            "10",
            "quarterly",
            [(300, "17.4"), (120, "16.2")],
        ),
    ),
    (
        "Every graduate leaves with a credential, an admission or an enlistment plan",
        "A diploma plus a concrete next step for every senior.",
        (
            "Graduates with a credential or a plan",
            "%",
            "up",
            "61",
            "85",
            "yearly",
            [(170, "66")],
        ),
    ),
    (
        "Teachers stay and grow with the district",
        "Keeping strong teachers is cheaper and better for students than replacing them.",
        ("Teachers returning the next school year", "%", "up", "82", "90", "yearly", []),
    ),
]

FOCUS_AREAS = [
    (
        "Instruction and literacy",
        "Strong, coherent core instruction in every classroom.",
        "Fewer students need intervention later.",
        [
            (
                "Adopt one K-5 reading curriculum and train every teacher in it",
                "Curriculum and Instruction",
            ),
            ("Coach grade-level teams on small-group reading", "Leader Development"),
        ],
    ),
    (
        "Attendance and belonging",
        "Every student known by name by an adult on campus.",
        "Higher attendance and fewer discipline referrals.",
        [
            ("Daily attendance dashboard for every campus", "Research and Accountability"),
            ("Mentors for students with early absences", "Special Education"),
        ],
    ),
    (
        "College and career pathways",
        "Every high school student in a pathway with a mentor.",
        "More graduates with a credential or plan.",
        [("Dual-credit courses with the community college", "Curriculum and Instruction")],
    ),
    (
        "Talent",
        "Grow and keep great teachers and leaders.",
        "Lower turnover, stronger campus leadership.",
        [("Aspiring principals cohort", "Leader Development")],
    ),
]

PARTNERS = [
    ("Valley Community College", "university", "Dual-credit courses and advising.", [2]),
    ("Riverbend Health Clinic", "nonprofit", "School-based health services.", [1]),
    ("Harbor Manufacturing Co.", "business", "Internships and industry certifications.", [2]),
    ("Parent Leadership Council", "community", "Family voice in campus planning.", [0, 1]),
]

# strand index, IF, THEN, SO THAT, goal indexes, owner, status, actions, theory measure
THEORIES = [
    (
        0,
        "we build one calendar of professional learning from the district vision",
        "teachers will hear the same priorities in every session and on every campus",
        "students meet consistent expectations from class to class",
        [0],
        "Chief Academic Officer",
        "adopted",
        [("Publish the professional learning calendar", "Curriculum and Instruction", -30, "done")],
        None,
    ),
    (
        0,
        "department leaders plan their campus visits together with principals",
        "support arriving at a campus will be coordinated rather than duplicated",
        "",
        [],
        "Deputy Superintendent",
        "proposed",
        [("Agree one visit schedule per semester", "Leader Development", -10, "in_progress")],
        None,
    ),
    (
        1,
        "grade-level teams review reading data every three weeks with a coach",
        "small-group instruction will change within days of each check",
        "more students read on grade level by grade 3",
        [0],
        "Director of Literacy",
        "adopted",
        [
            (
                "Train coaches in the three-week data cycle",
                "Curriculum and Instruction",
                20,
                "in_progress",
            ),
            ("Set up the reading dashboard", "Research and Accountability", 45, "not_started"),
        ],
        (
            "Teams adjusting groups within five days of a check",
            "%",
            "up",
            "30",
            "90",
            "quarterly",
            [(110, "41"), (20, "55")],
        ),
    ),
    (
        1,
        "every campus uses one attendance dashboard updated daily",
        "staff will call families on the first day of an absence",
        "fewer students become chronically absent",
        [1],
        "Director of Research",
        "adopted",
        [("Launch the attendance dashboard", "Research and Accountability", -60, "done")],
        (
            "Absences followed by a same-day call",
            "%",
            "up",
            "20",
            "95",
            "monthly",
            [(12, "35")],
        ),
    ),
    (
        2,
        "every classroom uses the same look-fors for student discourse",
        "visitors will see students explaining their thinking in most classrooms",
        "",
        [0],
        "Assistant Superintendent",
        "proposed",
        [],
        None,
    ),
    (
        3,
        "students choose a pathway course by grade 9 with an adult mentor",
        "they will attend more of their classes and know why each one matters",
        "more graduates leave with a credential or a plan",
        [2],
        "Director of College and Career",
        "adopted",
        [("Match every grade 9 student with a mentor", "Leader Development", 60, "in_progress")],
        None,
    ),
    (
        4,
        "family nights are held in the languages families speak at home",
        "more families will attend and ask for ways to support reading at home",
        "",
        [0],
        "Family Engagement Coordinator",
        "adopted",
        [
            (
                "Translate family night materials into Spanish and Vietnamese",
                "Multilingual Programs",
                -5,
                "not_started",
            )
        ],
        None,
    ),
    (
        4,
        "community partners offer mentoring on campus",
        "more students will have an adult outside school who checks on their attendance",
        "",
        [1],
        "Partnerships Manager",
        "proposed",
        [],
        None,
    ),
]

_VERBS = ["coach", "model", "schedule", "protect", "publish", "review", "align", "share"]
_OBJECTS = [
    "planning time",
    "walkthrough feedback",
    "reading data",
    "family outreach",
    "intervention blocks",
    "lesson study",
    "attendance calls",
    "mentoring hours",
]


def seed_plan(*, district, size="small", today=None):
    today = today or timezone.localdate()
    departments = {d.name: d for d in Department.objects.filter(district=district)}
    plan = Plan.objects.create(
        district=district,
        title="Strategic Plan 2025–2028",
        start_year=2025,
        end_year=2027,
        vision="Every student leaves our schools ready for the college, career and community "
        "life they choose, known by name and supported by adults who keep learning.",
    )
    Competency.objects.bulk_create(
        [
            Competency(
                district=district, plan=plan, grade_band=band, name=name, description=text, order=i
            )
            for i, (band, name, text) in enumerate(COMPETENCIES)
        ]
    )
    goals = Goal.objects.bulk_create(
        [
            Goal(district=district, plan=plan, title=title, description=text, order=i)
            for i, (title, text, _) in enumerate(GOALS)
        ]
    )
    measures, values = [], []
    for goal, (_, _, spec) in zip(goals, GOALS, strict=True):
        measure, measure_values = _measure(district, spec, today, goal=goal)
        measures.append(measure)
        values.append(measure_values)
    areas = FocusArea.objects.bulk_create(
        [
            FocusArea(
                district=district,
                plan=plan,
                name=name,
                objective=objective,
                anticipated_benefit=benefit,
                order=i,
            )
            for i, (name, objective, benefit, _) in enumerate(FOCUS_AREAS)
        ]
    )
    Strategy.objects.bulk_create(
        [
            Strategy(
                district=district,
                focus_area=area,
                description=text,
                department=departments.get(dept),
                order=j,
            )
            for area, (_, _, _, strategies) in zip(areas, FOCUS_AREAS, strict=True)
            for j, (text, dept) in enumerate(strategies)
        ]
    )
    partners = Partner.objects.bulk_create(
        [
            Partner(district=district, plan=plan, name=name, kind=kind, description=text, order=i)
            for i, (name, kind, text, _) in enumerate(PARTNERS)
        ]
    )
    Partner.focus_areas.through.objects.bulk_create(
        [
            Partner.focus_areas.through(partner_id=partner.pk, focusarea_id=areas[i].pk)
            for partner, (_, _, _, indexes) in zip(partners, PARTNERS, strict=True)
            for i in indexes
        ]
    )

    strands = Strand.objects.bulk_create(
        [Strand(district=district, name=name, order=i) for i, name in enumerate(STRANDS)]
    )
    theory_specs = list(THEORIES)
    if size == "large":
        theory_specs += _generated_theories(random.Random(7), 250)
    theories, goal_links, actions = [], [], []
    theory_measures = []
    per_strand = {}
    for spec in theory_specs:
        strand_index, if_clause, then_clause, so_that, goal_indexes, owner, status, acts, tm = spec
        order = per_strand.get(strand_index, 0)
        per_strand[strand_index] = order + 1
        theory = TheoryOfAction(
            district=district,
            strand=strands[strand_index],
            if_clause=if_clause,
            then_clause=then_clause,
            so_that=so_that,
            owner=owner,
            status=status,
            order=order,
        )
        theories.append(theory)
        goal_links.append([goals[i] for i in goal_indexes])
        actions.append(acts)
        theory_measures.append(tm)
    TheoryOfAction.objects.bulk_create(theories)
    TheoryOfAction.goals.through.objects.bulk_create(
        [
            TheoryOfAction.goals.through(theoryofaction_id=theory.pk, goal_id=goal.pk)
            for theory, linked in zip(theories, goal_links, strict=True)
            for goal in linked
        ]
    )
    Action.objects.bulk_create(
        [
            Action(
                district=district,
                theory=theory,
                description=text,
                owner=owner,
                due_date=today + datetime.timedelta(days=days),
                status=status,
                order=j,
                progress=Progress.ON_TRACK if status == "done" else Progress.NOT_ASSESSED,
                evidence="Completed and shared with campus leaders." if status == "done" else "",
            )
            for theory, acts in zip(theories, actions, strict=True)
            for j, (text, owner, days, status) in enumerate(acts)
        ]
    )
    for theory, spec in zip(theories, theory_measures, strict=True):
        if spec:
            measure, measure_values = _measure(district, spec, today, theory=theory)
            measures.append(measure)
            values.append(measure_values)
    Measure.objects.bulk_create(measures)
    MeasureValue.objects.bulk_create(
        [
            MeasureValue(
                district=district,
                measure=measure,
                observed_on=today - datetime.timedelta(days=days_ago),
                value=Decimal(v),
            )
            for measure, measure_values in zip(measures, values, strict=True)
            for days_ago, v in measure_values
        ]
    )
    # The student outcomes, by campus and group (not the teacher retention goal).
    seed_results(district=district, measures=measures[:3], today=today)
    seed_campus_plans(
        district=district,
        measures=measures[:3],
        theories=[t for t in theories if t.status == "adopted"][:6],
        count=CAMPUS_PLANS[size],
    )
    return plan


# How many campuses have a plan in the demo: every campus of the small one, about one in seven
# of the large one (the visit cohort's campuses first, the campus leader's among them).
CAMPUS_PLANS = {"small": 8, "large": 40}

CAMPUS_STRATEGIES = [
    ("Weekly grade-level data meetings on the reading screener", "Assistant principal"),
    ("Family reading nights each term, in English and Spanish", "Family liaison"),
    ("Attendance calls on the second absence", "Attendance clerk"),
    ("Peer observation rounds using the district look-fors", "Instructional coach"),
]


def seed_campus_plans(*, district, measures, theories, count):
    """Campus plans for the school years of the district plan: each campus's goals serve the
    district goals its results measure, with objectives from its own first-year results; most
    are approved, the rest drafts."""
    campuses = list(
        Campus.objects.filter(district=district).order_by(
            Case(When(cohort="", then=1), default=0), "name"
        )[:count]
    )
    first_year = {
        (r.campus_id, r.measure_id): r.value
        for r in MeasureResult.objects.filter(
            district=district, measure__in=measures, group__name="All students"
        )
        # The earliest year last, so it is the one kept.
        .order_by("-observed_on")
    }
    plans = CampusPlan.objects.bulk_create(
        CampusPlan(
            district=district,
            campus=campus,
            start_year=2025,
            end_year=2027,
            status="approved" if i % 4 else "draft",
            approved_on=datetime.date(2025, 9, 15) if i % 4 else None,
            summary=f"{campus.name} will focus on early reading and on attendance, where its "
            "results trail the district's.",
        )
        for i, campus in enumerate(campuses)
    )
    CampusPlan.theories.through.objects.bulk_create(
        CampusPlan.theories.through(campus_plan=plan, theory=theory)
        for i, plan in enumerate(plans)
        for theory in theories[i % 3 : i % 3 + 2]
    )
    goals = CampusGoal.objects.bulk_create(
        CampusGoal(
            district=district,
            campus_plan=plan,
            district_goal_id=measure.goal_id,
            title=f"More students at {plan.campus.name} meet the mark: {measure.name.lower()}",
            order=j,
        )
        for plan in plans
        for j, measure in enumerate(measures[:2])
    )
    by_goal = {}
    for goal in goals:
        by_goal.setdefault(goal.campus_plan_id, []).append(goal)
    objectives = []
    for plan in plans:
        for goal, measure in zip(by_goal[plan.pk], measures[:2], strict=True):
            baseline = first_year.get((plan.campus_id, measure.pk))
            better = Decimal(6) if measure.direction == "up" else Decimal(-6)
            objectives.append(
                PerformanceObjective(
                    district=district,
                    campus_goal=goal,
                    description=f"{measure.name}: a gain of six points by spring 2028",
                    measure=measure,
                    baseline=baseline,
                    target=baseline + better if baseline is not None else None,
                )
            )
    PerformanceObjective.objects.bulk_create(objectives)
    statuses = ["in_progress", "done", "not_started", "in_progress"]
    CampusStrategy.objects.bulk_create(
        CampusStrategy(
            district=district,
            campus_plan=plan,
            theory=theories[i % 3 + k % 2] if k < 2 and theories else None,
            description=text,
            owner=owner,
            status=statuses[(i + k) % 4],
            projected_result="Fewer students below the benchmark at the winter screener.",
            order=k,
        )
        for i, plan in enumerate(plans)
        for k, (text, owner) in enumerate(CAMPUS_STRATEGIES)
    )
    CampusPlanSnapshot.objects.bulk_create(
        CampusPlanSnapshot(
            district=district,
            campus_plan=plan,
            approved_on=plan.approved_on,
            data=campus_plan_document(plan),
        )
        for plan in plans
        if plan.approved_on
    )


# The share of a campus's students in each default group, varied by campus in the demo; special
# education is small enough at the smallest campuses that its results are masked.
GROUP_SHARES = {
    "All students": (1.0, 1.0),
    "Economically disadvantaged": (0.45, 0.8),
    "Emergent bilingual": (0.1, 0.35),
    "Special education": (0.03, 0.14),
}


def seed_results(*, district, measures, today):
    """Two school years of the goals' measures by campus and student group, and the district's
    own by group, as a state file would bring them (masked small groups included)."""
    rng = random.Random(district.slug)
    groups = {g.name: g for g in student_groups_ensure(district=district)}
    last_year = today.year if today.month >= 7 else today.year - 1
    years = [datetime.date(last_year - 1, 6, 30), datetime.date(last_year, 6, 30)]
    campuses = list(Campus.objects.filter(district=district).order_by("pk"))
    shares = {
        (campus.pk, name): rng.uniform(low, high)
        for campus in campuses
        for name, (low, high) in GROUP_SHARES.items()
    }
    GroupEnrollment.objects.bulk_create(
        GroupEnrollment(
            district=district,
            campus=campus,
            group=groups[name],
            school_year=day.year - 1,
            students=round((campus.enrollment or 300) * shares[campus.pk, name]),
        )
        for campus in campuses
        for name in GROUP_SHARES
        for day in years
    )
    results = []
    for measure in measures:
        totals = {}
        for campus in campuses:
            base = float(measure.baseline) + rng.uniform(-12, 12)
            for name in GROUP_SHARES:
                students = round((campus.enrollment or 300) * shares[campus.pk, name])
                gap = 0 if name == "All students" else rng.uniform(-9, 2)
                for step, day in enumerate(years):
                    value = max(0.0, min(100.0, base + gap + step * rng.uniform(-1, 4)))
                    results.append(
                        MeasureResult(
                            district=district,
                            measure=measure,
                            campus=campus,
                            group=groups[name],
                            observed_on=day,
                            value=Decimal(f"{value:.1f}"),
                            students=students,
                        )
                    )
                    total = totals.setdefault((name, day), [0.0, 0])
                    total[0] += value * students
                    total[1] += students
        results += [
            MeasureResult(
                district=district,
                measure=measure,
                group=groups[name],
                observed_on=day,
                value=Decimal(f"{weighted / count:.1f}"),
                students=count,
            )
            for (name, day), (weighted, count) in totals.items()
            if count
        ]
    MeasureResult.objects.bulk_create(results)


def _measure(district, spec, today, **owner):
    name, unit, direction, baseline, target, cycle, values = spec
    return (
        Measure(
            district=district,
            name=name,
            unit=unit,
            direction=direction,
            baseline=Decimal(baseline),
            baseline_date=today - datetime.timedelta(days=540),
            target=Decimal(target),
            target_date=today + datetime.timedelta(days=900),
            update_cycle=cycle,
            **owner,
        ),
        values,
    )


def _generated_theories(rng, count):
    specs = []
    for n in range(count):
        verb, thing = rng.choice(_VERBS), rng.choice(_OBJECTS)
        baseline = rng.randint(20, 60)
        specs.append(
            (
                n % len(STRANDS),
                f"campus teams {verb} {thing} (practice {n + 1})",
                f"visitors will see {thing} used in most classrooms (practice {n + 1})",
                "",
                [n % len(GOALS)],
                "Campus leadership team",
                rng.choice(["proposed", "adopted"]),
                [
                    (
                        f"Plan the {thing} rollout ({n + 1})",
                        "Leader Development",
                        rng.randint(-90, 120),
                        rng.choice(["not_started", "in_progress", "done"]),
                    ),
                    (
                        f"Review {thing} with principals ({n + 1})",
                        "Curriculum and Instruction",
                        rng.randint(-30, 180),
                        "not_started",
                    ),
                ],
                (
                    f"Classrooms showing {thing} ({n + 1})",
                    "%",
                    "up",
                    str(baseline),
                    str(baseline + 30),
                    "quarterly",
                    [(500 - 91 * q, str(baseline + 3 * q)) for q in range(rng.randint(0, 6))],
                ),
            )
        )
    return specs


def adopt_demo_plan(*, plan, adopted_on):
    """Marks the demo plan adopted and keeps the plan as adopted, as the board would."""
    plan.status = Plan.Status.ADOPTED
    plan.adopted_on = adopted_on
    plan.save(update_fields=["status", "adopted_on"])
    PlanSnapshot.objects.create(
        district_id=plan.district_id,
        plan=plan,
        adopted_on=adopted_on,
        data=plan_document(plan),
        public=public_document(plan),
    )
