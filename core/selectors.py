from django.db import connection
from django.db.models import Count, F, IntegerField, Q, Subquery
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Membership
from core import hooks
from core.models import Campus, Department
from core.roles import bound_to_campuses, bound_to_departments


def name_search():
    """The lookup that finds "Peña" when "pena" is typed: PostgreSQL's unaccent extension;
    SQLite (`make run` with nothing configured) has none, so there it only ignores case."""
    return "unaccent__icontains" if connection.vendor == "postgresql" else "icontains"


class _CountOf(Subquery):
    template = "(SELECT COUNT(*) FROM (%(subquery)s) AS counted)"
    output_field = IntegerField()


def count_of(queryset):
    """How many rows `queryset` has, as an expression another query selects, so that several
    counts take one query rather than one each. An empty queryset (`.none()`) counts as None."""
    return _CountOf(queryset.order_by().values("pk"))


def campus_choosers(*, district, membership):
    """The menus above the campus list from the apps above (hooks.campus_choosers: a measure
    whose latest result each campus shows)."""
    answers = hooks.campus_choosers.ask_all(district=district, membership=membership)
    return [chooser for chooser in answers if chooser is not None]


def campus_columns(*, today, choosers=(), chosen=None):
    """The campus list's sortable columns: enrollment, those of the apps above
    (hooks.campus_columns: last and next visit, open and overdue action items, look-fors seen)
    and one for each menu of `choosers` with a value in `chosen` ({name: value})."""
    own = [hooks.CampusColumn("enrollment", _("Enrollment"), F("enrollment"), "number")]
    chosen = chosen or {}
    return (
        own
        + [column for answer in hooks.campus_columns.ask_all(today=today) for column in answer]
        + [c.column(chosen[c.name]) for c in choosers if chosen.get(c.name)]
    )


def campus_sort(value, columns):
    """`value` ("name", "-overdue_items", …) if it names a sortable column, else by name."""
    key = value.removeprefix("-")
    return value if key == "name" or any(c.key == key for c in columns) else "name"


# What the list shows of a campus besides its columns.
CAMPUS_LIST_FIELDS = ("pk", "name", "level", "grade_span", "region", "cohort")


def campuses_for_district(*, district, query="", level="", columns=(), sort="name"):
    """The district's campuses matching the filter as dicts of CAMPUS_LIST_FIELDS and `columns`
    (each a column's value, and "<key>_masked" for a column that may hide it), sorted by `sort`
    (campus_sort) with empty values last and the name breaking ties. Read as plain rows: a large
    district lists hundreds."""
    campuses = Campus.objects.filter(district=district).annotate(
        **{column.key: column.expression for column in columns if column.key != "enrollment"},
        **{f"{c.key}_masked": c.masked for c in columns if c.masked is not None},
    )
    if query:
        lookup = name_search()
        campuses = campuses.filter(
            Q(**{f"name__{lookup}": query})
            | Q(**{f"region__{lookup}": query})
            | Q(state_school_id__iexact=query)
            | Q(nces_id=query)
        )
    if level:
        campuses = campuses.filter(level=level)
    fields = [
        *CAMPUS_LIST_FIELDS,
        *(c.key for c in columns),
        *(f"{c.key}_masked" for c in columns if c.masked is not None),
    ]
    campuses = campuses.values(*fields)
    key = sort.removeprefix("-")
    if key == "name":
        return campuses.order_by(
            Lower("name").desc() if sort.startswith("-") else Lower("name"), "pk"
        )
    field = F(key).desc(nulls_last=True) if sort.startswith("-") else F(key).asc(nulls_last=True)
    return campuses.order_by(field, Lower("name"), "pk")


def campus_detail(*, campus, membership, today=None):
    """A campus's page: its profile and leaders, and what each app above knows of it
    (hooks.campus_sections: visits, action items, look-fors, Discovery ratings), in order."""
    today = today or timezone.localdate()
    leaders = (
        Membership.objects.filter(campuses=campus).select_related("user").order_by("user__email")
    )
    answers = hooks.campus_sections.ask_all(campus=campus, membership=membership, today=today)
    sections = sorted((a for a in answers if a is not None), key=lambda a: a.order)
    return {"campus": campus, "leaders": list(leaders), "sections": sections}


def district_overview(*, district, membership):
    """What the district home shows: the shape of the district and the member's own scope."""
    by_level, by_cohort = {}, {}
    counts = (
        Campus.objects.filter(district=district)
        .values_list("level", "cohort")
        .annotate(n=Count("id"))
        .values_list("level", "cohort", "n")
    )
    for level, cohort, n in counts:
        by_level[level] = by_level.get(level, 0) + n
        if cohort:
            by_cohort[cohort] = by_cohort.get(cohort, 0) + n
    levels = [(label, by_level.get(value, 0)) for value, label in Campus.Level.choices]
    bound_campuses = bound_to_campuses(membership)
    bound_departments = bound_to_departments(membership)
    return {
        "campus_count": sum(by_level.values()),
        "levels": [item for item in levels if item[1]],
        "cohorts": sorted(by_cohort.items()),
        "departments": list(Department.objects.filter(district=district).order_by("name")),
        "my_campuses": list(membership.campuses.order_by("name")) if bound_campuses else [],
        "my_departments": list(membership.departments.order_by("name"))
        if bound_departments
        else [],
    }


def memberships_of(user):
    return list(
        Membership.objects.filter(user=user, is_active=True)
        .select_related("district")
        .order_by("district__name")
    )
