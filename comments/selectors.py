from django.contrib.contenttypes.prefetch import GenericPrefetch
from django.db.models import Count, OuterRef, Prefetch, Q

from accounts.models import Membership
from comments import registry
from comments.mentions import Mentionable
from comments.models import Comment, Notification
from core.selectors import count_of

# An open comment: its thread's first comment is not resolved.
OPEN = Q(parent__isnull=True, resolved_at__isnull=True) | Q(
    parent__isnull=False, parent__resolved_at__isnull=True
)
INBOX_LIMIT = 100


def of_model(model):
    """Comments on records of `model`, by a join rather than a lookup of its content type, so a
    page costs the same queries whether or not the content type is cached yet."""
    meta = model._meta.concrete_model._meta
    return Q(content_type__app_label=meta.app_label, content_type__model=meta.model_name)


def record_comments(record):
    return Comment.objects.filter(
        of_model(type(record)), district_id=record.district_id, object_id=record.pk
    )


def threads(record):
    """The record's threads, oldest first, each with its replies: two queries however many."""
    replies = Comment.objects.select_related("author").order_by("created_at", "pk")
    return list(
        record_comments(record)
        .filter(parent__isnull=True)
        .select_related("author", "resolved_by")
        .prefetch_related(Prefetch("replies", queryset=replies))
    )


def open_comments_of(model):
    """How many open comments each record of `model` has, as an expression for the query that
    reads the records (the plan's goals): no query of its own."""
    return count_of(Comment.objects.filter(OPEN, of_model(model), object_id=OuterRef("pk")))


def open_counts(district):
    """{(app label, model name, record id): open comments} for every commented record of the
    district, in one query: a page showing many records (the plan's goals and competencies)
    counts them all at once."""
    rows = (
        Comment.objects.filter(OPEN, district=district)
        .values_list("content_type__app_label", "content_type__model", "object_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {(app, model, pk): n for app, model, pk, n in rows}


def count_key(record):
    meta = type(record)._meta.concrete_model._meta
    return (meta.app_label, meta.model_name, record.pk)


def mentionable(district):
    """The district's active members, whom a comment may mention."""
    return [
        Mentionable(user_id, full_name, email)
        for user_id, full_name, email in Membership.objects.filter(
            district=district, is_active=True, user__is_active=True
        )
        .order_by("user__full_name", "user__email")
        .values_list("user_id", "user__full_name", "user__email")
    ]


def _records_prefetch():
    """The commented records of every registered kind, one query per kind, with what their
    links and names read."""
    return GenericPrefetch(
        "comment__record",
        [
            entry.model._default_manager.select_related(*entry.related)
            for entry in registry.registered()
        ],
    )


def _notifications(membership):
    return (
        Notification.objects.filter(
            recipient_id=membership.user_id, district_id=membership.district_id
        )
        .select_related("comment__author", "comment__content_type")
        .prefetch_related(_records_prefetch())
    )


def inbox(membership, *, limit=INBOX_LIMIT):
    """The member's newest notifications in this district, each with its comment, author and
    record."""
    return list(_notifications(membership)[:limit])


def inbox_between(membership, *, since, until):
    """The member's notifications made from `since` to before `until`, oldest first."""
    return list(
        _notifications(membership)
        .filter(created_at__gte=since, created_at__lt=until)
        .order_by("created_at", "pk")
    )


def commented_record(notification):
    """(kind's registration, record) of a notification's comment; the record may be gone."""
    comment = notification.comment
    return registry.for_model(comment.content_type.model_class()), comment.record
