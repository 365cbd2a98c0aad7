"""Colours as WCAG 2 measures them: a district's brand colours carry white text on the cover
of its reports and colour headings on white paper, so each must be legible against white."""

import re

HEX_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
WHITE = "#ffffff"
# WCAG 2 success criterion 1.4.3 (AA): normal-size text against its background.
AA_TEXT = 4.5


def parse_hex(value):
    """(red, green, blue) from 0 to 255 for "#rrggbb", or None for anything else."""
    if not isinstance(value, str) or not HEX_COLOUR.fullmatch(value):
        return None
    return tuple(int(value[i : i + 2], 16) for i in (1, 3, 5))


def _linear(channel):
    value = channel / 255
    return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4


def relative_luminance(rgb):
    """WCAG 2's relative luminance of an (r, g, b) colour: 0 for black, 1 for white."""
    red, green, blue = (_linear(channel) for channel in rgb)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(first, second):
    """WCAG 2's contrast ratio of two "#rrggbb" colours, from 1 (the same) to 21."""
    lighter, darker = sorted(
        (relative_luminance(parse_hex(first)), relative_luminance(parse_hex(second))),
        reverse=True,
    )
    return (lighter + 0.05) / (darker + 0.05)


def shown_ratio(ratio):
    """A ratio as people quote it, rounded down to one decimal so 4.48 never reads as 4.5."""
    return int(ratio * 10) / 10


def colour_distance(first, second):
    """How far apart two "#rrggbb" colours are, as the straight distance between their red,
    green and blue values (0 to 441): hue counts, which a contrast ratio does not see (a red and
    a green of one lightness are 1:1 apart and never mistaken for each other)."""
    return (
        sum((a - b) ** 2 for a, b in zip(parse_hex(first), parse_hex(second), strict=True)) ** 0.5
    )
