"""The document published after approvals given with authenticated access: the frozen PDF with the
"Attestazione delle approvazioni" as its last page, sealed with the body's electronic seal when one is
configured (checked with pyHanko and, independently, with poppler's pdfsig); the signers listed on the
public page; the seal's settings, what they refuse and the evidence they leave."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from pypdf import PdfReader

from approvals import seal
from approvals.forms import SEAL_FILE_REQUIRED, SEAL_REMOVE_CONFIRM
from approvals.models import BodySeal, PublishedRevision, SignedDocumentObjective
from audit.models import AuditEntry
from flows import errors
from flows.services.body_settings import SEAL_MISSING, body_seal_configure, body_seal_remove
from flows.services.transitions import objectives_batch_transition
from tests.factories import ObjectiveFactory, PlanFactory, member
from tests.support import pdfsig, walk_to
from tests.support.walk import VALID_INPUT, act
from workflow.models import State, Transition

pytestmark = pytest.mark.django_db
SETTINGS = reverse("approvals:body_settings")
SEAL = reverse("approvals:body_seal")
SEAL_REMOVE = reverse("approvals:body_seal_delete")


def _text(pdf: bytes, page: int) -> str:
    return PdfReader(io.BytesIO(pdf)).pages[page].extract_text()


def _pages(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


def _signatures(pdf: bytes):
    return PdfFileReader(io.BytesIO(pdf)).embedded_signatures


def _published(objective) -> PublishedRevision:
    return PublishedRevision.objects.select_related("signed_pdf").get(objective=objective)


def _original(objective) -> bytes:
    item = SignedDocumentObjective.objects.select_related("document__original").get(objective=objective)
    return bytes(item.document.original.content)


def test_without_a_seal_the_published_file_is_the_frozen_pdf_with_the_attestation_page(draft, people):
    objective = walk_to(draft, State.PUBLISHED, people)
    publication = _published(objective)
    content = bytes(publication.signed_pdf.content)
    original = _original(objective)

    assert publication.attestation and publication.seal_subject == ""
    assert content != original and _pages(content) == _pages(original) + 1
    assert _text(content, 0) == _text(original, 0)  # the approved pages, untouched
    last = " ".join(_text(content, -1).split())
    assert "Attestazione delle approvazioni" in last
    assert "Sabrina Satta Dirigente responsabile" in last
    assert "Massimo Placchi Segretario Generale" in last
    assert last.count("Approvazione con accesso autenticato") == 2
    assert "non ha configurato un sigillo elettronico" in last
    assert PdfFileReader(io.BytesIO(original)).embedded_signatures == [] and _signatures(content) == []
    assert [(s["name"], s["capacities"]) for s in publication.signers] == [
        ("Sabrina Satta", "Dirigente responsabile"),
        ("Massimo Placchi", "Segretario Generale"),
    ]


def test_with_a_seal_the_published_file_carries_it_intact_and_trusted(draft, people, sealed, authority):
    objective = walk_to(draft, State.PUBLISHED, people)
    publication = _published(objective)
    content = bytes(publication.signed_pdf.content)

    assert publication.seal_subject == sealed.subject and "Sigillo di Provincia di Cremona" in sealed.subject
    assert "sigillato con il sigillo elettronico dell'ente" in " ".join(_text(content, -1).split())
    (signature,) = _signatures(content)
    assert signature.field_name == seal.SEAL_FIELD
    status = validate_pdf_signature(signature, ValidationContext(trust_roots=[authority.asn1]))
    assert status.bottom_line and status.intact and status.trusted
    assert status.coverage.name == "ENTIRE_FILE"

    changed = content.replace(b"Attestazione delle approvazioni", b"Attestazione delle approvazionX", 1)
    if changed == content:  # the text sits in a compressed stream: change a byte inside the signed range
        i = len(content) // 3
        changed = content[:i] + bytes([content[i] ^ 1]) + content[i + 1 :]
    (broken,) = _signatures(changed)
    assert not validate_pdf_signature(broken, ValidationContext(trust_roots=[authority.asn1])).intact


def test_pdfsig_reports_the_seal_valid_and_trusted(draft, people, sealed, authority, tmp_path):
    objective = walk_to(draft, State.PUBLISHED, people)
    published = tmp_path / "pubblicato.pdf"
    published.write_bytes(bytes(_published(objective).signed_pdf.content))
    out = pdfsig.report(published, pdfsig.nss_database(tmp_path / "nss", authority.pem))
    assert pdfsig.verdicts(out) == ["Signature is Valid."], out
    assert "Certificate Validation: Certificate is Trusted." in out, out
    assert "Total document signed" in out, out
    assert "Sigillo di Provincia di Cremona" in out, out


def test_objectives_published_together_share_one_published_file(plan, draft, people):
    other = ObjectiveFactory(plan=plan, responsible=people["dirigente_rossi"])
    for objective in (draft, other):
        walk_to(objective, State.UNION_CONSULTATION, people)
    together = [draft.pk, other.pk]
    objectives_batch_transition(
        objective_ids=together,
        name=Transition.CLOSE_CONSULTATION,
        by=people["segreteria"],
        data=VALID_INPUT[Transition.CLOSE_CONSULTATION],
    )
    for objective in (draft, other):
        walk_to(objective, State.PUBLICATION, people)
    objectives_batch_transition(
        objective_ids=together,
        name=Transition.PUBLISH,
        by=people["segreteria"],
        data=VALID_INPUT[Transition.PUBLISH],
    )
    first, second = _published(draft), _published(other)
    assert first.signed_pdf_id == second.signed_pdf_id
    last = " ".join(_text(bytes(first.signed_pdf.content), -1).split())
    assert draft.code in last and other.code in last and "Paolo Rossi Dirigente responsabile" in last


def test_the_public_page_lists_who_approved(client, draft, people):
    objective = walk_to(draft, State.PUBLISHED, people)
    page = client.get(
        reverse("trasparenza:objective", args=[draft.plan.body.ipa_code, draft.plan.year, objective.code])
    ).content.decode()
    signers = page[page.index('data-testid="firmatari"') :]
    signers = signers[: signers.index("</ul>")]
    signed = objective.signatures.order_by("signed_at").first().signed_at
    assert "Sabrina Satta (Dirigente responsabile)" in signers
    assert "Massimo Placchi (Segretario Generale)" in signers
    assert timezone.localtime(signed).strftime("%d/%m/%Y %H:%M") in signers
    assert "con l'attestazione delle approvazioni" in page


# -- the seal's settings ----------------------------------------------------------------------------
def _upload(content: bytes, name: str = "sigillo.p12"):
    return SimpleUploadedFile(name, content, content_type="application/x-pkcs12")


def test_configuring_the_seal_from_the_settings_page(client, body, people, authority):
    client.force_login(people["amministratore"])
    response = client.post(
        SEAL, {"file": _upload(authority.seal_pkcs12("Provincia di Cremona")), "password": "segreto"}
    )
    assert response.status_code == 302
    configured = BodySeal.objects.get(body=body)
    assert configured.subject.startswith("CN=Sigillo di Provincia di Cremona")
    assert b"segreto" not in bytes(configured.encrypted_key)
    entry = AuditEntry.objects.get(action="body.seal").payload
    assert entry["data"]["fingerprint"] == configured.fingerprint and "key" not in str(entry).lower()
    page = client.get(SETTINGS).content.decode()
    assert 'data-testid="sigillo-configurato"' in page and configured.fingerprint in page


@pytest.mark.parametrize(
    ("make", "password", "message"),
    [
        (lambda ca: ca.seal_pkcs12("Ente"), "sbagliata", seal.NOT_PKCS12),
        (lambda ca: b"non un certificato", "segreto", seal.NOT_PKCS12),
        (lambda ca: ca.seal_pkcs12("Ente", signing=False), "segreto", seal.NOT_FOR_SIGNING),
        (
            lambda ca: ca.seal_pkcs12(
                "Ente",
                valid_from=timezone.now() - dt.timedelta(days=400),
                valid_until=timezone.now() - dt.timedelta(days=1),
            ),
            "segreto",
            "Il certificato del sigillo è scaduto il",
        ),
    ],
    ids=["wrong-password", "not-pkcs12", "not-for-signing", "expired"],
)
def test_a_file_that_cannot_be_a_seal_is_refused_and_nothing_is_kept(
    client, body, people, authority, make, password, message
):
    client.force_login(people["segreteria"])
    response = client.post(SEAL, {"file": _upload(make(authority)), "password": password})
    assert response.status_code == 400
    assert message in response.content.decode().replace("&#x27;", "'")
    assert not BodySeal.objects.exists() and not AuditEntry.objects.filter(action="body.seal").exists()


def test_the_seal_form_asks_for_a_file(client, people):
    client.force_login(people["segreteria"])
    response = client.post(SEAL, {"password": "x"})
    assert response.status_code == 400 and SEAL_FILE_REQUIRED in response.content.decode()


def test_only_who_manages_the_settings_configures_or_removes_the_seal(
    client, body, people, authority, sealed
):
    client.force_login(people["dirigente_satta"])
    assert (
        client.post(SEAL, {"file": _upload(authority.seal_pkcs12("X")), "password": "segreto"}).status_code
        == 403
    )
    assert client.post(SEAL_REMOVE, {"confirm": "on"}).status_code == 403
    with pytest.raises(errors.Forbidden):
        body_seal_remove(body_id=body.pk, by=people["revisore"])
    with pytest.raises(errors.Forbidden):  # refused before the file is read: a broken one changes nothing
        body_seal_configure(body_id=body.pk, by=people["sindacato"], content=b"rotto", password="")
    assert BodySeal.objects.get(body=body).pk == sealed.pk


def test_removing_the_seal_needs_the_confirmation_and_leaves_later_documents_unsealed(
    client, body, people, sealed, draft
):
    client.force_login(people["segreteria"])
    response = client.post(SEAL_REMOVE, {})
    assert response.status_code == 400 and SEAL_REMOVE_CONFIRM in response.content.decode()
    assert BodySeal.objects.filter(body=body).exists()
    assert client.post(SEAL_REMOVE, {"confirm": "on"}).status_code == 302
    assert not BodySeal.objects.filter(body=body).exists()
    removed = AuditEntry.objects.get(action="body.seal_remove").payload["data"]
    assert removed["fingerprint"] == sealed.fingerprint
    with pytest.raises(errors.InvalidInput, match=SEAL_MISSING):
        body_seal_remove(body_id=body.pk, by=people["segreteria"])
    objective = walk_to(draft, State.PUBLISHED, people)
    assert _published(objective).seal_subject == ""
    assert _signatures(bytes(_published(objective).signed_pdf.content)) == []


def test_a_seal_of_one_body_never_seals_another_bodys_documents(other_body, people, sealed, draft):
    plan = PlanFactory(body=other_body)
    people_there = {
        **people,
        "segreteria": member("segreteria_crema", other_body, "segreteria"),
        "segretario": member("segretario_crema", other_body, "segretario"),
    }
    dirigente = member("dirigente_crema", other_body, "dirigente")
    objective = walk_to(ObjectiveFactory(plan=plan, responsible=dirigente), State.PUBLISHED, people_there)
    assert _published(objective).seal_subject == ""
    assert _signatures(bytes(_published(objective).signed_pdf.content)) == []


def test_the_revision_that_follows_gets_its_own_published_file(draft, people):
    objective = walk_to(draft, State.PUBLISHED, people)
    act(objective, Transition.REVISE, people["segreteria"])
    walk_to(objective, State.PUBLISHED, people)
    first, second = PublishedRevision.objects.filter(objective=objective).order_by("revision")
    assert first.signed_pdf_id != second.signed_pdf_id
    assert "(rev. 2)" in _text(bytes(second.signed_pdf.content), -1)


def test_an_expired_seal_is_not_applied_and_the_settings_say_so(client, body, people, sealed, draft):
    BodySeal.objects.filter(pk=sealed.pk).update(not_after=timezone.now() - dt.timedelta(minutes=1))
    objective = walk_to(draft, State.PUBLISHED, people)
    publication = _published(objective)
    assert publication.attestation and publication.seal_subject == ""
    assert _signatures(bytes(publication.signed_pdf.content)) == []
    client.force_login(people["segreteria"])
    assert 'data-testid="sigillo-scaduto"' in client.get(SETTINGS).content.decode()


def test_revisions_published_before_the_signers_were_kept_get_them_from_their_signatures(draft, people):
    import importlib

    from django.apps import apps

    backfill = importlib.import_module("approvals.migrations.0008_published_signers_backfill")
    objective = walk_to(draft, State.PUBLISHED, people)
    written = _published(objective).signers
    PublishedRevision.objects.filter(objective=objective).update(signers=[])
    backfill.fill(apps, None)
    assert _published(objective).signers == written and len(written) == 2
