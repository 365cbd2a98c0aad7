from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from core.history import acting_as
from core.versioning import versioned_create, versioned_delete, versioned_update
from learning.models import MAX_COUNT, Offering, Participant, Participation, Session
from learning.sign_in_import import plan_sign_in_sheet


def offering_create(*, district, user, theories=(), look_fors=(), **fields):
    offering = Offering(district=district, **fields)
    return versioned_create(
        instance=offering, user=user, m2m={"theories": theories, "look_fors": look_fors}
    )


@transaction.atomic
def offering_update(*, offering, expected_version, user, data, theories=None, look_fors=None):
    """Saves an edit; an offering that stops keeping names forgets the names it kept."""
    m2m = {}
    if theories is not None:
        m2m["theories"] = theories
    if look_fors is not None:
        m2m["look_fors"] = look_fors
    saved = versioned_update(
        instance=offering, expected_version=expected_version, user=user, data=data, m2m=m2m
    )
    if not saved.keeps_names:
        with acting_as(user):
            Participant.objects.filter(session__offering=saved).delete()
    return saved


@transaction.atomic
def offering_delete(*, offering, user):
    versioned_delete(instance=offering, user=user)


def session_create(*, offering, user, date, place=""):
    session = Session(district_id=offering.district_id, offering=offering, date=date, place=place)
    return versioned_create(instance=session, user=user)


def session_update(*, session, expected_version, user, data):
    return versioned_update(
        instance=session, expected_version=expected_version, user=user, data=data
    )


@transaction.atomic
def session_delete(*, session, user):
    versioned_delete(instance=session, user=user)


@transaction.atomic
def participation_set(*, session, user, campus, staff_role, count):
    """Sets how many people of `campus` in `staff_role` took part in `session`; 0 removes the line."""
    if campus.district_id != session.district_id:
        raise ValidationError({"campus": gettext("Choose a campus of this district.")})
    if not 0 <= count <= MAX_COUNT:
        raise ValidationError(
            {
                "count": gettext("Enter a whole number of people from 0 to %(max)s.")
                % {"max": MAX_COUNT}
            }
        )
    with acting_as(user):
        line = (
            Participation.objects.select_for_update()
            .filter(session=session, campus=campus, staff_role=staff_role)
            .first()
        )
        if count == 0:
            if line is not None:
                line.delete()
            return None
        if line is None:
            return Participation.objects.create(
                district_id=session.district_id,
                session=session,
                campus=campus,
                staff_role=staff_role,
                count=count,
            )
        if line.count != count:
            line.count = count
            line.save(update_fields=["count"])
        return line


@transaction.atomic
def sign_in_sheet_apply(*, offering, user, text):
    """Writes what plan_sign_in_sheet previews for `text`, all of it or nothing. The plan is made
    again here, with the offering's rows locked, so what is written matches what is stored."""
    Offering.objects.select_for_update().get(pk=offering.pk)
    offering.refresh_from_db()
    plan = plan_sign_in_sheet(offering, text)
    with acting_as(user):
        for change in plan.changes:
            line, created = Participation.objects.get_or_create(
                session=change.session,
                campus=change.campus,
                staff_role=change.staff_role,
                defaults={"district_id": offering.district_id, "count": change.new},
            )
            if not created and line.count != change.new:
                line.count = change.new
                line.save(update_fields=["count"])
        if offering.keeps_names:
            Participant.objects.bulk_create(
                [
                    Participant(
                        district_id=offering.district_id,
                        session=row.session,
                        name=row.values["name"],
                        campus=row.campus,
                        staff_role=row.staff_role,
                    )
                    for row in plan.rows
                    if row.action == "add"
                ]
            )
    return plan
