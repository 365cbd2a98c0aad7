"""The public page's feedback answers the plan's questions (district_plan.hooks)."""

from types import SimpleNamespace

from django.db.models import OuterRef
from django.urls import reverse

from core.selectors import count_of
from district_plan import hooks
from meetings import hooks as meeting_hooks
from public.models import Feedback


@hooks.goal_annotations.answer
def feedback_counts():
    """How many messages each goal received, and how many of them wait for an answer."""
    received = Feedback.objects.filter(goal=OuterRef("pk"))
    return {
        "feedback_received": count_of(received),
        "feedback_waiting": count_of(received.filter(status=Feedback.Status.NEW)),
    }


@meeting_hooks.meeting_feedback.answer
def meeting_feedback(*, meeting):
    messages = Feedback.objects.filter(meeting=meeting).select_related("district")
    return [
        SimpleNamespace(
            label=str(message),
            url=reverse("publication:feedback", args=[message.district.slug, message.pk]),
            status=message.get_status_display(),
            received=message.created_at,
        )
        for message in messages.order_by("created_at", "pk")
    ]
