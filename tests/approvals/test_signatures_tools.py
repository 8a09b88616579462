"""Signatures made by the tools officials sign with, on the document the application renders for signing.

The fixtures in tests/fixtures/signatures were made by scripts/signing/make_signed_fixtures.py with pyHanko,
iText 5, PDFBox 2, endesive and poppler's pdfsig (RSA and ECDSA keys, an intermediate CA, SHA-512, a
visible signature, a signature timestamp, B-LT and B-LTA), under a test PKI whose root is root.pem. Each
one is accepted for the right signer and refused for another person and when one byte is changed.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest

from approvals import signatures as sig
from tests.support import pdfsig
from workflow.models import SignerMatch

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "signatures"
MANIFEST = json.loads((FIXTURES / "manifest.json").read_text())
ROOT_PEM = (FIXTURES / "root.pem").read_text()
SATTA = sig.ExpectedSigner(first_name="Sabrina", last_name="Satta", fiscal_code="STTSBR70A41D150X")
PLACCHI = sig.ExpectedSigner(first_name="Massimo", last_name="Placchi", fiscal_code="PLCMSM60A01D150Y")
# what is refused, and why: endesive 3.0.1 writes a cross-reference stream that no reader can read (qpdf
# and pdfsig fail on it too); pdfsig on a document whose /AcroForm is inside the catalog loses the field
REFUSED = {
    "endesive-rsa.pdf": sig.NOT_A_PDF,
    "endesive-ecdsa.pdf": sig.NOT_A_PDF,
    "endesive-ca-intermedia.pdf": sig.NOT_A_PDF,
    "endesive-sha-512.pdf": sig.NOT_A_PDF,
    "poppler-rsa-acroform-diretto.pdf": sig.POPPLER_FIELD_LOST,
}
ACCEPTED = [item for item in MANIFEST if item["file"] not in REFUSED]
TIMESTAMPED = {"marca temporale", "B-LT", "B-LTA"}


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def verify(item: dict, *, upload: bytes | None = None, expected=SATTA, match=SignerMatch.FISCAL_CODE):
    return sig.verify_upload(
        upload=fixture(item["file"]) if upload is None else upload,
        current=fixture(item["document"]),
        trust_roots_pem=ROOT_PEM,
        expected=expected,
        match=match,
    )


def refusal(item: dict, **kwargs) -> str:
    with pytest.raises(sig.SignatureRefused) as error:
        verify(item, **kwargs)
    return error.value.message


def ids(items):
    return [item["file"].removesuffix(".pdf") for item in items]


def test_the_manifest_covers_every_tool_and_variant():
    tools = {item["tool"] for item in MANIFEST}
    assert tools == {"pyHanko", "iText 5", "PDFBox 2", "endesive", "poppler pdfsig"}
    assert {item["variant"] for item in MANIFEST} >= {
        "RSA", "ECDSA", "CA intermedia", "SHA-512", "firma visibile", "marca temporale", "B-LT", "B-LTA",
    }
    assert all((FIXTURES / item["file"]).exists() for item in MANIFEST)


@pytest.mark.parametrize("item", ACCEPTED, ids=ids(ACCEPTED))
def test_each_tool_and_variant_is_accepted_for_the_right_signer(item):
    result = verify(item)
    assert result.fiscal_code == SATTA.fiscal_code
    assert "SATTA SABRINA" in result.subject
    issuer = "CA intermedia di prova" if item["variant"] == "CA intermedia" else "CA radice di prova"
    assert issuer in result.issuer
    assert (result.timestamp is not None) == (item["variant"] in TIMESTAMPED)
    assert verify(item, expected=SATTA, match=SignerMatch.NAME).fiscal_code == SATTA.fiscal_code


@pytest.mark.parametrize("item", ACCEPTED, ids=ids(ACCEPTED))
def test_each_is_refused_for_another_person(item):
    assert refusal(item, expected=PLACCHI) == sig.WRONG_SIGNER.format(
        holder="SATTA SABRINA, codice fiscale STTSBR70A41D150X", expected=PLACCHI.label
    )


def producer_digit(data: bytes) -> int:
    """A digit of the document's own /Producer (the pages are in compressed object streams)."""
    return re.compile(rb"/Producer \(WeasyPrint (\d)").search(data).start(1)


def flipped(data: bytes, at: int) -> bytes:
    return data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1 :]


@pytest.mark.parametrize("item", ACCEPTED, ids=ids(ACCEPTED))
def test_each_is_refused_when_one_byte_of_the_document_changes(item):
    """A digit of the signed document's information, inside what every signature covers."""
    data = fixture(item["file"])
    message = refusal(item, upload=flipped(data, producer_digit(data)))
    assert message in (sig.TAMPERED, sig.EC_LABEL_DEFECT.format(digest="SHA-256"))


@pytest.mark.parametrize("item", ACCEPTED, ids=ids(ACCEPTED))
def test_each_is_refused_when_one_byte_the_signer_added_changes(item):
    """A byte of the signer's own update (its signature dictionary's /M or /Reason), still signed."""
    data = fixture(item["file"])
    current = len(fixture(item["document"]))
    found = re.compile(rb"/(M|Reason|Location|Name)\s*\(([^)]{3,})\)").search(data, current)
    if found is None:  # the date in a signature field's appearance, or any digit of the update
        found = re.compile(rb"\d{5}").search(data, current)
    assert found is not None
    message = refusal(item, upload=flipped(data, found.end() - 2))
    assert message in (
        sig.TAMPERED, sig.NOT_A_PDF, sig.CONTENT_CHANGED, sig.MODIFIED_AFTER_SIGNING,
        sig.EC_LABEL_DEFECT.format(digest="SHA-256"),
    )


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_what_cannot_be_read_is_refused_with_its_reason(name):
    item = next(item for item in MANIFEST if item["file"] == name)
    assert refusal(item) == REFUSED[name]


def test_a_poppler_signature_on_a_new_document_keeps_its_field():
    """The same tool, the same key: on the document with an indirect /AcroForm it is read and accepted."""
    direct = next(i for i in MANIFEST if i["file"] == "poppler-rsa-acroform-diretto.pdf")
    new = next(i for i in MANIFEST if i["file"] == "poppler-rsa.pdf")
    assert refusal(direct) == sig.POPPLER_FIELD_LOST
    assert verify(new).fiscal_code == SATTA.fiscal_code


def test_the_itext_ecdsa_label_is_read_as_ecdsa_only_when_it_verifies():
    item = next(i for i in MANIFEST if i["file"] == "itext-ecdsa.pdf")
    data = fixture(item["file"])
    from pyhanko.pdf_utils.reader import PdfFileReader

    signer_info = PdfFileReader(io.BytesIO(data), strict=False).embedded_signatures[0].signer_info
    assert signer_info["signature_algorithm"]["algorithm"].dotted == sig.EC_PUBLIC_KEY  # iText's label
    assert verify(item).fiscal_code == SATTA.fiscal_code
    contents = re.compile(rb"/Contents\s*<([0-9A-Fa-f]+)>").search(data, len(fixture(item["document"])))
    # the last bytes of the DER signature value (the ECDSA s integer) before the zero padding
    hex_value = contents.group(1).rstrip(b"0")
    at = contents.start(1) + len(hex_value) - 4
    broken = data[:at] + (b"0" if data[at:at + 1] != b"0" else b"1") + data[at + 1 :]
    assert refusal(item, upload=broken) == sig.EC_LABEL_DEFECT.format(digest="SHA-256")


def test_validation_data_after_the_signature_is_accepted_but_a_content_change_is_not():
    from tests import pki

    item = next(i for i in MANIFEST if i["variant"] == "B-LT")
    changed = pki.append_page_change(fixture(item["file"]))
    assert refusal(item, upload=changed) == sig.MODIFIED_AFTER_SIGNING


def test_a_freed_object_the_signed_document_had_is_refused():
    class Xrefs:
        total_revisions = 3

        def explicit_refs_in_revision(self, rev):
            from pyhanko.pdf_utils.generic import Reference

            return {Reference(n, 0) for n in ((1, 2, 3), (4,), (9,))[rev]}

        def refs_freed_in_revision(self, rev):
            from pyhanko.pdf_utils.generic import Reference

            return {Reference(self.freed, 1)} if rev == 2 else set()

    reader = type("Reader", (), {"xrefs": Xrefs()})()
    reader.xrefs.freed = 12  # never in the document: iText's own cross-reference stream
    assert sig._frees_only_new(reader, 2)
    reader.xrefs.freed = 3  # an object of the signed document
    assert not sig._frees_only_new(reader, 2)


# -- an independent check: poppler's pdfsig --------------------------------------------------------


@pytest.fixture(scope="module")
def nssdir(tmp_path_factory):
    return pdfsig.nss_database(tmp_path_factory.mktemp("nss"), ROOT_PEM)


@pytest.mark.parametrize("item", ACCEPTED, ids=ids(ACCEPTED))
def test_pdfsig_agrees_that_each_accepted_file_is_valid_and_trusted(item, nssdir):
    report = pdfsig.report(FIXTURES / item["file"], nssdir)
    verdicts = pdfsig.verdicts(report)
    # pdfsig 22.12 does not check a document timestamp (its type "unknown"): it says it did not
    unchecked = report.count("Signature Type: unknown")
    assert verdicts.count("Signature is Valid.") == len(verdicts) - unchecked >= 1, report
    assert verdicts.count("Signature has not yet been verified.") == unchecked, report
    assert "Certificate Validation: Certificate is Trusted." in report, report


def test_pdfsig_sees_the_broken_byte_too(nssdir, tmp_path):
    item = next(i for i in MANIFEST if i["file"] == "pyhanko-rsa.pdf")
    data = fixture(item["file"])
    broken = tmp_path / "alterato.pdf"
    broken.write_bytes(flipped(data, producer_digit(data)))
    verdicts = pdfsig.verdicts(pdfsig.report(broken, nssdir))
    assert verdicts and "Signature is Valid." not in verdicts, verdicts
