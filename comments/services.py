from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext

from accounts.models import Membership
from comments import registry
from comments.mentions import find_mentions
from comments.models import BODY_LIMIT, Comment, Notification
from comments.selectors import mentionable


def _clean_body(body):
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": gettext("Write a comment.")})
    if len(body) > BODY_LIMIT:
        raise ValidationError(
            {
                "body": gettext("Keep a comment under %(limit)s characters (this one has %(n)s).")
                % {"limit": BODY_LIMIT, "n": len(body)}
            }
        )
    if "\x00" in body:
        raise ValidationError(
            {"body": gettext("The comment holds a character that cannot be kept.")}
        )
    return body


@transaction.atomic
def comment_create(*, district, user, record, body, parent=None):
    """Posts a comment (a reply when `parent` is given) and tells whom it concerns: the members
    it mentions (in the inbox and by email), the author of the thread it answers and the
    record's owners (in the inbox); never its own author. Returns the comment and the handles
    after an @ that named no member."""
    entry = registry.for_model(type(record))
    if entry is None or record.district_id != district.pk:
        raise ValidationError(gettext("Comments cannot be left on this record."))
    body = _clean_body(body)
    if parent is not None:
        same_record = (
            parent.district_id == district.pk
            and parent.content_type_id == ContentType.objects.get_for_model(record).pk
            and parent.object_id == record.pk
        )
        if not same_record:
            raise ValidationError(gettext("Reply to a comment on this record."))
        if parent.parent_id is not None:
            parent = parent.parent
    comment = Comment.objects.create(
        district=district,
        content_type=ContentType.objects.get_for_model(record),
        object_id=record.pk,
        author=user,
        parent=parent,
        body=body,
    )
    mentioned, unknown = find_mentions(body, mentionable(district))
    reasons = dict.fromkeys(entry.owners(record), Notification.Reason.OWNER)
    if parent is not None and parent.author_id:
        reasons[parent.author_id] = Notification.Reason.REPLY
    reasons.update(dict.fromkeys(mentioned, Notification.Reason.MENTION))
    reasons.pop(user.pk if user else None, None)
    _notify(district, comment, reasons)
    return comment, unknown


def _notify(district, comment, reasons):
    members = set(
        Membership.objects.filter(
            district=district, user_id__in=reasons, is_active=True, user__is_active=True
        ).values_list("user_id", flat=True)
    )
    made = Notification.objects.bulk_create(
        Notification(district=district, recipient_id=user_id, comment=comment, reason=reason)
        for user_id, reason in reasons.items()
        if user_id in members
    )
    _recount(district.pk, members)
    from comments.tasks import queue_mention_email  # the task module reads these services' models

    for notification in made:
        if notification.reason == Notification.Reason.MENTION:
            transaction.on_commit(lambda pk=notification.pk: queue_mention_email(pk))


def _recount(district_id, user_ids):
    """Sets the unread counts the navigation shows from the inbox itself, so they cannot drift."""
    unread = (
        Notification.objects.filter(
            district_id=OuterRef("district_id"),
            recipient_id=OuterRef("user_id"),
            read_at__isnull=True,
        )
        .order_by()
        .values("recipient_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    Membership.objects.filter(district_id=district_id, user_id__in=user_ids).update(
        unread_notifications=Coalesce(Subquery(unread), 0)
    )


@transaction.atomic
def comment_edit(*, comment, user, body):
    """Changes the words of the author's comment. A member it now mentions who was not told of
    it is told, as when it was posted; those already told are not told again. Returns the
    comment and the handles after an @ that named no member."""
    if comment.author_id != user.pk:
        raise ValidationError(gettext("Only its author may change a comment."))
    body = _clean_body(body)
    if body == comment.body:
        return comment, []
    comment.body, comment.edited_at = body, timezone.now()
    comment.save(update_fields=["body", "edited_at"])
    district = comment.district
    mentioned, unknown = find_mentions(body, mentionable(district))
    told = set(comment.notifications.values_list("recipient_id", flat=True))
    reasons = dict.fromkeys(set(mentioned) - told - {user.pk}, Notification.Reason.MENTION)
    if reasons:
        _notify(district, comment, reasons)
    return comment, unknown


@transaction.atomic
def comment_delete(*, comment, user):
    """Deletes the author's comment, with the inbox lines it made. A comment others answered
    stays: deleting it would take their replies with it."""
    if comment.author_id != user.pk:
        raise ValidationError(gettext("Only its author may delete a comment."))
    if comment.replies.exists():
        raise ValidationError(
            gettext("Others have replied to this comment, so it stays; you can change its words.")
        )
    told = list(comment.notifications.values_list("recipient_id", flat=True))
    comment.delete()
    _recount(comment.district_id, told)


def _thread(comment):
    return comment.parent if comment.parent_id else comment


@transaction.atomic
def comment_resolve(*, comment, user):
    """Resolves the comment's thread; resolving a resolved thread leaves it as it was."""
    thread = _thread(comment)
    if thread.resolved_at is None:
        thread.resolved_at, thread.resolved_by = timezone.now(), user
        thread.save(update_fields=["resolved_at", "resolved_by"])
    return thread


@transaction.atomic
def comment_reopen(*, comment, user):
    thread = _thread(comment)
    if thread.resolved_at is not None:
        thread.resolved_at, thread.resolved_by = None, None
        thread.save(update_fields=["resolved_at", "resolved_by"])
    return thread


@transaction.atomic
def notification_read(*, notification):
    if notification.read_at is None:
        Notification.objects.filter(pk=notification.pk).update(read_at=timezone.now())
        _recount(notification.district_id, [notification.recipient_id])


@transaction.atomic
def notifications_read_all(*, membership):
    Notification.objects.filter(
        district_id=membership.district_id, recipient_id=membership.user_id, read_at__isnull=True
    ).update(read_at=timezone.now())
    _recount(membership.district_id, [membership.user_id])
