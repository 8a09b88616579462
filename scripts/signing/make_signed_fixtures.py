"""Sign the document the application renders for signing with each independent PAdES implementation,
and write the signed files as test fixtures (tests/fixtures/signatures), so that CI needs none of the tools.

    .venv/bin/python scripts/signing/make_signed_fixtures.py

Needs, on Debian 12: `apt-get install -y default-jre-headless libitext5-java libpdfbox2-java
libbcpkix-java poppler-utils libnss3-tools` (the script installs them when missing and it runs as root),
and network access to PyPI for endesive (in a virtual environment of its own: it needs pypdf < 6).

What it makes:
- a PKI valid from 2026 to 2046: a root (the body's trust root), an intermediate CA, a timestamping
  authority, and the signer Sabrina Satta (fiscal code STTSBR70A41D150X) with an RSA key, an ECDSA P-256
  key, and an RSA key under the intermediate CA; CRLs of both authorities (for the validation data);
- `document.pdf`: objective 2023_3101T of the real 2023 report, rendered by approvals.pdf as the
  application does for signing (its /AcroForm an indirect object); `document-direct.pdf`: the same
  pages with the /AcroForm written directly inside the catalog, as documents rendered before were;
- one signed file for each tool and variant, and `manifest.json` that lists them.

A local RFC 3161 timestamping server (pyHanko's dummy timestamper behind http.server) answers the tools
that ask for a signature timestamp.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "tests" / "fixtures" / "signatures"
HERE = Path(__file__).resolve().parent
PASSWORD = "fixture"
NOT_BEFORE = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
NOT_AFTER = dt.datetime(2046, 1, 1, tzinfo=dt.UTC)
FISCAL_CODE = "STTSBR70A41D150X"
JAVA_CLASSPATH = ":".join(
    f"/usr/share/java/{jar}.jar"
    for jar in ("itext5", "pdfbox2", "fontbox2", "commons-logging", "bcprov", "bcpkix", "bcutil")
)
PACKAGES = ["default-jre-headless", "libitext5-java", "libpdfbox2-java", "libbcpkix-java", "poppler-utils",
            "libnss3-tools"]

sys.path.insert(0, str(ROOT))


# -- the PKI --------------------------------------------------------------------------------------


def pki(work: Path) -> dict:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec, rsa
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    def name(common, **extra):
        attrs = [x509.NameAttribute(NameOID.COUNTRY_NAME, "IT"),
                 x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Autorità di prova per i test")]
        if "given" in extra:
            attrs += [x509.NameAttribute(NameOID.GIVEN_NAME, extra["given"]),
                      x509.NameAttribute(NameOID.SURNAME, extra["surname"]),
                      x509.NameAttribute(NameOID.SERIAL_NUMBER, f"TINIT-{extra['cf']}")]
        attrs.append(x509.NameAttribute(NameOID.COMMON_NAME, common))
        return x509.Name(attrs)

    def certificate(subject, key, issuer_name, issuer_key, *, ca=False, tsa=False, path=None):
        builder = (
            x509.CertificateBuilder().subject_name(subject).issuer_name(issuer_name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(NOT_BEFORE).not_valid_after(NOT_AFTER)
            .add_extension(x509.BasicConstraints(ca=ca, path_length=path), critical=True)
            .add_extension(x509.KeyUsage(
                digital_signature=not ca, content_commitment=not ca and not tsa, key_encipherment=False,
                data_encipherment=False, key_agreement=False, key_cert_sign=ca, crl_sign=ca,
                encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        )
        if tsa:
            builder = builder.add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]),
                                            critical=True)
        return builder.sign(issuer_key, hashes.SHA256())

    def crl(issuer_cert, issuer_key):
        return (
            x509.CertificateRevocationListBuilder().issuer_name(issuer_cert.subject)
            .last_update(NOT_BEFORE).next_update(NOT_AFTER).sign(issuer_key, hashes.SHA256())
        )

    root_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    root_name = name("CA radice di prova dell'ente")
    root = certificate(root_name, root_key, root_name, root_key, ca=True, path=1)
    inter_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    inter = certificate(name("CA intermedia di prova"), inter_key, root_name, root_key, ca=True, path=0)
    tsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    tsa = certificate(name("Marca temporale di prova"), tsa_key, root_name, root_key, tsa=True)
    people = {}
    for label, key, issuer, issuer_key, chain in (
        ("rsa", rsa.generate_private_key(public_exponent=65537, key_size=2048), root, root_key, []),
        ("ecdsa", ec.generate_private_key(ec.SECP256R1()), root, root_key, []),
        ("intermedia", rsa.generate_private_key(public_exponent=65537, key_size=2048), inter, inter_key,
         [inter]),
    ):
        cert = certificate(name("SATTA SABRINA", given="SABRINA", surname="SATTA", cf=FISCAL_CODE),
                           key, issuer.subject, issuer_key)
        p12 = work / f"satta-{label}.p12"
        p12.write_bytes(pkcs12.serialize_key_and_certificates(
            b"satta", key, cert, [*chain, root], serialization.BestAvailableEncryption(PASSWORD.encode())))
        people[label] = {"key": key, "cert": cert, "chain": [*chain, root], "p12": p12}
    pem = serialization.Encoding.PEM
    (OUT / "root.pem").write_bytes(root.public_bytes(pem))
    return {"root": root, "root_key": root_key, "inter": inter, "tsa": tsa, "tsa_key": tsa_key,
            "people": people, "crls": [crl(root, root_key), crl(inter, inter_key)]}


# -- the document -----------------------------------------------------------------------------------


def documents(work: Path) -> None:
    """document.pdf (as the application renders it now) and document-direct.pdf (as it did before)."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    os.environ["DATABASE_URL"] = f"sqlite:///{work / 'db.sqlite3'}"
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    from approvals import pdf as approvals_pdf
    from workflow.models import Objective, Plan

    call_command("migrate", verbosity=0)
    call_command("import_piao", str(ROOT / "workflow/data/piao-2023-sez-2-2-provincia-cremona.txt"),
                 "--body", "Provincia di Cremona", "--year", "2023", "--ipa", "p_cr", stdout=io.StringIO())
    plan = Plan.objects.get(year=2023)
    objective = Objective.objects.filter(plan=plan, code="2023_3101T")
    when = dt.datetime(2026, 12, 4, 10, 0, tzinfo=dt.UTC)
    with mock.patch.object(approvals_pdf, "ready_for_signatures", lambda pdf: pdf):
        laid_out = approvals_pdf.render_objectives_pdf(plan=plan, objectives=objective, generated_at=when)
    (OUT / "document.pdf").write_bytes(approvals_pdf.ready_for_signatures(laid_out.content))
    (OUT / "document-direct.pdf").write_bytes(direct_acroform(laid_out.content))


def direct_acroform(pdf: bytes) -> bytes:
    """The empty signature form as documents rendered before had it: a dictionary inside the catalog."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    writer.root["/AcroForm"] = generic.DictionaryObject({
        generic.NameObject("/Fields"): generic.ArrayObject(),
        generic.NameObject("/SigFlags"): generic.NumberObject(3),
    })
    writer.update_root()
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# -- a local timestamping authority ----------------------------------------------------------------


def timestamper(keys):
    from asn1crypto import keys as a_keys
    from asn1crypto import x509 as a_x509
    from cryptography.hazmat.primitives import serialization
    from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    der = serialization.Encoding.DER
    tsa_cert = a_x509.Certificate.load(keys["tsa"].public_bytes(der))
    root = a_x509.Certificate.load(keys["root"].public_bytes(der))
    tsa_key = a_keys.PrivateKeyInfo.load(keys["tsa_key"].private_bytes(
        der, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    return DummyTimeStamper(tsa_cert=tsa_cert, tsa_key=tsa_key,
                            certs_to_embed=SimpleCertificateStore.from_certs([root]))


def serve_timestamps(stamper) -> tuple[HTTPServer, str]:
    from asn1crypto import tsp

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - http.server's name
            request = tsp.TimeStampReq.load(self.rfile.read(int(self.headers["Content-Length"])))
            answer = asyncio.run(stamper.async_request_tsa_response(request)).dump()
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}/"


# -- the tools --------------------------------------------------------------------------------------


def sign_pyhanko(src: Path, dst: Path, person: dict, keys: dict, *, digest="sha256", visible=False,
                 stamper=None, level="B-B") -> None:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    from pyhanko_certvalidator import ValidationContext

    signer = signers.SimpleSigner.load_pkcs12(str(person["p12"]), passphrase=PASSWORD.encode())
    writer = IncrementalPdfFileWriter(io.BytesIO(src.read_bytes()), strict=False)
    spec = fields.SigFieldSpec("FirmaPyHanko", on_page=0, box=(36, 36, 236, 96)) if visible else None
    context = None
    if level != "B-B":
        from asn1crypto import crl as a_crl
        from asn1crypto import x509 as a_x509
        from cryptography.hazmat.primitives import serialization

        der = serialization.Encoding.DER
        context = ValidationContext(
            trust_roots=[a_x509.Certificate.load(keys["root"].public_bytes(der))],
            crls=[a_crl.CertificateList.load(c.public_bytes(der)) for c in keys["crls"]],
            allow_fetching=False,
        )
    meta = signers.PdfSignatureMetadata(
        field_name="FirmaPyHanko", md_algorithm=digest, subfilter=fields.SigSeedSubFilter.PADES,
        embed_validation_info=level != "B-B", use_pades_lta=level == "B-LTA", validation_context=context,
    )
    out = signers.PdfSigner(meta, signer=signer, timestamper=stamper, new_field_spec=spec).sign_pdf(writer)
    dst.write_bytes(out.getvalue())


def sign_java(tool: str, args: list[str]) -> None:
    subprocess.run(["java", "-cp", JAVA_CLASSPATH, str(HERE / f"{tool}.java"), *args], check=True,
                   capture_output=True)


def sign_itext(src, dst, person, *, digest="SHA-256", visible=False, tsa=None):
    sign_java("SignItext", [str(src), str(dst), str(person["p12"]), PASSWORD, digest, "1" if visible else "0",
                            *([tsa] if tsa else [])])


def sign_pdfbox(src, dst, person, *, algorithm, tsa=None):
    sign_java("SignPdfbox", [str(src), str(dst), str(person["p12"]), PASSWORD, algorithm,
                             *([tsa] if tsa else [])])


def sign_pdfsig(src: Path, dst: Path, person: dict, work: Path, label: str) -> None:
    """poppler's pdfsig through an NSS database of its own (one nickname per subject)."""
    db = work / f"nss-{label}"
    if not db.exists():
        db.mkdir()
        subprocess.run(["certutil", "-N", "-d", f"sql:{db}", "--empty-password"], check=True)
        subprocess.run(["pk12util", "-i", str(person["p12"]), "-d", f"sql:{db}", "-W", PASSWORD], check=True,
                       capture_output=True)
    for _attempt in range(8):  # with an EC key pdfsig 22.12 fails at random
        dst.unlink(missing_ok=True)
        done = subprocess.run(["pdfsig", "-nssdir", f"sql:{db}", "-nick", "satta", "-add-signature",
                               "-new-signature-field-name", "FirmaPoppler", str(src), str(dst)],
                              capture_output=True, text=True)
        if done.returncode == 0 and dst.exists():
            return
    raise RuntimeError(f"pdfsig did not sign: {done.stderr}")


ENDESIVE = """
import datetime, sys
from cryptography.hazmat.primitives.serialization import pkcs12
from endesive.pdf import cms
src, dst, p12, password, digest = sys.argv[1:6]
key, cert, others = pkcs12.load_key_and_certificates(open(p12, "rb").read(), password.encode())
data = open(src, "rb").read()
when = datetime.datetime.now(datetime.timezone.utc).strftime("D:%Y%m%d%H%M%S+00'00'")
dct = {"sigflags": 3, "contact": "", "location": "Cremona", "signingdate": when.encode(),
       "reason": "Approvazione", "sigandcertify": False, "aligned": 0}
signed = cms.sign(data, dct, key, cert, others, digest)
open(dst, "wb").write(data + signed)
"""


def endesive_python(work: Path) -> Path:
    venv = work / "endesive"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run([str(venv / "bin/pip"), "install", "-q", "endesive==3.0.1", "pypdf<6"], check=True)
    # oscrypto 1.3.0 (released) cannot read OpenSSL versions with a two-digit patch number (3.0.17):
    # the throwaway environment gets the one-character fix its repository has
    for module in (venv / "lib").glob("python*/site-packages/oscrypto/_openssl/_libcrypto_c*.py"):
        text = module.read_text()
        module.write_text(text.replace(r"\\d\\.\\d\\.\\d[a-z]*", r"\\d\\.\\d\\.\\d+[a-z]*"))
    return venv / "bin/python"


def sign_endesive(python: Path, src, dst, person, *, digest="sha256"):
    subprocess.run([str(python), "-c", ENDESIVE, str(src), str(dst), str(person["p12"]), PASSWORD, digest],
                   check=True, capture_output=True)


# -- all of it --------------------------------------------------------------------------------------


def ensure_tools() -> None:
    missing = [p for p in ("java", "pdfsig", "certutil") if not shutil.which(p)]
    if missing or not Path("/usr/share/java/itext5.jar").exists():
        if os.geteuid() != 0:
            sys.exit(f"Mancano {missing or 'iText'}: apt-get install -y {' '.join(PACKAGES)}")
        subprocess.run(["apt-get", "install", "-y", "-q", *PACKAGES], check=True,
                       env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})


def main() -> int:
    ensure_tools()
    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.glob("*.pdf"):
        old.unlink()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        keys = pki(work)
        documents(work)
        stamper = timestamper(keys)
        server, tsa_url = serve_timestamps(stamper)
        endesive = endesive_python(work)
        people = keys["people"]
        doc = OUT / "document.pdf"
        manifest = []

        def made(tool, variant, name, *, document="document.pdf"):
            manifest.append({"file": name, "tool": tool, "variant": variant, "document": document,
                             "fiscal_code": FISCAL_CODE})
            print(f"{name}: {(OUT / name).stat().st_size} byte")

        rsa, ecdsa, inter = people["rsa"], people["ecdsa"], people["intermedia"]
        jobs = [
            ("pyHanko", "RSA", lambda d: sign_pyhanko(doc, d, rsa, keys)),
            ("pyHanko", "ECDSA", lambda d: sign_pyhanko(doc, d, ecdsa, keys)),
            ("pyHanko", "CA intermedia", lambda d: sign_pyhanko(doc, d, inter, keys)),
            ("pyHanko", "SHA-512", lambda d: sign_pyhanko(doc, d, rsa, keys, digest="sha512")),
            ("pyHanko", "firma visibile", lambda d: sign_pyhanko(doc, d, rsa, keys, visible=True)),
            ("pyHanko", "marca temporale", lambda d: sign_pyhanko(doc, d, rsa, keys, stamper=stamper)),
            ("pyHanko", "B-LT", lambda d: sign_pyhanko(doc, d, rsa, keys, stamper=stamper,
                                                      level="B-LT")),
            ("pyHanko", "B-LTA", lambda d: sign_pyhanko(doc, d, rsa, keys, stamper=stamper,
                                                       level="B-LTA")),
            ("iText 5", "RSA", lambda d: sign_itext(doc, d, rsa)),
            ("iText 5", "ECDSA", lambda d: sign_itext(doc, d, ecdsa)),
            ("iText 5", "CA intermedia", lambda d: sign_itext(doc, d, inter)),
            ("iText 5", "SHA-512", lambda d: sign_itext(doc, d, rsa, digest="SHA-512")),
            ("iText 5", "firma visibile", lambda d: sign_itext(doc, d, rsa, visible=True)),
            ("iText 5", "marca temporale", lambda d: sign_itext(doc, d, rsa, tsa=tsa_url)),
            ("PDFBox 2", "RSA", lambda d: sign_pdfbox(doc, d, rsa, algorithm="SHA256withRSA")),
            ("PDFBox 2", "ECDSA", lambda d: sign_pdfbox(doc, d, ecdsa, algorithm="SHA256withECDSA")),
            ("PDFBox 2", "CA intermedia", lambda d: sign_pdfbox(doc, d, inter,
                                                              algorithm="SHA256withRSA")),
            ("PDFBox 2", "SHA-512", lambda d: sign_pdfbox(doc, d, rsa, algorithm="SHA512withRSA")),
            ("PDFBox 2", "marca temporale", lambda d: sign_pdfbox(doc, d, rsa,
                                                                algorithm="SHA256withRSA", tsa=tsa_url)),
            ("endesive", "RSA", lambda d: sign_endesive(endesive, doc, d, rsa)),
            ("endesive", "ECDSA", lambda d: sign_endesive(endesive, doc, d, ecdsa)),
            ("endesive", "CA intermedia", lambda d: sign_endesive(endesive, doc, d, inter)),
            ("endesive", "SHA-512", lambda d: sign_endesive(endesive, doc, d, rsa, digest="sha512")),
            ("poppler pdfsig", "RSA", lambda d: sign_pdfsig(doc, d, rsa, work, "rsa")),
            ("poppler pdfsig", "ECDSA", lambda d: sign_pdfsig(doc, d, ecdsa, work, "ecdsa")),
            ("poppler pdfsig", "CA intermedia", lambda d: sign_pdfsig(doc, d, inter, work,
                                                                    "intermedia")),
        ]
        for tool, variant, job in jobs:
            name = f"{tool.split()[0].lower()}-{variant.lower().replace(' ', '-')}.pdf"
            job(OUT / name)
            made(tool, variant, name)
        sign_pdfsig(OUT / "document-direct.pdf", OUT / "poppler-rsa-acroform-diretto.pdf", rsa, work,
                    "rsa")
        made("poppler pdfsig", "RSA, documento con /AcroForm diretto", "poppler-rsa-acroform-diretto.pdf",
             document="document-direct.pdf")
        server.shutdown()
    (OUT / "manifest.json").write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
