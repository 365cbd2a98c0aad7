import hashlib
import json
import secrets

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Value
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext

from accounts.models import Membership
from core.roles import may_update_action_item
from core.versioning import versioned_create, versioned_update
from visits import rotation
from visits.models import (
    ActionItem,
    CalendarFeed,
    Observation,
    ProblemOfPractice,
    Visit,
    VisitProgram,
)
from visits.tasks import queue_action_item_email


def _blackouts(program):
    return [(b.start_date, b.end_date) for b in program.blackouts.all()]


@transaction.atomic
def program_create(*, district, name, weekday, start_date, end_date, campuses, blackouts=()):
    """Creates the program and its whole rotation of planned visits."""
    program = VisitProgram(
        district=district, name=name, weekday=weekday, start_date=start_date, end_date=end_date
    )
    program.full_clean()
    program.save()
    program.campuses.set(campuses)
    for start, end, reason in blackouts:
        program.blackouts.create(start_date=start, end_date=end, reason=reason)
    rotation_generate(program=program, campuses=list(campuses))
    return program


def rotation_generate(*, program, campuses):
    """Plans the program's visits: its campuses in name order, one a week."""
    order = [c.pk for c in sorted(campuses, key=lambda c: c.name.lower())]
    slots = rotation.generate_rotation(
        campuses=order,
        weekday=program.weekday,
        start=program.start_date,
        end=program.end_date,
        blackouts=_blackouts(program),
    )
    Visit.objects.bulk_create(
        [
            Visit(
                district_id=program.district_id,
                program=program,
                campus_id=slot.campus,
                date=slot.date,
                round=slot.round,
            )
            for slot in slots
        ]
    )


@transaction.atomic
def visit_move(*, visit, new_date, user):
    """Moves a planned visit; into another week it trades places with that week's visit."""
    if visit.status != Visit.Status.PLANNED:
        raise ValidationError({"date": gettext("Only a planned visit can be moved.")})
    program = visit.program
    visits = list(program.visits.select_for_update().order_by("date", "pk"))
    slots = [rotation.Slot(v.date, v.campus_id, v.round) for v in visits]
    index = next(i for i, v in enumerate(visits) if v.pk == visit.pk)
    try:
        moved = rotation.move(
            slots,
            index,
            new_date,
            start=program.start_date,
            end=program.end_date,
            blackouts=_blackouts(program),
        )
    except rotation.RotationError as exc:
        raise ValidationError({"date": str(exc)}) from None
    for stored, slot in zip(visits, moved, strict=True):
        if stored.date != slot.date:
            if stored.pk != visit.pk and stored.status != Visit.Status.PLANNED:
                raise ValidationError({"date": gettext("The visit that week has already started.")})
            versioned_update(
                instance=stored,
                expected_version=stored.version,
                user=user,
                data={"date": slot.date},
            )
    return Visit.objects.get(pk=visit.pk)


def visit_advance(*, visit, expected_version, user):
    """Planned → in progress → debriefed → closed."""
    following = Visit.NEXT_STATUS.get(visit.status)
    if following is None:
        raise ValidationError(gettext("This visit is closed."))
    return versioned_update(
        instance=visit, expected_version=expected_version, user=user, data={"status": following}
    )


def visit_update(*, visit, expected_version, user, data, m2m=None):
    return versioned_update(
        instance=visit, expected_version=expected_version, user=user, data=data, m2m=m2m
    )


class ReplayConflict(Exception):
    """The same client id arrived with different content."""


def _fingerprint(fields, look_for_ids):
    payload = {k: str(v) for k, v in sorted(fields.items())} | {"look_fors": sorted(look_for_ids)}
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def observation_record(*, visit, observer, client_id, look_fors, **fields):
    """Stores an observation once per client id. Returns (observation, created).

    A tablet resends when it is unsure a save arrived; the same id with the same content
    is answered with the stored observation, with different content it is refused."""
    fingerprint = _fingerprint(fields, [lf.pk for lf in look_fors])
    existing = Observation.objects.filter(client_id=client_id).first()
    if existing is not None:
        if existing.visit_id != visit.pk or existing.fingerprint != fingerprint:
            raise ReplayConflict()
        return existing, False
    if not visit.is_open_for_observations:
        raise ValidationError(gettext("This visit is closed to new observations."))
    observation = Observation(
        district_id=visit.district_id,
        visit=visit,
        client_id=client_id,
        fingerprint=fingerprint,
        observer=observer,
        **fields,
    )
    observation.full_clean(exclude=["client_id"])
    try:
        with transaction.atomic():
            observation.save()
            observation.look_fors.set(look_fors)
            if visit.status == Visit.Status.PLANNED:
                Visit.objects.filter(pk=visit.pk, status=Visit.Status.PLANNED).update(
                    status=Visit.Status.IN_PROGRESS
                )
    except IntegrityError:
        # Two copies of one save raced; the other one was stored.
        return observation_record(
            visit=visit, observer=observer, client_id=client_id, look_fors=look_fors, **fields
        )
    return observation, True


@transaction.atomic
def action_item_create(*, visit, user, **fields):
    item = ActionItem(
        district_id=visit.district_id, visit=visit, campus_id=visit.campus_id, **fields
    )
    if item.resolved_during_visit:
        item.status = ActionItem.Status.DONE
        item.completed_on = visit.date
    versioned_create(instance=item, user=user)
    if item.assignee_id and not item.resolved_during_visit:
        transaction.on_commit(lambda: queue_action_item_email(item.pk, "assigned"))
    return item


@transaction.atomic
def follow_up_item_create(*, district, campus, user, **fields):
    """An action item no visit raised (a meeting's follow-up), for `campus`, or for no one
    campus when a department owns it: owned, assigned, emailed and reviewed like any other."""
    item = ActionItem(district=district, campus=campus, **fields)
    versioned_create(instance=item, user=user)
    if item.assignee_id:
        transaction.on_commit(lambda: queue_action_item_email(item.pk, "assigned"))
    return item


@transaction.atomic
def action_item_update(*, item, expected_version, user, data):
    stored = (
        ActionItem.objects.select_for_update()
        .values("status", "assignee_id", "due_date")
        .get(pk=item.pk)
    )
    done = ActionItem.Status.DONE
    if data.get("status") == done and stored["status"] != done:
        data = {**data, "completed_on": timezone.localdate()}
    elif "status" in data and data["status"] != done:
        data = {**data, "completed_on": None}
    updated = versioned_update(
        instance=item, expected_version=expected_version, user=user, data=data
    )
    reassigned = updated.assignee_id != stored["assignee_id"]
    if reassigned or updated.due_date != stored["due_date"]:
        # A new assignee is owed every email afresh, and a new date its own reminders.
        owed = {"due_soon_notified_at": None, "overdue_notified_at": None}
        if reassigned:
            owed["assigned_notified_at"] = None
        ActionItem.objects.filter(pk=item.pk).update(**owed)
        if reassigned and updated.assignee_id:
            transaction.on_commit(lambda: queue_action_item_email(item.pk, "assigned"))
    return updated


def calendar_feed_for(*, user, district):
    """The member's calendar address, made the first time they open the calendar page. Two
    first visits at once share one: get_or_create reads the other's row when the unique
    index refuses a second."""
    feed, _ = CalendarFeed.objects.get_or_create(user=user, district=district)
    return feed


@transaction.atomic
def calendar_feed_renew(*, user, district):
    """A new secret address; calendar apps holding the old one get nothing from then on. The
    row keeps its place and takes a new token, so two renewals at once wait for each other
    (the row is locked) instead of both inserting."""
    feed, _ = CalendarFeed.objects.update_or_create(
        user=user,
        district=district,
        defaults={"token": secrets.token_urlsafe(), "created_at": timezone.now()},
    )
    return feed


def calendar_feeds_retire(*, user):
    CalendarFeed.objects.filter(user=user).delete()


def problem_of_practice_find_or_add(*, district, name):
    """The district's problem of that name in any case, added when it is new. The lookup is the
    unique index's own (PostgreSQL's lower()), so it finds every name the index would refuse."""
    name = " ".join(name.split())
    same = (
        ProblemOfPractice.objects.filter(district=district)
        .alias(key=Lower("name"))
        .filter(key=Lower(Value(name)))
    )
    if problem := same.first():
        return problem
    try:
        with transaction.atomic():
            return ProblemOfPractice.objects.create(district=district, name=name)
    except IntegrityError:
        # Someone added it between the read and the insert; the index made this insert wait
        # for their commit, so their row is there to read now.
        return same.get()


@transaction.atomic
def action_items_reassign(*, district, from_user, to_user, by):
    """Hands every open action item of `from_user` in the district to `to_user`, each saved as
    an ordinary reassignment (its history, and an email to the new assignee). `to_user` must be
    an active member who may update every one of them. Returns how many were handed over."""
    membership = (
        Membership.objects.filter(district=district, user=to_user, is_active=True)
        .prefetch_related("campuses", "departments")
        .first()
    )
    items = list(
        ActionItem.objects.select_for_update()
        .filter(district=district, assignee=from_user)
        .exclude(status=ActionItem.Status.DONE)
        .order_by("pk")
    )
    if (
        membership is None
        or not to_user.is_active
        or to_user.pk == from_user.pk
        or not all(may_update_action_item(membership, item) for item in items)
    ):
        raise ValidationError(
            {
                "to_user": gettext("%(name)s cannot take over these action items.")
                % {"name": to_user.get_full_name()}
            }
        )
    for item in items:
        action_item_update(
            item=item, expected_version=item.version, user=by, data={"assignee": to_user}
        )
    return len(items)
