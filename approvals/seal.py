"""The body's electronic seal: a PAdES signature the application applies, with the key and certificate
the body configured, to the documents it publishes (plain bytes in and out; no database).

The body hands over a PKCS#12 file (.p12/.pfx) and its password once. What is kept is the certificate
(with its chain, in PEM) and the private key re-encrypted (PKCS#8) under a passphrase derived from the
installation's secret (``PIAO_SEAL_SECRET``, else ``SECRET_KEY``): the password of the file is not kept,
and a copy of the database alone does not give the key away. Rotating the secret means configuring the
seal again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.serialization import pkcs12
from django.conf import settings

from .signatures import run_coroutine

SEAL_FIELD = "SigilloEnte"
NOT_PKCS12 = (
    "Il file non è un certificato con chiave privata in formato PKCS#12 (.p12 o .pfx), o la password "
    "non è quella del file."
)
NO_KEY = "Il file PKCS#12 non contiene una chiave privata: serve quella del sigillo, insieme al certificato."
KEY_TYPE = "La chiave del sigillo deve essere RSA o a curva ellittica."
NOT_YET_VALID = "Il certificato del sigillo sarà valido solo dal {start:%d/%m/%Y}: caricalo da quella data."
EXPIRED = "Il certificato del sigillo è scaduto il {end:%d/%m/%Y}: serve un certificato valido."
NOT_FOR_SIGNING = (
    "Il certificato non è abilitato alla firma (uso della chiave «firma digitale» o «non ripudio»): non può "
    "sigillare documenti."
)


class SealRefused(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class SealMaterial:
    """What is stored of a seal: the certificates as PEM (the seal's own first), the encrypted key, and
    the facts the settings page and the evidence log show."""

    certificates_pem: str
    encrypted_key: bytes
    subject: str
    issuer: str
    serial: str
    not_after: dt.datetime
    fingerprint: str


def _passphrase() -> bytes:
    secret = (getattr(settings, "PIAO_SEAL_SECRET", "") or settings.SECRET_KEY).encode()
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"piao-body-seal").derive(secret)


def _name(name: x509.Name) -> str:
    return name.rfc4514_string()


def read_pkcs12(data: bytes, password: str, *, now: dt.datetime) -> SealMaterial:
    """The seal in a PKCS#12 file, checked: a key that is RSA or EC, a certificate valid now and usable
    for signing. Raises SealRefused with the reason otherwise."""
    try:
        key, cert, chain = pkcs12.load_key_and_certificates(data, (password or "").encode() or None)
    except (ValueError, TypeError) as exc:
        raise SealRefused(NOT_PKCS12) from exc
    if key is None or cert is None:
        raise SealRefused(NO_KEY)
    if not isinstance(key, (rsa.RSAPrivateKey, ec.EllipticCurvePrivateKey)):
        raise SealRefused(KEY_TYPE)
    if cert.not_valid_before_utc > now:
        raise SealRefused(NOT_YET_VALID.format(start=cert.not_valid_before_utc))
    if cert.not_valid_after_utc <= now:
        raise SealRefused(EXPIRED.format(end=cert.not_valid_after_utc))
    try:
        usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        usage = None
    if usage is not None and not (usage.digital_signature or usage.content_commitment):
        raise SealRefused(NOT_FOR_SIGNING)
    certificates = [cert, *(chain or [])]
    return SealMaterial(
        certificates_pem="".join(c.public_bytes(serialization.Encoding.PEM).decode() for c in certificates),
        encrypted_key=key.private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(_passphrase()),
        ),
        subject=_name(cert.subject),
        issuer=_name(cert.issuer),
        serial=format(cert.serial_number, "X"),
        not_after=cert.not_valid_after_utc,
        fingerprint=hashlib.sha256(cert.public_bytes(serialization.Encoding.DER)).hexdigest(),
    )


def _signer(certificates_pem: str, encrypted_key: bytes):
    from asn1crypto import keys as a_keys
    from asn1crypto import pem
    from asn1crypto import x509 as a_x509
    from pyhanko.sign import signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    key = serialization.load_der_private_key(bytes(encrypted_key), _passphrase())
    der = key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    certificates = [
        a_x509.Certificate.load(body) for _, _, body in pem.unarmor(certificates_pem.encode(), multiple=True)
    ]
    return signers.SimpleSigner(
        signing_cert=certificates[0],
        signing_key=a_keys.PrivateKeyInfo.load(der),
        cert_registry=SimpleCertificateStore.from_certs(certificates[1:]),
    )


def seal_pdf(pdf: bytes, *, certificates_pem: str, encrypted_key: bytes, reason: str, location: str) -> bytes:
    """``pdf`` with the seal added as an incremental update (PAdES baseline B-B, SHA-256)."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    signer = _signer(certificates_pem, encrypted_key)
    meta = signers.PdfSignatureMetadata(
        field_name=SEAL_FIELD,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason,
        location=location,
    )

    class Pdf17Writer(IncrementalPdfFileWriter):
        """The documents are PDF 1.7 (the Relazione a PDF/A-3b, which PDF 2.0 would break): pyHanko raises
        the version to 2.0 when it registers the ISO 32002 extension of an ECDSA key on P-256 or P-384,
        which PDF 1.7 readers verify as well (pdfsig does, with the ESIC extension PAdES declares)."""

        def ensure_output_version(self, version):
            super().ensure_output_version(min(tuple(version), (1, 7)))

    async def sign():
        writer = Pdf17Writer(io.BytesIO(pdf))
        return await signers.async_sign_pdf(writer, meta, signer=signer)

    return run_coroutine(sign).getvalue()
