"""The package for Funzione Pubblica: manifest consistent with its files, JSON valid against the shared
schema, the same bytes for the same inputs, the signed PDFs of the objectives, and what is missing said."""

import hashlib
import io
import json
import zipfile

import pytest
from django.utils import timezone

from approvals.models import SignedDocument, SignedDocumentObjective, StoredFile
from approvals.selectors.transmission import PACKAGE_MIXED, PackageError, package_for
from approvals.transmission import SignedPdf, build_package, manifest_problems, read_package
from approvals.transmission.package import EXPORT_NAME, MANIFEST_NAME, MISSING_DOCUMENT_NOTE
from tests.factories import ObjectiveFactory, PlanFactory
from tests.support import walk_to
from workflow.interchange import schema_problems
from workflow.models import State

PDF_A = b"%PDF-1.7\n% documento firmato A\n%%EOF\n"
PDF_B = b"%PDF-1.7\n% documento firmato B, firmato due volte\n%%EOF\n"


def freeze_document(objectives, content, by):
    """A frozen signed PDF covering ``objectives`` (what entering the signature leaves behind)."""
    stored = StoredFile.objects.create(
        name="firmato.pdf", size=len(content), sha256=StoredFile.digest(content), content=content
    )
    document = SignedDocument.objects.create(
        body=objectives[0].plan.body,
        original=stored,
        current=stored,
        content_hash="0" * 64,
        created_by=by,
        created_at=timezone.now(),
    )
    for o in objectives:
        SignedDocumentObjective.objects.create(document=document, objective=o, revision=o.revision)
    return document


def _recomputed(content: bytes) -> dict:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {
            i.filename: (hashlib.sha256(archive.read(i)).hexdigest(), len(archive.read(i)))
            for i in archive.infolist()
            if i.filename != MANIFEST_NAME
        }


# -- the pure builder ---------------------------------------------------------------------------------
def _build(**overrides):
    args = {
        "body_name": "Provincia di Cremona",
        "ipa_code": "p_cr",
        "year": 2023,
        "objectives": [("2023_02", 1), ("2023_01", 2)],
        "document": {"body": "Provincia di Cremona", "year": 2023, "objectives": []},
        "signed_pdfs": [SignedPdf(PDF_B, ("2023_02",)), SignedPdf(PDF_A, ("2023_01",))],
    }
    return build_package(**{**args, **overrides})


def test_the_manifest_lists_every_file_with_the_hash_and_size_recomputed_from_the_zip():
    package = _build()
    manifest, entries = read_package(package.content)
    listed = {f["name"]: (f["sha256"], f["size"]) for f in manifest["files"]}
    assert listed == _recomputed(package.content)
    assert set(listed) == {EXPORT_NAME, "documenti/firmato-2023_01.pdf", "documenti/firmato-2023_02.pdf"}
    assert entries["documenti/firmato-2023_01.pdf"] == PDF_A
    assert manifest["body"] == {"name": "Provincia di Cremona", "ipa_code": "p_cr"}
    assert manifest["year"] == 2023
    assert manifest["objectives"] == [
        {"code": "2023_01", "revision": 2, "signed_document": "documenti/firmato-2023_01.pdf"},
        {"code": "2023_02", "revision": 1, "signed_document": "documenti/firmato-2023_02.pdf"},
    ]
    assert manifest["missing_signed_documents"] == [] and manifest["notes"] == []
    assert manifest_problems(package.content) == []
    assert package.sha256 == hashlib.sha256(package.content).hexdigest()
    assert package.name == f"piao-p_cr-2023-{package.sha256[:12]}.zip"


def test_the_same_inputs_give_the_same_bytes_whatever_their_order():
    first = _build()
    second = _build(
        objectives=[("2023_01", 2), ("2023_02", 1)],
        signed_pdfs=[SignedPdf(PDF_A, ("2023_01",)), SignedPdf(PDF_B, ("2023_02",))],
    )
    assert first.content == second.content and first.sha256 == second.sha256
    # ...and any change to a file changes the package
    assert _build(signed_pdfs=[SignedPdf(PDF_A, ("2023_01",))]).sha256 != first.sha256
    with zipfile.ZipFile(io.BytesIO(first.content)) as archive:
        infos = archive.infolist()
    assert [i.filename for i in infos][0] == MANIFEST_NAME
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}


def test_a_tampered_file_is_found_by_the_manifest_check():
    package = _build()
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(package.content)) as source, zipfile.ZipFile(buffer, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "documenti/firmato-2023_01.pdf":
                data = data.replace(b"A", b"Z")
            target.writestr(info, data)
    assert manifest_problems(buffer.getvalue()) == ["documenti/firmato-2023_01.pdf: impronta SHA-256 diversa"]


def test_an_objective_without_a_signed_pdf_is_named_in_the_manifest():
    package = _build(signed_pdfs=[SignedPdf(PDF_A, ("2023_01",))])
    manifest, entries = read_package(package.content)
    assert manifest["missing_signed_documents"] == ["2023_02"]
    assert manifest["notes"] == [MISSING_DOCUMENT_NOTE]
    assert manifest["objectives"][1]["signed_document"] is None
    assert sorted(entries) == ["documenti/firmato-2023_01.pdf", EXPORT_NAME]


# -- the package of real objectives -------------------------------------------------------------------
@pytest.mark.django_db
def test_the_package_of_adopted_objectives_carries_their_signed_pdf_and_a_valid_export(plan, people):
    satta = people["dirigente_satta"]
    objectives = [
        walk_to(ObjectiveFactory(plan=plan, responsible=satta), State.TRANSMISSION, people) for _ in range(3)
    ]
    first, second, third = sorted(objectives, key=lambda o: o.code)
    freeze_document([first, second], PDF_A, people["segretario"])  # signed together, as a batch
    # the third went through signature before PDFs were frozen: no document of its own
    SignedDocumentObjective.objects.filter(objective=third).delete()

    package = package_for(objectives)

    manifest, entries = read_package(package.content)
    assert manifest_problems(package.content) == []
    assert {f["name"]: (f["sha256"], f["size"]) for f in manifest["files"]} == _recomputed(package.content)
    document = json.loads(entries[EXPORT_NAME])
    assert schema_problems(document) == []
    assert [o["code"] for o in document["objectives"]] == [first.code, second.code, third.code]
    assert {o["state"] for o in document["objectives"]} == {State.TRANSMISSION}
    pdf_name = f"documenti/firmato-{first.code}.pdf"
    assert entries[pdf_name] == PDF_A  # one PDF for the two objectives it covers, once
    assert [f.get("objectives") for f in manifest["files"] if f["name"] == pdf_name] == [
        [first.code, second.code]
    ]
    assert manifest["missing_signed_documents"] == [third.code]
    assert manifest["body"]["ipa_code"] == plan.body.ipa_code
    assert [(o["code"], o["revision"]) for o in manifest["objectives"]] == [
        (o.code, o.revision) for o in (first, second, third)
    ]
    # built again (e.g. by the step after the download), the very same bytes
    assert package_for(list(reversed(objectives))).content == package.content


@pytest.mark.django_db
def test_the_latest_document_of_the_current_revision_is_the_one_packed(draft, people):
    o = walk_to(draft, State.TRANSMISSION, people)
    freeze_document([o], PDF_A, people["segretario"])
    freeze_document([o], PDF_B, people["segretario"])
    _, entries = read_package(package_for([o]).content)
    assert entries[f"documenti/firmato-{o.code}.pdf"] == PDF_B


@pytest.mark.django_db
def test_objectives_of_two_plans_make_no_package(draft, people, body):
    o = walk_to(draft, State.TRANSMISSION, people)
    other = ObjectiveFactory(plan=PlanFactory(body=body, year=2024, triennium="2024-2026"))
    with pytest.raises(PackageError) as exc:
        package_for([o, other])
    assert exc.value.message == PACKAGE_MIXED
