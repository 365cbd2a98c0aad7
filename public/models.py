"""What families and the community write about the published plan, and how the cabinet answers.

A message comes from the public plan page, with no sign-in, about one goal or the whole plan.
It is never shown publicly: the cabinet reads it in the moderation queue, may answer it (by
email when one was given), link it to what it is about and archive it, and may write a separate
public response, which the public page shows only once a member chooses to publish it.

Links: a goal, a meeting (the town hall where it was said, say) and a Discovery finding, each of
the message's own district; a meeting's page lists the messages linked to it for those who
moderate.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.history import tracked
from core.models import District
from core.versioning import Versioned
from district_plan.models import Goal

MESSAGE_LIMIT = 3000
NAME_LIMIT = 120
ANSWER_LIMIT = 5000
RESPONSE_LIMIT = 3000

# The links a member may make from a message to what it is about (see the module's note).
LINKS = ("goal", "meeting", "finding")


# The history keeps what the cabinet did with a message (its status, links, who answered and
# when, the public response), not what a family wrote or who they are: the message, the name,
# the email and the answer written to them stay in this row only, shown to those who moderate,
# and deleting the row deletes them everywhere.
@tracked(exclude=("message", "name", "email", "answer"))
class Feedback(Versioned):
    class Status(models.TextChoices):
        NEW = "new", _("Waiting for an answer")
        ANSWERED = "answered", _("Answered")
        ARCHIVED = "archived", _("Archived")

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="+")
    # A goal deleted later leaves the message about the whole plan.
    goal = models.ForeignKey(
        Goal, null=True, blank=True, on_delete=models.SET_NULL, related_name="feedback"
    )
    message = models.TextField(_("message"), max_length=MESSAGE_LIMIT)
    name = models.CharField(_("name"), max_length=NAME_LIMIT, blank=True)
    email = models.EmailField(_("email"), blank=True)
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.NEW
    )
    created_at = models.DateTimeField(default=timezone.now)
    answer = models.TextField(_("answer"), max_length=ANSWER_LIMIT, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("answered by"),
    )
    answered_at = models.DateTimeField(_("answered on"), null=True, blank=True)
    # The claim of the answer's email (public.tasks): set in the transaction that sends it.
    answer_emailed_at = models.DateTimeField(null=True, blank=True, editable=False)
    response = models.TextField(_("public response"), max_length=RESPONSE_LIMIT, blank=True)
    response_language = models.CharField(
        _("language of the response"), max_length=5, choices=settings.LANGUAGES, blank=True
    )
    response_published_at = models.DateTimeField(_("response published on"), null=True, blank=True)
    finding = models.ForeignKey(
        "benchmarking.Finding",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("Discovery finding"),
    )
    meeting = models.ForeignKey(
        "meetings.Meeting",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("meeting"),
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        indexes = [models.Index(fields=["district", "status", "-created_at"])]

    def __str__(self):
        # Named by number, never by its words or its writer: the label shows in the history.
        return gettext("Feedback %(number)s") % {"number": self.pk}

    @property
    def emailed(self):
        return self.answer_emailed_at is not None
