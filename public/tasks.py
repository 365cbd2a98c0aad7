"""The answer to a family's message, by email, in the language they wrote in.

Sent at least once and claimed once, as the action-item emails are (visits.tasks): the claim
(`answer_emailed_at`) is written in the transaction that sends, holding the message's row; a
send that fails leaves it unclaimed, the task retries with backoff, and the daily run sends
whatever is still unclaimed. A second run while one is sending waits for the row, then finds
the answer claimed."""

import logging

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext

from public.models import Feedback
from visits.tasks import SEND_FAILURES

log = logging.getLogger(__name__)


def _waiting():
    """Answered messages with an address to answer to, whose answer has not gone yet."""
    return (
        Feedback.objects.filter(answer_emailed_at__isnull=True, answered_at__isnull=False)
        .exclude(email="")
        .exclude(answer="")
    )


@shared_task(
    autoretry_for=SEND_FAILURES,
    retry_backoff=30,
    retry_backoff_max=30 * 60,
    retry_jitter=False,
    max_retries=6,
    soft_time_limit=60,
    time_limit=90,
)
def send_feedback_answer(feedback_id):
    with transaction.atomic():
        feedback = (
            _waiting()
            .select_for_update(of=("self",))
            .select_related("district")
            .filter(pk=feedback_id)
            .first()
        )
        if feedback is None:
            return "nothing to send"
        with translation.override(feedback.language or settings.LANGUAGE_CODE):
            district = feedback.district.name
            subject = gettext("An answer from %(district)s") % {"district": district}
            body = gettext(
                "Thank you for writing to %(district)s about its plan. Our answer:\n\n"
                "%(answer)s\n\nWhat you wrote:\n\n%(message)s\n"
            ) % {"district": district, "answer": feedback.answer, "message": feedback.message}
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [feedback.email])
        Feedback.objects.filter(pk=feedback_id).update(answer_emailed_at=timezone.now())
    return "sent"


def queue_feedback_answer(feedback_id):
    """Queues the answer's email; if that fails (no broker, or a send failing in-process), the
    daily run sends it, so the member's save carries on."""
    try:
        send_feedback_answer.delay(feedback_id)
    except Exception:
        log.exception("Could not send the answer to feedback %s", feedback_id)


@shared_task
def send_feedback_answers():
    """Run daily by Celery beat: every answer whose email is still owed."""
    for pk in _waiting().values_list("pk", flat=True):
        queue_feedback_answer(pk)
