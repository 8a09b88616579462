"""The package uploaded to the Dipartimento della Funzione Pubblica's PIAO portal: one ZIP with the signed
PDF(s) of the objectives, their JSON export in the shared interchange format and ``manifest.json``.

Pure: plain data in, bytes out. The same inputs always give the same bytes, hence the same SHA-256: the
package the Segreteria downloads to upload by hand is byte for byte the one the ``transmit`` step stores,
and a package sent twice over HTTP is recognisably the same. To that end the entries are written in a
fixed order, with a fixed timestamp and fixed attributes, and *stored* rather than deflated (a PDF is
compressed already, and deflate's output may change with the zlib build, the bytes of a stored entry
cannot).

An objective without a frozen PDF (signed before documents were produced, or walked in a test without
one) does not block the package: its PDF is left out and ``manifest.json`` says so in
``missing_signed_documents``, so whoever opens the package sees what is missing and why.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import zipfile
from dataclasses import dataclass, field

FORMAT = "piao-dfp-package/1"
MANIFEST_NAME = "manifest.json"
EXPORT_NAME = "obiettivi.json"
DOCUMENTS_DIR = "documenti/"
# The oldest date a ZIP entry can carry: no clock is read, so two builds cannot differ by their time.
FIXED_DATE_TIME = (1980, 1, 1, 0, 0, 0)
MISSING_DOCUMENT_NOTE = (
    "Per gli obiettivi elencati in missing_signed_documents l'applicazione non conserva un documento "
    "firmato (firmati prima della generazione del PDF): il pacchetto contiene solo i loro dati."
)


@dataclass(frozen=True)
class SignedPdf:
    """One signed PDF and the codes of the package's objectives it covers."""

    content: bytes
    objectives: tuple[str, ...]


@dataclass(frozen=True)
class Package:
    name: str
    content: bytes
    sha256: str
    manifest: dict = field(hash=False)

    @property
    def size(self) -> int:
        return len(self.content)


def _safe(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", text).strip("_") or "x"


def _json_bytes(data) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")


def _entry(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=FIXED_DATE_TIME)
    info.compress_type = zipfile.ZIP_STORED
    info.create_system = 3  # Unix, whatever the platform that builds it
    info.external_attr = 0o100644 << 16  # a regular file, rw-r--r--
    return info


def _described(name: str, content: bytes, content_type: str, **extra) -> dict:
    return {
        "name": name,
        "sha256": hashlib.sha256(content).hexdigest(),
        "size": len(content),
        "content_type": content_type,
        **extra,
    }


def build_package(
    *,
    body_name: str,
    ipa_code: str,
    year: int,
    objectives: list[tuple[str, int]],
    document: dict,
    signed_pdfs: list[SignedPdf],
) -> Package:
    """The ZIP for ``objectives`` (code, revision) of one body's plan for ``year``.

    ``document`` is the interchange document of those objectives (already checked against the schema);
    ``signed_pdfs`` the distinct PDFs that cover them, each naming the objectives it covers.
    """
    objectives = sorted(objectives)
    files: list[tuple[str, bytes, dict]] = []
    export = _json_bytes(document)
    files.append((EXPORT_NAME, export, _described(EXPORT_NAME, export, "application/json")))
    covered: dict[str, str] = {}
    for pdf in sorted(signed_pdfs, key=lambda p: sorted(p.objectives)):
        codes = sorted(pdf.objectives)
        name = f"{DOCUMENTS_DIR}firmato-{_safe(codes[0])}.pdf"
        files.append((name, pdf.content, _described(name, pdf.content, "application/pdf", objectives=codes)))
        for code in codes:
            covered[code] = name
    missing = [code for code, _ in objectives if code not in covered]
    manifest = {
        "format": FORMAT,
        "body": {"name": body_name, "ipa_code": ipa_code},
        "year": year,
        "objectives": [
            {"code": code, "revision": revision, "signed_document": covered.get(code)}
            for code, revision in objectives
        ],
        "files": [described for _, _, described in files],
        "missing_signed_documents": missing,
        "notes": [MISSING_DOCUMENT_NOTE] if missing else [],
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr(_entry(MANIFEST_NAME), _json_bytes(manifest))
        for name, content, _ in files:
            archive.writestr(_entry(name), content)
    content = buffer.getvalue()
    sha256 = hashlib.sha256(content).hexdigest()
    name = f"piao-{_safe(ipa_code)}-{year}-{sha256[:12]}.zip"
    return Package(name=name, content=content, sha256=sha256, manifest=manifest)


def read_package(content: bytes) -> tuple[dict, dict[str, bytes]]:
    """The manifest and every other file of a package, by name (for checks and tests)."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        entries = {info.filename: archive.read(info) for info in archive.infolist()}
    manifest = json.loads(entries.pop(MANIFEST_NAME).decode("utf-8"))
    return manifest, entries


def manifest_problems(content: bytes) -> list[str]:
    """Where a package's files disagree with its manifest (empty when every hash and size matches)."""
    manifest, entries = read_package(content)
    problems = []
    listed = {f["name"]: f for f in manifest.get("files", [])}
    for name in sorted(set(listed) | set(entries)):
        if name not in entries:
            problems.append(f"{name}: elencato nel manifesto ma assente")
        elif name not in listed:
            problems.append(f"{name}: presente ma non elencato nel manifesto")
        else:
            data = entries[name]
            if hashlib.sha256(data).hexdigest() != listed[name]["sha256"]:
                problems.append(f"{name}: impronta SHA-256 diversa")
            if len(data) != listed[name]["size"]:
                problems.append(f"{name}: dimensione diversa")
    return problems
