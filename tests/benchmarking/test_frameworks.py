import json

import pytest

from benchmarking.frameworks import (
    FrameworkFormatError,
    built_in_framework,
    create_from_data,
    framework_copy,
    to_data,
    validate,
)
from benchmarking.models import Framework


def test_built_in_framework_has_building_blocks_indicators_and_a_four_level_rubric(db):
    framework = built_in_framework()
    assert framework.built_in
    assert framework.levels.count() == 4
    assert framework.building_blocks.count() == 7
    indicator = framework.building_blocks.first().indicators.first()
    assert indicator.descriptors.count() == 4
    assert built_in_framework() == framework  # made once


def test_copy_is_the_districts_own_and_round_trips_through_json(personas):
    original = built_in_framework()
    copy = framework_copy(framework=original, district=personas.district, name="Lakeside framework")
    assert (copy.district, copy.copied_from, copy.name) == (
        personas.district,
        original,
        "Lakeside framework",
    )
    exported = json.loads(json.dumps(to_data(copy)))
    again = create_from_data(data=exported, district=personas.district)
    assert to_data(again) == exported
    assert to_data(copy)["building_blocks"] == to_data(original)["building_blocks"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(format="other"), "This is not a framework export"),
        (lambda d: d.update(levels=["Only one"]), "between 2 and 10 levels"),
        (
            lambda d: d["building_blocks"][0]["indicators"][0]["descriptors"].update({"9": "x"}),
            "describes level 9",
        ),
        (
            lambda d: d["building_blocks"][0]["indicators"][0]["descriptors"].update({"²": "x"}),
            "describes level ²",
        ),
        (
            lambda d: d["building_blocks"][1]["indicators"][0].update(code="1.1"),
            "Indicator code 1.1 is used twice",
        ),
        (lambda d: d["building_blocks"][0].update(indicators=[]), "needs at least one indicator"),
        (lambda d: d.update(name="   "), "name must be non-empty text"),
        (
            lambda d: d["building_blocks"].__setitem__(0, "not an object"),
            "Building block 1 must be an object",
        ),
    ],
)
def test_bad_framework_files_are_explained_and_nothing_is_saved(db, change, message):
    data = to_data(built_in_framework())
    change(data)
    with pytest.raises(FrameworkFormatError, match=message):
        create_from_data(data=data, district=None)
    assert Framework.objects.count() == 1


def test_a_file_that_is_not_an_object_is_refused():
    with pytest.raises(FrameworkFormatError, match="one framework object"):
        validate([1, 2, 3])
