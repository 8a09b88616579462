"""Every uploaded file is checked before it is accepted (approvals.uploads): a PDF must parse and carry no
JavaScript, launch action or embedded file, nor expand beyond the limit; a receipt's image must decode.
Each refusal is shown next to its field and saves nothing. Downloads name their file safely."""

from __future__ import annotations

import html
import re
import tracemalloc
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from approvals import uploads
from approvals.models import AdoptionAct, Meeting, StoredFile, Transmission
from approvals.selectors.consultation import current_information
from approvals.views import consultation as consultation_views
from flows import forms
from flows.services import consultation as consultation_services
from tests.support import act, fresh, image_bytes, small_pdf, snapshot, walk_to
from workflow.models import State

pytestmark = pytest.mark.django_db

MIB = 1024 * 1024


# -- the files, written by hand so each one shows what it carries ----------------------------------------
def build_pdf(*, catalog: bytes = b"", page: bytes = b"", objects: dict[int, bytes] | None = None) -> bytes:
    """A one-page PDF with ``catalog`` and ``page`` added to those two dictionaries and ``objects``
    (numbered from 4 on) added to the file, with a correct cross-reference table."""
    body = {
        1: b"<< /Type /Catalog /Pages 2 0 R " + catalog + b" >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] " + page + b" >>",
        **(objects or {}),
    }
    out = bytearray(b"%PDF-1.7\n")
    offsets = {}
    for number in sorted(body):
        offsets[number] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body[number])
    start = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(body) + 1)
    out += b"".join(b"%010d 00000 n \n" % offsets[n] for n in range(1, len(body) + 1))
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(body) + 1, start)
    return bytes(out)


def stream(data: bytes, entries: bytes = b"") -> bytes:
    return b"<< /Length %d %s >>\nstream\n%s\nendstream" % (len(data), entries, data)


def zeros_deflated(size: int) -> bytes:
    """``size`` zero bytes, Flate-compressed a megabyte at a time (about a thousandth of the size)."""
    packer = zlib.compressobj(9)
    parts = [packer.compress(bytes(min(MIB, size - start))) for start in range(0, size, MIB)]
    return b"".join(parts) + packer.flush()


def bomb(expanded: int) -> bytes:
    content = stream(zeros_deflated(expanded), b"/Filter /FlateDecode")
    return build_pdf(page=b"/Contents 4 0 R", objects={4: content})


HTML_WITH_PDF_HEADER = (
    b"%PDF-1.7\n<!DOCTYPE html><html><body><script>fetch('/ente/impostazioni/')</script></body></html>\n"
)
JAVASCRIPT_OPEN_ACTION = build_pdf(
    catalog=b"/OpenAction 4 0 R", objects={4: b"<< /Type /Action /S /JavaScript /JS (app.alert\\(1\\)) >>"}
)
LAUNCH_ACTION = build_pdf(catalog=b"/OpenAction << /S /Launch /F (C:\\\\Windows\\\\System32\\\\cmd.exe) >>")
EMBEDDED_FILE = build_pdf(
    catalog=b"/Names << /EmbeddedFiles << /Names [(fattura.exe) 4 0 R] >> >>",
    objects={
        4: b"<< /Type /Filespec /F (fattura.exe) /EF << /F 5 0 R >> >>",
        5: stream(b"MZ eseguibile", b"/Type /EmbeddedFile"),
    },
)
BROKEN = small_pdf()[:200]  # a real PDF cut short: no cross-reference table, no trailer
FLATE_BOMB = bomb(2 * MIB)  # tested against a limit of 1 MB


def bomb_limit(settings):
    settings.PDF_MAX_EXPANDED_BYTES = MIB


def too_large_limit(settings):
    settings.UPLOAD_MAX_BYTES = len(small_pdf("grande")) - 1


# (kind, content, message, settings to apply before the upload); "too large" is each field's own message
REFUSALS = [
    ("html", HTML_WITH_PDF_HEADER, uploads.NOT_A_PDF, None),
    ("javascript", JAVASCRIPT_OPEN_ACTION, uploads.PDF_JAVASCRIPT, None),
    ("launch", LAUNCH_ACTION, uploads.PDF_LAUNCH, None),
    ("embedded", EMBEDDED_FILE, uploads.PDF_EMBEDDED_FILES, None),
    ("bomb", FLATE_BOMB, uploads.PDF_TOO_EXPANDED.format(mb=1), bomb_limit),
    ("too_large", small_pdf("grande"), None, too_large_limit),
    ("broken", BROKEN, uploads.NOT_A_PDF, None),
]
REFUSAL_IDS = [kind for kind, *_ in REFUSALS]


def field_error(response, field_id: str) -> str:
    """The text of the error list shown under the field whose input has ``field_id``."""
    page = response.content.decode()
    found = re.search(rf'<ul class="errorlist" id="{field_id}_error">(.*?)</ul>', page, re.S)
    assert found, f"no error next to {field_id}"
    return html.unescape(re.sub(r"<[^>]+>", " ", found.group(1)))


# -- the checker -------------------------------------------------------------------------------------------
def test_the_files_built_here_are_valid_pdfs_without_what_they_add():
    assert uploads.check_pdf(build_pdf()) == "application/pdf"
    assert uploads.check_pdf(build_pdf(page=b"/Contents 4 0 R", objects={4: stream(b"0 0 m 10 10 l S")})) == (
        "application/pdf"
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (build_pdf(catalog=b"/Names << /JavaScript 4 0 R >>", objects={4: b"<< /Names [] >>"}),
         uploads.PDF_JAVASCRIPT),
        (build_pdf(page=b"/AA << /O << /S /JavaScript /JS 4 0 R >> >>", objects={4: stream(b"app.alert(1)")}),
         uploads.PDF_JAVASCRIPT),
        (build_pdf(catalog=b"/OpenAction << /S /J#61vaScript /J#53 (x) >>"), uploads.PDF_JAVASCRIPT),
        (build_pdf(page=b"/Annots [4 0 R]", objects={4: b"<< /Type /Annot /Subtype /FileAttachment "
                                                         b"/Rect [0 0 10 10] /FS (a.txt) >>"}),
         uploads.PDF_EMBEDDED_FILES),
        (build_pdf(page=b"/AA << /C << /S /Launch /Win << /F (calc.exe) >> >> >>"), uploads.PDF_LAUNCH),
        (b"%PDF-1.7\n" + bytes(range(256)) * 4, uploads.NOT_A_PDF),
        (build_pdf().replace(b"/Type /Pages /Kids [3 0 R] /Count 1", b"/Type /Pages /Kids [] /Count 0 "),
         uploads.NOT_A_PDF),
    ],
    ids=["names-tree", "page-action", "escaped-names", "attachment-annotation", "launch-on-close", "binary",
         "no-page"],
)
def test_hidden_forms_of_each_refusal_are_found(content, message):
    with pytest.raises(uploads.FileRefused) as exc:
        uploads.check_pdf(content)
    assert exc.value.message == message


def test_a_200_mb_flate_bomb_is_refused_without_holding_its_content(settings):
    settings.PDF_MAX_EXPANDED_BYTES = 100 * MIB  # the default
    content = bomb(200 * MIB)
    assert len(content) < MIB
    tracemalloc.start()
    try:
        with pytest.raises(uploads.FileRefused) as exc:
            uploads.check_pdf(content)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert exc.value.message == uploads.PDF_TOO_EXPANDED.format(mb=100)
    assert peak < 16 * MIB


def test_the_limit_counts_every_stream_together(settings):
    settings.PDF_MAX_EXPANDED_BYTES = MIB
    half = stream(zeros_deflated(MIB // 2 + 1024), b"/Filter /FlateDecode")
    one = build_pdf(page=b"/Contents 4 0 R", objects={4: half})
    two = build_pdf(page=b"/Contents [4 0 R 5 0 R]", objects={4: half, 5: half})
    assert uploads.check_pdf(one) == "application/pdf"
    with pytest.raises(uploads.FileRefused) as exc:
        uploads.check_pdf(two)
    assert exc.value.message == uploads.PDF_TOO_EXPANDED.format(mb=1)


@pytest.mark.parametrize(("fmt", "content_type"), [("PNG", "image/png"), ("JPEG", "image/jpeg")])
def test_real_images_are_accepted_with_their_type(fmt, content_type):
    assert uploads.check_image(image_bytes(fmt)) == content_type


def test_images_that_do_not_decode_or_are_too_large_are_refused(monkeypatch):
    png = image_bytes("PNG")
    for content in (png[:60], image_bytes("JPEG")[:40], b"\x89PNG\r\n\x1a\n" + bytes(16), image_bytes("GIF")):
        with pytest.raises(uploads.FileRefused) as exc:
            uploads.check_image(content)
        assert exc.value.message == uploads.IMAGE_INVALID
    monkeypatch.setattr(uploads, "IMAGE_MAX_PIXELS", 1000)  # the image is 40 × 30
    with pytest.raises(uploads.FileRefused) as exc:
        uploads.check_image(png)
    assert exc.value.message == uploads.IMAGE_TOO_LARGE.format(mp=0)


# -- the adoption act (served publicly once published) ---------------------------------------------------
@pytest.fixture
def deliberating(draft, people):
    return walk_to(draft, State.DELIBERATION, people)


@pytest.mark.parametrize(("kind", "content", "message", "limits"), REFUSALS, ids=REFUSAL_IDS)
def test_a_refused_act_is_shown_next_to_its_field_and_nothing_is_saved(
    client, settings, deliberating, people, kind, content, message, limits
):
    if limits:
        limits(settings)
    client.force_login(people["segreteria"])
    before, files = snapshot(deliberating), StoredFile.objects.count()
    response = client.post(
        reverse("workflow:objective_transition", args=[deliberating.pk, "adopt"]),
        {
            "lock_version": fresh(deliberating).lock_version,
            "act_type": "decreto_presidente",
            "act_number": "7",
            "act_date": "2023-03-01",
            "act_file": SimpleUploadedFile("atto.pdf", content, content_type="application/pdf"),
        },
    )
    assert response.status_code == 400
    expected = message or forms.ACT_FILE_TOO_BIG.format(mb=0)
    assert expected in field_error(response, "id_adopt-act_file")
    assert snapshot(deliberating) == before and fresh(deliberating).state == State.DELIBERATION
    assert not AdoptionAct.objects.exists() and StoredFile.objects.count() == files


# -- the minutes of a meeting of the confronto -------------------------------------------------------------
@pytest.fixture
def confronto(draft, people):
    walk_to(draft, State.SUBMITTED, people)
    act(draft, "approve", people["segreteria"])
    information = current_information(fresh(draft))
    consultation_services.confronto_request(
        information_id=information.pk, text="Chiediamo", by=people["sindacato"]
    )
    return information


@pytest.mark.parametrize(("kind", "content", "message", "limits"), REFUSALS, ids=REFUSAL_IDS)
def test_refused_minutes_are_shown_next_to_their_field_and_nothing_is_saved(
    client, settings, confronto, people, kind, content, message, limits
):
    if limits:
        limits(settings)
    client.force_login(people["segreteria"])
    files = StoredFile.objects.count()
    response = client.post(
        reverse("approvals:record_meeting", args=[confronto.pk]),
        {
            "held_on": f"{timezone.localtime():%Y-%m-%dT%H:%M}",
            "participants": "Giulia Verdi (RSU)",
            "minutes": "Discussi gli indicatori.",
            "attachment": SimpleUploadedFile("verbale.pdf", content, content_type="application/pdf"),
        },
    )
    assert response.status_code == 400
    expected = message or consultation_views.ATTACHMENT_TOO_BIG.format(mb=0)
    assert expected in field_error(response, "id_incontro-attachment")
    assert not Meeting.objects.exists() and StoredFile.objects.count() == files


# -- the portal's receipt (a PDF or a screenshot) ----------------------------------------------------------
@pytest.fixture
def transmitting(draft, people):
    return walk_to(draft, State.TRANSMISSION, people)


def post_receipt(client, objective, upload):
    return client.post(
        reverse("workflow:objective_transition", args=[objective.pk, "transmit"]),
        {
            "lock_version": fresh(objective).lock_version,
            "receipt_reference": "DFP-2023-0042",
            "receipt_date": "2023-03-02",
            "receipt_file": upload,
        },
    )


RECEIPT_REFUSALS = REFUSALS + [
    ("broken-png", image_bytes("PNG")[:60], uploads.IMAGE_INVALID, None),
    ("png-header-on-html", b"\x89PNG\r\n\x1a\n<html><script></script></html>", uploads.IMAGE_INVALID, None),
]


@pytest.mark.parametrize(
    ("kind", "content", "message", "limits"), RECEIPT_REFUSALS, ids=[k for k, *_ in RECEIPT_REFUSALS]
)
def test_a_refused_receipt_is_shown_next_to_its_field_and_nothing_is_saved(
    client, settings, transmitting, people, kind, content, message, limits
):
    if limits:
        limits(settings)
    client.force_login(people["segreteria"])
    before, files = snapshot(transmitting), StoredFile.objects.count()
    response = post_receipt(client, transmitting, SimpleUploadedFile("ricevuta.pdf", content))
    assert response.status_code == 400
    expected = message or forms.RECEIPT_FILE_TOO_BIG.format(mb=0)
    assert expected in field_error(response, "id_transmit-receipt_file")
    assert snapshot(transmitting) == before and fresh(transmitting).state == State.TRANSMISSION
    assert not Transmission.objects.exists() and StoredFile.objects.count() == files


# -- downloads ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "disposition"),
    [
        ('ricevuta "DFP".pdf', 'attachment; filename="ricevuta \\"DFP\\".pdf"'),
        ('ricevuta "è".pdf', "attachment; filename*=utf-8''ricevuta%20%22%C3%A8%22.pdf"),
    ],
)
def test_a_name_with_quotes_is_quoted_in_the_download(client, transmitting, people, name, disposition):
    client.force_login(people["segreteria"])
    receipt = small_pdf("ricevuta")
    assert post_receipt(client, transmitting, SimpleUploadedFile(name, receipt)).status_code == 302
    transmission = Transmission.objects.get()
    assert transmission.receipt_file.name == name
    response = client.get(reverse("approvals:transmission_receipt", args=[transmission.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == disposition
    assert response["Content-Type"] == "application/pdf" and response.getvalue() == receipt


def encrypted(pdf: bytes, user_password: str) -> bytes:
    import io

    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    writer.encrypt(user_password=user_password, owner_password="proprietario", algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_an_encrypted_pdf_is_read_when_it_opens_without_a_password_and_refused_otherwise():
    assert uploads.check_pdf(encrypted(small_pdf("atto"), "")) == "application/pdf"
    with pytest.raises(uploads.FileRefused) as exc:
        uploads.check_pdf(encrypted(JAVASCRIPT_OPEN_ACTION, ""))  # opened, then inspected like any other
    assert exc.value.message == uploads.PDF_JAVASCRIPT
    with pytest.raises(uploads.FileRefused) as exc:
        uploads.check_pdf(encrypted(small_pdf("atto"), "segreta"))
    assert exc.value.message == uploads.PDF_ENCRYPTED
