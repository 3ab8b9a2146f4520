"""Print a page the way a browser's print dialog does, and read the result.

``print_pdf`` renders the current page to PDF with Chromium (print media,
the page size the stylesheet's ``@page`` asks for, A4 where it asks none)
and returns it read by pypdf. ``decode_qr_codes`` reads every QR code from
the page as printed (a screenshot in print media) with zxing-cpp."""

from pathlib import Path

from pypdf import PdfReader

MM_PER_POINT = 25.4 / 72


def print_pdf(page, path: Path) -> PdfReader:
    page.emulate_media(media="print")
    try:
        page.pdf(path=path, format="A4", prefer_css_page_size=True, print_background=True)
    finally:
        page.emulate_media(media="screen")
    return PdfReader(path)


def page_size_mm(reader: PdfReader, index: int = 0) -> tuple[int, int]:
    box = reader.pages[index].mediabox
    return round(float(box.width) * MM_PER_POINT), round(float(box.height) * MM_PER_POINT)


def pdf_text(reader: PdfReader) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in reader.pages)


def decode_qr_codes(page) -> list[str]:
    """The texts of the QR codes on the page as it prints."""
    import io

    import zxingcpp
    from PIL import Image

    page.emulate_media(media="print")
    try:
        image = Image.open(io.BytesIO(page.screenshot(full_page=True)))
    finally:
        page.emulate_media(media="screen")
    return [result.text for result in zxingcpp.read_barcodes(
        image, formats=zxingcpp.BarcodeFormat.QRCode)]


def sign_in(page, live_server, user) -> None:
    """Open a session for ``user`` in the page's browser context (the login
    form has its own tests; printing tests only need to be someone)."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value,
                               "url": live_server.url}])
