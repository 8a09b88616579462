"""The Relazione's pages: the internal page and its forms (who sees, who acts, bad input), the public page
and its files read only from the published version, the seal on the published file, and the check of a
file (``verify_relazione`` and the public verification page) on the published file, a modified copy and
another PDF."""

import csv
import io
import json
import shutil
import subprocess

import jsonschema
import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from approvals.models import PublishedRelazione, RelazioneAdoption
from approvals.relazione_pdf import MODIFIED, NOT_OURS, VALID
from approvals.services.relazione import verify_file
from tests.factories import member
from tests.support.files import pdf_upload, small_pdf
from tests.support.relazione import fresh, step, validated_plan
from workflow import relazione as relazione_data
from workflow.models import RelazioneState, Role

pytestmark = pytest.mark.django_db

PDFSIG, CERTUTIL = shutil.which("pdfsig"), shutil.which("certutil")


@pytest.fixture
def setup(plan, people):
    return validated_plan(plan, people)


@pytest.fixture
def relazione(setup):
    return setup["relazione"]


@pytest.fixture
def published(relazione, people):
    step(relazione, "adopt", people["segreteria"])
    step(relazione, "validate", people["revisore"], outcome="validata_con_osservazioni", observations="Note.")
    step(relazione, "publish", people["segreteria"])
    return PublishedRelazione.objects.get()


def page_url(plan):
    return reverse("workflow:relazione", args=[plan.year])


def public_url(plan, name="relazione", *args):
    return reverse(f"trasparenza:{name}", args=[plan.body.ipa_code, plan.year, *args])


def body_of(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


# -- the internal page -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("segreteria", 200),
        ("revisore", 200),
        ("dirigente_rossi", 200),
        ("sindacato", 403),
        ("funzionario_bianchi", 403),
    ],
)
def test_who_reads_the_page(client, setup, people, plan, who, status):
    client.force_login(people[who])
    assert client.get(page_url(plan)).status_code == status


def test_the_page_shows_the_live_results_and_the_segreteria_s_forms(client, setup, people, plan):
    client.force_login(people["segreteria"])
    page = client.get(page_url(plan)).content.decode()
    assert "2 validati" in page and "64,5 %" in page
    assert "2023_D" in page and 'data-testid="azione-adopt"' in page and 'data-testid="modulo-testi"' in page
    client.force_login(people["revisore"])
    page = client.get(page_url(plan)).content.decode()
    assert 'data-testid="azione-adopt"' not in page and 'data-testid="modulo-testi"' not in page


def test_adoption_with_bad_input_says_why_and_changes_nothing(client, setup, people, plan, relazione):
    client.force_login(people["segreteria"])
    url = reverse("workflow:relazione_step", args=[relazione.pk, "adopt"])
    base = {"lock_version": fresh(relazione).lock_version, "act_type": "delibera_giunta", "act_number": "5"}
    response = client.post(url, {**base, "act_date": "2024-06-20"})
    assert response.status_code == 400 and "Carica il PDF dell" in response.content.decode()
    response = client.post(url, {**base, "act_date": "2024-06-20", "act_file": pdf_upload(content=b"no pdf")})
    assert response.status_code == 400 and "deve essere un PDF" in response.content.decode()
    response = client.post(url, {**base, "act_date": "2023-05-01", "act_file": pdf_upload()})
    assert response.status_code == 400 and "non può precedere" in response.content.decode()
    assert fresh(relazione).state == RelazioneState.DRAFTING and not RelazioneAdoption.objects.exists()
    response = client.post(url, {**base, "act_date": "2024-06-20", "act_file": pdf_upload()})
    assert response.status_code == 302 and fresh(relazione).state == RelazioneState.ADOPTED
    # the same form again (a double click): the page is stale, nothing happens twice
    response = client.post(url, {**base, "act_date": "2024-06-20", "act_file": pdf_upload()}, follow=True)
    assert "ricarica" in response.content.decode() and RelazioneAdoption.objects.count() == 1


def test_a_step_the_person_may_not_take_is_403(client, setup, people, relazione):
    client.force_login(people["dirigente_rossi"])
    url = reverse("workflow:relazione_step", args=[relazione.pk, "adopt"])
    response = client.post(url, {"lock_version": fresh(relazione).lock_version, "act_type": "x"})
    assert response.status_code == 403


def test_the_validation_form_and_the_outcome_not_validated(client, setup, people, relazione):
    step(relazione, "adopt", people["segreteria"])
    client.force_login(people["revisore"])
    url = reverse("workflow:relazione_step", args=[relazione.pk, "validate"])
    lock = fresh(relazione).lock_version
    response = client.post(url, {"lock_version": lock, "outcome": "non_validata", "document": pdf_upload()})
    assert response.status_code == 400 and "indica le osservazioni" in response.content.decode()
    response = client.post(
        url,
        {
            "lock_version": lock,
            "outcome": "non_validata",
            "observations": "Rivedere",
            "document": pdf_upload(),
        },
    )
    assert response.status_code == 302
    assert (fresh(relazione).state, fresh(relazione).revision) == (RelazioneState.DRAFTING, 2)


def test_publishing_asks_for_confirmation(client, setup, people, relazione):
    step(relazione, "adopt", people["segreteria"])
    step(relazione, "validate", people["revisore"])
    client.force_login(people["segreteria"])
    url = reverse("workflow:relazione_step", args=[relazione.pk, "publish"])
    response = client.post(url, {"lock_version": fresh(relazione).lock_version})
    assert response.status_code == 400 and "Conferma la pubblicazione" in response.content.decode()
    assert not PublishedRelazione.objects.exists()


def test_another_body_gets_404(client, setup, people, relazione, other_body):
    stranger = member("segreteria_crema", other_body, Role.SEGRETERIA)
    client.force_login(stranger)
    for url in (
        reverse("workflow:relazione_preview", args=[relazione.pk]),
        reverse("workflow:relazione_file", args=[relazione.pk, 1]),
    ):
        assert client.get(url).status_code == 404
    url = reverse("workflow:relazione_texts", args=[relazione.pk])
    assert client.post(url, {"lock_version": 1, "presentation": "x"}).status_code == 404
    assert fresh(relazione).presentation.startswith("## Premessa")


def test_a_file_of_another_relazione_is_not_served(client, setup, people, relazione):
    step(relazione, "adopt", people["segreteria"])
    adoption = RelazioneAdoption.objects.get()
    client.force_login(people["revisore"])
    ok = client.get(reverse("workflow:relazione_file", args=[relazione.pk, adoption.document_id]))
    assert ok.status_code == 200 and body_of(ok).startswith(b"%PDF-")
    from approvals.services.files import stored_file_create

    unrelated = stored_file_create(name="altro.pdf", content=small_pdf("altro"), by=people["segreteria"])
    assert (
        client.get(reverse("workflow:relazione_file", args=[relazione.pk, unrelated.pk])).status_code == 404
    )


# -- the public pages ----------------------------------------------------------------------------------
def test_nothing_public_before_publication(client, setup, people, relazione, plan):
    step(relazione, "adopt", people["segreteria"])
    step(relazione, "validate", people["revisore"])
    assert client.get(public_url(plan), secure=True).status_code == 404
    assert client.get(public_url(plan, "relazione_pdf", 1), secure=True).status_code == 404


def test_the_public_page_and_its_files_read_the_published_version(client, published, plan, people):
    page = client.get(public_url(plan), secure=True)
    text = page.content.decode()
    assert page.status_code == 200 and "64,5 %" in text and "validata con osservazioni" in text
    assert "2023_D" in text and "non rendicontato" in text
    body = client.get(reverse("trasparenza:body", args=[plan.body.ipa_code]), secure=True).content.decode()
    assert public_url(plan) in body

    pdf = body_of(client.get(public_url(plan, "relazione_pdf", 1), secure=True))
    assert pdf == bytes(published.file.content)
    data = json.loads(body_of(client.get(public_url(plan, "relazione_json", 1), secure=True)))
    assert data == published.data and verify_file(pdf).valid
    jsonschema.validate(data, relazione_data.schema())
    rows = list(
        csv.reader(
            io.StringIO(
                body_of(client.get(public_url(plan, "relazione_csv", 1, "obiettivi"), secure=True)).decode(
                    "utf-8-sig"
                )
            )
        )
    )
    assert rows[0][0] == "codice" and [r[0] for r in rows[1:]] == ["2023_A", "2023_B", "2023_C", "2023_D"]
    assert rows[1][-1] == "43.0"
    book = load_workbook(io.BytesIO(body_of(client.get(public_url(plan, "relazione_xlsx", 1), secure=True))))
    assert book.sheetnames == ["obiettivi", "indicatori", "sintesi"]
    assert book["obiettivi"]["J2"].value == 43
    validation = body_of(client.get(public_url(plan, "relazione_validation_pdf", 1), secure=True))
    assert validation.startswith(b"%PDF-")
    assert client.get(public_url(plan, "relazione_csv", 1, "altro"), secure=True).status_code == 404
    assert client.get(public_url(plan, "relazione_pdf", 2), secure=True).status_code == 404


def test_a_new_version_in_progress_does_not_reach_the_public(client, published, plan, people):
    from flows.services import relazione as services

    second = services.relazione_new_version(
        relazione_id=published.relazione_id, by=people["segreteria"], reason="Errore"
    )
    services.relazione_texts_save(
        relazione_id=second.pk,
        by=people["segreteria"],
        presentation="Testo NON pubblicato",
        context="",
        lock_version=fresh(second).lock_version,
    )
    step(second, "adopt", people["segreteria"])
    text = client.get(public_url(plan), secure=True).content.decode()
    assert "versione 1" in text, text
    assert "Testo NON pubblicato" not in text, text[text.index("Testo NON") - 300 :][:600]


# -- the seal --------------------------------------------------------------------------------------------
def test_with_a_seal_the_published_file_is_sealed_and_verifies(sealed, authority, relazione, people):
    step(relazione, "adopt", people["segreteria"])
    step(relazione, "validate", people["revisore"])
    step(relazione, "publish", people["segreteria"])
    publication = PublishedRelazione.objects.get()
    content = bytes(publication.file.content)
    assert publication.seal_subject == sealed.subject
    assert content.startswith(bytes(publication.adoption.document.content))  # the adopted file, then the seal
    (signature,) = PdfFileReader(io.BytesIO(content)).embedded_signatures
    status = validate_pdf_signature(signature, ValidationContext(trust_roots=[authority.asn1]))
    assert status.intact and status.trusted and status.coverage.name == "ENTIRE_FILE"
    verdict = verify_file(content)
    assert verdict.outcome == VALID and any("integro" in d for d in verdict.details)
    # still a PDF 1.7 file, as PDF/A-3 requires (pyHanko would declare 2.0 for the P-256 key)
    from pypdf import PdfReader

    assert content.startswith(b"%PDF-1.7") and PdfReader(io.BytesIO(content)).trailer["/Root"].get(
        "/Version"
    ) in (None, "/1.7")

    i = len(content) // 3  # a byte changed inside the sealed range
    tampered = content[:i] + bytes([content[i] ^ 1]) + content[i + 1 :]
    verdict = verify_file(tampered)
    assert verdict.outcome in (MODIFIED, NOT_OURS) and not verdict.valid


@pytest.mark.skipif(not (PDFSIG and CERTUTIL), reason="servono pdfsig e certutil (ci/services.sh)")
def test_pdfsig_and_pdfinfo_on_the_published_file(sealed, authority, relazione, people, tmp_path):
    step(relazione, "adopt", people["segreteria"])
    step(relazione, "validate", people["revisore"])
    step(relazione, "publish", people["segreteria"])
    published = tmp_path / "relazione.pdf"
    published.write_bytes(bytes(PublishedRelazione.objects.get().file.content))
    (tmp_path / "ca.pem").write_text(authority.pem)
    nss = f"sql:{tmp_path}/nss"
    (tmp_path / "nss").mkdir()
    subprocess.run([CERTUTIL, "-N", "-d", nss, "--empty-password"], check=True, capture_output=True)  # noqa: S603
    subprocess.run(  # noqa: S603
        [CERTUTIL, "-A", "-d", nss, "-n", "ca", "-t", "CT,C,C", "-i", str(tmp_path / "ca.pem")],
        check=True,
        capture_output=True,
    )
    out = subprocess.run([PDFSIG, "-nssdir", nss, str(published)], capture_output=True, text=True).stdout  # noqa: S603
    assert (
        "Signature is Valid." in out and "Certificate is Trusted." in out and "Total document signed" in out
    ), out
    meta = subprocess.run(["pdfinfo", "-meta", str(published)], capture_output=True, text=True).stdout  # noqa: S603, S607
    assert 'pdfaid:part="3"' in meta and 'pdfaid:conformance="B"' in meta
    listed = subprocess.run(["pdfdetach", "-list", str(published)], capture_output=True, text=True).stdout  # noqa: S603, S607
    assert "relazione.json" in listed


# -- checking a file -----------------------------------------------------------------------------------
def _modified(content: bytes) -> bytes:
    """The published file with its title changed (a new file that still carries the same data)."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(content)))
    writer.add_metadata({"/Title": "Relazione ritoccata"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_verify_relazione_command(published, tmp_path, capsys):
    good = tmp_path / "relazione.pdf"
    good.write_bytes(bytes(published.file.content))
    call_command("verify_relazione", str(good))
    out = capsys.readouterr().out
    assert "Valida" in out and "versione 1" in out and "coincidono" in out

    changed = tmp_path / "modificata.pdf"
    changed.write_bytes(_modified(bytes(published.file.content)))
    with pytest.raises(SystemExit) as exit_code:
        call_command("verify_relazione", str(changed))
    out = capsys.readouterr().out
    assert exit_code.value.code == 1 and "copia modificata" in out and "non è identico" in out

    other = tmp_path / "altro.pdf"
    other.write_bytes(small_pdf("un altro documento"))
    with pytest.raises(SystemExit):
        call_command("verify_relazione", str(other))
    assert "Non è una Relazione pubblicata" in capsys.readouterr().out


def test_a_copy_with_other_data_embedded_says_the_data_differ(published):
    from approvals.relazione_pdf import render

    data = {**published.data, "totals": {**published.data["totals"], "validated": 4}}
    verdict = verify_file(render(data).content)
    assert verdict.outcome == MODIFIED and any("NON coincidono" in d for d in verdict.details)


def test_the_public_verification_page(client, published):
    url = reverse("trasparenza:verify_relazione")
    assert client.get(url, secure=True).status_code == 200
    response = client.post(url, {"file": pdf_upload("r.pdf", bytes(published.file.content))}, secure=True)
    assert response.status_code == 200 and "Valida: è una Relazione pubblicata" in response.content.decode()
    response = client.post(
        url, {"file": pdf_upload("r.pdf", _modified(bytes(published.file.content)))}, secure=True
    )
    assert "Non valida: il file è una copia modificata" in response.content.decode()
    response = client.post(url, {"file": pdf_upload("r.pdf", small_pdf("altro"))}, secure=True)
    assert "Non è una Relazione pubblicata" in response.content.decode()
    response = client.post(url, {}, secure=True)
    assert response.status_code == 400 and "Scegli il file" in response.content.decode()
    response = client.post(url, {"file": pdf_upload("r.txt", b"testo")}, secure=True)
    assert response.status_code == 200 and "non è un PDF" in response.content.decode()


def test_a_broken_pdf_is_refused_before_any_library_reads_it(published):
    verdict = verify_file(b"%PDF-1.7\n% non un vero PDF\n%%EOF")
    assert verdict.outcome == NOT_OURS and verdict.headline == "Il file non si può verificare."
    assert verify_file(bytes(published.file.content)).valid  # its own attachment is no reason to refuse it


def _queries(client, url, **kwargs) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, **kwargs).status_code == 200
    return len(captured)


def test_the_pages_read_a_fixed_number_of_times_whatever_the_number_of_objectives(
    client, setup, people, plan
):
    from decimal import Decimal as D

    from flows.services import monitoring
    from tests.factories import ObjectiveFactory
    from workflow.models import ProgressReport, State

    client.force_login(people["segreteria"])
    before = _queries(client, page_url(plan))
    period = setup["period"]
    for n in range(4):  # four more objectives, reported and validated
        o = ObjectiveFactory(
            plan=plan, responsible=people["dirigente_rossi"], state=State.PUBLISHED, code=f"2023_X{n}"
        )
        o.indicators.update(target_1=D(100), polarity="higher")
    monitoring.reports_open(period=period, by=people["segreteria"])
    for report in ProgressReport.objects.filter(period=period, objective__code__startswith="2023_X"):
        monitoring.report_save(
            report_id=report.pk,
            by=people["dirigente_rossi"],
            lock_version=None,
            explanation="",
            phases={p.phase_id: {"percent": D(100), "status": "done"} for p in report.phase_progress.all()},
            measures={m.indicator_id: {"value": D(90)} for m in report.measures.all()},
        )
        for name, who in (("submit", "dirigente_rossi"), ("check", "segreteria"), ("validate", "revisore")):
            monitoring.report_transition(report_id=report.pk, name=name, by=people[who], data={})
    assert _queries(client, page_url(plan)) == before <= 40

    step(setup["relazione"], "adopt", people["segreteria"])
    step(setup["relazione"], "validate", people["revisore"])
    step(setup["relazione"], "publish", people["segreteria"])
    client.logout()
    assert _queries(client, public_url(plan), secure=True) <= 6


def test_the_segreteria_s_small_forms(client, setup, people, plan, relazione):
    client.force_login(people["segreteria"])
    lock = fresh(relazione).lock_version
    texts = reverse("workflow:relazione_texts", args=[relazione.pk])
    response = client.post(texts, {"lock_version": lock, "presentation": "Nuova", "context": ""}, follow=True)
    assert "Testi della Relazione salvati" in response.content.decode()
    assert fresh(relazione).presentation == "Nuova"
    deadline = reverse("workflow:relazione_deadline", args=[relazione.pk])
    response = client.post(
        deadline, {"lock_version": fresh(relazione).lock_version, "deadline": "31/02/2024"}
    )
    assert response.status_code == 400 and fresh(relazione).deadline is None
    response = client.post(deadline, {"lock_version": lock, "deadline": "2024-07-31"}, follow=True)
    assert "ricarica" in response.content.decode() and fresh(relazione).deadline is None  # a stale page
    new = reverse("workflow:relazione_new_version", args=[relazione.pk])
    response = client.post(
        new, {"lock_version": fresh(relazione).lock_version, "comment": "Errore"}, follow=True
    )
    assert "solo dopo la pubblicazione" in response.content.decode()
    assert relazione.plan.relazioni.count() == 1
    response = client.post(new, {"comment": "Errore"}, follow=True)
    assert "Richiesta incompleta" in response.content.decode()


def test_a_preview_without_a_final_period_is_404_not_a_redirect(client, plan, people):
    from flows.services import relazione as services

    relazione = services.relazione_start(plan=plan, by=people["segreteria"])
    client.force_login(people["segreteria"])
    page = client.get(page_url(plan)).content.decode()
    assert "non ha un periodo di consuntivo" in page and "anteprima.pdf" not in page
    assert client.get(reverse("workflow:relazione_preview", args=[relazione.pk])).status_code == 404
