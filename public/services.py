from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from core.history import acting_as
from core.models import District
from core.versioning import versioned_update
from district_plan.documents import document_diff, plan_document, public_document
from district_plan.models import Plan, PlanSnapshot
from public import selectors
from public.models import LINKS, Feedback
from public.tasks import queue_feedback_answer


@transaction.atomic
def publication_set(
    *, district, user, plan_published, public_shows_names, public_translations=None
):
    """Publishes or unpublishes the district's plan page, and chooses the languages besides
    English it is published in; the change is in the district's history with who made it.

    A language is added only when the published page has every text in it
    (`selectors.translation_counts`): a language already published stays published when a later
    publishing leaves a few texts in English, which the page then marks as English."""
    if public_translations is None:
        public_translations = district.public_translations
    added = [code for code in public_translations if code not in district.public_translations]
    if added:
        counts = selectors.published_translation_counts(district)
        incomplete = [code for code in added if counts[code][0] < counts[code][1]]
        if incomplete or not counts[added[0]][1]:
            raise ValidationError({"public_translations": selectors.incomplete_message(counts)})
    with acting_as(user):
        District.objects.filter(pk=district.pk).update(
            plan_published=plan_published,
            public_shows_names=public_shows_names,
            public_translations=list(public_translations),
        )
    return District.objects.get(pk=district.pk)


def _summary(sections, moved):
    """What this publication put on the public page, for the history (PlanSnapshot.summary)."""
    return {
        "sections": [
            {
                "section": section["name"],
                "added": section["added"],
                "removed": section["removed"],
                "changed": [title for title, _ in section["changed"]],
            }
            for section in sections
        ],
        "moved": bool(moved),
    }


@transaction.atomic
def plan_publish(*, plan, user, reviewed):
    """Puts the plan as it is now on the public page, if it is still exactly what the admin
    reviewed (`reviewed`: the fingerprint of the document they were shown); the snapshot, with
    a summary of what it put on the page, is in the plan's history."""
    # Locking the plan serialises two admins publishing at once.
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != Plan.Status.ADOPTED:
        raise ValidationError(gettext("Only an adopted plan can be published."))
    document = public_document(plan)
    if selectors.fingerprint(document) != reviewed:
        raise ValidationError(
            gettext("The plan changed while you were reviewing it; review the changes again.")
        )
    published = selectors.published_document(plan) or {}
    summary = _summary(
        document_diff(published, document), selectors.moved_since(published, document)
    )
    with acting_as(user):
        return PlanSnapshot.objects.create(
            district_id=plan.district_id,
            plan=plan,
            kind=PlanSnapshot.Kind.PUBLISHED,
            adopted_on=plan.adopted_on,
            taken_by=user,
            data=plan_document(plan),
            public=document,
            summary=summary,
        )


@transaction.atomic
def feedback_submit(*, district, goal, message, name, email, language):
    """Keeps a message from the public page; nobody is signed in, so its history names no one."""
    if goal is not None and goal.district_id != district.pk:
        raise ValidationError({"goal": gettext("Choose one of this plan's goals.")})
    feedback = Feedback(
        district=district, goal=goal, message=message, name=name, email=email, language=language
    )
    feedback.full_clean()
    feedback.save()
    return feedback


def _locked(feedback):
    return Feedback.objects.select_for_update().get(pk=feedback.pk)


@transaction.atomic
def feedback_answer(*, feedback, expected_version, user, answer):
    """Records the member's answer; when the writer gave an email address, the answer is sent
    to it once the answer is saved (public.tasks). An answer already sent stays as sent."""
    current = _locked(feedback)
    if current.emailed:
        raise ValidationError(
            {"answer": gettext("This answer was already sent by email; it stays as it was sent.")}
        )
    data = {"answer": answer, "answered_by": user, "answered_at": timezone.now()}
    if current.status == Feedback.Status.NEW:
        data["status"] = Feedback.Status.ANSWERED
    saved = versioned_update(
        instance=feedback, expected_version=expected_version, user=user, data=data
    )
    if saved.email:
        transaction.on_commit(lambda: queue_feedback_answer(saved.pk))
    return saved


@transaction.atomic
def feedback_respond(*, feedback, expected_version, user, response, response_language, publish):
    """Keeps the public response; the public page shows it only when `publish` is chosen."""
    if publish and not response.strip():
        raise ValidationError({"response": gettext("Write the response before publishing it.")})
    current = _locked(feedback)
    published_at = (current.response_published_at or timezone.now()) if publish else None
    return versioned_update(
        instance=feedback,
        expected_version=expected_version,
        user=user,
        data={
            "response": response,
            "response_language": response_language,
            "response_published_at": published_at,
        },
    )


@transaction.atomic
def feedback_link(*, feedback, expected_version, user, goal, meeting, finding):
    """Links the message to a goal (or to the whole plan), a meeting and a Discovery finding,
    of its own district only."""
    refusals = {
        "goal": gettext("Choose one of this district's goals."),
        "meeting": gettext("Choose one of this district's meetings."),
        "finding": gettext("Choose one of this district's findings."),
    }
    links = {"goal": goal, "meeting": meeting, "finding": finding}
    for name in LINKS:
        record = links[name]
        if record is not None and record.district_id != feedback.district_id:
            raise ValidationError({name: refusals[name]})
    return versioned_update(
        instance=feedback, expected_version=expected_version, user=user, data=links
    )


@transaction.atomic
def feedback_archive(*, feedback, user, archived):
    """Archives the message, or brings it back to where it was: answered or waiting."""
    current = _locked(feedback)
    if archived:
        status = Feedback.Status.ARCHIVED
    else:
        status = Feedback.Status.ANSWERED if current.answered_at else Feedback.Status.NEW
    if current.status != status:
        current.status = status
        current.version += 1
        with acting_as(user):
            current.save(update_fields=["status", "version"])
    return current
