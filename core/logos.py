"""The one check a district's logo goes through before it is kept.

The logo is shown on the settings page and embedded in every report's PDF, so it must be an
image Pillow decodes as PNG or JPEG, whatever its name says: SVG is refused because it can
carry script, and a small file that would unpack into a huge image is refused before its
pixels are read."""

import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from PIL import Image, UnidentifiedImageError

MAX_LOGO_BYTES = 1024 * 1024
MAX_LOGO_SIDE = 4000
MIN_LOGO_SIDE = 16
FORMATS = ("PNG", "JPEG")


@dataclass(frozen=True)
class CheckedLogo:
    image: bytes
    format: str
    width: int
    height: int
    name: str


def check_logo(upload):
    """A CheckedLogo of the upload, or a ValidationError that says what is wrong with it."""
    if upload.size > MAX_LOGO_BYTES:
        raise ValidationError(gettext("A logo can be up to 1 MB; save it smaller and try again."))
    data = upload.read(MAX_LOGO_BYTES + 1)
    not_an_image = ValidationError(
        gettext("Upload the logo as a PNG or JPEG image (SVG and other files are not accepted).")
    )
    try:
        with Image.open(io.BytesIO(data), formats=FORMATS) as image:
            kind, (width, height) = image.format, image.size
            if not (
                MIN_LOGO_SIDE <= width <= MAX_LOGO_SIDE and MIN_LOGO_SIDE <= height <= MAX_LOGO_SIDE
            ):
                raise ValidationError(
                    gettext(
                        "A logo is from %(smallest)s to %(largest)s pixels wide and high; this "
                        "one is %(width)s × %(height)s."
                    )
                    % {
                        "smallest": MIN_LOGO_SIDE,
                        "largest": MAX_LOGO_SIDE,
                        "width": width,
                        "height": height,
                    }
                )
            image.verify()
        # verify() leaves the image unusable; decoding every pixel proves the file is whole.
        with Image.open(io.BytesIO(data), formats=FORMATS) as image:
            image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise not_an_image from None
    return CheckedLogo(
        image=data, format=kind, width=width, height=height, name=(upload.name or "")[:200]
    )
