"""The transmission pages: the package download (who may, in which state), the objective page's panel,
the receipt typed through the page, and an intermediary's failure shown with a way to send again."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from approvals.models import PublishedRevision, Transmission, TransmissionStatus
from approvals.selectors.transmission import package_for
from approvals.transmission import read_package
from audit.models import AuditEntry
from flows import errors, forms
from flows.services.transmission import transmission_deliver
from tests.approvals.receiver import LOCAL, Receiver
from tests.factories import ObjectiveFactory, Role, member
from tests.support import act, fresh, small_pdf, walk_to
from workflow.models import State, TransmitterMode

pytestmark = pytest.mark.django_db

RECEIPT_PDF = small_pdf("ricevuta")


def _package_url(objective):
    return reverse("approvals:objective_package", args=[objective.pk])


def _detail(objective):
    return reverse("workflow:objective_detail", args=[objective.pk])


def _transmit_url(objective):
    return reverse("workflow:objective_transition", args=[objective.pk, "transmit"])


@pytest.fixture
def ready(draft, people):
    return walk_to(draft, State.TRANSMISSION, people)


def test_the_segreteria_downloads_the_package_of_an_objective(client, ready, people):
    client.force_login(people["segreteria"])
    response = client.get(_package_url(ready))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    expected = package_for([ready])
    assert response.getvalue() == expected.content
    assert response["Content-Disposition"] == f'attachment; filename="{expected.name}"'
    entry = AuditEntry.objects.get(action="transmission.package_download")
    assert entry.actor == people["segreteria"]
    assert entry.payload["data"]["package_sha256"] == expected.sha256


@pytest.mark.parametrize(("who", "status"), [("dirigente_satta", 403), ("revisore", 403), ("other", 404)])
def test_others_may_not_download_the_package(client, ready, people, other_body, who, status):
    user = member("segreteria_crema", other_body, Role.SEGRETERIA) if who == "other" else people[who]
    client.force_login(user)
    assert client.get(_package_url(ready)).status_code == status
    assert not AuditEntry.objects.filter(action="transmission.package_download").exists()


def test_no_package_before_the_objective_is_adopted(client, draft, people):
    o = walk_to(draft, State.DELIBERATION, people)
    client.force_login(people["segreteria"])
    response = client.get(_package_url(o))
    assert response.status_code == 409
    assert "è in deliberazione" in response.content.decode()


def test_the_package_of_several_objectives_from_the_transmission_page(client, plan, people):
    satta = people["dirigente_satta"]
    objectives = [
        walk_to(ObjectiveFactory(plan=plan, responsible=satta), State.TRANSMISSION, people) for _ in "ab"
    ]
    client.force_login(people["segreteria"])
    page = client.get(reverse("approvals:transmission_page"))
    assert page.status_code == 200
    for o in objectives:
        assert f'value="{o.pk}"' in page.content.decode()
    response = client.get(
        reverse("approvals:transmission_package"), {"obiettivi": [o.pk for o in objectives]}
    )
    assert response.status_code == 200
    manifest, _ = read_package(response.getvalue())
    assert [x["code"] for x in manifest["objectives"]] == sorted(o.code for o in objectives)
    client.force_login(satta)
    assert client.get(reverse("approvals:transmission_page")).status_code == 403


def test_the_objective_page_offers_the_package_and_shows_the_recorded_receipt(client, ready, people):
    client.force_login(people["segreteria"])
    page = client.get(_detail(ready)).content.decode()
    assert _package_url(ready) in page
    assert 'name="receipt_file"' in page
    upload = SimpleUploadedFile("ricevuta.pdf", RECEIPT_PDF)
    response = client.post(
        _transmit_url(ready),
        {
            "lock_version": fresh(ready).lock_version,
            "receipt_reference": "DFP-2023-0042",
            "receipt_date": "2023-03-02",
            "receipt_file": upload,
        },
    )
    assert response.status_code == 302 and fresh(ready).state == State.PUBLICATION
    t = Transmission.objects.get()
    assert bytes(t.receipt_file.content) == RECEIPT_PDF
    page = client.get(_detail(ready)).content.decode()
    assert "Ricevuta DFP-2023-0042 del 02/03/2023" in page
    assert reverse("approvals:transmission_receipt", args=[t.pk]) in page
    receipt = client.get(reverse("approvals:transmission_receipt", args=[t.pk]))
    assert receipt.getvalue() == RECEIPT_PDF and receipt["Content-Type"] == "application/pdf"
    stored = client.get(reverse("approvals:stored_package", args=[t.pk]))
    assert stored.getvalue() == bytes(t.package.content)
    client.force_login(people["dirigente_satta"])  # no panel, no file for whom may not read them
    assert "Trasmissione a Funzione Pubblica</h3>" not in client.get(_detail(ready)).content.decode()
    assert client.get(reverse("approvals:stored_package", args=[t.pk])).status_code == 404


def test_a_bad_receipt_file_is_shown_next_to_the_field_and_nothing_is_saved(client, ready, people):
    client.force_login(people["segreteria"])
    before = (fresh(ready).lock_version, Transmission.objects.count(), AuditEntry.objects.count())
    response = client.post(
        _transmit_url(ready),
        {
            "lock_version": fresh(ready).lock_version,
            "receipt_reference": "DFP-2023-0042",
            "receipt_date": "2023-03-02",
            "receipt_file": SimpleUploadedFile("ricevuta.pdf", b"non un pdf"),
        },
    )
    assert response.status_code == 400
    assert 'id="id_transmit-receipt_file_error"' in response.content.decode()
    assert forms.RECEIPT_FILE_TYPE in response.content.decode()
    assert (fresh(ready).lock_version, Transmission.objects.count(), AuditEntry.objects.count()) == before


def test_a_manual_body_is_asked_the_receipt_on_the_page(client, ready, people):
    client.force_login(people["segreteria"])
    response = client.post(_transmit_url(ready), {"lock_version": fresh(ready).lock_version})
    assert response.status_code == 400
    assert 'id="id_transmit-receipt_reference_error"' in response.content.decode()
    assert fresh(ready).state == State.TRANSMISSION


def test_over_http_the_page_asks_no_receipt_and_shows_attempts_and_the_way_to_send_again(
    client, ready, people, body, settings
):
    settings.TRANSMISSION_SEND_ON_COMMIT = False
    settings.TRANSMISSION_MAX_ATTEMPTS = 1
    settings.TRANSMITTER_ALLOWED_URL_PREFIXES = [LOCAL]
    client.force_login(people["segreteria"])
    with Receiver(["fail", "ok"]) as receiver:
        body.transmitter, body.transmitter_url = TransmitterMode.HTTP, receiver.url
        body.save()
        page = client.get(_detail(ready)).content.decode()
        assert 'name="receipt_reference"' not in page and 'name="receipt_file"' not in page
        response = client.post(_transmit_url(ready), {"lock_version": fresh(ready).lock_version})
        assert response.status_code == 302
        t = transmission_deliver(pk=Transmission.objects.get().pk)
        assert t.status == TransmissionStatus.FAILED
        page = client.get(_detail(ready)).content.decode()
        assert "Non consegnato (tentativi esauriti)" in page
        assert "Ultimo errore: Risposta HTTP 500 dall&#x27;intermediario." in page
        retry = reverse("approvals:transmission_retry", args=[t.pk])
        assert retry in page
        publish = client.post(
            reverse("workflow:objective_transition", args=[ready.pk, "publish"]),
            {
                "lock_version": fresh(ready).lock_version,
                "published_on": "2023-03-03",
                "url": "https://e.org/p",
            },
        )
        assert (
            publish.status_code == 302 and fresh(ready).state == State.PUBLICATION
        )  # refused: not delivered

        client.force_login(people["revisore"])
        assert client.post(retry).status_code == 403
        client.force_login(people["segreteria"])
        assert client.post(retry).status_code == 302
        t.refresh_from_db()
        assert t.status == TransmissionStatus.PENDING
        transmission_deliver(pk=t.pk)
    t.refresh_from_db()
    assert t.status == TransmissionStatus.DELIVERED
    act(ready, "publish", people["segreteria"])
    assert fresh(ready).state == State.PUBLISHED


def test_after_the_intermediary_gave_up_the_segreteria_uploads_by_hand_and_records_the_receipt(
    client, ready, people, body, settings
):
    settings.TRANSMISSION_SEND_ON_COMMIT = False
    settings.TRANSMISSION_MAX_ATTEMPTS = 1
    settings.TRANSMITTER_ALLOWED_URL_PREFIXES = [LOCAL]
    with Receiver(["refuse"]) as receiver:
        body.transmitter, body.transmitter_url = TransmitterMode.HTTP, receiver.url
        body.save()
        act(ready, "transmit", people["segreteria"], data={})
        t = transmission_deliver(pk=Transmission.objects.get().pk)
    assert t.status == TransmissionStatus.FAILED
    url = reverse("approvals:transmission_receipt_record", args=[t.pk])
    client.force_login(people["segreteria"])
    assert url in client.get(_detail(ready)).content.decode()
    page = client.get(url)
    assert page.status_code == 200
    assert reverse("approvals:stored_package", args=[t.pk]) in page.content.decode()

    before = AuditEntry.objects.count()
    bad = client.post(url, {"receipt_date": "2023-03-05"})
    assert bad.status_code == 400 and 'id="id_ricevuta-receipt_reference_error"' in bad.content.decode()
    assert AuditEntry.objects.count() == before and fresh(ready).state == State.PUBLICATION

    for who, status in (("dirigente_satta", 404), ("revisore", 403)):
        client.force_login(people[who])
        assert (
            client.post(url, {"receipt_reference": "X", "receipt_date": "2023-03-05"}).status_code == status
        )
    client.force_login(people["segreteria"])
    done = client.post(
        url,
        {
            "receipt_reference": "DFP-2023-0077",
            "receipt_date": "2023-03-05",
            "receipt_file": SimpleUploadedFile("ricevuta.pdf", RECEIPT_PDF),
        },
    )
    assert done.status_code == 302
    t.refresh_from_db()
    assert (t.status, t.receipt_reference, bytes(t.receipt_file.content)) == (
        TransmissionStatus.RECORDED,
        "DFP-2023-0077",
        RECEIPT_PDF,
    )
    assert AuditEntry.objects.filter(action="transmission.receipt_recorded").count() == 1
    assert transmission_deliver(pk=t.pk) is None  # out of the outbox for good
    again = client.post(url, {"receipt_reference": "DFP-2023-0078", "receipt_date": "2023-03-05"})
    assert again.status_code == 409 and errors.TRANSMISSION_RECEIPT_NOT_FAILED in again.content.decode()
    act(ready, "publish", people["segreteria"])
    assert PublishedRevision.objects.get(objective=ready).receipt_reference == "DFP-2023-0077"


def test_the_transmission_page_says_which_objectives_have_their_signed_pdf_in_constant_queries(
    client, plan, people
):
    """The "Documento firmato" column: present for an objective that went through signature, absent for one
    put in transmission without a document; read for all the objectives at once."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    satta = people["dirigente_satta"]
    signed = walk_to(ObjectiveFactory(plan=plan, responsible=satta), State.TRANSMISSION, people)
    bare = [ObjectiveFactory(plan=plan, responsible=satta, state=State.TRANSMISSION) for _ in "ab"]
    client.force_login(people["segreteria"])

    def page():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("approvals:transmission_page"))
        assert response.status_code == 200
        rows = {o.pk: response.content.decode().split(f'value="{o.pk}"', 1)[1][:600] for o in [signed, *bare]}
        return rows, len(captured)

    rows, few = page()
    assert "Presente" in rows[signed.pk].split("</tr>")[0]
    assert all("Assente" in rows[o.pk].split("</tr>")[0] for o in bare)
    for _ in range(4):
        ObjectiveFactory(plan=plan, responsible=satta, state=State.TRANSMISSION)
    _rows, many = page()
    assert many == few, (few, many)
