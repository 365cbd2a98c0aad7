import hashlib
import io
import re
from pathlib import Path

from playwright.sync_api import expect
from pypdf import PdfReader

from reports.models import Report
from tests.e2e.conftest import assert_accessible, sign_in


def test_cabinet_watches_a_board_summary_render_and_the_board_downloads_it(open_page, demo, worker):
    worker.start()
    page = open_page()
    sign_in(page, "cabinet@demo.test")
    page.goto("/d/demo/reports/")
    page.evaluate("window.__noReload = true")
    page.get_by_label("Board meeting date (board summary)").fill("2027-01-12")
    page.get_by_label("Decisions the board is asked to take (board summary)").fill(
        "Adopt the revised attendance goal"
    )
    page.get_by_role("button", name="Request report").click()
    row = page.locator("table.reports tbody tr").first
    expect(row).to_contain_text(re.compile("Queued|Rendering|Ready"))
    page.evaluate("window.__noReload = true")
    expect(row.get_by_role("link", name=re.compile("Download PDF"))).to_be_visible(timeout=60_000)
    assert page.evaluate("window.__noReload") is True
    assert_accessible(page, "reports-cabinet")

    report = Report.objects.get()
    board = open_page("tablet-portrait")
    sign_in(board, "board@demo.test")
    board.goto("/d/demo/reports/")
    assert_accessible(board, "reports-board")
    with board.expect_download() as download:
        board.get_by_role("link", name=re.compile("Download PDF")).first.click()
    data = Path(download.value.path()).read_bytes()
    assert data.startswith(b"%PDF")
    assert hashlib.sha256(data).hexdigest() == report.sha256
    assert download.value.suggested_filename.startswith("demo-board-summary-")
    # The cover names the meeting; the page after it tells the year's story.
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages[:2]]
    assert "Board meeting of 12 January 2027" in pages[0]
    assert "Executive summary" in pages[1]
    assert "goals behind" in pages[1] or "goal behind" in pages[1] or "goals on track" in pages[1]
    assert "Adopt the revised attendance goal" in pages[1]
