"""The document frozen on entering signature, signatures by upload in a body with qualified signatures,
approval by login elsewhere, the downloads, and the adoption act's PDF."""

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from approvals import signatures as sig
from approvals import uploads
from approvals.models import AdoptionAct, Signature, SignatureMethod, SignedDocument, StepRecord
from audit.models import AuditEntry
from flows import errors
from flows.forms import ACT_FILE_NOT_PDF, ACT_FILE_REQUIRED, SIGN_LOGIN_MODE, SIGNED_PDF_REQUIRED
from flows.services.transitions import objective_transition, objectives_batch_transition, signature_upload
from tests import pki
from tests.factories import ObjectiveFactory
from tests.support import VALID_INPUT, act, files_for, fresh, pdf_upload, snapshot, walk_to
from workflow.models import Identity, SignerMatch, State

pytestmark = pytest.mark.django_db

SATTA_CF = "STTSBR70A41D150X"
PLACCHI_CF = "PLCMSM60A01D150Y"
ROSSI_CF = "RSSPLA75C10D150Z"


@pytest.fixture(scope="module")
def ca():
    return pki.authority("CA qualificata dell'ente")


@pytest.fixture(scope="module")
def keys(ca):
    return {
        "dirigente_satta": ca.signer(given_name="Sabrina", surname="Satta", fiscal_code=SATTA_CF),
        "segretario": ca.signer(given_name="Massimo", surname="Placchi", fiscal_code=PLACCHI_CF),
        "dirigente_rossi": ca.signer(given_name="Paolo", surname="Rossi", fiscal_code=ROSSI_CF),
    }


@pytest.fixture
def qualified(body, people, ca):
    body.signature_mode = "qualified"
    body.trust_roots = ca.pem
    body.signer_match = SignerMatch.FISCAL_CODE
    body.save()
    for who, cf in (("dirigente_satta", SATTA_CF), ("segretario", PLACCHI_CF), ("dirigente_rossi", ROSSI_CF)):
        Identity.objects.create(user=people[who], fiscal_code=cf)
    return body


def current_pdf(objective) -> bytes:
    from approvals.selectors.signatures import current_document

    return bytes(current_document(fresh(objective)).current.content)


def with_open_action_script(pdf: bytes) -> bytes:
    """``pdf`` with an incremental update that runs JavaScript when the document opens."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    action = generic.DictionaryObject(
        {
            generic.NameObject("/S"): generic.NameObject("/JavaScript"),
            generic.NameObject("/JS"): generic.TextStringObject("app.alert('firmato')"),
        }
    )
    writer.root["/OpenAction"] = writer.add_object(action)
    writer.update_root()
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def upload(objective, who, people, keys, *, content=None, lock_version="current"):
    pdf = content if content is not None else pki.sign(current_pdf(objective), keys[who])
    if lock_version == "current":
        lock_version = fresh(objective).lock_version
    return signature_upload(objective_id=objective.pk, by=people[who], upload=pdf, lock_version=lock_version)


# -- the document frozen on entering signature -----------------------------------------------------------
def test_entering_signature_freezes_one_pdf_with_the_objective(draft, people):
    o = walk_to(draft, State.SIGNATURE, people)
    document = SignedDocument.objects.get()
    assert document.original_id == document.current_id
    assert list(document.items.values_list("objective_id", "revision")) == [(o.pk, 1)]
    content = bytes(document.original.content)
    assert content.startswith(b"%PDF-") and document.original.sha256 == document.original.digest(content)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    assert o.code in text and o.plan.body.name in text and document.content_hash in text.replace("\n", "")
    assert AuditEntry.objects.filter(action="signature.document").count() == 1


def test_the_document_is_never_regenerated_while_signing(draft, people):
    o = walk_to(draft, State.SIGNATURE, people)
    before = SignedDocument.objects.get().original.sha256
    act(o, "sign", people["dirigente_satta"])
    assert SignedDocument.objects.count() == 1 and SignedDocument.objects.get().original.sha256 == before


def test_a_batch_entering_signature_shares_one_document(plan, people):
    objectives = [
        walk_to(
            ObjectiveFactory(plan=plan, responsible=people["dirigente_satta"]),
            State.UNION_CONSULTATION,
            people,
        )
        for _ in range(2)
    ]
    objectives_batch_transition(
        objective_ids=[o.pk for o in objectives],
        name="close_consultation",
        by=people["segreteria"],
        data=VALID_INPUT["close_consultation"],
    )
    document = SignedDocument.objects.get()
    assert set(document.items.values_list("objective_id", flat=True)) == {o.pk for o in objectives}
    assert document.batch is not None


# -- signatures by upload -----------------------------------------------------------------------------
def test_a_valid_upload_signs_and_becomes_the_file_to_sign_next(draft, people, qualified, keys):
    o = walk_to(draft, State.SIGNATURE, people)
    original = current_pdf(o)
    signed = pki.sign(original, keys["dirigente_satta"])
    [moved] = upload(o, "dirigente_satta", people, keys, content=signed)
    assert moved.state == State.SIGNATURE
    document = SignedDocument.objects.get()
    assert bytes(document.current.content) == signed and bytes(document.original.content) == original
    s = Signature.objects.get(objective=o)
    assert (s.method, s.document, s.certificate_fiscal_code) == (SignatureMethod.PADES, document, SATTA_CF)
    assert s.file == document.current and "Sabrina Satta" in s.certificate_subject
    assert StepRecord.objects.get(objective=o, transition="sign").data["method"] == "pades"
    assert AuditEntry.objects.filter(action="signature.upload").count() == 1
    assert AuditEntry.objects.filter(action="transition.sign").count() == 1


@pytest.mark.parametrize(
    ("first", "second"), [("dirigente_satta", "segretario"), ("segretario", "dirigente_satta")]
)
def test_two_signers_in_any_order_deliberation_only_with_the_last(
    draft, people, qualified, keys, first, second
):
    o = walk_to(draft, State.SIGNATURE, people)
    upload(o, first, people, keys)
    assert fresh(o).state == State.SIGNATURE
    upload(o, second, people, keys)
    assert fresh(o).state == State.DELIBERATION
    final = current_pdf(o)
    assert pki.signature_count(final) == 2
    assert set(Signature.objects.filter(objective=o).values_list("certificate_fiscal_code", flat=True)) == {
        SATTA_CF,
        PLACCHI_CF,
    }


def test_one_upload_signs_every_objective_of_the_document_waiting_for_the_signer(
    plan, people, qualified, keys
):
    mine = [ObjectiveFactory(plan=plan, responsible=people["dirigente_satta"]) for _ in range(2)]
    theirs = ObjectiveFactory(plan=plan, responsible=people["dirigente_rossi"])
    everything = [*mine, theirs]
    for o in everything:
        walk_to(o, State.UNION_CONSULTATION, people)
    objectives_batch_transition(
        objective_ids=[o.pk for o in everything],
        name="close_consultation",
        by=people["segreteria"],
        data=VALID_INPUT["close_consultation"],
    )
    moved = upload(mine[0], "segretario", people, keys)  # the Segretario signs all three at once
    assert {o.pk for o in moved} == {o.pk for o in everything}
    upload(mine[1], "dirigente_satta", people, keys)  # Satta: her two objectives
    assert [fresh(o).state for o in everything] == [State.DELIBERATION, State.DELIBERATION, State.SIGNATURE]
    upload(theirs, "dirigente_rossi", people, keys)
    assert fresh(theirs).state == State.DELIBERATION
    assert pki.signature_count(current_pdf(theirs)) == 3


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("tampered", sig.TAMPERED),
        ("other_document", sig.OTHER_DOCUMENT),
        ("untrusted", sig.UNTRUSTED),
        ("wrong_signer", "wrong_signer"),
        ("not_a_pdf", sig.NOT_A_PDF),
        ("unsigned", sig.NO_NEW_SIGNATURE),
        ("javascript", uploads.PDF_JAVASCRIPT),
    ],
)
def test_refused_uploads_change_nothing_and_say_why(draft, people, qualified, keys, case, message):
    o = walk_to(draft, State.SIGNATURE, people)
    document = current_pdf(o)
    satta = keys["dirigente_satta"]
    if case == "tampered":
        signed = pki.sign(document, satta)
        i = signed.index(b"/BaseVersion /1.7", len(document)) + len(b"/BaseVersion /1.")
        content = signed[:i] + b"8" + signed[i + 1 :]
    elif case == "other_document":
        other = ObjectiveFactory(plan=o.plan, responsible=people["dirigente_satta"], code="2023_9999")
        walk_to(other, State.SIGNATURE, people)
        content = pki.sign(current_pdf(other), satta)
    elif case == "untrusted":
        rogue = pki.authority("Altra CA").signer(given_name="Sabrina", surname="Satta", fiscal_code=SATTA_CF)
        content = pki.sign(document, rogue)
    elif case == "wrong_signer":
        content = pki.sign(document, keys["dirigente_rossi"])
        message = sig.WRONG_SIGNER.format(
            holder=f"Paolo Rossi, codice fiscale {ROSSI_CF}",
            expected=f"Sabrina Satta, codice fiscale {SATTA_CF}",
        )
    elif case == "not_a_pdf":
        content = b"\x89PNG\r\n\x1a\n"
    elif case == "javascript":  # a script added to the document, then signed: every PDF upload's check
        content = pki.sign(with_open_action_script(document), satta)
    else:
        content = document
    before = snapshot(o)
    files_before = SignedDocument.objects.get(items__objective=o).current_id
    with pytest.raises(errors.InvalidInput) as exc:
        upload(o, "dirigente_satta", people, keys, content=content)
    assert exc.value.message == message
    assert snapshot(o) == before
    assert SignedDocument.objects.get(items__objective=o).current_id == files_before


def test_name_matching_accepts_the_name_on_the_certificate(draft, people, qualified, ca):
    qualified.signer_match = SignerMatch.NAME
    qualified.save()
    o = walk_to(draft, State.SIGNATURE, people)
    no_cf = ca.signer(given_name="SABRINA", surname="SATTA")
    upload(o, "dirigente_satta", people, {"dirigente_satta": no_cf})
    assert Signature.objects.get(objective=o).certificate_fiscal_code == ""


def test_a_signer_who_already_signed_or_is_not_a_signer_is_refused_before_any_check(
    draft, people, qualified, keys
):
    o = walk_to(draft, State.SIGNATURE, people)
    upload(o, "dirigente_satta", people, keys)
    with pytest.raises(errors.Forbidden) as exc:
        upload(o, "dirigente_satta", people, keys)
    assert exc.value.message == errors.ALREADY_SIGNED
    with pytest.raises(errors.Forbidden) as exc:
        upload(o, "dirigente_rossi", people, keys)
    assert exc.value.message == errors.NOT_A_SIGNER


def test_a_stale_page_is_refused(draft, people, qualified, keys):
    o = walk_to(draft, State.SIGNATURE, people)
    seen = fresh(o).lock_version
    upload(o, "segretario", people, keys)
    with pytest.raises(errors.StaleObjective):
        upload(
            o,
            "dirigente_satta",
            people,
            keys,
            content=pki.sign(current_pdf(o), keys["dirigente_satta"]),
            lock_version=seen,
        )


def test_the_transition_service_takes_the_signed_file_from_the_page(draft, people, qualified, keys):
    o = walk_to(draft, State.SIGNATURE, people)
    signed = pki.sign(current_pdf(o), keys["dirigente_satta"])
    moved = objective_transition(
        objective_id=o.pk,
        name="sign",
        by=people["dirigente_satta"],
        lock_version=fresh(o).lock_version,
        data={"comment": ""},
        files={"signed_pdf": pdf_upload("firmato.pdf", signed)},
    )
    assert moved.state == State.SIGNATURE
    assert Signature.objects.get(objective=o).method == SignatureMethod.PADES


def test_approval_by_login_is_refused_in_a_qualified_body_and_upload_in_a_login_body(draft, people, keys):
    o = walk_to(draft, State.SIGNATURE, people)
    signed = pki.sign(current_pdf(o), keys["dirigente_satta"])
    with pytest.raises(errors.InvalidInput) as exc:
        upload(o, "dirigente_satta", people, keys, content=signed)
    assert "approvazione con accesso autenticato" in exc.value.message
    act(o, "sign", people["dirigente_satta"])  # login mode: unchanged, recorded as such
    assert Signature.objects.get(objective=o).method == SignatureMethod.LOGIN
    assert StepRecord.objects.get(objective=o, transition="sign").data["method"] == "login"


def test_the_sign_form_asks_for_the_file_in_a_qualified_body(body, qualified):
    from flows.steps.objective import OBJECTIVE

    form = OBJECTIVE.step("sign").bound_form({}, {}, body=qualified)
    assert "confirm" not in form.fields and not form.is_valid()
    assert form.errors["signed_pdf"] == [SIGNED_PDF_REQUIRED]
    qualified.signature_mode = "login"
    assert "signed_pdf" not in OBJECTIVE.step("sign").bound_form(body=qualified).fields


# -- downloads -----------------------------------------------------------------------------------------
def test_download_permissions(client, draft, people, other_body):
    from tests.factories import member

    o = walk_to(draft, State.SIGNATURE, people)
    document = SignedDocument.objects.get()
    url = reverse("approvals:document_file", args=[o.pk, document.pk, "corrente"])
    for who in ("dirigente_rossi", "revisore", "sindacato", "segretario"):
        client.force_login(people[who])
        response = client.get(url)
        assert response.status_code == 200, who
        assert response.getvalue() == bytes(document.current.content)
        assert response["Content-Type"] == "application/pdf"
    for who in ("funzionario_bianchi",):
        client.force_login(people[who])
        assert client.get(url).status_code == 404
    stranger = member("estraneo", other_body, "segreteria")
    client.force_login(stranger)
    assert client.get(url).status_code == 404
    client.force_login(people["revisore"])
    assert (
        client.get(reverse("approvals:document_file", args=[o.pk, document.pk, "altro"])).status_code == 404
    )
    other = ObjectiveFactory(plan=o.plan, responsible=people["dirigente_satta"], code="2023_8888")
    assert (
        client.get(reverse("approvals:document_file", args=[other.pk, document.pk, "corrente"])).status_code
        == 404
    )
    client.logout()
    assert client.get(url).status_code == 302


def test_the_objective_page_shows_the_document_and_how_to_sign(client, draft, people, qualified):
    o = walk_to(draft, State.SIGNATURE, people)
    client.force_login(people["dirigente_satta"])
    page = client.get(reverse("workflow:objective_detail", args=[o.pk])).content.decode()
    assert "Scarica il documento da firmare" in page and "Come firmare" in page
    assert 'name="signed_pdf"' in page and 'name="confirm"' not in page


# -- the adoption act's PDF -------------------------------------------------------------------------------
def test_the_act_pdf_is_required_and_checked(draft, people):
    o = walk_to(draft, State.DELIBERATION, people)
    before = snapshot(o)
    with pytest.raises(errors.InvalidInput) as exc:
        act(o, "adopt", people["segreteria"], files={})
    assert ACT_FILE_REQUIRED in exc.value.problems[0]
    with pytest.raises(errors.InvalidInput) as exc:
        act(
            o, "adopt", people["segreteria"], files={"act_file": pdf_upload("atto.pdf", b"GIF89a non un pdf")}
        )
    assert ACT_FILE_NOT_PDF in exc.value.problems[0]
    assert snapshot(o) == before


def test_one_act_file_for_a_batch_shown_on_every_objective(client, plan, people):
    objectives = [
        walk_to(
            ObjectiveFactory(plan=plan, responsible=people["dirigente_satta"]), State.DELIBERATION, people
        )
        for _ in range(2)
    ]
    objectives_batch_transition(
        objective_ids=[o.pk for o in objectives],
        name="adopt",
        by=people["segreteria"],
        data=VALID_INPUT["adopt"],
        files=files_for("adopt"),
    )
    adoption = AdoptionAct.objects.get()
    assert adoption.file.content_type == "application/pdf" and bytes(adoption.file.content).startswith(
        b"%PDF-"
    )
    client.force_login(people["revisore"])
    for o in objectives:
        page = client.get(reverse("workflow:objective_detail", args=[o.pk])).content.decode()
        assert "Decreto del Presidente n. 12 del 01/03/2023" in page
        url = reverse("approvals:act_file", args=[o.pk, adoption.pk])
        assert url in page
        assert client.get(url).getvalue() == bytes(adoption.file.content)
    lonely = ObjectiveFactory(plan=plan, responsible=people["dirigente_satta"], code="2023_7777")
    assert client.get(reverse("approvals:act_file", args=[lonely.pk, adoption.pk])).status_code == 404


def test_the_page_shows_a_refused_upload_next_to_the_file_field(client, draft, people, qualified, keys):
    o = walk_to(draft, State.SIGNATURE, people)
    wrong = pki.sign(current_pdf(o), keys["dirigente_rossi"])
    client.force_login(people["dirigente_satta"])
    response = client.post(
        reverse("workflow:objective_transition", args=[o.pk, "sign"]),
        {
            "lock_version": fresh(o).lock_version,
            "comment": "",
            "signed_pdf": pdf_upload("firmato.pdf", wrong),
        },
    )
    assert response.status_code == 400
    form = next(a["form"] for a in response.context["actions"] if a["name"] == "sign")
    assert form.errors["signed_pdf"][0].startswith("La firma è di Paolo Rossi")
    assert fresh(o).state == State.SIGNATURE and not Signature.objects.exists()


def test_the_page_refuses_a_file_sent_to_a_body_that_signs_by_login(client, draft, people, keys):
    o = walk_to(draft, State.SIGNATURE, people)
    signed = pki.sign(current_pdf(o), keys["dirigente_satta"])
    client.force_login(people["dirigente_satta"])
    response = client.post(
        reverse("workflow:objective_transition", args=[o.pk, "sign"]),
        {
            "lock_version": fresh(o).lock_version,
            "confirm": "on",
            "signed_pdf": pdf_upload("firmato.pdf", signed),
        },
    )
    assert response.status_code == 400
    form = next(a["form"] for a in response.context["actions"] if a["name"] == "sign")
    assert form.errors["confirm"] == [SIGN_LOGIN_MODE]
    assert fresh(o).state == State.SIGNATURE and not Signature.objects.exists()


def test_an_upload_does_not_sign_an_objective_whose_current_document_is_another(
    plan, people, qualified, keys
):
    """Of a batch's document, an objective returned to drafting and frozen again in a document of its own
    is signed on that one only: a signature over the batch's older document does not count for it."""
    first, second = (ObjectiveFactory(plan=plan, responsible=people["dirigente_satta"]) for _ in range(2))
    for o in (first, second):
        walk_to(o, State.UNION_CONSULTATION, people)
    objectives_batch_transition(
        objective_ids=[first.pk, second.pk],
        name="close_consultation",
        by=people["segreteria"],
        data=VALID_INPUT["close_consultation"],
    )
    act(second, "return_to_drafting", people["segreteria"])
    walk_to(second, State.SIGNATURE, people)
    assert SignedDocument.objects.count() == 2
    moved = upload(first, "dirigente_satta", people, keys)  # the batch's document, signed on first's page
    assert [o.pk for o in moved] == [first.pk]
    assert not Signature.objects.filter(objective=second).exists()
    upload(second, "dirigente_satta", people, keys)  # on its own document
    assert Signature.objects.get(objective=second).document == SignedDocument.objects.latest("id")


def test_a_timestamped_upload_keeps_the_timestamp_and_the_page_shows_it(
    client, draft, people, qualified, keys, ca
):
    o = walk_to(draft, State.SIGNATURE, people)
    signed = pki.sign(current_pdf(o), keys["dirigente_satta"], timestamper=ca.timestamper())
    upload(o, "dirigente_satta", people, keys, content=signed)
    s = Signature.objects.get(objective=o)
    assert s.timestamp_at is not None
    entry = AuditEntry.objects.get(action="signature.upload")
    assert entry.payload["data"]["timestamp_at"] == s.timestamp_at.isoformat()
    client.force_login(people["dirigente_satta"])
    page = client.get(reverse("workflow:objective_detail", args=[o.pk])).content.decode()
    assert "marca temporale del " + timezone.localtime(s.timestamp_at).strftime("%d/%m/%Y %H:%M:%S") in page


def test_the_published_file_signed_by_upload_is_valid_for_the_application_and_for_pdfsig(
    draft, people, qualified, keys, ca, tmp_path
):
    """The independent check of what citizens download: every signature of the published file valid and
    trusted for pyHanko and for poppler's pdfsig."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    from approvals.models import PublishedRevision
    from tests.support import pdfsig

    o = walk_to(draft, State.SIGNATURE, people)
    upload(o, "dirigente_satta", people, keys)
    upload(o, "segretario", people, keys)
    o = walk_to(o, State.PUBLISHED, people)
    content = bytes(PublishedRevision.objects.get(objective=o).signed_pdf.content)
    embedded = PdfFileReader(io.BytesIO(content), strict=False).embedded_signatures
    assert len(embedded) >= 2
    for signature in embedded:
        status = validate_pdf_signature(signature, ValidationContext(trust_roots=[ca.asn1]))
        assert status.intact and status.valid and status.trusted, signature.field_name
    published = tmp_path / "pubblicato.pdf"
    published.write_bytes(content)
    report = pdfsig.report(published, pdfsig.nss_database(tmp_path / "nss", ca.pem))
    verdicts = pdfsig.verdicts(report)
    assert len(verdicts) == len(embedded) and set(verdicts) == {"Signature is Valid."}, report
    assert report.count("Certificate Validation: Certificate is Trusted.") == len(embedded), report
