from django.db import connection
from django.db.models import Count, IntegerField, Q, Subquery

from accounts.models import Membership
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


def campuses_for_district(*, district, query="", level=""):
    campuses = Campus.objects.filter(district=district)
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
    return campuses.order_by("name")


def campus_detail(*, campus):
    leaders = (
        Membership.objects.filter(campuses=campus).select_related("user").order_by("user__email")
    )
    return {"campus": campus, "leaders": list(leaders)}


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
