"""The demo's comment threads: a board member asks a theory's owner a question by mentioning
them, the owner answers, a thread on an action item is settled and resolved, and the cabinet
account finds unread lines in its inbox."""

from django.utils import timezone

from accounts.models import User
from comments.models import Notification
from comments.services import comment_create, comment_resolve
from district_plan.models import Goal
from theories.models import TheoryOfAction
from visits.models import ActionItem


def seed_comments(*, district):
    people = {u.email: u for u in User.objects.filter(memberships__district=district)}
    board, cabinet = people["board@demo.test"], people["cabinet@demo.test"]
    visitor = people["visitor@demo.test"]

    theory = TheoryOfAction.objects.filter(district=district).order_by(
        "strand__order", "order", "pk"
    )[0]
    # The theory's owner is a member, so comments on it reach her inbox.
    theory.owner = cabinet.get_full_name()
    TheoryOfAction.objects.filter(pk=theory.pk).update(owner=theory.owner)
    question, _ = comment_create(
        district=district,
        user=board,
        record=theory,
        body=f"@{cabinet.get_full_name()} Which campuses will see this first, and when will the "
        "board hear how it is going?",
    )
    comment_create(
        district=district,
        user=cabinet,
        record=theory,
        parent=question,
        body="The cohort campuses start in January; @admin, please add the update to the "
        "March study session.",
    )

    item = (
        ActionItem.objects.filter(district=district, assignee__isnull=False)
        .exclude(assignee=visitor)
        .order_by("pk")
        .first()
    )
    asked, _ = comment_create(
        district=district,
        user=visitor,
        record=item,
        body="Is the new schedule shared with the grade-level teams yet?",
    )
    comment_create(
        district=district,
        user=item.assignee,
        record=item,
        parent=asked,
        body="Yes, at Tuesday's staff meeting. Copies are in the shared folder.",
    )
    comment_resolve(comment=asked, user=visitor)

    goal = Goal.objects.filter(district=district).order_by("order", "pk")[0]
    comment_create(
        district=district,
        user=people["principal@demo.test"],
        record=goal,
        body="@cabinet Could the spring benchmark dates move a week, after the state test window?",
    )
    # The demo's mentions are read in the inbox; no email goes out for them.
    Notification.objects.filter(district=district).update(emailed_at=timezone.now())
