"""Email about action items: when assigned, when due within three days, and when overdue.

Each email is sent at least once. Its claim (the item's `*_notified_at`) is written in the
transaction that sends it, holding the item's row: a send that fails, hangs past EMAIL_TIMEOUT
or dies with its worker leaves the item unclaimed, the task retries with backoff, and the daily
run sends whatever is still unclaimed. A second run while one is sending waits for the row,
then finds the email claimed."""

import datetime
import logging
from smtplib import SMTPException

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import formats, timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import Membership
from visits.models import ActionItem

log = logging.getLogger(__name__)

DUE_SOON_DAYS = 3

# kind: (claim field, subject, first line)
EMAILS = {
    "assigned": (
        "assigned_notified_at",
        _("An action item is assigned to you"),
        _("A visit left you this action item."),
    ),
    "due_soon": (
        "due_soon_notified_at",
        _("An action item is due soon"),
        _("This action item is due within three days."),
    ),
    "overdue": (
        "overdue_notified_at",
        _("An action item is overdue"),
        _("This action item is past its due date."),
    ),
}

# An item no visit raised (a meeting's follow-up) is not said to come from one.
NO_VISIT_LEAD = _("A meeting left you this action item.")


# OSError covers refused connections and socket timeouts.
SEND_FAILURES = (SMTPException, OSError, SoftTimeLimitExceeded)


def _waiting(kind):
    """Open, assigned items that should have the `kind` email and have not had it. Someone
    switched off, or deactivated in the item's district, is not written to about it: the email
    would lead to pages they can no longer open."""
    today = timezone.localdate()
    items = ActionItem.objects.exclude(status=ActionItem.Status.DONE).filter(
        Exists(
            Membership.objects.filter(
                user=OuterRef("assignee"), district=OuterRef("district"), is_active=True
            )
        ),
        assignee__isnull=False,
        assignee__is_active=True,
        **{f"{EMAILS[kind][0]}__isnull": True},
    )
    if kind == "due_soon":
        items = items.filter(
            due_date__gte=today, due_date__lte=today + datetime.timedelta(days=DUE_SOON_DAYS)
        )
    elif kind == "overdue":
        items = items.filter(due_date__lt=today)
    return items


@shared_task(
    autoretry_for=SEND_FAILURES,
    retry_backoff=30,
    retry_backoff_max=30 * 60,
    retry_jitter=False,
    max_retries=6,
    soft_time_limit=60,
    time_limit=90,
)
def send_action_item_email(item_id, kind):
    field, subject, lead = EMAILS[kind]
    with transaction.atomic():
        item = (
            _waiting(kind)
            .select_for_update(of=("self",))
            .select_related("assignee", "campus", "department")
            .filter(pk=item_id)
            .first()
        )
        if item is None:
            return "nothing to send"
        if kind == "assigned" and item.visit_id is None:
            lead = NO_VISIT_LEAD
        # In the language the recipient picked, whoever or whatever queued the email.
        with translation.override(item.assignee.language or settings.LANGUAGE_CODE):
            due = formats.date_format(item.due_date) if item.due_date else gettext("no date")
            body = gettext(
                "%(lead)s\n\n%(description)s\n\nCampus: %(campus)s\nOwner: %(owner)s\n"
                "Due: %(due)s\n"
            ) % {
                "lead": lead,
                "description": item.description,
                "campus": item.campus or gettext("not tied to one campus"),
                "owner": item.owner_label,
                "due": due,
            }
            send_mail(str(subject), body, settings.DEFAULT_FROM_EMAIL, [item.assignee.email])
        ActionItem.objects.filter(pk=item_id).update(**{field: timezone.now()})
    return "sent"


def queue_action_item_email(item_id, kind):
    """Queues one email; if that fails (no broker, or a send failing in-process), the daily run
    sends it, so the caller carries on."""
    try:
        send_action_item_email.delay(item_id, kind)
    except Exception:
        log.exception("Could not send the %s email for action item %s", kind, item_id)


@shared_task
def send_action_item_reminders():
    """Run daily by Celery beat: every email still owed, assignments whose email failed included."""
    for kind in EMAILS:
        for pk in _waiting(kind).values_list("pk", flat=True):
            queue_action_item_email(pk, kind)
