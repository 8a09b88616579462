"""Checking an uploaded PAdES signature, on bytes only: each failed check refused with its own message."""

import datetime as dt
import io
from functools import cache

import pytest

from approvals import signatures as sig
from approvals.pdf import ready_for_signatures
from tests import pki
from workflow.models import SignerMatch

SATTA = sig.ExpectedSigner(first_name="Sabrina", last_name="Satta", fiscal_code="STTSBR70A41D150X")
PLACCHI = sig.ExpectedSigner(first_name="Massimo", last_name="Placchi", fiscal_code="PLCMSM60A01D150Y")


@cache
def document() -> bytes:
    from weasyprint import HTML

    html = "<p style=\"font-family: 'DejaVu Sans'\">Obiettivo 2023_3101T – documento da firmare</p>"
    return ready_for_signatures(HTML(string=html).write_pdf())


@cache
def other_document() -> bytes:
    from weasyprint import HTML

    return ready_for_signatures(HTML(string="<p>Un altro documento</p>").write_pdf())


@pytest.fixture(scope="module")
def ca():
    return pki.authority("CA di prova dell'ente")


@pytest.fixture(scope="module")
def satta(ca):
    return ca.signer(given_name="Sabrina", surname="Satta", fiscal_code=SATTA.fiscal_code)


@pytest.fixture(scope="module")
def placchi(ca):
    return ca.signer(given_name="Massimo", surname="Placchi", fiscal_code=PLACCHI.fiscal_code)


def verify(upload, ca, *, current=None, expected=SATTA, match=SignerMatch.FISCAL_CODE, original=None):
    return sig.verify_upload(
        upload=upload,
        current=document() if current is None else current,
        original=original,
        trust_roots_pem=ca.pem,
        expected=expected,
        match=match,
    )


def refused(upload, ca, **kwargs) -> str:
    with pytest.raises(sig.SignatureRefused) as exc:
        verify(upload, ca, **kwargs)
    return exc.value.message


def test_a_valid_signature_is_accepted_with_the_certificate_details(ca, satta):
    result = verify(pki.sign(document(), satta), ca)
    assert result.fiscal_code == SATTA.fiscal_code
    assert "Sabrina Satta" in result.subject and "CA di prova" in result.issuer
    assert result.serial


def test_a_second_signer_signs_the_file_with_the_first_signature(ca, satta, placchi):
    first = pki.sign(document(), placchi)
    verify(first, ca, expected=PLACCHI)
    second = pki.sign(first, satta)
    assert verify(second, ca, current=first, original=document()).fiscal_code == SATTA.fiscal_code


def test_a_changed_byte_inside_the_signed_range_is_tampering(ca, satta):
    signed = pki.sign(document(), satta)
    # a digit in the catalog the signing tool appended: signed bytes after the original file
    i = signed.index(b"/BaseVersion /1.7", len(document())) + len(b"/BaseVersion /1.")
    tampered = signed[:i] + b"8" + signed[i + 1 :]
    assert refused(tampered, ca) == sig.TAMPERED


def test_a_changed_byte_of_the_document_itself_is_tampering(ca, satta):
    signed = pki.sign(document(), satta)
    i = signed.index(b"WeasyPrint")
    assert refused(signed[:i] + b"X" + signed[i + 1 :], ca) == sig.TAMPERED


def test_a_signature_over_another_document_is_refused(ca, satta):
    assert refused(pki.sign(other_document(), satta), ca) == sig.OTHER_DOCUMENT


def test_a_signature_over_an_older_version_of_the_file_says_to_download_again(ca, satta, placchi):
    first = pki.sign(document(), placchi)
    late = pki.sign(document(), satta)  # signed before the other signature was accepted
    assert refused(late, ca, current=first, original=document()) == sig.STALE_DOCUMENT


def test_an_untrusted_certificate_is_refused(ca):
    rogue = pki.authority("CA sconosciuta").signer(
        given_name="Sabrina", surname="Satta", fiscal_code=SATTA.fiscal_code
    )
    assert refused(pki.sign(document(), rogue), ca) == sig.UNTRUSTED


def test_a_certificate_without_non_repudiation_is_not_trusted(ca):
    weak = ca.signer(
        given_name="Sabrina", surname="Satta", fiscal_code=SATTA.fiscal_code, non_repudiation=False
    )
    assert refused(pki.sign(document(), weak), ca) == sig.UNTRUSTED


def test_the_wrong_signer_is_refused_naming_both(ca, placchi):
    message = refused(pki.sign(document(), placchi), ca)
    assert message == sig.WRONG_SIGNER.format(
        holder="Massimo Placchi, codice fiscale PLCMSM60A01D150Y", expected=SATTA.label
    )


def test_name_match_ignores_case_accents_and_order(ca):
    signer = ca.signer(given_name="SABRINA", surname="SÀTTA", cn="SÀTTA SABRINA")
    signed = pki.sign(document(), signer)
    assert verify(signed, ca, match=SignerMatch.NAME).fiscal_code == ""
    assert refused(signed, ca, match=SignerMatch.NAME, expected=PLACCHI).startswith(
        "La firma è di SÀTTA SABRINA"
    )
    # matching by fiscal code, a certificate without one is refused
    assert refused(signed, ca).startswith("La firma è di")


def test_a_change_appended_after_signing_is_refused(ca, satta):
    assert refused(pki.append_page_change(pki.sign(document(), satta)), ca) == sig.MODIFIED_AFTER_SIGNING


def test_a_content_change_signed_together_with_the_signature_is_refused(ca, satta):
    assert refused(pki.sign(pki.append_page_change(document()), satta), ca) == sig.CONTENT_CHANGED


def test_not_a_pdf_no_signature_two_signatures(ca, satta, placchi):
    assert refused(b"GIF89a...", ca) == sig.NOT_A_PDF
    assert refused(b"%PDF-1.7 rotto", ca) == sig.NOT_A_PDF
    assert refused(document(), ca) == sig.NO_NEW_SIGNATURE
    twice = pki.sign(pki.sign(document(), satta), placchi)
    assert refused(twice, ca) == sig.TOO_MANY_SIGNATURES


def test_a_body_without_trust_roots_cannot_verify(satta):
    with pytest.raises(sig.SignatureRefused) as exc:
        sig.verify_upload(
            upload=pki.sign(document(), satta),
            current=document(),
            trust_roots_pem="",
            expected=SATTA,
            match=SignerMatch.FISCAL_CODE,
        )
    assert exc.value.message == sig.NO_TRUST_ROOTS


def test_trust_roots_are_parsed_and_bad_pem_named(ca):
    other = pki.authority("Seconda CA")
    assert len(sig.parse_trust_roots(ca.pem + "\n" + other.pem)) == 2
    with pytest.raises(ValueError, match="Incolla almeno un certificato"):
        sig.parse_trust_roots("non è un certificato")
    broken = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"
    with pytest.raises(ValueError) as exc:
        sig.parse_trust_roots(ca.pem + broken)
    assert str(exc.value) == sig.TRUST_ROOTS_INVALID.format(n=2)


@pytest.mark.parametrize("byte_range", [b"/ByteRange 5", b"/ByteRange []", b"/ByteRange [/A /B]"])
def test_a_malformed_byte_range_is_a_damaged_signature(ca, satta, byte_range):
    import re

    signed = pki.sign(document(), satta)
    found = re.search(rb"/ByteRange\s*\[[^\]]*\]", signed)
    padded = byte_range.ljust(len(found.group(0)))
    assert refused(signed[: found.start()] + padded + signed[found.end() :], ca) == sig.TAMPERED


def test_a_signature_timestamp_is_verified_and_its_time_returned(ca, satta):
    result = verify(pki.sign(document(), satta, timestamper=ca.timestamper()), ca)
    assert result.timestamp is not None
    assert abs((result.timestamp - dt.datetime.now(dt.UTC)).total_seconds()) < 120
    assert verify(pki.sign(document(), satta), ca).timestamp is None


def test_a_signature_timestamp_of_an_authority_the_body_does_not_trust_is_refused(ca, satta):
    stranger = pki.authority("Marche temporali non accettate")
    signed = pki.sign(document(), satta, timestamper=stranger.timestamper())
    assert refused(signed, ca) == sig.TIMESTAMP_INVALID


def document_timestamped(pdf: bytes, timestamper) -> bytes:
    """A document timestamp (PAdES B-LTA) added after the signatures, as its own revision."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers

    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    return signers.PdfTimeStamper(timestamper).timestamp_pdf(writer, "sha256").getvalue()


def test_a_document_timestamp_after_the_signature_is_accepted_when_its_authority_is_trusted(ca, satta):
    signed = pki.sign(document(), satta)
    assert verify(document_timestamped(signed, ca.timestamper()), ca).fiscal_code == SATTA.fiscal_code
    stranger = pki.authority("Marche temporali non accettate")
    assert refused(document_timestamped(signed, stranger.timestamper()), ca) == sig.DOC_TIMESTAMP_INVALID
