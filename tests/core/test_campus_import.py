import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.campus_import import ImportFileError, normalise_grade_span, plan_campus_import
from core.forms import CampusImportConfirmForm
from core.models import Campus
from core.services import campus_import_apply
from tests.factories import CampusFactory
from tests.helpers import query_budget

CSV = """Campus Name,School Type,Grades,Region,NCES ID,State School ID
Lakeside Elementary,Elementary,PK-5,North,480000000001,101
Northside Middle School,MS,6 – 8,North,480000000002,102
Lakeside High School,High School,9-12,South,,103
"""


def url():
    return reverse("core:campus_import", args=["lakeside"])


def upload(client, text, name="campuses.csv", encoding="utf-8"):
    data = text.encode(encoding) if isinstance(text, str) else text
    return client.post(url(), {"file": SimpleUploadedFile(name, data, "text/csv")})


def confirm(client, preview_response):
    token = preview_response.context["confirm_form"].initial["token"]
    return client.post(url(), {"token": token})


# The plan, without the browser


def test_plan_says_create_update_and_unchanged(personas):
    CampusFactory(
        district=personas.district,
        name="Northside Middle School",
        level="middle",
        grade_span="6-8",
        region="North",
        nces_id="480000000002",
        state_school_id="102",
    )
    plan = plan_campus_import(personas.district, CSV)
    actions = {row.values["name"]: row.action for row in plan.rows}
    assert actions == {
        "Lakeside Elementary": "update",  # the persona campus gains ids and a region
        "Northside Middle School": "unchanged",
        "Lakeside High School": "create",
    }


@pytest.mark.parametrize(
    "header",
    [
        "name,level",
        "School Name,School Level",
        "CAMPUS,TYPE",
        "campus_name;campus_level",
        "Site Name\tLevel",
    ],
)
def test_common_header_spellings_are_accepted(personas, header):
    delimiter = ";" if ";" in header else ("\t" if "\t" in header else ",")
    text = f"{header}\nRiver Oaks Elementary{delimiter}Elementary\n"
    plan = plan_campus_import(personas.district, text)
    assert [row.action for row in plan.rows] == ["create"]


def test_unknown_columns_are_listed_not_fatal(personas):
    plan = plan_campus_import(personas.district, "Name,Level,Mascot\nA School,High,Owls\n")
    assert plan.ignored_columns == ["Mascot"]


def test_missing_level_column_explains_what_is_expected(personas):
    with pytest.raises(ImportFileError, match="no column was recognised for Level"):
        plan_campus_import(personas.district, "Name,Principal\nA,B\n")


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        (",Elementary", "The campus name is empty."),
        ("Somewhere,Kindergarten Castle", "is not one of"),
        ("Long," + "x" * 50, "is not one of"),
        ("X" * 201 + ",High", "longer than 200 characters"),
        ("Some School,High,13-15", "is not like PK-5"),
        ("Some School,High,12-9", "is not like PK-5"),
        ("Some School,High,9-12,4.8E+11", "must be up to 12 digits"),
        ("Some School,High,9-12,²", "must be up to 12 digits"),
    ],
)
def test_bad_rows_are_rejected_with_a_reason(personas, row, reason):
    plan = plan_campus_import(personas.district, f"Name,Level,Grades,NCES\n{row}\n")
    [planned] = plan.rows
    assert planned.action == "reject"
    assert any(reason in error for error in planned.errors), planned.errors


def test_duplicate_names_in_one_file_reject_the_second(personas):
    plan = plan_campus_import(
        personas.district, "Name,Level\nOak Elementary,ES\noak elementary,ES\n"
    )
    assert [row.action for row in plan.rows] == ["create", "reject"]
    assert "Row 2 of this file has the same campus name." in plan.rows[1].errors


def test_renaming_onto_another_campus_is_rejected(personas):
    CampusFactory(district=personas.district, name="Pine Middle", level="middle", nces_id="12")
    plan = plan_campus_import(personas.district, "Name,Level,NCES id\nLakeside Elementary,MS,12\n")
    assert plan.rows[0].action == "reject"
    assert "Another campus is already called" in plan.rows[0].errors[0]


def test_unicode_and_markup_are_kept_as_text(personas):
    text = "Name,Level\nEscuela Niños Héroes,Elementary\n<b>Bold</b> Academy,High\n"
    campus_import_apply(district=personas.district, text=text)
    names = set(Campus.objects.filter(district=personas.district).values_list("name", flat=True))
    assert {"Escuela Niños Héroes", "<b>Bold</b> Academy"} <= names


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("pk-5", "PK-5"),
        ("K – 8", "K-8"),
        ("09-12", "9-12"),
        ("K", "K"),
        ("6 to 8", "6-8"),
        ("Pre-K - 2", "PK-2"),
        ("", ""),
        ("5-3", None),
        ("A-B", None),
    ],
)
def test_grade_spans_are_normalised(raw, expected):
    assert normalise_grade_span(raw) == expected


def test_apply_is_all_or_nothing_and_reimport_changes_nothing(personas):
    campus_import_apply(district=personas.district, text=CSV)
    stored = list(Campus.objects.filter(district=personas.district).order_by("pk").values())
    plan = campus_import_apply(district=personas.district, text=CSV)
    assert plan.counts == {"create": 0, "update": 0, "unchanged": 3, "reject": 0}
    assert list(Campus.objects.filter(district=personas.district).order_by("pk").values()) == stored


def test_import_never_touches_another_district(personas):
    CampusFactory(district=personas.other_district, name="Lakeside High School", level="high")
    campus_import_apply(district=personas.district, text=CSV)
    assert Campus.objects.filter(district=personas.other_district).count() == 1
    assert Campus.objects.filter(district=personas.district).count() == 3


# Through the pages


def test_preview_lists_every_row_and_saves_nothing(as_member, personas):
    client = as_member(personas.admin)
    response = upload(client, CSV + "Broken,Castle\n")
    assert response.status_code == 200
    assert "2</strong> to create" in response.text
    assert "1</strong> rejected" in response.text
    assert "Level “Castle” is not one of" in response.text
    assert "NCES id: (blank) → 480000000001" in response.text
    assert Campus.objects.filter(district=personas.district).count() == 1


def test_confirm_imports_and_says_what_happened(as_member, personas):
    client = as_member(personas.admin)
    response = confirm(client, upload(client, CSV))
    assert response.status_code == 302
    assert Campus.objects.filter(district=personas.district).count() == 3
    follow = client.get(response["Location"])
    assert "Campus list imported: 2 created, 1 updated, 0 unchanged, 0 rejected." in follow.text


def test_reimporting_the_same_file_offers_nothing_to_import(as_member, personas):
    client = as_member(personas.admin)
    confirm(client, upload(client, CSV))
    response = upload(client, CSV)
    assert "Nothing to import" in response.text
    assert "3</strong> unchanged" in response.text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty."),
        (b"\x00\x01PK\x03\x04binary", "This is not a CSV text file."),
        (b"x" * (2 * 1024 * 1024 + 1), "files up to 2 MB are accepted"),
        (b"Name,Mascot\nA,B\n", "no column was recognised for Level"),
        (b"Name,Level\n", None),
    ],
)
def test_bad_files_get_a_message_next_to_the_field(as_member, personas, data, message):
    response = upload(as_member(personas.admin), data)
    assert response.status_code == 200
    if message:
        assert message in response.text
        assert 'class="errorlist"' in response.text
    else:
        assert "Nothing to import" in response.text


def test_no_file_chosen(as_member, personas):
    response = as_member(personas.admin).post(url(), {})
    assert "Choose a CSV file to upload." in response.text


def test_windows_spreadsheet_encoding_is_read(as_member, personas):
    response = upload(
        as_member(personas.admin), "Name,Level\nPeña Elementary,ES\n", encoding="cp1252"
    )
    assert "Peña Elementary" in response.text


def test_tampered_preview_is_refused(as_member, personas):
    response = as_member(personas.admin).post(url(), {"token": "not-a-signed-token"})
    assert "This preview could not be read" in response.text
    assert Campus.objects.filter(district=personas.district).count() == 1


def test_preview_from_another_district_cannot_be_confirmed_here(as_member, personas):
    token = CampusImportConfirmForm.sign(district=personas.other_district, text=CSV)
    response = as_member(personas.admin).post(url(), {"token": token})
    assert "This preview belongs to another district." in response.text
    assert Campus.objects.filter(district=personas.district).count() == 1


def test_cabinet_cannot_import(as_member, personas):
    token = CampusImportConfirmForm.sign(district=personas.district, text=CSV)
    response = as_member(personas.cabinet).post(url(), {"token": token})
    assert response.status_code == 403
    assert Campus.objects.filter(district=personas.district).count() == 1


def test_outsider_gets_404(as_member, personas):
    assert as_member(personas.outsider).get(url()).status_code == 404


def test_preview_query_budget_does_not_grow_with_the_file(as_member, personas):
    client = as_member(personas.admin)
    rows = "".join(f"Campus {n},Elementary,K-5,North\n" for n in range(300))
    with query_budget(8):
        response = upload(client, "Name,Level,Grades,Region\n" + rows)
    assert "300</strong> to create" in response.text


def test_excel_unicode_text_is_read(as_member, personas):
    # Excel's "Unicode Text (*.txt)": UTF-16 little-endian with a byte-order mark, tabs.
    text = "Campus name\tLevel\tGrade span\r\nPeña Elementary\tES\tPK-5\r\n"
    response = upload(as_member(personas.admin), b"\xff\xfe" + text.encode("utf-16-le"))
    assert response.status_code == 200
    assert "Peña Elementary" in response.text
    assert "<strong>1</strong> to create" in response.text
    assert 'class="errorlist"' not in response.text


def test_utf8_with_a_byte_order_mark_is_read(as_member, personas):
    response = upload(
        as_member(personas.admin), "Name,Level\nPeña Elementary,ES\n", encoding="utf-8-sig"
    )
    assert "Peña Elementary" in response.text
    assert 'class="errorlist"' not in response.text


def test_principal_and_enrollment_come_in_with_the_campus_list(personas):
    text = (
        "Campus Name,Level,Principal,Total Enrollment\n"
        'Lakeside Elementary,Elementary,Dr. Ana Peña,"1,204"\n'
        "Zephyr Middle,Middle,,\n"
    )
    campus_import_apply(district=personas.district, text=text)
    lakeside = Campus.objects.get(district=personas.district, name="Lakeside Elementary")
    assert (lakeside.principal, lakeside.enrollment) == ("Dr. Ana Peña", 1204)
    zephyr = Campus.objects.get(district=personas.district, name="Zephyr Middle")
    assert (zephyr.principal, zephyr.enrollment) == ("", None)


@pytest.mark.parametrize("enrollment", ["many", "-3", "90000", "12.5", "²³"])
def test_an_enrollment_that_is_not_a_count_of_students_is_rejected(personas, enrollment):
    text = f"Campus Name,Level,Enrollment\nZephyr Middle,Middle,{enrollment}\n"
    [row] = plan_campus_import(personas.district, text).rows
    assert row.action == "reject"
    assert "must be a whole number of students up to 50000" in " ".join(row.errors)
