"""Frameworks as data: the built-in one, copies, and JSON in and out.

The built-in framework follows the published building blocks of high-performing education
systems, in our own words, with a four-level rubric.
"""

from django.db import transaction
from django.utils.translation import gettext

from benchmarking.models import BuildingBlock, Descriptor, Framework, Indicator, Level
from core.numbers import whole_number

FORMAT = "district-planning/framework@1"
MAX_ITEMS = 500

BUILT_IN = {
    "name": "Features of high-performing systems",
    "description": "Building blocks that high-performing education systems share, with a "
    "four-level rubric for each indicator. Copy it to adapt it to your district.",
    "levels": ["Not yet", "Emerging", "Developing", "Established"],
    "building_blocks": [
        (
            "Strong start before school",
            [
                (
                    "Families get support from birth to school entry",
                    "Few families are reached",
                    "Some programs, not coordinated",
                    "Most families reached through coordinated programs",
                    "Every family is offered coordinated support",
                ),
                (
                    "Children arrive ready to learn",
                    "Readiness is not measured",
                    "Readiness is measured at some campuses",
                    "Readiness is measured and acted on at most campuses",
                    "Readiness is measured and every child gets what they need",
                ),
            ],
        ),
        (
            "More support for students who need it most",
            [
                (
                    "Resources follow student need",
                    "Funding is the same for every campus",
                    "Some extra funding for high-need campuses",
                    "A formula weights need and most campuses see it",
                    "Funding, staff and time all follow need, and results show it",
                ),
                (
                    "Students who fall behind are caught early",
                    "Help comes late, if at all",
                    "Some campuses screen and intervene",
                    "Most campuses screen and intervene within weeks",
                    "Every student is screened and helped within days",
                ),
            ],
        ),
        (
            "A coherent instructional system",
            [
                (
                    "Curriculum, assessment and teaching line up",
                    "Each school chooses its own",
                    "Common curriculum in some subjects",
                    "Common curriculum and assessments in core subjects",
                    "Curriculum, assessments and training tell one story",
                ),
                (
                    "Expectations are clear and high for every student",
                    "Expectations vary widely",
                    "Expectations are written but uneven in practice",
                    "Expectations are visible in most classrooms",
                    "Every classroom holds every student to the same high bar",
                ),
            ],
        ),
        (
            "Clear pathways through the system",
            [
                (
                    "Students know what each stage requires",
                    "Gateways are unclear",
                    "Requirements are published",
                    "Students and families understand the requirements",
                    "Every student has a plan and an adult who checks it",
                ),
                (
                    "Career and technical routes are as strong as academic ones",
                    "Few career routes",
                    "Some programs, weakly tied to employers",
                    "Programs tied to employers at most high schools",
                    "Every student can earn a credential employers value",
                ),
            ],
        ),
        (
            "Teachers as professionals",
            [
                (
                    "Teachers are recruited and prepared well",
                    "Hard-to-staff roles stay open",
                    "Some partnerships with preparation programs",
                    "Most roles filled by well-prepared teachers",
                    "A steady supply of well-prepared teachers for every role",
                ),
                (
                    "Teachers learn from each other in the school day",
                    "Little time to collaborate",
                    "Time exists but is used for logistics",
                    "Most teams plan from student work",
                    "Every team plans and improves together, every week",
                ),
            ],
        ),
        (
            "Leadership at every level",
            [
                (
                    "Leaders are developed on purpose",
                    "Leaders learn on the job",
                    "Some leadership training",
                    "A leadership pathway most leaders follow",
                    "Every leader grows through a coherent pathway",
                ),
                (
                    "Leaders focus on instruction",
                    "Leaders spend little time on teaching",
                    "Some leaders visit classrooms often",
                    "Most leaders coach teachers regularly",
                    "Instructional leadership is the heart of every leader's week",
                ),
            ],
        ),
        (
            "Governance and coherence",
            [
                (
                    "Policies pull in one direction",
                    "Initiatives compete",
                    "Priorities are named",
                    "Most initiatives serve the named priorities",
                    "Every policy and budget line serves the plan",
                ),
                (
                    "Progress is measured and reported honestly",
                    "Little is measured",
                    "Measures exist but are rarely reviewed",
                    "Measures are reviewed on a schedule",
                    "Measures drive decisions and are reported openly",
                ),
            ],
        ),
    ],
}


class FrameworkFormatError(ValueError):
    """A framework file that cannot be read; the message says what is wrong and where."""


def to_data(framework):
    levels = list(framework.levels.order_by("number"))
    blocks = framework.building_blocks.prefetch_related("indicators__descriptors__level")
    return {
        "format": FORMAT,
        "name": framework.name,
        "description": framework.description,
        "levels": [level.name for level in levels],
        "building_blocks": [
            {
                "name": block.name,
                "indicators": [
                    {
                        "code": indicator.code,
                        "name": indicator.name,
                        "descriptors": {
                            str(d.level.number): d.text for d in indicator.descriptors.all()
                        },
                    }
                    for indicator in block.indicators.all()
                ],
            }
            for block in blocks.order_by("order", "pk")
        ],
    }


def _text(value, where, limit):
    if not isinstance(value, str) or not value.strip():
        raise FrameworkFormatError(gettext("%(where)s must be non-empty text.") % {"where": where})
    if len(value) > limit:
        raise FrameworkFormatError(
            gettext("%(where)s is longer than %(limit)s characters.")
            % {"where": where, "limit": limit}
        )
    return value.strip()


def validate(data):
    """Checks a framework document and returns it normalised; raises FrameworkFormatError."""
    if not isinstance(data, dict):
        raise FrameworkFormatError(gettext("The file must hold one framework object."))
    if data.get("format") != FORMAT:
        raise FrameworkFormatError(
            gettext('This is not a framework export (expected "format": "%(format)s").')
            % {"format": FORMAT}
        )
    name = _text(data.get("name"), gettext("The framework's name"), 200)
    levels = data.get("levels")
    if not isinstance(levels, list) or not 2 <= len(levels) <= 10:
        raise FrameworkFormatError(gettext("A framework has between 2 and 10 levels."))
    levels = [
        _text(level, gettext("Level %(number)s") % {"number": i}, 80)
        for i, level in enumerate(levels, start=1)
    ]
    blocks = data.get("building_blocks")
    if not isinstance(blocks, list) or not blocks:
        raise FrameworkFormatError(gettext("A framework needs at least one building block."))
    seen_codes, result, count = set(), [], 0
    for b, block in enumerate(blocks, start=1):
        if not isinstance(block, dict):
            raise FrameworkFormatError(
                gettext("Building block %(number)s must be an object.") % {"number": b}
            )
        indicators = block.get("indicators")
        if not isinstance(indicators, list) or not indicators:
            raise FrameworkFormatError(
                gettext("Building block %(number)s needs at least one indicator.") % {"number": b}
            )
        clean = []
        for i, indicator in enumerate(indicators, start=1):
            where = gettext("Indicator %(number)s of building block %(block)s") % {
                "number": i,
                "block": b,
            }
            count += 1
            if count > MAX_ITEMS or not isinstance(indicator, dict):
                raise FrameworkFormatError(
                    gettext("%(where)s is not an indicator object (or there are too many).")
                    % {"where": where}
                )
            code = _text(indicator.get("code"), gettext("%(where)s: code") % {"where": where}, 12)
            if code in seen_codes:
                raise FrameworkFormatError(
                    gettext("Indicator code %(code)s is used twice.") % {"code": code}
                )
            seen_codes.add(code)
            descriptors = indicator.get("descriptors") or {}
            if not isinstance(descriptors, dict):
                raise FrameworkFormatError(
                    gettext("%(where)s: the descriptors must map level numbers to text.")
                    % {"where": where}
                )
            for key in descriptors:
                if not 1 <= (whole_number(key) or 0) <= len(levels):
                    raise FrameworkFormatError(
                        gettext(
                            "%(where)s describes level %(level)s, which the rubric does not have."
                        )
                        % {"where": where, "level": key}
                    )
            clean.append(
                {
                    "code": code,
                    "name": _text(
                        indicator.get("name"), gettext("%(where)s: name") % {"where": where}, 300
                    ),
                    "descriptors": {
                        int(k): _text(
                            v,
                            gettext("%(where)s, level %(level)s") % {"where": where, "level": k},
                            2000,
                        )
                        for k, v in descriptors.items()
                    },
                }
            )
        result.append(
            {
                "name": _text(
                    block.get("name"),
                    gettext("Building block %(number)s: name") % {"number": b},
                    200,
                ),
                "indicators": clean,
            }
        )
    description = data.get("description") or ""
    if not isinstance(description, str):
        raise FrameworkFormatError(gettext("The description must be text."))
    return {
        "name": name,
        "description": description[:5000],
        "levels": levels,
        "building_blocks": result,
    }


@transaction.atomic
def create_from_data(*, data, district, copied_from=None):
    data = validate(data)
    framework = Framework.objects.create(
        district=district,
        name=data["name"],
        description=data["description"],
        copied_from=copied_from,
    )
    levels = Level.objects.bulk_create(
        [
            Level(framework=framework, number=n, name=name)
            for n, name in enumerate(data["levels"], start=1)
        ]
    )
    by_number = {level.number: level for level in levels}
    descriptors = []
    for b, block_data in enumerate(data["building_blocks"]):
        block = BuildingBlock.objects.create(framework=framework, name=block_data["name"], order=b)
        for i, item in enumerate(block_data["indicators"]):
            indicator = Indicator.objects.create(
                building_block=block, code=item["code"], name=item["name"], order=i
            )
            descriptors += [
                Descriptor(indicator=indicator, level=by_number[number], text=text)
                for number, text in item["descriptors"].items()
            ]
    Descriptor.objects.bulk_create(descriptors)
    return framework


def built_in_data():
    blocks = []
    for b, (name, indicators) in enumerate(BUILT_IN["building_blocks"], start=1):
        blocks.append(
            {
                "name": name,
                "indicators": [
                    {
                        "code": f"{b}.{i}",
                        "name": text,
                        "descriptors": {str(n): d for n, d in enumerate(levels, start=1)},
                    }
                    for i, (text, *levels) in enumerate(indicators, start=1)
                ],
            }
        )
    return {
        "format": FORMAT,
        "name": BUILT_IN["name"],
        "description": BUILT_IN["description"],
        "levels": BUILT_IN["levels"],
        "building_blocks": blocks,
    }


def built_in_framework():
    existing = Framework.objects.filter(district__isnull=True, name=BUILT_IN["name"]).first()
    return existing or create_from_data(data=built_in_data(), district=None)


def framework_copy(*, framework, district, name=None):
    data = to_data(framework)
    data["name"] = name or f"{framework.name} ({district.name})"
    return create_from_data(data=data, district=district, copied_from=framework)
