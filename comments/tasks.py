"""Email about comments, in the recipient's language: a mention, sent once; and each member's
daily or weekly digest, sent once per period.

As with action items (visits.tasks), each claim is written in the transaction that sends the
email: a mention's `Notification.emailed_at` (holding its row), a digest's `DigestSent` row
(unique per member and period, so a second run waits for the first and then finds it sent). A
send that fails rolls its claim back, the task retries with backoff, and the next scheduled run
sends whatever is still owed."""

import datetime
import logging
from smtplib import SMTPException

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from accounts.models import Membership
from comments import registry
from comments.digest import digest_for
from comments.models import DigestSent, Notification

log = logging.getLogger(__name__)

SEND_FAILURES = (SMTPException, OSError, SoftTimeLimitExceeded)


def _waiting():
    """Mentions not yet emailed, to people still active in the comment's district."""
    return Notification.objects.filter(
        Exists(
            Membership.objects.filter(
                user=OuterRef("recipient"), district=OuterRef("district"), is_active=True
            )
        ),
        reason=Notification.Reason.MENTION,
        emailed_at__isnull=True,
        recipient__is_active=True,
    )


def thread_url(district, record):
    entry = registry.for_model(type(record))
    return settings.SITE_URL + reverse(
        "comments:thread", args=[district.slug, entry.kind, record.pk]
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
def send_mention_email(notification_id):
    with transaction.atomic():
        notification = (
            _waiting()
            .select_for_update(of=("self",))
            .select_related("recipient", "district", "comment__author", "comment__content_type")
            .filter(pk=notification_id)
            .first()
        )
        if notification is None:
            return "nothing to send"
        comment = notification.comment
        record = comment.record
        if record is None:
            return "nothing to send"
        recipient = notification.recipient
        with translation.override(recipient.language or settings.LANGUAGE_CODE):
            author = comment.author.get_full_name() if comment.author else gettext("Someone")
            entry = registry.for_model(type(record))
            subject = gettext("%(author)s mentioned you in a comment") % {"author": author}
            body = gettext(
                "%(author)s mentioned you in a comment on the %(kind)s “%(record)s”:\n\n"
                "%(body)s\n\nReply or resolve it here: %(url)s\n"
            ) % {
                "author": author,
                "kind": entry.label,
                "record": record,
                "body": comment.body,
                "url": thread_url(notification.district, record),
            }
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [recipient.email])
        Notification.objects.filter(pk=notification_id).update(emailed_at=timezone.now())
    return "sent"


def queue_mention_email(notification_id):
    """Queues one email; if that fails (no broker, or a send failing in-process), the daily run
    sends it, so the comment is kept all the same."""
    try:
        send_mention_email.delay(notification_id)
    except Exception:
        log.exception("Could not send the mention email of notification %s", notification_id)


@shared_task
def send_waiting_mention_emails():
    """Run daily by Celery beat: every mention email still owed."""
    for pk in _waiting().values_list("pk", flat=True):
        queue_mention_email(pk)


def _linked(district, lines):
    """Each notification with the address of its thread; those whose record is gone drop out."""
    return [
        (line, thread_url(district, line.comment.record))
        for line in lines
        if line.comment.record is not None
    ]


def _digest_due(today):
    """The digests the morning of `today` owes: daily ones every day, weekly ones on Mondays."""
    return ["daily", "weekly"] if today.weekday() == 0 else ["daily"]


@shared_task
def send_digests():
    """Run every morning by Celery beat: queues each member's digest due today."""
    today = timezone.localdate()
    members = Membership.objects.filter(
        is_active=True, user__is_active=True, digest__in=_digest_due(today)
    ).values_list("pk", "digest")
    for pk, frequency in members:
        try:
            send_digest.delay(pk, frequency, today.isoformat())
        except Exception:
            log.exception("Could not queue the %s digest of membership %s", frequency, pk)


@shared_task(
    autoretry_for=SEND_FAILURES,
    retry_backoff=30,
    retry_backoff_max=30 * 60,
    retry_jitter=False,
    max_retries=6,
    soft_time_limit=60,
    time_limit=90,
)
def send_digest(membership_id, frequency, day):
    today = datetime.date.fromisoformat(day)
    with transaction.atomic():
        membership = (
            Membership.objects.select_related("user", "district")
            .filter(pk=membership_id, is_active=True, user__is_active=True, digest=frequency)
            .first()
        )
        if membership is None:
            return "nothing to send"
        try:
            with transaction.atomic():
                DigestSent.objects.create(
                    membership=membership, frequency=frequency, period_start=today
                )
        except IntegrityError:
            return "already sent"
        digest = digest_for(membership, frequency=frequency, today=today)
        if digest.empty:
            return "nothing to tell"
        user = membership.user
        with translation.override(user.language or settings.LANGUAGE_CODE):
            context = {
                "digest": digest,
                "membership": membership,
                "weekly": frequency == "weekly",
                "site": settings.SITE_URL,
                "inbox": settings.SITE_URL
                + reverse("inbox:index", args=[membership.district.slug]),
                "mentions": _linked(membership.district, digest.mentions),
                "comments": _linked(membership.district, digest.comments),
            }
            subject = render_to_string("comments/digest_subject.txt", context).strip()
            body = render_to_string("comments/digest_email.txt", context)
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
    return "sent"
