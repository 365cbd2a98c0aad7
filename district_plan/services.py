from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import formats, timezone
from django.utils.translation import gettext

from core.csv_import import heading_key
from core.dates import shift_years
from core.history import acting_as
from core.models import District
from core.ordering import move_in_order, next_order
from core.services import campus_enrollments_update
from core.versioning import versioned_create, versioned_delete, versioned_update
from district_plan.documents import campus_plan_document, plan_document, public_document
from district_plan.goal_table import plan_goals_import
from district_plan.measure_csv import plan_values_import
from district_plan.models import (
    DEFAULT_STUDENT_GROUPS,
    DEFAULT_STUDENT_GROUPS_ES,
    CampusGoal,
    CampusPlan,
    CampusPlanSnapshot,
    CampusStrategy,
    Competency,
    FocusArea,
    Goal,
    GroupEnrollment,
    Measure,
    MeasureResult,
    MeasureValue,
    Partner,
    PerformanceObjective,
    Plan,
    PlanSnapshot,
    ResultColumnMapping,
    Strategy,
    StudentGroup,
)
from district_plan.result_csv import ALL_STUDENTS, UNMAPPED, plan_results_import


def plan_create(*, district, user, **fields):
    return versioned_create(instance=Plan(district=district, **fields), user=user)


def plan_update(*, plan, expected_version, user, data):
    return versioned_update(instance=plan, expected_version=expected_version, user=user, data=data)


@transaction.atomic
def plan_adopt(*, plan, expected_version, user, adopted_on):
    """The board adopted the plan: record the date and keep the plan as adopted, which is
    also what the public page shows from now on."""
    if adopted_on > timezone.localdate():
        raise ValidationError({"adopted_on": gettext("The adoption date cannot be in the future.")})
    earliest = shift_years(plan.first_day, -2)
    if adopted_on < earliest:
        raise ValidationError(
            {
                "adopted_on": gettext(
                    "A board adopts a plan at most two years before its first school year "
                    "starts: choose a date from %(earliest)s."
                )
                % {"earliest": formats.date_format(earliest, "SHORT_DATE_FORMAT")}
            }
        )
    plan = versioned_update(
        instance=plan,
        expected_version=expected_version,
        user=user,
        data={"status": Plan.Status.ADOPTED, "adopted_on": adopted_on},
    )
    PlanSnapshot.objects.create(
        district_id=plan.district_id,
        plan=plan,
        adopted_on=adopted_on,
        taken_by=user,
        data=plan_document(plan),
        public=public_document(plan),
    )
    return plan


def plan_archive(*, plan, expected_version, user):
    return versioned_update(
        instance=plan,
        expected_version=expected_version,
        user=user,
        data={"status": Plan.Status.ARCHIVED},
    )


def plan_unarchive(*, plan, expected_version, user):
    """Undoes an archive: a plan the board had adopted is adopted again, any other a draft."""
    return versioned_update(
        instance=plan,
        expected_version=expected_version,
        user=user,
        data={"status": Plan.Status.ADOPTED if plan.adopted_on else Plan.Status.DRAFT},
    )


# The parts of a plan share one shape: created at the end of their list, edited with a version
# check, deleted with a history entry, moved within their list.

PART_PARENT = {
    Competency: "plan",
    Goal: "plan",
    FocusArea: "plan",
    Partner: "plan",
    Strategy: "focus_area",
    Measure: None,
    CampusGoal: "campus_plan",
    PerformanceObjective: "campus_goal",
    CampusStrategy: "campus_plan",
}


def _siblings(item):
    model = type(item)
    if model is Measure:
        owner = {"goal": item.goal_id} if item.goal_id else {"theory": item.theory_id}
        return Measure.objects.filter(**owner)
    parent = PART_PARENT[model]
    return model.objects.filter(**{f"{parent}_id": getattr(item, f"{parent}_id")})


def part_create(*, instance, user, m2m=None):
    instance.order = next_order(_siblings(instance))
    return versioned_create(instance=instance, user=user, m2m=m2m)


def part_update(*, instance, expected_version, user, data, m2m=None):
    return versioned_update(
        instance=instance, expected_version=expected_version, user=user, data=data, m2m=m2m
    )


def part_delete(*, instance, user):
    versioned_delete(instance=instance, user=user)


def part_move(*, instance, offset, user):
    return move_in_order(siblings=_siblings(instance), item=instance, offset=offset, user=user)


class ValueAlreadyRecorded(Exception):
    def __init__(self, existing):
        super().__init__(f"A value is already recorded for {existing.observed_on}.")
        self.existing = existing


@transaction.atomic
def measure_value_record(*, measure, user, observed_on, value, note="", replace=False):
    """Adds the value for a date. A date that already has one keeps it (ValueAlreadyRecorded)
    unless `replace` says the person was shown it and chose to replace it."""
    # Locking the measure serialises two people recording the same date at once.
    Measure.objects.select_for_update().filter(pk=measure.pk).first()
    entry = MeasureValue.objects.filter(measure=measure, observed_on=observed_on).first()
    if entry is not None and not replace:
        raise ValueAlreadyRecorded(entry)
    entry = entry or MeasureValue(
        district_id=measure.district_id, measure=measure, observed_on=observed_on
    )
    return measure_value_correct(entry=entry, user=user, value=value, note=note)


@transaction.atomic
def measure_value_correct(*, entry, user, value, note):
    entry.value, entry.note, entry.recorded_by = value, note, user
    entry.full_clean()
    with acting_as(user):
        entry.save()
    return entry


@transaction.atomic
def measure_value_delete(*, entry, user):
    with acting_as(user):
        entry.delete()


@transaction.atomic
def measure_values_apply(*, district, user, text):
    """Records every accepted row of a measures CSV, all or nothing; returns the plan."""
    plan = plan_values_import(district, text)
    for row in plan.rows:
        if row.action in ("create", "update"):
            measure_value_record(
                measure=row.measure,
                user=user,
                observed_on=row.observed_on,
                value=row.value,
                note=row.note,
                # The dry run listed this change and the person confirmed it.
                replace=True,
            )
    return plan


@transaction.atomic
def goals_import_apply(*, plan, user, text):
    """Creates the goals and measures of an accepted goal table, all or nothing, each through
    part_create so its history names the person; returns the dry run it followed."""
    preview = plan_goals_import(plan, text)
    created = {}
    for row in preview.rows:
        if row.action != "create":
            continue
        goal = row.goal or created.get(heading_key(row.goal_title))
        if goal is None:
            goal = part_create(
                instance=Goal(district_id=plan.district_id, plan=plan, title=row.goal_title),
                user=user,
            )
            created[heading_key(row.goal_title)] = goal
        part_create(
            instance=Measure(
                district_id=plan.district_id,
                goal=goal,
                name=row.measure_name,
                unit=row.unit,
                direction=row.direction,
                baseline=row.baseline,
                baseline_date=plan.first_day,
                target=row.target,
                target_date=row.target_date,
            ),
            user=user,
        )
    return preview


@transaction.atomic
def student_groups_ensure(*, district):
    """The district's student groups, starting it with DEFAULT_STUDENT_GROUPS when it has none."""
    if not StudentGroup.objects.filter(district=district).exists():
        StudentGroup.objects.bulk_create(
            StudentGroup(
                district=district,
                name=name,
                name_es=DEFAULT_STUDENT_GROUPS_ES[name],
                order=order,
            )
            for order, name in enumerate(DEFAULT_STUDENT_GROUPS)
        )
    return list(StudentGroup.objects.filter(district=district))


@transaction.atomic
def measure_results_apply(*, district, user, text, year=None, columns=None):
    """Records every accepted row of a results CSV, all or nothing, adding the student groups it
    names that the district does not have yet; for a wide file, also its student counts and its
    column mapping, for next year's file. Returns the plan, read again inside the transaction
    so what is written is what the rows say now; `year` and `columns` as the preview had them
    (result_csv.plan_results_import)."""
    District.objects.select_for_update().filter(pk=district.pk).first()
    with acting_as(user):
        student_groups_ensure(district=district)
        plan = plan_results_import(district, text, year=year, columns=columns)
        start = next_order(StudentGroup.objects.filter(district=district))
        groups = {
            heading_key(name): StudentGroup.objects.create(
                district=district, name=name, order=start + index
            )
            for index, name in enumerate(plan.new_groups)
        }
        to_create, to_update = [], []
        stored = {
            (r.measure_id, r.campus_id, r.group_id, r.observed_on): r
            for r in MeasureResult.objects.filter(district=district).select_for_update()
        }
        for row in plan.rows:
            if row.action not in ("create", "update"):
                continue
            group = row.group or groups[heading_key(row.group_name)]
            key = (row.measure.pk, row.campus.pk if row.campus else None, group.pk, row.observed_on)
            result = stored.get(key)
            if result is None:
                to_create.append(
                    MeasureResult(
                        district=district,
                        measure=row.measure,
                        campus=row.campus,
                        group=group,
                        observed_on=row.observed_on,
                        value=row.value,
                        students=row.students,
                    )
                )
            else:
                result.value, result.students = row.value, row.students
                to_update.append(result)
        MeasureResult.objects.bulk_create(to_create)
        MeasureResult.objects.bulk_update(to_update, ["value", "students"])
        if plan.shape == "wide":
            group_enrollments_apply(district=district, rows=plan.enrollments, groups=groups)
            result_column_mappings_save(district=district, columns=plan.columns, groups=groups)
    return plan


@transaction.atomic
def group_enrollments_apply(*, district, rows, groups):
    """Records the accepted student counts of a results file (result_csv.EnrollmentRow), a new
    group's through `groups` ({heading key: the group just added}). A campus's count of all its
    students for its latest school year is also its enrollment."""
    stored = {
        (e.campus_id, e.group_id, e.school_year): e
        for e in GroupEnrollment.objects.filter(district=district).select_for_update()
    }
    to_create, to_update, everyone = [], [], {}
    for row in rows:
        if row.action not in ("create", "update"):
            continue
        group = row.group or groups[heading_key(row.group_name)]
        entry = stored.get((row.campus.pk, group.pk, row.school_year))
        if entry is None:
            entry = GroupEnrollment(
                district=district,
                campus=row.campus,
                group=group,
                school_year=row.school_year,
                students=row.students,
            )
            to_create.append(entry)
        else:
            entry.students = row.students
            to_update.append(entry)
        if heading_key(group.name) == ALL_STUDENTS:
            everyone[row.campus.pk] = entry
    GroupEnrollment.objects.bulk_create(to_create)
    GroupEnrollment.objects.bulk_update(to_update, ["students"])
    latest = dict(
        GroupEnrollment.objects.filter(
            campus_id__in=everyone, group_id__in={e.group_id for e in everyone.values()}
        )
        .values("campus_id")
        .annotate(latest=Max("school_year"))
        .values_list("campus_id", "latest")
    )
    campus_enrollments_update(
        district=district,
        enrollments={
            pk: entry.students
            for pk, entry in everyone.items()
            if entry.school_year == latest.get(pk)
        },
    )


@transaction.atomic
def result_column_mappings_save(*, district, columns, groups):
    """Keeps what each mapped column of a wide results file held (result_csv.ResultColumn), so
    next year's file with the same headings maps itself; a column left unmapped is asked about
    again."""
    stored = {
        m.key: m for m in ResultColumnMapping.objects.filter(district=district).select_for_update()
    }
    to_create, to_update, done = [], [], set()
    for column in columns:
        # A heading written twice in one file keeps the first column's mapping.
        if column.kind == UNMAPPED or column.key in done:
            continue
        done.add(column.key)
        group = None
        if column.imported:
            group = column.group or groups[column.group_key]
        mapping = stored.get(column.key)
        if mapping is None:
            mapping = ResultColumnMapping(district=district, key=column.key)
            to_create.append(mapping)
        elif (mapping.heading, mapping.kind, mapping.measure_id, mapping.group_id) == (
            column.heading,
            column.kind,
            column.measure and column.measure.pk,
            group and group.pk,
        ):
            continue
        else:
            to_update.append(mapping)
        mapping.heading, mapping.kind = column.heading, column.kind
        mapping.measure, mapping.group = column.measure, group
    ResultColumnMapping.objects.bulk_create(to_create)
    ResultColumnMapping.objects.bulk_update(to_update, ["heading", "kind", "measure", "group"])


# Campus plans


def campus_plan_create(*, campus, user, theories=(), **fields):
    """A new campus plan, a draft until the district approves it."""
    plan = CampusPlan(district_id=campus.district_id, campus=campus, **fields)
    return versioned_create(instance=plan, user=user, m2m={"theories": theories})


def campus_plan_update(*, campus_plan, expected_version, user, data, m2m=None):
    return versioned_update(
        instance=campus_plan, expected_version=expected_version, user=user, data=data, m2m=m2m
    )


@transaction.atomic
def campus_plan_approve(*, campus_plan, expected_version, user, approved_on):
    """The district approved the campus plan: record the date and keep the plan as approved,
    to compare with it as the campus updates it."""
    if approved_on > timezone.localdate():
        raise ValidationError(
            {"approved_on": gettext("The approval date cannot be in the future.")}
        )
    earliest = shift_years(timezone.localdate(), -CampusPlan.YEARS_BACK)
    if approved_on < earliest:
        raise ValidationError(
            {
                "approved_on": gettext("Choose an approval date from %(earliest)s.")
                % {"earliest": formats.date_format(earliest, "SHORT_DATE_FORMAT")}
            }
        )
    campus_plan = versioned_update(
        instance=campus_plan,
        expected_version=expected_version,
        user=user,
        data={"status": CampusPlan.Status.APPROVED, "approved_on": approved_on},
    )
    CampusPlanSnapshot.objects.create(
        district_id=campus_plan.district_id,
        campus_plan=campus_plan,
        approved_on=approved_on,
        taken_by=user,
        data=campus_plan_document(campus_plan),
    )
    return campus_plan


def campus_plan_archive(*, campus_plan, expected_version, user):
    return versioned_update(
        instance=campus_plan,
        expected_version=expected_version,
        user=user,
        data={"status": CampusPlan.Status.ARCHIVED},
    )


def campus_plan_unarchive(*, campus_plan, expected_version, user):
    """Undoes an archive: a plan the district had approved is approved again, any other a
    draft."""
    status = CampusPlan.Status.APPROVED if campus_plan.approved_on else CampusPlan.Status.DRAFT
    return versioned_update(
        instance=campus_plan,
        expected_version=expected_version,
        user=user,
        data={"status": status},
    )
