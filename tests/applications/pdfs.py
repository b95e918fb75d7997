"""Small PDFs built byte by byte for the upload tests."""


def pdf_bytes(
    *extra_objects: bytes,
    catalog_extra: bytes = b"",
    version: bytes = b"1.7",
    contents: bytes | None = None,
) -> bytes:
    """A small PDF with a correct cross-reference table; `extra_objects` become objects 4, 5…,
    after the page's content stream (object 4) when `contents` is given.

    Plain Python, no Django: the load test's locustfile builds its attachments with it too."""
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>"
    stream: list[bytes] = []
    if contents is not None:
        page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>"
        stream = [b"<< /Length %d >>\nstream\n%s\nendstream" % (len(contents), contents)]
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R " + catalog_extra + b">>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        page,
        *stream,
        *extra_objects,
    ]
    out = bytearray(b"%PDF-" + version + b"\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref_at = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref_at,
    )
    return bytes(out)
