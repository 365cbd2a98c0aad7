from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.history import tracked, translated_name
from core.models import District

BODY_LIMIT = 4000


@tracked()
class Comment(models.Model):
    """A member's comment on a record of their district (comments.registry says which records
    take comments), or a reply to one. Threads are one level deep: a reply to a reply joins its
    thread, and resolving the thread's first comment resolves the thread."""

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    body = models.TextField(_("comment"), max_length=BODY_LIMIT)
    created_at = models.DateTimeField(auto_now_add=True)
    # Set when its author changes its words; the history keeps what it said before.
    edited_at = models.DateTimeField(_("edited at"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("resolved by"),
    )

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["district", "content_type", "object_id"])]

    def __str__(self):
        return self.body[:80]

    @staticmethod
    def content_type_history_text(value):
        """What a comment is on, as the history shows it: the kind of record in the reader's
        language (a content type's own name is its app's and model's English names)."""
        model = ContentType.objects.get_for_id(value).model_class()
        return translated_name(model._meta.verbose_name) if model else ""

    @property
    def is_resolved(self):
        return self.resolved_at is not None


class Notification(models.Model):
    """One line of a member's inbox: a comment that mentions them, answers theirs, or is on a
    record they own. A comment tells each person once, for the strongest reason."""

    class Reason(models.TextChoices):
        MENTION = "mention", _("mentioned you")
        REPLY = "reply", _("replied to you")
        OWNER = "owner", _("commented on something you own")

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="notifications")
    reason = models.CharField(max_length=8, choices=Reason.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # The claim of the mention's email (comments.tasks).
    emailed_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "comment"], name="one_notification_per_comment"
            )
        ]
        indexes = [models.Index(fields=["recipient", "district", "read_at"])]

    def __str__(self):
        return f"{self.recipient_id} · {self.get_reason_display()} · {self.comment_id}"


class DigestSent(models.Model):
    """The claim of one digest email: one row per member and period, written in the
    transaction that sends it, so a digest goes once however often the schedule runs."""

    membership = models.ForeignKey(
        "accounts.Membership", on_delete=models.CASCADE, related_name="+"
    )
    frequency = models.CharField(max_length=6)
    period_start = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["membership", "frequency", "period_start"], name="one_digest_per_period"
            )
        ]

    def __str__(self):
        return f"{self.membership_id} · {self.frequency} · {self.period_start}"
