"""A test PKI: a certification authority made in the test, signers with qualified-looking certificates
(nonRepudiation, subject serialNumber TINIT-<fiscal code>, given name, surname), and PAdES signing with
pyHanko as a signer's own tool would do it (an incremental update adding one signature)."""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import itertools
from dataclasses import dataclass
from functools import cache

from asn1crypto import keys as a_keys
from asn1crypto import x509 as a_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko_certvalidator.registry import SimpleCertificateStore

_fields = itertools.count(1)


def _now():
    return dt.datetime.now(dt.UTC)


def _key_usage(ca: bool, non_repudiation: bool = True) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=not ca,
        content_commitment=(not ca) and non_repudiation,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=ca,
        crl_sign=ca,
        encipher_only=False,
        decipher_only=False,
    )


@dataclass
class Authority:
    name: str
    key: ec.EllipticCurvePrivateKey
    certificate: x509.Certificate

    @property
    def pem(self) -> str:
        return self.certificate.public_bytes(serialization.Encoding.PEM).decode()

    @property
    def asn1(self) -> a_x509.Certificate:
        return a_x509.Certificate.load(self.certificate.public_bytes(serialization.Encoding.DER))

    def signer(
        self,
        *,
        given_name: str,
        surname: str,
        fiscal_code: str = "",
        cn: str | None = None,
        non_repudiation: bool = True,
    ) -> signers.SimpleSigner:
        """A signer whose certificate this authority issued."""
        key = ec.generate_private_key(ec.SECP256R1())
        attributes = [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "IT"),
            x509.NameAttribute(NameOID.GIVEN_NAME, given_name),
            x509.NameAttribute(NameOID.SURNAME, surname),
            x509.NameAttribute(NameOID.COMMON_NAME, cn or f"{given_name} {surname}"),
        ]
        if fiscal_code:
            attributes.append(x509.NameAttribute(NameOID.SERIAL_NUMBER, f"TINIT-{fiscal_code}"))
        cert = (
            x509.CertificateBuilder()
            .subject_name(x509.Name(attributes))
            .issuer_name(self.certificate.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(_now() - dt.timedelta(days=1))
            .not_valid_after(_now() + dt.timedelta(days=365))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(_key_usage(False, non_repudiation), critical=True)
            .sign(self.key, hashes.SHA256())
        )
        der = key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        return signers.SimpleSigner(
            signing_cert=a_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER)),
            signing_key=a_keys.PrivateKeyInfo.load(der),
            cert_registry=SimpleCertificateStore.from_certs([self.asn1]),
        )


    def timestamper(self):
        """An RFC 3161 timestamping authority whose certificate this authority issued (pyHanko's dummy
        timestamper: it answers in process, no server)."""
        from cryptography.hazmat.primitives.asymmetric import rsa
        from cryptography.x509.oid import ExtendedKeyUsageOID
        from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        cert = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"Marche di {self.name}")]))
            .issuer_name(self.certificate.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(_now() - dt.timedelta(days=1))
            .not_valid_after(_now() + dt.timedelta(days=365))
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
            .sign(self.key, hashes.SHA256())
        )
        der = key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        return DummyTimeStamper(
            tsa_cert=a_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER)),
            tsa_key=a_keys.PrivateKeyInfo.load(der),
            certs_to_embed=SimpleCertificateStore.from_certs([self.asn1]),
        )

    def seal_pkcs12(
        self,
        organisation: str,
        password: str = "segreto",  # noqa: S107 - a test file's password
        *,
        valid_from: dt.datetime | None = None,
        valid_until: dt.datetime | None = None,
        signing: bool = True,
    ) -> bytes:
        """A body's electronic seal as a PKCS#12 file (the key, its certificate, this authority's
        certificate as the chain), protected by ``password``."""
        key = ec.generate_private_key(ec.SECP256R1())
        usage = _key_usage(False)
        if not signing:  # a certificate for encryption only
            usage = x509.KeyUsage(
                digital_signature=False, content_commitment=False, key_encipherment=True,
                data_encipherment=False, key_agreement=False, key_cert_sign=False, crl_sign=False,
                encipher_only=False, decipher_only=False,
            )
        cert = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([
                x509.NameAttribute(NameOID.COUNTRY_NAME, "IT"),
                x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
                x509.NameAttribute(NameOID.COMMON_NAME, f"Sigillo di {organisation}"),
            ]))
            .issuer_name(self.certificate.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(valid_from or _now() - dt.timedelta(days=1))
            .not_valid_after(valid_until or _now() + dt.timedelta(days=365))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(usage, critical=True)
            .sign(self.key, hashes.SHA256())
        )
        return pkcs12.serialize_key_and_certificates(
            b"sigillo", key, cert, [self.certificate],
            serialization.BestAvailableEncryption(password.encode())
            if password
            else serialization.NoEncryption(),
        )


def authority(name: str = "CA di prova") -> Authority:
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(_now() - dt.timedelta(days=1))
        .not_valid_after(_now() + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(_key_usage(True), critical=True)
        .sign(key, hashes.SHA256())
    )
    return Authority(name=name, key=key, certificate=cert)


@cache
def shared_authority() -> Authority:
    """One CA for a whole test run (making keys is cheap, but a stable CA keeps failures readable)."""
    return authority("CA qualificata di prova")


def _meta():
    return signers.PdfSignatureMetadata(
        field_name=f"Firma{next(_fields)}", md_algorithm="sha256", subfilter=fields.SigSeedSubFilter.PADES
    )


def sign(pdf: bytes, signer: signers.SimpleSigner, *, timestamper=None) -> bytes:
    """Sign ``pdf`` as an incremental update (outside an event loop), with a signature timestamp from
    ``timestamper`` if given."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    return signers.sign_pdf(writer, _meta(), signer=signer, timestamper=timestamper).getvalue()


async def async_sign(pdf: bytes, signer: signers.SimpleSigner) -> bytes:
    """The same inside a running event loop (a browser test)."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    out = await signers.async_sign_pdf(writer, _meta(), signer=signer)
    return out.getvalue()


def sign_anywhere(pdf: bytes, signer) -> bytes:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return sign(pdf, signer)
    import concurrent.futures

    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(sign, pdf, signer).result()


def append_page_change(pdf: bytes) -> bytes:
    """An incremental update after the signatures that replaces the first page's content."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    page = writer.root["/Pages"]["/Kids"][0].get_object()
    page["/Contents"] = writer.add_object(
        generic.StreamObject(stream_data=b"BT /F1 24 Tf 72 720 Td (ALTRO TESTO) Tj ET")
    )
    writer.update_container(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def signature_count(pdf: bytes) -> int:
    return len(PdfFileReader(io.BytesIO(pdf), strict=False).embedded_signatures)
