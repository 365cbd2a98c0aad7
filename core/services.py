from django.db import IntegrityError, transaction
from django.utils.translation import gettext

from core.campus_import import plan_campus_import
from core.csv_import import ImportFileError
from core.models import Campus, District, DistrictLogo


@transaction.atomic
def campus_import_apply(*, district, text):
    """Creates and updates the campuses that `text` describes, all or nothing.

    The file is planned again inside the transaction, with the district row locked, so two
    imports at once cannot both create the same campus. Rejected rows are skipped.
    """
    District.objects.select_for_update().filter(pk=district.pk).first()
    plan = plan_campus_import(district, text)
    to_create, to_update, changed_fields = [], [], set()
    for row in plan.rows:
        if row.action == "create":
            to_create.append(Campus(district=district, **row.values))
        elif row.action == "update":
            for key, value in row.values.items():
                if value and getattr(row.campus, key) != value:
                    setattr(row.campus, key, value)
                    changed_fields.add(key)
            to_update.append(row.campus)
    try:
        with transaction.atomic():
            Campus.objects.bulk_create(to_create)
            if to_update:
                Campus.objects.bulk_update(to_update, sorted(changed_fields))
    except IntegrityError:
        raise ImportFileError(
            gettext(
                "Two campuses would end up with the same name or id; nothing was imported. "
                "Preview the file again to see the current campus list."
            )
        ) from None
    return plan


@transaction.atomic
def campus_enrollments_update(*, district, enrollments):
    """Sets the enrollment of this district's campuses ({campus id: students}), as the state's
    count of all their students says; another district's campus is left alone."""
    campuses = list(Campus.objects.filter(district=district, pk__in=enrollments))
    for campus in campuses:
        campus.enrollment = enrollments[campus.pk]
    Campus.objects.bulk_update(campuses, ["enrollment"])
    return campuses


@transaction.atomic
def district_settings_save(
    *,
    district,
    smallest_group_shown,
    brand_primary,
    brand_secondary,
    logo=None,
    remove_logo=False,
):
    """Sets the district's smallest student group shown, its brand colours and its logo (a
    core.logos.CheckedLogo, which replaces the current one; `remove_logo` without a new one
    takes it away). The history keeps who changed what and from what (District is tracked:
    the logo shows there by the name it was uploaded under); every page masks by the new size
    and every report is drawn in the new colours from the next read."""
    District.objects.select_for_update().filter(pk=district.pk).first()
    district.smallest_group_shown = smallest_group_shown
    district.brand_primary = brand_primary
    district.brand_secondary = brand_secondary
    fields = ["smallest_group_shown", "brand_primary", "brand_secondary"]
    district.full_clean(exclude=[f.name for f in District._meta.fields if f.name not in fields])
    if logo is not None:
        DistrictLogo.objects.update_or_create(
            district=district,
            defaults={
                "image": logo.image,
                "format": logo.format,
                "width": logo.width,
                "height": logo.height,
            },
        )
        district.logo_name = logo.name or "logo"
        fields.append("logo_name")
    elif remove_logo:
        DistrictLogo.objects.filter(district=district).delete()
        district.logo_name = ""
        fields.append("logo_name")
    district.save(update_fields=fields)
    return district
