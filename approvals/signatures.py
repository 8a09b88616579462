"""Checking an uploaded PAdES signature (plain bytes in, a result or a refusal out; no database).

What an upload must be (DESIGN.md, "Signatures"): the document's current file, byte for byte, followed
by one incremental update that adds exactly one signature and changes nothing else; the signature intact
and covering the whole file; the signer's certificate chaining to one of the body's trust roots (offline:
nothing is fetched); the certificate naming the expected person, by fiscal code (subject serialNumber,
``TINIT-<CF>``) or by name, as the body chose. Each failed check has its own message.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import datetime as dt
import io
import logging
import re
from dataclasses import dataclass
from functools import cache

from asn1crypto import pem
from asn1crypto import x509 as a_x509

from workflow.interchange import name_key
from workflow.models import SignerMatch

from . import uploads

NOT_A_PDF = uploads.NOT_A_PDF  # the same words as the check every uploaded PDF passes first
NO_TRUST_ROOTS = (
    "L'ente non ha configurato i certificati radice delle autorità di certificazione accettate: "
    "la firma non può essere verificata. Avvisa la Segreteria o l'amministratore."
)
NO_NEW_SIGNATURE = (
    "Il file non contiene una nuova firma digitale: firma il documento scaricato e carica il file firmato."
)
TOO_MANY_SIGNATURES = "Il file aggiunge più di una firma: ogni caricamento deve aggiungerne una sola, la tua."
OTHER_DOCUMENT = (
    "Il file non è il documento da firmare: la firma è stata apposta su un altro documento. "
    "Scarica il documento da firmare da questa pagina e firma quello, senza modificarlo."
)
STALE_DOCUMENT = (
    "Nel frattempo il documento ha ricevuto un'altra firma: scarica di nuovo il documento da firmare "
    "(con le firme già apposte) e firma quello."
)
TAMPERED = "La firma non è integra: il file è stato alterato dopo la firma o la firma è danneggiata."
MODIFIED_AFTER_SIGNING = (
    "Il file è stato modificato dopo la firma: la firma non copre l'intero documento caricato."
)
CONTENT_CHANGED = (
    "Insieme alla firma il file modifica il contenuto del documento: è ammessa solo l'aggiunta della firma."
)
POPPLER_FIELD_LOST = (
    "Il file contiene una firma, ma il programma di firma (pdfsig di poppler, usato anche da Okular) l'ha "
    "aggiunta senza registrarla nel modulo di firma di questo documento, che è stato preparato prima che "
    "l'applicazione lo scrivesse in modo compatibile con quel programma: la firma non è leggibile. Per "
    "questo documento firma con un altro programma (per esempio Adobe Acrobat Reader, Dike o ArubaSign)."
)
EC_LABEL_DEFECT = (
    "La firma dichiara come algoritmo la sola chiave EC invece di «ECDSA con {digest}» (un difetto noto di "
    "iText 5) e non si verifica nemmeno con l'algoritmo corretto: la firma non è integra."
)
TIMESTAMP_INVALID = (
    "La marca temporale della firma non è integra o non è rilasciata da un'autorità accettata dall'ente."
)
DOC_TIMESTAMP_INVALID = (
    "Il file aggiunge dopo la firma una marca temporale del documento che non è integra o non è rilasciata "
    "da un'autorità accettata dall'ente."
)
UNTRUSTED = (
    "Il certificato di firma non è valido o non è rilasciato da un'autorità di certificazione "
    "accettata dall'ente."
)
WRONG_SIGNER = "La firma è di {holder}: non corrisponde a chi deve firmare ({expected})."

TRUST_ROOTS_EMPTY = "Incolla almeno un certificato in formato PEM (-----BEGIN CERTIFICATE-----)."
TRUST_ROOTS_INVALID = "Il certificato n. {n} non è un certificato X.509 valido in formato PEM."

logging.getLogger("pyhanko").setLevel(logging.CRITICAL)  # it logs tracebacks for expected failures


class SignatureRefused(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class ExpectedSigner:
    first_name: str
    last_name: str
    fiscal_code: str = ""

    @property
    def label(self) -> str:
        name = f"{self.first_name} {self.last_name}".strip()
        return f"{name}, codice fiscale {self.fiscal_code}" if self.fiscal_code else name


@dataclass(frozen=True)
class VerifiedSignature:
    subject: str
    issuer: str
    serial: str
    fiscal_code: str
    field_name: str
    timestamp: dt.datetime | None = None  # the signature timestamp's time, when the signature has one


def parse_trust_roots(text: str) -> list[a_x509.Certificate]:
    """The certificates in PEM ``text``. Raises ValueError with an Italian message."""
    data = (text or "").encode("ascii", "ignore")
    if not pem.detect(data):
        raise ValueError(TRUST_ROOTS_EMPTY)
    roots = []
    for n, (kind, _headers, der) in enumerate(pem.unarmor(data, multiple=True), start=1):
        if kind != "CERTIFICATE":
            raise ValueError(TRUST_ROOTS_INVALID.format(n=n))
        try:
            cert = a_x509.Certificate.load(der)
            cert.native  # noqa: B018 - parses every field now, not later in the validation
        except Exception as exc:  # asn1crypto raises many kinds
            raise ValueError(TRUST_ROOTS_INVALID.format(n=n)) from exc
        roots.append(cert)
    if not roots:
        raise ValueError(TRUST_ROOTS_EMPTY)
    return roots


def certificate_fiscal_code(subject: dict) -> str:
    """The fiscal code in a qualified certificate's serialNumber: ``TINIT-<CF>`` (or ``IT:<CF>``)."""
    value = str(subject.get("serial_number") or "").strip().upper()
    for prefix in ("TINIT-", "IT:", "IT-"):
        if value.startswith(prefix):
            return value[len(prefix) :]
    return value


def holder_label(subject: dict) -> str:
    name = subject.get("common_name") or " ".join(
        x for x in (subject.get("given_name"), subject.get("surname")) if x
    )
    cf = certificate_fiscal_code(subject)
    return f"{name}, codice fiscale {cf}" if cf else str(name or "titolare sconosciuto")


def signer_matches(subject: dict, expected: ExpectedSigner, match: str) -> bool:
    if match == SignerMatch.FISCAL_CODE:
        wanted = (expected.fiscal_code or "").strip().upper()
        return bool(wanted) and certificate_fiscal_code(subject) == wanted
    wanted_name = name_key(f"{expected.first_name} {expected.last_name}")
    if not wanted_name:
        return False
    given = " ".join(x for x in (subject.get("given_name"), subject.get("surname")) if x)
    return wanted_name in {name_key(given), name_key(str(subject.get("common_name") or ""))}


def run_coroutine(coro_factory):
    """Run a pyHanko coroutine: here when no event loop runs, else in a thread of its own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro_factory())
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(lambda: asyncio.run(coro_factory())).result()


def _end(sig) -> int:
    """Where the bytes a signature covers end; a /ByteRange that is not numbers is a damaged signature."""
    try:
        start, length = sig.byte_range[-2], sig.byte_range[-1]
        return int(start) + int(length)
    except (TypeError, IndexError, KeyError, ValueError) as exc:
        raise SignatureRefused(TAMPERED) from exc


def _context(roots):
    from pyhanko_certvalidator import ValidationContext

    return ValidationContext(trust_roots=roots, allow_fetching=False)


EC_PUBLIC_KEY = "1.2.840.10045.2.1"  # id-ecPublicKey: a key's algorithm, not a signature's


def _relabelled(sig) -> str:
    """iText 5 labels an ECDSA signature with its key's algorithm (id-ecPublicKey). When the signer's
    key is an EC key, the label is read as ECDSA with the signature's own digest (its bytes are not
    touched: the label is outside what the signature covers); returns that digest ('' when nothing was
    relabelled)."""
    from asn1crypto import algos

    signer_info = sig.signer_info
    if signer_info["signature_algorithm"]["algorithm"].dotted != EC_PUBLIC_KEY:
        return ""
    cert = sig.signer_cert
    if cert is None or cert.public_key.algorithm != "ec":
        return ""
    digest = signer_info["digest_algorithm"]["algorithm"].native
    signer_info["signature_algorithm"] = algos.SignedDigestAlgorithm({"algorithm": f"{digest}_ecdsa"})
    return digest


def _validate(sig, roots):
    from pyhanko.sign.validation import async_validate_pdf_signature

    try:
        relabelled = _relabelled(sig)
    except Exception as exc:  # a signer info that does not parse is a damaged signature
        raise SignatureRefused(TAMPERED) from exc
    try:
        # the difference analysis is ours (_changes_after): pyHanko's own would refuse iText's freed
        # cross-reference stream before this module could judge it
        status = run_coroutine(lambda: async_validate_pdf_signature(sig, _context(roots), skip_diff=True))
    except Exception as exc:  # a damaged signature makes pyHanko raise rather than report
        raise SignatureRefused(TAMPERED) from exc
    if relabelled and not (status.intact and status.valid):
        raise SignatureRefused(EC_LABEL_DEFECT.format(digest=relabelled.upper().replace("SHA", "SHA-")))
    return status


def _validate_timestamp(stamp, roots) -> bool:
    from pyhanko.sign.validation import async_validate_pdf_timestamp

    try:
        status = run_coroutine(lambda: async_validate_pdf_timestamp(stamp, _context(roots), skip_diff=True))
    except Exception:
        return False
    return bool(status.intact and status.valid and status.trusted)


@cache
def _policy():
    """pyHanko's default difference policy, but for freed objects (judged by `_frees_only_new`)."""
    from pyhanko.sign.diff_analysis.policies import DEFAULT_DIFF_POLICY, StandardDiffPolicy

    return StandardDiffPolicy(
        DEFAULT_DIFF_POLICY.global_rules, DEFAULT_DIFF_POLICY.form_rule, reject_object_freeing=False
    )


def _frees_only_new(reader, from_revision: int) -> bool:
    """Whether the revisions from ``from_revision`` on free only objects the revisions before never had
    (iText lists its own new cross-reference stream as a free entry)."""
    xrefs = reader.xrefs
    had = {ref.idnum for rev in range(from_revision) for ref in xrefs.explicit_refs_in_revision(rev)}
    return all(
        ref.idnum not in had
        for rev in range(from_revision, xrefs.total_revisions)
        for ref in xrefs.refs_freed_in_revision(rev)
    )


def _changes_after(upload: bytes, revision: int):
    """The highest modification level of the revisions after ``revision`` (0-based), or None when they
    cannot be read or free an object the document had."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.diff_analysis import DiffResult

    try:
        reader = PdfFileReader(io.BytesIO(upload), strict=False)
        if not _frees_only_new(reader, revision + 1):
            return None
        result = _policy().review_file(reader, revision)
    except Exception:
        return None
    return result.modification_level if isinstance(result, DiffResult) else None


def _only_a_signature_added(upload: bytes, base_revisions: int) -> bool:
    """Whether the revisions after the first ``base_revisions`` only fill in signature fields (and add
    validation data or document timestamps)."""
    from pyhanko.sign.diff_analysis import ModificationLevel

    level = _changes_after(upload, base_revisions - 1)
    return level is not None and level <= ModificationLevel.FORM_FILLING


def _only_validation_data_after(upload: bytes, signature) -> bool:
    """Whether what follows the signature's revision only adds validation data or document timestamps
    (PAdES B-LT and B-LTA)."""
    from pyhanko.sign.diff_analysis import ModificationLevel

    level = _changes_after(upload, signature.signed_revision)
    return level is not None and level <= ModificationLevel.LTA_UPDATES


_SIGNATURE_FIELD = re.compile(rb"/FT\s*/Sig\b")


def _signature_outside_the_form(upload: bytes, current: bytes) -> bool:
    """Whether the bytes appended to the document hold a signature field that the form does not list
    (poppler rewrites a catalog whose /AcroForm is a direct dictionary with its old empty /Fields)."""
    return upload.startswith(current) and bool(_SIGNATURE_FIELD.search(upload, len(current)))


def verify_upload(
    *,
    upload: bytes,
    current: bytes,
    trust_roots_pem: str,
    expected: ExpectedSigner,
    match: str,
    original: bytes | None = None,
) -> VerifiedSignature:
    """Check ``upload`` against the document's ``current`` file. Raises SignatureRefused."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    if not upload.startswith(b"%PDF-"):
        raise SignatureRefused(NOT_A_PDF)
    try:
        roots = parse_trust_roots(trust_roots_pem)
    except ValueError as exc:
        raise SignatureRefused(NO_TRUST_ROOTS) from exc
    try:
        reader = PdfFileReader(io.BytesIO(upload), strict=False)
        signatures = list(reader.embedded_signatures)
        base = PdfFileReader(io.BytesIO(current), strict=False)
        base_revisions = base.xrefs.total_revisions
    except Exception as exc:
        raise SignatureRefused(NOT_A_PDF) from exc
    if not signatures:
        if _signature_outside_the_form(upload, current):
            raise SignatureRefused(POPPLER_FIELD_LOST)
        raise SignatureRefused(NO_NEW_SIGNATURE)

    if not (upload.startswith(current) and len(upload) > len(current)):
        # Say which: a signature that is not intact, a document that received another signature
        # meanwhile, or a signature over another document.
        last = max(signatures, key=_end)
        status = _validate(last, roots)
        if not (status.intact and status.valid):
            raise SignatureRefused(TAMPERED)
        if original is not None and upload.startswith(original) and len(current) > len(original):
            raise SignatureRefused(STALE_DOCUMENT)
        raise SignatureRefused(OTHER_DOCUMENT)

    added = [s for s in signatures if _end(s) > len(current)]
    new = [s for s in added if s.sig_object_type != "/DocTimeStamp"]
    stamps = [s for s in added if s.sig_object_type == "/DocTimeStamp"]
    if not new:
        if _signature_outside_the_form(upload, current):
            raise SignatureRefused(POPPLER_FIELD_LOST)
        raise SignatureRefused(NO_NEW_SIGNATURE)
    if len(new) > 1:
        raise SignatureRefused(TOO_MANY_SIGNATURES)
    signature = new[0]
    status = _validate(signature, roots)
    if not (status.intact and status.valid):
        raise SignatureRefused(TAMPERED)
    if status.docmdp_ok is False or (
        status.coverage != SignatureCoverageLevel.ENTIRE_FILE
        and not _only_validation_data_after(upload, signature)
    ):
        raise SignatureRefused(MODIFIED_AFTER_SIGNING)
    if not _only_a_signature_added(upload, base_revisions):
        raise SignatureRefused(CONTENT_CHANGED)
    if not status.trusted:
        raise SignatureRefused(UNTRUSTED)
    stamp_status = status.timestamp_validity
    if stamp_status is not None and not (stamp_status.intact and stamp_status.valid and stamp_status.trusted):
        raise SignatureRefused(TIMESTAMP_INVALID)
    if any(_end(stamp) <= _end(signature) or not _validate_timestamp(stamp, roots) for stamp in stamps):
        raise SignatureRefused(DOC_TIMESTAMP_INVALID)

    cert = status.signing_cert
    subject = cert.subject.native
    if not signer_matches(subject, expected, match):
        raise SignatureRefused(WRONG_SIGNER.format(holder=holder_label(subject), expected=expected.label))
    return VerifiedSignature(
        subject=cert.subject.human_friendly[:500],
        issuer=cert.issuer.human_friendly[:500],
        serial=format(cert.serial_number, "x")[:100],
        fiscal_code=certificate_fiscal_code(subject)[:40],
        field_name=str(signature.field_name or ""),
        timestamp=stamp_status.timestamp if stamp_status is not None else None,
    )
