"""Demo feedback from families and the community, in English and Spanish, on the demo plan's
goals: one answered with a published response (on the Spanish public page), some waiting for
an answer, one linked to a Discovery finding, one to the town hall that will answer it, one
archived. `large` adds a long queue."""

import datetime

from django.utils import timezone

from accounts.models import User
from benchmarking.models import Finding
from district_plan.models import Goal, Plan
from meetings.models import Meeting
from public.models import Feedback

# (language, goal's place in the plan or None for the whole plan, message, name, email)
MESSAGES = [
    (
        "es",
        0,
        "Mi hija está en segundo grado. ¿Cómo sabré si está leyendo al nivel de su grado "
        "antes de que termine el año?",
        "Rosa Martínez",
        "rosa.martinez@example.test",
    ),
    (
        "es",
        1,
        "Nos gustaría que las reuniones para familias fueran por la tarde y con intérprete.",
        "",
        "familia.garcia@example.test",
    ),
    (
        "en",
        None,
        "Thank you for putting the plan online. Could the page say which schools are in the "
        "visit cohort this year?",
        "Dale Owens",
        "dale.owens@example.test",
    ),
    (
        "en",
        0,
        "The reading nights at the library helped our son a lot. Please keep them going.",
        "Priya N.",
        "",
    ),
    ("en", 2, "Is there a plan for more counselors at the middle schools?", "", ""),
]
PUBLISHED_RESPONSE = (
    "Cada escuela primaria comparte con las familias los resultados de lectura de otoño, "
    "invierno y primavera. Si tiene preguntas, la maestra de su hijo o hija puede explicarle "
    "los resultados en la próxima conferencia."
)
ANSWER = (
    "Gracias por escribirnos. La escuela le enviará los resultados de lectura de invierno en "
    "enero, y puede pedir una reunión con la maestra en cualquier momento."
)
LARGE_QUEUE = 120


def seed_feedback(*, district, size="small"):
    plan = Plan.objects.filter(district=district, status=Plan.Status.ADOPTED).first()
    goals = list(Goal.objects.filter(plan=plan).order_by("order", "pk")) if plan else []
    if not goals:
        return
    cabinet = User.objects.filter(email="cabinet@demo.test").first()
    finding = Finding.objects.filter(district=district).order_by("pk").first()
    now = timezone.now()
    rows = []
    for days_ago, (language, place, message, name, email) in enumerate(MESSAGES, start=3):
        rows.append(
            Feedback(
                district=district,
                goal=goals[place % len(goals)] if place is not None else None,
                message=message,
                name=name,
                email=email,
                language=language,
                created_at=now - datetime.timedelta(days=days_ago * 4),
            )
        )
    answered, waiting, _general, linked, archived = rows
    waiting.meeting = (
        Meeting.objects.filter(district=district, kind=Meeting.Kind.TOWN_HALL)
        .order_by("-date")
        .first()
    )
    answered.status = Feedback.Status.ANSWERED
    answered.answer = ANSWER
    answered.answered_by = cabinet
    answered.answered_at = now - datetime.timedelta(days=10)
    answered.answer_emailed_at = answered.answered_at
    answered.response = PUBLISHED_RESPONSE
    answered.response_language = "es"
    answered.response_published_at = answered.answered_at
    linked.status = Feedback.Status.ANSWERED
    linked.answer = "Thank you: the reading nights continue every month this year."
    linked.answered_by = cabinet
    linked.answered_at = now - datetime.timedelta(days=6)
    linked.finding = finding
    archived.status = Feedback.Status.ARCHIVED
    if size == "large":
        statuses = list(Feedback.Status.values)
        rows += [
            Feedback(
                district=district,
                goal=goals[n % len(goals)] if n % 5 else None,
                message=(
                    f"Pregunta {n + 1} de una familia sobre el plan."
                    if n % 3 == 0
                    else f"Question {n + 1} from a family about the plan."
                ),
                language="es" if n % 3 == 0 else "en",
                status=statuses[n % len(statuses)],
                created_at=now - datetime.timedelta(days=30 + n),
            )
            for n in range(LARGE_QUEUE)
        ]
    Feedback.objects.bulk_create(rows)
