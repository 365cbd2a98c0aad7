"""Demo data: the districts, campuses, departments and accounts DESIGN.md names.

`small` is a district of 8 campuses; `large` a big urban district of about 275 campuses with a
44-campus visit cohort, written with bulk inserts. Both sizes use the district slug `demo` and
the same accounts, so the same pages can be compared at both sizes. A second district, `other`,
shows tenancy. Every demo account has the password DEMO_PASSWORD (demo data only).
"""

import datetime
import io
import random
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from PIL import Image, ImageDraw

from accounts.models import IdentityProvider, Membership, User
from benchmarking.demo import seed_discovery
from core.models import Campus, Department, District, DistrictLogo
from core.roles import Role
from dashboard.comments_demo import seed_comments
from dashboard.plan_demo import adopt_demo_plan, seed_plan
from dashboard.plan_demo_es import translate_demo_plan
from learning.demo import seed_learning
from meetings.demo import seed_meetings
from public.demo import seed_feedback
from visits.demo import seed_visits

DEMO_PASSWORD = "demo-pass-2026"
DEMO_SLUGS = ("demo", "other")

DEPARTMENTS = [
    "Curriculum and Instruction",
    "Special Education",
    "Multilingual Programs",
    "Research and Accountability",
    "Leader Development",
    "Instructional Technology",
]

SMALL_CAMPUSES = [
    ("Alder Creek Elementary", Campus.Level.ELEMENTARY, "PK-5", "North"),
    ("Bluestem Elementary", Campus.Level.ELEMENTARY, "PK-5", "North"),
    ("Canyon Ridge Elementary", Campus.Level.ELEMENTARY, "K-5", "South"),
    ("Dogwood Elementary", Campus.Level.ELEMENTARY, "K-5", "South"),
    ("Eastgate Middle School", Campus.Level.MIDDLE, "6-8", "North"),
    ("Foxglove Middle School", Campus.Level.MIDDLE, "6-8", "South"),
    ("Granite Valley High School", Campus.Level.HIGH, "9-12", "North"),
    ("Harborview Early College High School", Campus.Level.HIGH, "9-12", "South"),
]

ACCOUNTS = [
    # email, full name, role, title
    ("admin@demo.test", "Avery Admin", Role.ADMIN, "Chief of Staff"),
    ("cabinet@demo.test", "Camila Cabinet", Role.CABINET, "Assistant Superintendent"),
    ("visitor@demo.test", "Victor Visitor", Role.VISIT_TEAM, "Instructional Specialist"),
    ("principal@demo.test", "Priya Principal", Role.CAMPUS_LEADER, "Principal"),
    ("dept@demo.test", "Dana Department", Role.DEPARTMENT_LEAD, "Director of Special Education"),
    ("board@demo.test", "Boris Board", Role.BOARD, "Board Trustee"),
]

_NAME_PARTS = [
    "Aspen",
    "Birch",
    "Cedar",
    "Cypress",
    "Elm",
    "Hawthorn",
    "Hickory",
    "Juniper",
    "Laurel",
    "Linden",
    "Magnolia",
    "Maple",
    "Oak",
    "Pecan",
    "Pine",
    "Redbud",
    "Sycamore",
    "Willow",
    "Bayou",
    "Bluebonnet",
    "Brookside",
    "Cardinal",
    "Clearwater",
    "Eastwood",
    "Fairview",
    "Garden Oaks",
    "Heights",
    "Highland",
    "Lakeview",
    "Meadow",
    "Northside",
    "Parkway",
    "Prairie",
    "Riverside",
    "Southwind",
    "Sunrise",
    "Westbury",
    "Woodland",
]
# A campus's enrollment in the demo: a typical size for its level, varied by campus.
ENROLLMENT_BASE = {
    Campus.Level.EARLY_CHILDHOOD: 180,
    Campus.Level.ELEMENTARY: 420,
    Campus.Level.MIDDLE: 760,
    Campus.Level.HIGH: 1500,
    Campus.Level.COMBINED: 650,
    Campus.Level.ALTERNATIVE: 120,
}
PRINCIPAL_FIRST = ["Ana", "Marcus", "Lucía", "Grace", "Tomás", "Priya", "Daniel", "Keisha"]
PRINCIPAL_LAST = ["Reyes", "Okafor", "Nguyen", "Hart", "Delgado", "Brooks", "Castillo", "Lee"]
_REGIONS = ["North", "Northeast", "East", "Southeast", "South", "Southwest", "West", "Central"]


@dataclass
class SeedResult:
    district: District
    other: District
    campuses: int


def _large_campuses(rng):
    """About 275 campuses named from a fixed vocabulary, the same every run."""
    plan = [
        (Campus.Level.EARLY_CHILDHOOD, "Early Childhood Center", "PK", 8),
        (Campus.Level.ELEMENTARY, "Elementary", "PK-5", 170),
        (Campus.Level.MIDDLE, "Middle School", "6-8", 45),
        (Campus.Level.HIGH, "High School", "9-12", 38),
        (Campus.Level.COMBINED, "Academy", "K-8", 9),
        (Campus.Level.ALTERNATIVE, "Alternative Campus", "6-12", 5),
    ]
    used = set()
    rows = []
    for level, suffix, span, count in plan:
        for _ in range(count):
            while True:
                name = f"{rng.choice(_NAME_PARTS)} {rng.choice(_NAME_PARTS)} {suffix}"
                first, second = name.split(" ")[:2]
                if first != second and name not in used:
                    break
            used.add(name)
            rows.append((name, level, span, rng.choice(_REGIONS)))
    return rows


def _make_district(slug, name, campus_rows, cohort_name, cohort_size):
    # The demo's plan is public, so its public page (/p/demo/) shows from the first run.
    district = District.objects.create(slug=slug, name=name, plan_published=slug == "demo")
    campuses = [
        Campus(
            district=district,
            name=name,
            level=level,
            grade_span=span,
            region=region,
            cohort=cohort_name if index < cohort_size else "",
            state_school_id=f"{101000 + index}",
            nces_id=f"48{33000 + index:07d}{index % 10:03d}",
            principal=f"{PRINCIPAL_FIRST[index % len(PRINCIPAL_FIRST)]} "
            f"{PRINCIPAL_LAST[index * 7 % len(PRINCIPAL_LAST)]}",
            enrollment=ENROLLMENT_BASE[level] + (index * 37) % 300,
        )
        for index, (name, level, span, region) in enumerate(campus_rows)
    ]
    Campus.objects.bulk_create(campuses)
    Department.objects.bulk_create(
        [Department(district=district, name=name) for name in DEPARTMENTS]
    )
    return district


def _add_demo_logo(district):
    """A schoolhouse drawn in the district's brand colours, so the settings page and the
    reports' covers show a logo from the first run."""
    image = Image.new("RGB", (240, 96), "#ffffff")
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((4, 4, 92, 92), radius=12, fill=district.brand_primary)
    draw.polygon([(18, 46), (48, 18), (78, 46)], fill="#ffffff")
    draw.rectangle((26, 46, 70, 78), fill="#ffffff")
    draw.rectangle((42, 58, 54, 78), fill=district.brand_secondary)
    for row in range(3):
        draw.rectangle((108, 22 + row * 22, 232 - row * 30, 32 + row * 22), fill="#4a5565")
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    DistrictLogo.objects.create(
        district=district, image=buffer.getvalue(), format="PNG", width=240, height=96
    )
    district.logo_name = "demo-logo.png"
    district.save(update_fields=["logo_name"])


@transaction.atomic
def seed_demo(*, size="small"):
    """Replaces the demo districts and accounts with fresh demo data of the given size."""
    District.objects.filter(slug__in=DEMO_SLUGS).delete()
    emails = [a[0] for a in ACCOUNTS] + ["other@demo.test"]
    User.objects.filter(email__in=emails).delete()

    if size == "large":
        rng = random.Random(2026)
        demo = _make_district(
            "demo",
            "Demo Metropolitan Independent School District",
            _large_campuses(rng),
            "Rising Campuses cohort",
            44,
        )
    else:
        demo = _make_district(
            "demo",
            "Demo Valley Unified School District",
            SMALL_CAMPUSES,
            "Communities of Practice cohort",
            6,
        )
    _add_demo_logo(demo)
    other = _make_district(
        "other",
        "Other Harbor School District",
        [
            ("Other Harbor Elementary", Campus.Level.ELEMENTARY, "K-5", "Harbor"),
            ("Other Harbor High School", Campus.Level.HIGH, "9-12", "Harbor"),
        ],
        "",
        0,
    )

    password = make_password(DEMO_PASSWORD)
    users = User.objects.bulk_create(
        [
            User(
                email=email,
                full_name=full_name,
                password=password,
                is_staff=role == Role.ADMIN,
                is_superuser=role == Role.ADMIN,
            )
            for email, full_name, role, _ in ACCOUNTS
        ]
        + [User(email="other@demo.test", full_name="Olive Other", password=password)]
    )
    by_email = {user.email: user for user in users}
    memberships = Membership.objects.bulk_create(
        [
            Membership(user=by_email[email], district=demo, role=role, title=title)
            for email, _, role, title in ACCOUNTS
        ]
        + [
            Membership(
                user=by_email["other@demo.test"],
                district=other,
                role=Role.CABINET,
                title="Superintendent",
            )
        ]
    )
    by_role = {m.role: m for m in memberships if m.district_id == demo.pk}
    by_role[Role.CAMPUS_LEADER].campuses.add(
        Campus.objects.filter(district=demo, cohort__gt="").order_by("name").first()
    )
    by_role[Role.DEPARTMENT_LEAD].departments.add(
        Department.objects.get(district=demo, name="Special Education")
    )
    plan = seed_plan(district=demo, size=size)
    translate_demo_plan(plan=plan)
    plan.refresh_from_db()
    adopt_demo_plan(plan=plan, adopted_on=datetime.date(2025, 8, 12))
    # A revision after adoption, so the comparison with the adopted plan has something to show.
    plan.vision += " We measure what matters and say plainly where we fall short."
    plan.vision_es += " Medimos lo que importa y decimos con claridad dónde nos quedamos cortos."
    plan.save(update_fields=["vision", "vision_es"])
    # Every text of the published page is in Spanish, so the Spanish page is published too.
    demo.public_translations = ["es"]
    demo.save(update_fields=["public_translations"])
    seed_visits(district=demo, size=size)
    seed_learning(district=demo, size=size)
    seed_discovery(
        district=demo, raters=(by_email["cabinet@demo.test"], by_email["admin@demo.test"])
    )
    seed_meetings(district=demo)
    seed_feedback(district=demo, size=size)
    seed_identity_provider(district=demo)
    seed_comments(district=demo)
    return SeedResult(district=demo, other=other, campuses=demo.campuses.count())


def refresh_planner_statistics():
    """PostgreSQL plans from statistics that autovacuum gathers a minute or so after a bulk
    load; the demo is read at once, and the campus list took 17 ms instead of 3 without them."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


DEMO_SSO_CLIENT_ID = "district-planning-demo"


def seed_identity_provider(*, district):
    """The demo district signs in through a pretend identity provider on this machine
    (`manage.py demo_identity_provider`, which `make run` starts), so the single sign-on can
    be tried without any outside account. Passwords keep working beside it."""
    provider = IdentityProvider(
        district=district,
        kind=IdentityProvider.Kind.OPENID_CONNECT,
        name="Demo ID",
        client_id=DEMO_SSO_CLIENT_ID,
        server_url=settings.SSO_DEMO_URL,
        allowed_domains=["demo.test"],
    )
    provider.set_client_secret("demo-client-secret-not-for-production")
    provider.save()
    return provider


def demo_logins():
    lines = [f"  {email:<22} {role.label}" for email, _, role, _ in ACCOUNTS]
    lines.append(f"  {'other@demo.test':<22} Cabinet of the `other` district only")
    return "\n".join(lines)
