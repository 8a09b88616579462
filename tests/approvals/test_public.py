"""The public pages of Amministrazione Trasparente: anonymous, published revisions only, open data."""

import csv
import io
import json

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from approvals.models import (
    AdoptionAct,
    PublishedRevision,
    SignedDocument,
    SignedDocumentObjective,
    StoredFile,
)
from flows.services.content import objective_update
from tests.factories import ObjectiveFactory, PlanFactory, member
from tests.support import PATH, act, fresh, small_pdf, walk_to
from workflow.interchange import schema_problems
from workflow.models import Role, State, StrategicObjective

pytestmark = pytest.mark.django_db

PDF = small_pdf("documento firmato di prova")


def _url(name, *args):
    return reverse(f"trasparenza:{name}", args=args)


def _year(client, ipa="p_cr", year=2023):
    return client.get(_url("year", ipa, year))


@pytest.fixture
def published(draft, people):
    return walk_to(draft, State.PUBLISHED, people)


SOURCE = {
    "submit": State.DRAFTING,
    "approve": State.SUBMITTED,
    "close_consultation": State.UNION_CONSULTATION,
    "sign": State.SIGNATURE,
    "adopt": State.DELIBERATION,
    "transmit": State.TRANSMISSION,
    "publish": State.PUBLICATION,
}


def walk_on(objective, state, people):
    """Like ``walk_to``, from wherever the objective stands now."""
    for name, who in PATH:
        current = fresh(objective)
        if current.state == state:
            return current
        if SOURCE[name] == current.state:
            act(objective, name, current.responsible if who == "responsible" else people[who])
    current = fresh(objective)
    assert current.state == state
    return current


def _sign_document(objective, by):
    """The PDF frozen for the objective's current revision, as the signature step leaves it."""
    stored = StoredFile.objects.create(
        name="firmato.pdf", size=len(PDF), sha256=StoredFile.digest(PDF), content=PDF, created_by=by
    )
    document = SignedDocument.objects.create(
        body=objective.plan.body,
        original=stored,
        current=stored,
        content_hash="0" * 64,
        created_by=by,
        created_at=timezone.now(),
    )
    SignedDocumentObjective.objects.create(
        document=document, objective=objective, revision=objective.revision
    )
    return stored


# -- who sees what ----------------------------------------------------------------------------------
def test_anonymous_sees_only_published_objectives(client, published, plan, people):
    in_signature = walk_to(
        ObjectiveFactory(plan=plan, responsible=people["dirigente_satta"]), State.SIGNATURE, people
    )
    still_draft = ObjectiveFactory(plan=plan, responsible=people["dirigente_satta"], title="Bozza riservata")
    withdrawn = ObjectiveFactory(plan=plan, responsible=people["dirigente_satta"], title="Obiettivo ritirato")
    act(withdrawn, "withdraw", people["segreteria"])

    response = _year(client)
    assert response.status_code == 200
    text = response.content.decode()
    assert published.code in text and published.title in text
    for hidden in (in_signature, still_draft, withdrawn):
        assert hidden.code not in text
        assert client.get(_url("objective", "p_cr", 2023, hidden.code)).status_code == 404
        assert client.get(_url("revision", "p_cr", 2023, hidden.code, 1)).status_code == 404
    # the body's sub-section of Amministrazione Trasparente heads the page
    assert "Disposizioni generali" in text and "Atti generali" in text
    assert "Decreto del Presidente n. 12 del 01/03/2023" in text
    assert "03/03/2023" in text  # the publication date

    index = client.get(_url("index")).content.decode()
    assert "Provincia di Cremona" in index
    assert "2023" in client.get(_url("body", "p_cr")).content.decode()


def test_unknown_or_unpublished_addresses_are_404(client, published, draft, other_body, people):
    walk_to(
        ObjectiveFactory(
            plan=PlanFactory(body=draft.plan.body, year=2024, triennium="2024-2026"),
            code="2024_0001",
            responsible=people["dirigente_satta"],
        ),
        State.DELIBERATION,
        people,
    )
    PlanFactory(body=other_body)
    assert client.get(_url("body", "nessuno")).status_code == 404
    assert client.get(_url("body", other_body.ipa_code)).status_code == 404  # nothing published there
    assert client.get(_url("year", other_body.ipa_code, 2023)).status_code == 404
    assert _year(client, year=2024).status_code == 404  # a plan whose objectives are not published yet
    assert _year(client, year=2030).status_code == 404
    assert client.get(_url("objective", "p_cr", 2023, "2023_9999")).status_code == 404
    assert client.get(_url("revision", "p_cr", 2023, draft.code, 2)).status_code == 404
    assert client.get(_url("open_data_json", "p_cr", 2024)).status_code == 404
    assert client.get(_url("open_data_csv", "p_cr", 2023, "segreti")).status_code == 404
    assert client.get(_url("signed_pdf", "p_cr", 2023, draft.code, 2)).status_code == 404  # not published
    assert client.get(_url("act_pdf", "p_cr", 2023, draft.code, 2)).status_code == 404
    AdoptionAct.objects.filter(objectives=draft).update(file=None)  # an act registered without its PDF
    assert client.get(_url("act_pdf", "p_cr", 2023, draft.code, 1)).status_code == 404
    # a published objective of one body is not reachable under another body's code
    PlanFactory(body=other_body)
    member("segreteria_crema", other_body, Role.SEGRETERIA)
    assert client.get(_url("objective", other_body.ipa_code, 2023, draft.code)).status_code == 404


def test_only_get(client, published):
    for url in (_url("index"), _url("year", "p_cr", 2023), _url("objective", "p_cr", 2023, published.code)):
        assert client.post(url).status_code == 405


def test_public_pages_need_no_login_and_show_no_application_menu(client, published):
    response = _year(client)
    assert response.status_code == 200
    assert "Navigazione principale" not in response.content.decode()


# -- revisions --------------------------------------------------------------------------------------
def test_revision_in_progress_is_invisible(client, published, people):
    satta = people["dirigente_satta"]
    act(published, "revise", people["segreteria"])
    objective = fresh(published)
    objective_update(
        objective_id=objective.pk,
        by=satta,
        lock_version=objective.lock_version,
        fields={"title": "Titolo della revisione in corso", "purpose": "Finalità non ancora pubblicata"},
    )
    walk_to(objective, State.PUBLICATION, people)  # signed, adopted, transmitted: still not published

    for response in (_year(client), client.get(_url("objective", "p_cr", 2023, objective.code))):
        text = response.content.decode()
        assert published.title in text
        assert "Titolo della revisione in corso" not in text
        assert "Finalità non ancora pubblicata" not in text
    assert client.get(_url("revision", "p_cr", 2023, objective.code, 2)).status_code == 404
    data = json.loads(client.get(_url("open_data_json", "p_cr", 2023)).getvalue())
    assert [(o["title"], o["revision"]) for o in data["objectives"]] == [(published.title, 1)]


def test_earlier_revisions_stay_reachable(client, published, people):
    act(published, "revise", people["segreteria"])
    objective = fresh(published)
    objective_update(
        objective_id=objective.pk,
        by=people["dirigente_satta"],
        lock_version=objective.lock_version,
        fields={"title": "Titolo della revisione 2"},
    )
    walk_to(objective, State.PUBLISHED, people)
    assert PublishedRevision.objects.filter(objective=objective).count() == 2

    year = _year(client).content.decode()
    assert "Titolo della revisione 2" in year and published.title not in year

    latest = client.get(_url("objective", "p_cr", 2023, objective.code)).content.decode()
    assert "Titolo della revisione 2" in latest
    assert _url("revision", "p_cr", 2023, objective.code, 1) in latest

    first = client.get(_url("revision", "p_cr", 2023, objective.code, 1))
    assert first.status_code == 200
    text = first.content.decode()
    assert published.title in text and "Titolo della revisione 2" not in text
    assert "poi sostituita" in text


# -- downloads --------------------------------------------------------------------------------------
def test_signed_pdf_and_act_pdf_downloads(client, draft, people):
    objective = walk_to(draft, State.SIGNATURE, people)
    _sign_document(objective, people["segreteria"])
    objective = walk_on(objective, State.TRANSMISSION, people)
    act_file = StoredFile.objects.create(
        name="decreto.pdf", size=len(PDF), sha256=StoredFile.digest(PDF), content=PDF + b"atto"
    )
    AdoptionAct.objects.filter(objectives=objective).update(file=act_file)
    walk_on(objective, State.PUBLISHED, people)

    publication = PublishedRevision.objects.select_related("signed_pdf").get(objective=objective)
    # approved with authenticated access: the frozen PDF followed by the attestation of the approvals
    assert publication.signed_pdf.name == "firmato-pubblicato.pdf" and publication.attestation

    response = client.get(_url("signed_pdf", "p_cr", 2023, objective.code, 1))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f'filename="{objective.code}-rev1-firmato.pdf"' in response["Content-Disposition"]
    content = response.getvalue()
    pages = PdfReader(io.BytesIO(content)).pages
    assert len(pages) == 2 and "Attestazione delle approvazioni" in pages[1].extract_text()
    assert content == bytes(publication.signed_pdf.content)

    response = client.get(_url("act_pdf", "p_cr", 2023, objective.code, 1))
    assert response.status_code == 200 and response.getvalue() == PDF + b"atto"

    page = _year(client).content.decode()
    assert _url("signed_pdf", "p_cr", 2023, objective.code, 1) in page
    assert _url("act_pdf", "p_cr", 2023, objective.code, 1) in page


def test_each_revision_keeps_the_pdf_signed_for_it(published, people):
    act(published, "revise", people["segreteria"])
    walk_to(published, State.SIGNATURE, people)
    stored = _sign_document(fresh(published), people["segreteria"])
    walk_on(published, State.PUBLISHED, people)
    first, second = PublishedRevision.objects.filter(objective=published).order_by("revision")
    assert second.signed_pdf.name == stored.name.removesuffix(".pdf") + "-pubblicato.pdf"
    frozen = SignedDocumentObjective.objects.filter(objective=published, revision=1).select_related(
        "document__original"
    )
    # revision 1 keeps the file published from its own document (frozen when it entered signature)
    original = frozen.order_by("-document__created_at").first().document.original
    assert first.signed_pdf.name == original.name.removesuffix(".pdf") + "-pubblicato.pdf"
    assert first.signed_pdf_id != second.signed_pdf_id


def test_open_data_json_validates_and_csv_has_the_rows(client, published, plan, people):
    second = walk_to(
        ObjectiveFactory(plan=plan, responsible=people["dirigente_rossi"]), State.PUBLISHED, people
    )
    ObjectiveFactory(plan=plan, responsible=people["dirigente_satta"])  # a draft: not in the open data

    response = client.get(_url("open_data_json", "p_cr", 2023))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert 'filename="piao-p_cr-2023.json"' in response["Content-Disposition"]
    document = json.loads(response.getvalue())
    assert schema_problems(document) == []
    assert [o["code"] for o in document["objectives"]] == sorted([published.code, second.code])
    assert document["objectives"][0]["published_on"] == "2023-03-03"
    linked = document["strategic_objectives"][0]["linked_objectives"]
    assert [o["code"] for o in linked] == sorted([published.code, second.code])

    response = client.get(_url("open_data_csv", "p_cr", 2023, "obiettivi"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="piao-p_cr-2023-obiettivi.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig"))))
    assert rows[0][:2] == ["code", "title"] and rows[0][-3:] == ["revision", "published_on", "adoption_act"]
    assert [r[0] for r in rows[1:]] == sorted([published.code, second.code])
    phases = list(
        csv.reader(
            io.StringIO(
                client.get(_url("open_data_csv", "p_cr", 2023, "fasi")).getvalue().decode("utf-8-sig")
            )
        )
    )
    assert len(phases) == 1 + 4  # header and two phases for each objective
    indicators = client.get(_url("open_data_csv", "p_cr", 2023, "indicatori")).getvalue().decode("utf-8-sig")
    assert indicators.count("Tempo medio di pagamento") == 2


def test_plan_page_links_to_its_public_page_once_something_is_published(client, draft, plan, people):
    client.force_login(people["segreteria"])
    page = reverse("workflow:plan_detail", args=[plan.year])
    assert _url("year", "p_cr", 2023) not in client.get(page).content.decode()
    walk_to(draft, State.PUBLISHED, people)
    assert _url("year", "p_cr", 2023) in client.get(page).content.decode()


def test_the_strategic_objective_reads_as_published(client, published, plan):
    """A later re-import or edit of the plan's strategic objective does not change the public pages."""
    strategic = published.strategic_objective
    old_title = strategic.title
    StrategicObjective.objects.filter(pk=strategic.pk).update(
        title="Titolo riscritto dopo la pubblicazione", purposes=["Finalità nuova"]
    )
    page = _year(client).content.decode()
    assert old_title in page and "Titolo riscritto dopo la pubblicazione" not in page
    document = json.loads(client.get(_url("open_data_json", "p_cr", 2023)).getvalue())
    [group] = document["strategic_objectives"]
    assert (group["code"], group["title"]) == (strategic.code, old_title)
    assert "Finalità nuova" not in group["purposes"]


# -- the year page's list, cached per set of publications ---------------------------------------------------
def _spy_publications(monkeypatch):
    from approvals.selectors import public as selectors

    calls = []
    real = selectors.latest_publications
    monkeypatch.setattr(selectors, "latest_publications", lambda plan: calls.append(plan.pk) or real(plan))
    return calls


def test_the_year_list_is_read_once_until_the_next_publication(client, published, plan, people, monkeypatch):
    reads = _spy_publications(monkeypatch)
    first = _year(client).content.decode()
    again = _year(client).content.decode()
    assert reads == [plan.pk] and first == again  # the second reader got the cached list

    other = ObjectiveFactory(plan=plan, responsible=people["dirigente_satta"], title="Un secondo obiettivo")
    walk_to(other, State.PUBLICATION, people)
    assert f'data-testid="obiettivo-{other.code}"' not in _year(client).content.decode()  # not yet public
    walk_on(other, State.PUBLISHED, people)

    page = _year(client).content.decode()
    assert f'data-testid="obiettivo-{other.code}"' in page and "2 obiettivi pubblicati" in page
    assert reads == [plan.pk, plan.pk]  # read again only after the publication, not on the way there


def test_a_live_strategic_change_renews_the_list(client, published, plan, monkeypatch):
    reads = _spy_publications(monkeypatch)
    _year(client)
    StrategicObjective.objects.filter(plan=plan).update(title="Titolo cambiato dopo la pubblicazione")
    _year(client)
    assert len(reads) == 2


def test_the_year_page_costs_the_same_queries_with_one_or_three_publications(client, published, plan, people):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries():
        cache.clear()
        with CaptureQueriesContext(connection) as cold:
            assert _year(client).status_code == 200
        with CaptureQueriesContext(connection) as warm:
            assert _year(client).status_code == 200
        return len(cold), len(warm)

    one = queries()
    for _ in range(2):
        walk_to(ObjectiveFactory(plan=plan, responsible=people["dirigente_satta"]), State.PUBLISHED, people)
    assert "3 obiettivi pubblicati" in _year(client).content.decode()
    three = queries()
    assert one == three
    cold, warm = three
    assert warm < cold <= 10
