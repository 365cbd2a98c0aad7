"""WCAG 2 contrast, as the brand colour check measures it, against pairs whose ratio is known."""

import pytest

from core.colours import (
    colour_distance,
    contrast_ratio,
    parse_hex,
    relative_luminance,
    shown_ratio,
)


@pytest.mark.parametrize(
    ("first", "second", "ratio"),
    [
        ("#000000", "#ffffff", 21.0),
        ("#ffffff", "#000000", 21.0),  # the order of the two does not matter
        ("#777777", "#ffffff", 4.48),
        ("#767676", "#ffffff", 4.54),  # the lightest grey that passes AA on white
        ("#0000ff", "#ffffff", 8.59),
        ("#ff0000", "#ffffff", 4.0),
        ("#163a69", "#ffffff", 11.39),  # the reports' heading colour before brands
        ("#abcdef", "#abcdef", 1.0),
    ],
)
def test_contrast_ratios_match_the_wcag_formula(first, second, ratio):
    assert contrast_ratio(first, second) == pytest.approx(ratio, abs=0.01)


def test_relative_luminance_runs_from_black_to_white():
    assert relative_luminance((0, 0, 0)) == 0
    assert relative_luminance((255, 255, 255)) == pytest.approx(1)
    # The darkest channels are linear: 10/255 is below the 0.04045 knee.
    assert relative_luminance((10, 10, 10)) == pytest.approx(10 / 255 / 12.92)


@pytest.mark.parametrize(
    "value",
    ["", "#fff", "163a69", "#163a6", "#163a699", "#gggggg", "#１６３ａ６９", "#163a69\n", None, 7],
)
def test_only_a_hash_and_six_hex_digits_is_a_colour(value):
    assert parse_hex(value) is None


def test_a_colour_parses_in_either_case():
    assert parse_hex("#A0b1C2") == (160, 177, 194)


def test_a_ratio_just_under_the_minimum_never_reads_as_the_minimum():
    assert shown_ratio(contrast_ratio("#777777", "#ffffff")) == 4.4
    assert shown_ratio(21.0) == 21.0


def test_colours_of_one_lightness_and_another_hue_are_far_apart():
    assert contrast_ratio("#7a1f2b", "#2d5a27") < 1.5
    assert colour_distance("#7a1f2b", "#2d5a27") == pytest.approx(97.09, abs=0.01)
    assert colour_distance("#000000", "#ffffff") == pytest.approx(441.67, abs=0.01)
    assert colour_distance("#163a69", "#163a69") == 0
