"""What WeasyPrint may load while it renders a report: the app's static files and inline images,
never a local file or the network, whatever markup reaches a report."""

import http.server
import io
import threading

import pytest
from PIL import Image
from pypdf import PdfReader
from weasyprint.urls import URLFetchingError

from reports.rendering import StaticOnlyFetcher, html_to_pdf


def png():
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def server():
    """A web server on this machine that counts what it is asked for."""
    asked = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            asked.append(self.path)
            body = png()
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}", asked
    httpd.shutdown()
    httpd.server_close()


def document(body, head=""):
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>T</title>{head}
<style>@font-face {{ font-family: "Inter"; src: url("fonts/Inter-Regular.woff2"); }}
body {{ font-family: "Inter"; }}</style></head><body><p>Report</p>{body}</body></html>"""


def images_in(reader):
    return [image for page in reader.pages for image in page.images]


def attached_files(reader):
    annotations = [a.get_object() for page in reader.pages for a in page.get("/Annots") or []]
    return [*reader.attachments, *(a["/FS"] for a in annotations if "/FS" in a)]


def test_a_report_fetches_neither_the_network_nor_local_files(server, tmp_path):
    address, asked = server
    local = tmp_path / "local.png"
    local.write_bytes(png())
    pdf, _ = html_to_pdf(
        document(
            f'<img src="{address}/tracker.png" alt="remote">'
            f'<img src="{local.as_uri()}" alt="local">'
            '<img src="file:///etc/passwd" alt="passwd">'
            '<a rel="attachment" href="file:///etc/passwd">passwd</a>'
            f'<link rel="stylesheet" href="{address}/style.css">',
            head='<link rel="attachment" href="file:///etc/hostname">',
        )
    )
    reader = PdfReader(io.BytesIO(pdf))
    assert asked == []
    assert images_in(reader) == []
    assert attached_files(reader) == []


def test_a_report_still_loads_the_app_fonts_and_inline_images():
    inline = "data:image/png;base64," + __import__("base64").b64encode(png()).decode()
    pdf, _ = html_to_pdf(document(f'<img src="{inline}" alt="chart">'))
    reader = PdfReader(io.BytesIO(pdf))
    assert len(images_in(reader)) == 1
    fonts = {
        str(font.get_object()["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"].get("/Font", {}).values()
    }
    assert fonts
    assert all("Inter" in name for name in fonts)


@pytest.mark.parametrize(
    "url",
    [
        "https://static.invalid/%2e%2e/reports/rendering.py",
        "https://static.invalid/..%2f..%2fetc/passwd",
        "https://static.invalid//etc/passwd",
        "https://static.invalid.example.com/fonts/Inter-Regular.woff2",
    ],
)
def test_static_addresses_cannot_climb_out_of_the_static_files(url):
    with pytest.raises(URLFetchingError):
        StaticOnlyFetcher().fetch(url)
