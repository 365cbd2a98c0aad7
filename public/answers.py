"""The public page's feedback answers the plan's questions (district_plan.hooks)."""

from django.db.models import OuterRef

from core.selectors import count_of
from district_plan import hooks
from public.models import Feedback


@hooks.goal_annotations.answer
def feedback_counts():
    """How many messages each goal received, and how many of them wait for an answer."""
    received = Feedback.objects.filter(goal=OuterRef("pk"))
    return {
        "feedback_received": count_of(received),
        "feedback_waiting": count_of(received.filter(status=Feedback.Status.NEW)),
    }
