"""The published reports pass a PDF/UA-1 checker and carry what a screen reader needs.

`pdfua` checks the machine-checkable part of PDF/UA-1 (ISO 14289-1); the direct assertions
below pin the parts a board member with a screen reader relies on, for each report kind.
"""

import datetime
import io
from dataclasses import dataclass

import pikepdf
import pytest
from django.db import transaction
from django.test import override_settings
from django.utils import translation
from pdfua import validate
from pypdf import PdfReader

from benchmarking.models import DiscoveryAnalysis
from core.models import District
from dashboard.demo import seed_demo
from reports.rendering import html_to_pdf, render
from reports.services import report_request
from visits.models import Visit

# The database is set up only for modules that ask for it; the fixture below uses it.
pytestmark = pytest.mark.django_db

# pdfua 0.1.3 cannot run its empty-heading rule with pikepdf 10: it probes structure arrays with
# getattr, which pikepdf answers with ValueError. The reading-order test checks every heading's
# text instead.
RULES_IT_CANNOT_RUN = {"UA-14-001"}

# One report in English and two in Spanish, so the language each declares is under test.
KINDS = {"board_summary": "en", "visit": "es", "discovery": "es"}

SECTIONS = {
    "board_summary": [
        "Executive summary",
        "What changed since the last board summary",
        "The plan and its goals",
        "Results by student group and campus",
        "Theories of action by strand",
        "Theories at a glance: each link tested",
        "Action items by owner",
        "Visit highlights and recurring problems of practice",
        "Discovery Analysis",
    ],
    "visit": ["La visita", "Observaciones", "Reunión de cierre", "Acciones de seguimiento"],
    "discovery": [
        "Alcance y método",
        "Brechas respecto al perfil de referencia",
        "Desde la ronda anterior",
        "Hallazgos",
        "Recomendaciones y rutas de mejora",
    ],
}


@dataclass
class Rendered:
    title: str
    language: str
    data: bytes

    def pdf(self):
        return pikepdf.open(io.BytesIO(self.data))


@pytest.fixture(scope="module")
def reports(django_db_setup, django_db_blocker):
    """Each kind rendered once from the demo district, in a transaction that is rolled back:
    seeding takes seconds, and every test below only reads the files."""
    rendered = {}
    hashers = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    blocker, fast_hashing = django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=hashers)
    with blocker, fast_hashing, transaction.atomic():
        seed_demo(size="small")
        district = District.objects.get(slug="demo")
        targets = {
            "board_summary": {
                "meeting_date": datetime.date(2027, 1, 12),
                "audience": "Board of Trustees",
            },
            "visit": {"visit": Visit.objects.filter(district=district, status="closed")[0]},
            "discovery": {
                "analysis": DiscoveryAnalysis.objects.get(district=district, previous__isnull=False)
            },
        }
        for kind, language in KINDS.items():
            report = report_request(
                district_id=district.pk,
                user=None,
                kind=kind,
                language=language,
                **targets[kind],
            )
            rendered[kind] = Rendered(report.title, language, render(report)["pdf"])
        transaction.set_rollback(True)
    return rendered


def _kids(element):
    kids = element.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, pikepdf.Array) else [kids]


def _struct_elements(pdf):
    """Every structure element reachable from the root, depth first: the reading order."""

    def walk(element):
        yield element
        for kid in _kids(element):
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                yield from walk(kid)

    for top in _kids(pdf.Root.StructTreeRoot):
        yield from walk(top)


def _marked_content(element):
    return [kid for kid in _kids(element) if isinstance(kid, int)]


def _texts_by_mcid(data):
    """The text of each marked-content sequence, keyed by (page number, MCID)."""
    texts = {}
    for number, page in enumerate(PdfReader(io.BytesIO(data)).pages):
        open_mcids = []

        def before(operator, operands, cm, tm, open_mcids=open_mcids):
            if operator == b"BDC":
                open_mcids.append(operands[1].get("/MCID"))
            elif operator == b"BMC":
                open_mcids.append(None)
            elif operator == b"EMC":
                open_mcids.pop()

        def text(value, cm, tm, font, size, number=number, open_mcids=open_mcids):
            mcid = next((m for m in reversed(open_mcids) if m is not None), None)
            texts.setdefault((number, mcid), []).append(value)

        page.extract_text(visitor_operand_before=before, visitor_text=text)
    return {key: " ".join("".join(parts).split()) for key, parts in texts.items()}


def _element_text(pdf, element, texts):
    pages = {page.objgen: number for number, page in enumerate(pdf.pages)}
    words = []
    for item in _struct_elements_under(element):
        page = pages[item.Pg.objgen]
        words += [texts.get((page, mcid), "") for mcid in _marked_content(item)]
    return " ".join(" ".join(words).split())


def _struct_elements_under(element):
    yield element
    for kid in _kids(element):
        if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            yield from _struct_elements_under(kid)


@pytest.mark.parametrize("kind", KINDS)
def test_each_report_passes_the_pdf_ua_checker(reports, kind, tmp_path):
    path = tmp_path / f"{kind}.pdf"
    path.write_bytes(reports[kind].data)
    result = validate(str(path))
    assert [(f.rule_id, f.message) for f in result.findings] == []
    assert {outcome.rule_id for outcome in result.skipped} <= RULES_IT_CANNOT_RUN


@pytest.mark.parametrize("kind", KINDS)
def test_each_report_is_tagged_and_claims_pdf_ua(reports, kind):
    with reports[kind].pdf() as pdf:
        assert pdf.check_pdf_syntax() == []  # still well formed after reports.pdf_tags
        assert "/StructTreeRoot" in pdf.Root
        assert pdf.Root.MarkInfo.Marked is True
        with pdf.open_metadata() as xmp:
            assert xmp["pdfuaid:part"] == "1"


@pytest.mark.parametrize("kind", KINDS)
def test_each_report_declares_its_language_and_shows_its_title(reports, kind):
    report = reports[kind]
    with report.pdf() as pdf:
        assert str(pdf.Root.Lang) == report.language
        assert str(pdf.docinfo.Title) == report.title
        with pdf.open_metadata() as xmp:
            assert xmp["dc:title"] == report.title
        assert pdf.Root.ViewerPreferences.DisplayDocTitle is True
    if report.language == "es":
        assert report.title.startswith(("Informe", "Análisis"))


def test_every_chart_has_a_text_alternative_in_the_reports_language(reports):
    alts = {}
    for kind in KINDS:
        with reports[kind].pdf() as pdf:
            alts[kind] = [str(e.get("/Alt", "")) for e in _struct_elements(pdf) if e.S == "/Figure"]
    # The district's logo on the cover (the demo has one), the executive summary's four sparklines, four measure
    # charts, the groups and campuses of the three measures with results and the action items
    # chart; the heat map.
    assert len(alts["board_summary"]) == 16
    assert all(alts["board_summary"])
    assert alts["board_summary"][0] == "Demo Valley Unified School District logo"
    sparkline = alts["board_summary"][1]
    assert sparkline.startswith("Grade 3 students meeting the reading standard. Latest ")
    measure = alts["board_summary"][5]
    assert measure.startswith("Grade 3 students meeting the reading standard. Baseline ")
    assert "target " in measure  # the chart's description, not only its name
    assert alts["board_summary"][-1].startswith("Share of action items done, by owner")
    with translation.override("es"):
        heat_map = translation.gettext(
            "Average gap to the reference profile, by campus and building block"
        )
    # Every report's cover carries the logo, described in the report's language.
    logo = "Logotipo de Demo Valley Unified School District"
    assert alts["discovery"] == [logo, f"{heat_map} (la tabla siguiente tiene las mismas cifras)"]
    assert alts["visit"] == [logo]


@pytest.mark.parametrize("kind", KINDS)
def test_table_headers_are_marked_and_scoped(reports, kind):
    with reports[kind].pdf() as pdf:
        tables = [e for e in _struct_elements(pdf) if e.S == "/Table"]
        assert tables
        ids = {str(key) for key in pdf.Root.StructTreeRoot.IDTree.Names[::2]}
        for table in tables:
            cells = [e for e in _struct_elements_under(table) if e.S in ("/TH", "/TD")]
            headers = [c for c in cells if c.S == "/TH"]
            assert headers
            assert all(str(c.A.Scope) == "/Column" and str(c.ID) in ids for c in headers)
            for cell in cells:
                if cell.S == "/TD":
                    assert {str(h) for h in cell.A.Headers} <= ids


@pytest.mark.parametrize("kind", KINDS)
def test_the_reading_order_is_the_documents_order(reports, kind):
    report = reports[kind]
    texts = _texts_by_mcid(report.data)
    with report.pdf() as pdf:
        pages = {page.objgen: number for number, page in enumerate(pdf.pages)}
        elements = list(_struct_elements(pdf))
        order = [pages[e.Pg.objgen] for e in elements if "/Pg" in e and _marked_content(e)]
        assert order == sorted(order)  # never back to an earlier page
        # All of the page's text is in the tree, except the running headers and footers.
        tagged = {(pages[e.Pg.objgen], m) for e in elements for m in _marked_content(e)}
        untagged = {key for key in texts if key[1] is not None} - tagged
        assert untagged == set()
        running = " ".join(text for (page, mcid), text in texts.items() if mcid is None)
        assert "Page 2 of" in running or "Página 2 de" in running
        headings = [
            (str(e.S), _element_text(pdf, e, texts))
            for e in elements
            if str(e.S) in ("/H1", "/H2", "/H3", "/H4", "/H5", "/H6")
        ]
    assert all(text for _, text in headings)
    assert [text for level, text in headings if level == "/H1"][1] in ("Contents", "Contenido")
    assert [text for level, text in headings if level == "/H2"] == SECTIONS[kind]


@pytest.mark.parametrize("kind", KINDS)
def test_each_contents_link_is_described_by_its_text(reports, kind):
    with reports[kind].pdf() as pdf:
        described = []
        for page in pdf.pages:
            for annotation in page.get("/Annots", []):
                if annotation.Subtype == "/Link":
                    described.append(str(annotation.Contents))
    assert list(dict.fromkeys(described)) == SECTIONS[kind]


def test_a_header_cell_in_a_body_row_heads_its_row():
    html = (
        '<html lang="en"><head><title>Rows</title></head><body><table>'
        '<thead><tr><th scope="col">Campus</th><th scope="col">Visits</th></tr></thead>'
        '<tbody><tr><th scope="row">Alder Creek</th><td>3</td></tr></tbody>'
        "</table></body></html>"
    )
    data, _ = html_to_pdf(html)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        scopes = [str(e.A.Scope) for e in _struct_elements(pdf) if e.S == "/TH"]
    assert scopes == ["/Column", "/Column", "/Row"]


@pytest.mark.parametrize("kind", KINDS)
def test_each_contents_entry_reads_its_page_number_without_the_leader_dots(reports, kind):
    with reports[kind].pdf() as pdf:
        pages = {page.objgen: number for number, page in enumerate(pdf.pages, start=1)}
        elements = list(_struct_elements(pdf))
        section_pages = [str(pages[e.Pg.objgen]) for e in elements if e.S == "/H2"]
        read_as = [str(e.ActualText) for e in elements if "/ActualText" in e]
    assert read_as == section_pages


def test_the_board_summarys_cover_names_the_meeting_and_its_audience(reports):
    text = _texts_by_mcid(reports["board_summary"].data)
    cover = " ".join(value for (page, _mcid), value in sorted(text.items(), key=str) if page == 0)
    assert "Board meeting of 12 January 2027" in cover
    assert "Prepared for the Board of Trustees" in cover


def test_the_board_summary_opens_on_its_executive_summary_on_one_page(reports):
    with reports["board_summary"].pdf() as pdf:
        pages = {page.objgen: number for number, page in enumerate(pdf.pages)}
        elements = list(_struct_elements(pdf))
        titles = [pages[e.Pg.objgen] for e in elements if e.S == "/H1"]
        sections = [pages[e.Pg.objgen] for e in elements if e.S == "/H2"]
    # The cover's title on the first page, the executive summary on the next and the contents
    # on the page after it.
    assert titles == [0, 2]
    assert sections[0] == 1
