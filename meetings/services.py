from django.db import transaction

from core.files import delete_after_commit, store_attachment
from core.history import acting_as
from core.ordering import next_order
from core.versioning import versioned_create, versioned_delete, versioned_update
from meetings.models import Decision, Material, Meeting
from visits.services import follow_up_item_create

FILE_FIELD = Material._meta.get_field("file")


def meeting_create(*, district, user, attendees=(), **fields):
    meeting = Meeting(district=district, **fields)
    return versioned_create(instance=meeting, user=user, m2m={"attendees": attendees})


def meeting_update(*, meeting, expected_version, user, data, attendees=None):
    m2m = {} if attendees is None else {"attendees": attendees}
    return versioned_update(
        instance=meeting, expected_version=expected_version, user=user, data=data, m2m=m2m
    )


@transaction.atomic
def meeting_delete(*, meeting, user):
    """Deletes the meeting with its decisions and materials; the materials' files go once the
    delete has committed. Its follow-up actions stay on the action items page."""
    names = list(meeting.materials.values_list("file", flat=True))
    versioned_delete(instance=meeting, user=user)
    for name in names:
        delete_after_commit(FILE_FIELD, name)


@transaction.atomic
def decision_create(*, meeting, user, **fields):
    decision = Decision(
        district_id=meeting.district_id,
        meeting=meeting,
        order=next_order(Decision.objects.filter(meeting=meeting)),
        **fields,
    )
    return versioned_create(instance=decision, user=user)


def decision_update(*, decision, expected_version, user, data):
    return versioned_update(
        instance=decision, expected_version=expected_version, user=user, data=data
    )


def decision_delete(*, decision, user):
    versioned_delete(instance=decision, user=user)


@transaction.atomic
def follow_up_create(*, meeting, user, campus, **fields):
    """A follow-up action of the meeting: an action item of `campus` (or of no one campus, a
    department's) that shows on the action items page like any other."""
    item = follow_up_item_create(district=meeting.district, campus=campus, user=user, **fields)
    with acting_as(user):
        meeting.follow_ups.add(item)
    return item


@transaction.atomic
def material_add(*, meeting, user, upload):
    """Keeps a checked upload privately (core.files); a refused file is not stored."""
    stored, given = store_attachment(FILE_FIELD, folder=meeting.district.slug, upload=upload)
    material = Material(
        district_id=meeting.district_id,
        meeting=meeting,
        file=stored,
        file_name=given,
        added_by=user,
    )
    with acting_as(user):
        material.save()
    return material


@transaction.atomic
def material_delete(*, material, user):
    name = material.file.name
    with acting_as(user):
        material.delete()
    delete_after_commit(FILE_FIELD, name)
