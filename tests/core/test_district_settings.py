"""The district settings page: a district admin sets the smallest student group shown, with a
message next to the field for anything but a whole number from 1 to 100, and the brand its
reports are drawn with (two colours dark enough for text on white, a PNG or JPEG logo); the
history keeps who changed what."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from core.history import history, record_events
from core.models import District, DistrictLogo
from core.roles import Role
from tests.helpers import query_budget


def _url(district):
    return reverse("core:settings", args=[district.slug])


def _form(**changes):
    return {
        "smallest_group_shown": "10",
        "brand_primary": "#163a69",
        "brand_secondary": "#1f4e8c",
        **changes,
    }


def _image(kind="PNG", size=(120, 60)):
    buffer = io.BytesIO()
    Image.new("RGB", size, (22, 58, 105)).save(buffer, kind)
    return buffer.getvalue()


def _upload(data, name="logo.png", content_type="image/png"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def test_an_admin_sets_the_smallest_group_and_the_history_keeps_it(as_member, personas):
    client = as_member(personas.admin)
    response = client.post(_url(personas.district), _form(smallest_group_shown="15"), follow=True)
    assert "The district&#x27;s settings are saved." in response.text
    assert 'value="15"' in response.text
    assert District.objects.get(pk=personas.district.pk).smallest_group_shown == 15
    changes = [
        (change.old, change.new, entry.user)
        for entry in history([record_events(personas.district)])
        for change in entry.changes
        if entry.action == "changed" and change.field == "smallest_group_shown"
    ]
    assert changes == [("10", "15", personas.admin)]


@pytest.mark.parametrize("value", ["0", "101", "12.5", "ten", "", "-3", "²", "1" + "0" * 30])
def test_anything_but_a_whole_number_from_1_to_100_is_refused_next_to_the_field(
    as_member, personas, value
):
    response = as_member(personas.admin).post(
        _url(personas.district), _form(smallest_group_shown=value)
    )
    assert response.status_code == 200
    assert (
        '<ul class="errorlist" id="id_smallest_group_shown_error"><li>Enter a whole number of '
        "students from 1 to 100.</li></ul>" in response.text
    )
    assert District.objects.get(pk=personas.district.pk).smallest_group_shown == 10


@pytest.mark.parametrize("role", [r for r in Role if r != Role.ADMIN])
def test_only_district_admins_change_the_settings(as_member, personas, role):
    client = as_member(personas.by_role()[role])
    assert client.post(_url(personas.district), _form(smallest_group_shown="3")).status_code == 403
    assert District.objects.get(pk=personas.district.pk).smallest_group_shown == 10


def test_a_member_of_another_district_gets_404(as_member, personas):
    client = as_member(personas.outsider)
    assert client.get(_url(personas.district)).status_code == 404
    assert client.post(_url(personas.district), _form(smallest_group_shown="3")).status_code == 404
    assert District.objects.get(pk=personas.district.pk).smallest_group_shown == 10


def test_admins_reach_the_settings_from_the_menu_and_the_page_has_a_query_budget(
    as_member, personas
):
    client = as_member(personas.admin)
    home = client.get(reverse("dashboard:home", args=[personas.district.slug])).text
    assert f'href="{_url(personas.district)}"' in home
    with query_budget(8):
        page = client.get(_url(personas.district)).text
    assert 'name="smallest_group_shown"' in page
    cabinet_home = as_member(personas.cabinet).get(
        reverse("dashboard:home", args=[personas.district.slug])
    )
    assert f'href="{_url(personas.district)}"' not in cabinet_home.text


def test_an_admin_sets_the_brand_colours_and_the_history_keeps_them(as_member, personas):
    client = as_member(personas.admin)
    response = client.post(
        _url(personas.district),
        _form(brand_primary="#7A1F2B", brand_secondary="#2d5a27"),
        follow=True,
    )
    assert "The district&#x27;s settings are saved." in response.text
    district = District.objects.get(pk=personas.district.pk)
    assert (district.brand_primary, district.brand_secondary) == ("#7a1f2b", "#2d5a27")
    # The preview of the cover band is drawn in the saved colours.
    assert 'fill="#7a1f2b"' in response.text
    assert 'fill="#2d5a27"' in response.text
    changed = {
        change.field: (change.old, change.new)
        for entry in history([record_events(personas.district)])
        for change in entry.changes
        if entry.action == "changed"
    }
    assert changed["brand_primary"] == ("#163a69", "#7a1f2b")


@pytest.mark.parametrize(
    ("field", "value", "ratio"),
    [("brand_primary", "#ffcc00", "1.5"), ("brand_secondary", "#777777", "4.4")],
)
def test_a_colour_too_light_for_white_text_is_refused_with_its_ratio(
    as_member, personas, field, value, ratio
):
    response = as_member(personas.admin).post(_url(personas.district), _form(**{field: value}))
    assert response.status_code == 200
    assert (
        f'<ul class="errorlist" id="id_{field}_error"><li>This colour&#x27;s contrast with white '
        f"is {ratio}:1; WCAG AA asks at least 4.5:1 for text. Choose a darker colour.</li></ul>"
    ) in response.text
    district = District.objects.get(pk=personas.district.pk)
    assert (district.brand_primary, district.brand_secondary) == ("#163a69", "#1f4e8c")


@pytest.mark.parametrize(
    "value", ["", "red", "#fff", "#12345g", "#１６３ａ６９", "#163a69;}", "#" + "0" * 100_000]
)
def test_anything_but_a_hex_colour_is_refused_next_to_the_field(as_member, personas, value):
    response = as_member(personas.admin).post(
        _url(personas.district), _form(brand_primary=value, smallest_group_shown="20")
    )
    assert response.status_code == 200
    assert 'id="id_brand_primary_error"' in response.text
    district = District.objects.get(pk=personas.district.pk)
    # Nothing of the form is saved, the group size either.
    assert (district.brand_primary, district.smallest_group_shown) == ("#163a69", 10)


def test_a_png_logo_is_kept_and_served_to_members_with_its_checked_type(as_member, personas):
    client = as_member(personas.admin)
    data = _image()
    response = client.post(_url(personas.district), {**_form(), "logo": _upload(data)}, follow=True)
    assert "The district&#x27;s settings are saved." in response.text
    logo = DistrictLogo.objects.get(district=personas.district)
    assert (bytes(logo.image), logo.format, logo.width, logo.height) == (data, "PNG", 120, 60)
    assert District.objects.get(pk=personas.district.pk).logo_name == "logo.png"
    logo_url = reverse("core:logo", args=[personas.district.slug])
    assert f'src="{logo_url}" alt="{personas.district.name} logo"' in response.text
    served = as_member(personas.board).get(logo_url)
    assert served.status_code == 200
    assert served["Content-Type"] == "image/png"
    assert served["X-Content-Type-Options"] == "nosniff"
    assert b"".join(served) == data


def test_a_jpeg_logo_is_kept_and_served_as_jpeg(as_member, personas):
    client = as_member(personas.admin)
    data = _image("JPEG")
    # Its name says PNG; what is kept and served is what the bytes are.
    client.post(_url(personas.district), {**_form(), "logo": _upload(data, "logo.png")})
    assert DistrictLogo.objects.get(district=personas.district).format == "JPEG"
    served = client.get(reverse("core:logo", args=[personas.district.slug]))
    assert served["Content-Type"] == "image/jpeg"


SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(1)</script></svg>"
)


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"just some text\n", "logo.png", "Upload the logo as a PNG or JPEG image"),
        (SVG, "logo.svg", "Upload the logo as a PNG or JPEG image"),
        (_image("GIF"), "logo.gif", "Upload the logo as a PNG or JPEG image"),
        (_image()[:200], "logo.png", "Upload the logo as a PNG or JPEG image"),  # cut short
        (b"\x89PNG" + b"0" * (1024 * 1024), "logo.png", "A logo can be up to 1 MB"),
        (_image(size=(5000, 20)), "logo.png", "this one is 5000 × 20"),
        (_image(size=(8, 8)), "logo.png", "this one is 8 × 8"),
    ],
    ids=["text", "svg", "gif", "truncated", "oversized", "too-wide", "too-small"],
)
def test_anything_but_a_whole_png_or_jpeg_of_sane_size_is_refused(
    as_member, personas, data, name, message
):
    response = as_member(personas.admin).post(
        _url(personas.district), {**_form(brand_primary="#2d5a27"), "logo": _upload(data, name)}
    )
    assert response.status_code == 200
    assert 'id="id_logo_error"' in response.text
    assert message in response.text
    assert not DistrictLogo.objects.filter(district=personas.district).exists()
    district = District.objects.get(pk=personas.district.pk)
    assert (district.logo_name, district.brand_primary) == ("", "#163a69")


def test_an_admin_removes_the_logo(as_member, personas):
    client = as_member(personas.admin)
    client.post(_url(personas.district), {**_form(), "logo": _upload(_image())})
    page = client.get(_url(personas.district)).text
    assert 'name="remove_logo"' in page
    client.post(_url(personas.district), _form(remove_logo="on"))
    assert not DistrictLogo.objects.filter(district=personas.district).exists()
    assert District.objects.get(pk=personas.district.pk).logo_name == ""
    logo_url = reverse("core:logo", args=[personas.district.slug])
    assert client.get(logo_url).status_code == 404


def test_the_logo_is_not_served_to_another_districts_member(as_member, personas):
    as_member(personas.admin).post(_url(personas.district), {**_form(), "logo": _upload(_image())})
    logo_url = reverse("core:logo", args=[personas.district.slug])
    assert as_member(personas.outsider).get(logo_url).status_code == 404


@pytest.mark.parametrize("role", [r for r in Role if r != Role.ADMIN])
def test_only_district_admins_change_the_brand(as_member, personas, role):
    client = as_member(personas.by_role()[role])
    response = client.post(
        _url(personas.district), {**_form(brand_primary="#2d5a27"), "logo": _upload(_image())}
    )
    assert response.status_code == 403
    assert District.objects.get(pk=personas.district.pk).brand_primary == "#163a69"
    assert not DistrictLogo.objects.filter(district=personas.district).exists()
