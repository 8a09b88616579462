import io
import json
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import AuditEntry
from tests.factories import ObjectiveFactory
from workflow.interchange import schema_problems
from workflow.models import Objective, Plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def exported(client, plan, people):
    for n in range(2):
        ObjectiveFactory(plan=plan, responsible=people["dirigente_satta"], code=f"2023_560{n}")
    client.force_login(people["segreteria"])
    response = client.get(reverse("workflow:plan_download", args=[plan.year, "json"]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="piao-2023-p_cr.json"'
    return json.loads(response.getvalue())


def upload(client, content: bytes, name="piano.json", year=2023):
    return client.post(
        reverse("workflow:plan_import"), {"file": SimpleUploadedFile(name, content), "year": year}
    )


def test_the_download_is_a_valid_document_and_is_logged(exported):
    assert schema_problems(exported) == []
    assert [o["code"] for o in exported["objectives"]] == ["2023_5600", "2023_5601"]
    assert AuditEntry.objects.filter(action="plan.export").count() == 1


def test_the_unions_download_only_what_they_may_see(client, plan, exported, people):
    client.force_login(people["sindacato"])
    document = json.loads(client.get(reverse("workflow:plan_download", args=[plan.year, "json"])).getvalue())
    assert document["objectives"] == []


def test_the_csv_download_holds_three_tables(client, plan, exported):
    response = client.get(reverse("workflow:plan_download", args=[plan.year, "zip"]))
    archive = zipfile.ZipFile(io.BytesIO(response.getvalue()))
    assert sorted(archive.namelist()) == ["fasi.csv", "indicatori.csv", "obiettivi.csv"]
    objectives = archive.read("obiettivi.csv").decode("utf-8-sig").splitlines()
    assert objectives[0].startswith("code,title,strategic_objective,weight") and len(objectives) == 3
    assert len(archive.read("fasi.csv").decode("utf-8-sig").splitlines()) == 1 + 4


def test_upload_preview_confirm_and_a_second_confirm(client, plan, exported, people):
    exported["objectives"][0]["title"] = "Titolo cambiato"
    exported["strategic_objectives"][0]["linked_objectives"][0]["title"] = "Titolo cambiato"
    response = upload(client, json.dumps(exported).encode())
    page = response.content.decode()
    assert response.status_code == 200 and "Anteprima: nulla è stato ancora scritto" in page
    assert Objective.objects.get(code="2023_5600").title != "Titolo cambiato"  # nothing written yet
    token = response.context["token"]
    confirm = client.post(reverse("workflow:plan_import_confirm"), {"token": token})
    assert confirm.status_code == 302
    assert Objective.objects.get(code="2023_5600").title == "Titolo cambiato"
    again = client.post(reverse("workflow:plan_import_confirm"), {"token": token}, follow=True)
    assert "già stata eseguita o è scaduta" in again.content.decode()
    assert AuditEntry.objects.filter(action="plan.import").count() == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"{ not json", "JSON non valido alla riga 1"),
        (b"\xff\xfe\x00binary", "non è testo UTF-8"),
        (
            b'{"year": 2023, "strategic_objectives": [], "objectives": [{"code": "x"}]}',
            "formato di interscambio",
        ),
        (
            b'{"year": 2022, "strategic_objectives": [], "objectives": []}',
            "Il documento è del 2022, non del 2023.",
        ),
    ],
)
def test_bad_files_are_refused_next_to_the_field_and_nothing_is_written(
    client, plan, exported, content, message
):
    before = (Objective.objects.count(), Plan.objects.count(), AuditEntry.objects.count())
    response = upload(client, content)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert (Objective.objects.count(), Plan.objects.count(), AuditEntry.objects.count()) == before


@pytest.mark.parametrize("who", ["dirigente_satta", "revisore", "sindacato"])
def test_only_the_segreteria_imports(client, plan, exported, people, who):
    client.force_login(people[who])
    assert client.get(reverse("workflow:plan_import")).status_code == 403
    assert upload(client, json.dumps(exported).encode()).status_code == 403
    assert client.post(reverse("workflow:plan_import_confirm"), {"token": "x"}).status_code == 403


def test_unknown_download_format_is_not_found(client, plan, exported):
    assert client.get(f"/piani/{plan.year}/esporta.xml").status_code == 404
    assert client.get(reverse("workflow:plan_download", args=[1999, "json"])).status_code == 404


def test_the_preview_tells_nothing_of_the_people_of_another_body(
    client, exported, people, other_body, segreteria_crema
):
    """Sabrina Satta has an account, as a dirigente of the Provincia; to the Segreteria of Crema her name
    reads like a name nobody has: without a dirigente's account in this body, and she is linked to nothing."""
    exported["objectives"][0]["responsible"] = "SATTA SABRINA"
    exported["objectives"][1]["responsible"] = "NERI GINO"
    client.force_login(segreteria_crema)
    response = upload(client, json.dumps(exported).encode())
    assert response.status_code == 200
    assert response.context["preview"].unmatched == ["SATTA SABRINA", "NERI GINO"]
    page = response.content.decode()
    assert "Responsabili senza account di dirigente in questo ente" in page
    assert "<li>SATTA SABRINA</li>" in page and "<li>NERI GINO</li>" in page
    confirm = client.post(reverse("workflow:plan_import_confirm"), {"token": response.context["token"]})
    assert confirm.status_code == 302
    imported = Objective.objects.filter(plan__body=other_body)
    assert imported.count() == 2 and not imported.filter(responsible__isnull=False).exists()


@pytest.mark.parametrize(
    "name", ["report-2023.pdf", "report-2023-layout.txt"], ids=["pdf", "testo-allineato"]
)
def test_the_report_uploads_as_its_pdf_or_its_aligned_text(client, people, name):
    client.force_login(people["segreteria"])
    content = (Path(__file__).resolve().parents[1] / "fixtures" / "report_forms" / name).read_bytes()
    before = (Objective.objects.count(), AuditEntry.objects.count())
    response = upload(client, content, name=name)
    page = response.content.decode()
    assert response.status_code == 200 and "Anteprima: nulla è stato ancora scritto" in page
    assert len(response.context["preview"].created) == 51
    assert (Objective.objects.count(), AuditEntry.objects.count()) == before
