"""Email about action items: when assigned, three days before due, and when overdue.

Each task claims its email with a conditional update, so a second run sends nothing."""

import datetime

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone

from visits.models import ActionItem


def _send(item, subject, lead):
    send_mail(
        subject,
        f"{lead}\n\n{item.description}\n\nCampus: {item.campus}\nOwner: {item.owner_label}\n"
        f"Due: {item.due_date or 'no date'}\n",
        settings.DEFAULT_FROM_EMAIL,
        [item.assignee.email],
    )


def _claim(queryset, field):
    return queryset.filter(**{f"{field}__isnull": True}).update(**{field: timezone.now()}) == 1


@shared_task
def notify_action_item_assigned(item_id):
    items = ActionItem.objects.filter(pk=item_id, assignee__isnull=False)
    if _claim(items, "assigned_notified_at"):
        item = items.select_related("assignee", "campus", "department").get()
        _send(item, "An action item is assigned to you", "A visit left you this action item.")


@shared_task
def send_action_item_reminders():
    """Run daily by Celery beat."""
    today = timezone.localdate()
    open_items = ActionItem.objects.exclude(status=ActionItem.Status.DONE).filter(
        assignee__isnull=False, due_date__isnull=False
    )
    soon = open_items.filter(due_date=today + datetime.timedelta(days=3))
    for pk in soon.values_list("pk", flat=True):
        items = ActionItem.objects.filter(pk=pk)
        if _claim(items, "due_soon_notified_at"):
            item = items.select_related("assignee", "campus", "department").get()
            _send(
                item,
                "An action item is due in three days",
                "This action item is due in three days.",
            )
    overdue = open_items.filter(due_date__lt=today)
    for pk in overdue.values_list("pk", flat=True):
        items = ActionItem.objects.filter(pk=pk)
        if _claim(items, "overdue_notified_at"):
            item = items.select_related("assignee", "campus", "department").get()
            _send(item, "An action item is overdue", "This action item is past its due date.")
