"""The union consultation through HTTP: what each person sees and may post, 404 for another body, 403 for
the wrong role, 400 with the message next to the field, and nothing a union representative should not
read (drafts, internal comments, the history of saves)."""

import datetime as dt
import html
from contextlib import contextmanager
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import get_resolver, reverse
from django.utils import timezone

from approvals.models import ConfrontoRequest, Meeting, Observation, StoredFile, UnionInformation
from approvals.selectors.consultation import current_information, request_deadline
from approvals.views import consultation as views
from flows import errors
from flows.forms import PROTOCOL_DATE_REQUIRED
from flows.services import consultation as svc
from notifications.models import Notification
from tests.factories import Role, member
from tests.support import act, fresh, last_step, small_pdf, walk_to
from workflow.models import State
from workflow.rules import DATE_OUT_OF_RANGE

pytestmark = pytest.mark.django_db

ROME = ZoneInfo("Europe/Rome")
SENT = dt.datetime(2026, 3, 2, 10, 0, tzinfo=ROME)
UC = State.UNION_CONSULTATION
RETURN_REASON = "Motivo interno: manca l'indicatore di efficienza"
APPROVE_COMMENT = "Nota interna della Segreteria"


@contextmanager
def frozen(at):
    with mock.patch("django.utils.timezone.now", return_value=at.astimezone(dt.UTC)):
        yield


def text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def other_union(other_body):
    return member("sindacato_crema", other_body, Role.SINDACATO, first_name="Ugo", last_name="Serra")


@pytest.fixture
def consulted(draft, people):
    """An objective in consultation that was once returned with an internal reason."""
    walk_to(draft, State.SUBMITTED, people)
    act(draft, "return_to_drafting", people["segreteria"], data={"comment": RETURN_REASON})
    walk_to(draft, State.SUBMITTED, people)
    act(draft, "approve", people["segreteria"], data={"comment": APPROVE_COMMENT})
    return fresh(draft)


def info_url(name, information):
    return reverse(f"approvals:{name}", args=[information.pk])


def detail(objective):
    return reverse("workflow:objective_detail", args=[objective.pk])


def observe_url(objective):
    return reverse("approvals:post_observation", args=[objective.pk])


# -- what a union representative sees ----------------------------------------------------------------------
def test_union_rep_sees_no_draft(client, draft, people):
    client.force_login(people["sindacato"])
    assert client.get(detail(draft)).status_code == 404
    assert client.post(observe_url(draft), {"text": "x"}).status_code == 404
    assert not Observation.objects.exists()


def test_union_rep_sees_no_internal_comment(client, consulted, people):
    client.force_login(people["segreteria"])
    page = text(client.get(detail(consulted)))
    assert RETURN_REASON in page and APPROVE_COMMENT in page and "Storico delle versioni" in page

    client.force_login(people["sindacato"])
    response = client.get(detail(consulted))
    page = text(response)
    assert response.status_code == 200
    assert RETURN_REASON not in page
    assert APPROVE_COMMENT not in page
    assert "Storico delle versioni" not in page
    assert reverse("audit:versions", args=[consulted.pk]) not in page
    assert "Consultazione sindacale" in page and 'data-testid="nuova-osservazione"' in page
    assert client.get(reverse("audit:versions", args=[consulted.pk])).status_code in (403, 404)


def test_union_rep_sees_the_closing_outcome_and_summary(client, consulted, people):
    svc.confronto_request(
        information_id=current_information(consulted).pk, text="Chiediamo", by=people["sindacato"]
    )
    act(
        consulted,
        "close_consultation",
        people["segreteria"],
        data={
            "outcome": "agreement",
            "summary": "Posizioni convergenti sui carichi di lavoro.",
            "early_reason": "Confronto concluso prima del termine",
        },
    )
    client.force_login(people["sindacato"])
    page = text(client.get(detail(consulted)))
    assert "Confronto concluso con accordo" in page
    assert "Posizioni convergenti sui carichi di lavoro." in page
    assert 'data-testid="nuova-osservazione"' not in page  # the thread is closed


# -- another body's people: 404 everywhere -----------------------------------------------------------------
def test_another_bodys_union_rep_finds_nothing(client, consulted, people, other_union):
    information = current_information(consulted)
    client.force_login(other_union)
    for url in (
        info_url("information_detail", information),
        info_url("information_letter", information),
        info_url("information_letter_pdf", information),
        detail(consulted),
        reverse("approvals:objective_information", args=[consulted.pk]),
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(info_url("request_confronto", information), {"text": "x"}).status_code == 404
    assert client.post(observe_url(consulted), {"text": "x"}).status_code == 404
    assert not ConfrontoRequest.objects.exists() and not Observation.objects.exists()
    assert information.body.name not in text(client.get(reverse("approvals:consultation_home")))


def test_consultation_page_is_for_unions_and_staff(client, people):
    client.force_login(people["funzionario_bianchi"])
    assert client.get(reverse("approvals:consultation_home")).status_code == 403
    client.force_login(people["sindacato"])
    page = text(client.get(reverse("approvals:consultation_home")))
    assert 'href="/consultazione/"' in page  # in the main menu


# -- the request for confronto ------------------------------------------------------------------------------
def test_request_through_the_page(client, consulted, people):
    information = current_information(consulted)
    client.force_login(people["sindacato"])
    page = text(client.get(info_url("information_detail", information)))
    assert "Chiedi il confronto" in page
    response = client.post(info_url("request_confronto", information), {"text": "Chiediamo il confronto."})
    assert response.status_code == 302
    assert ConfrontoRequest.objects.get().text == "Chiediamo il confronto."
    page = text(client.get(info_url("information_detail", information)))
    assert "Hai chiesto il confronto" in page and 'data-testid="chiedi-confronto"' not in page
    response = client.post(info_url("request_confronto", information), {"text": "Ancora"}, follow=True)
    assert "Hai già chiesto il confronto" in text(response)
    assert ConfrontoRequest.objects.count() == 1


def test_request_without_text_is_400_next_to_the_field(client, consulted, people):
    client.force_login(people["sindacato"])
    response = client.post(info_url("request_confronto", current_information(consulted)), {"text": " "})
    assert response.status_code == 400
    assert 'id="id_richiesta-text_error"' in text(response) and svc.REQUEST_TEXT_REQUIRED in text(response)
    assert not ConfrontoRequest.objects.exists()


def test_the_button_is_gone_after_the_deadline_and_the_server_refuses(client, consulted, people):
    information = current_information(consulted)
    UnionInformation.objects.filter(pk=information.pk).update(
        sent_at=SENT, request_until=request_deadline(SENT, information.body)
    )
    client.force_login(people["sindacato"])
    with frozen(dt.datetime(2026, 3, 7, 22, 0, tzinfo=ROME)):  # day 5
        assert 'data-testid="chiedi-confronto"' in text(
            client.get(info_url("information_detail", information))
        )
    with frozen(dt.datetime(2026, 3, 8, 9, 0, tzinfo=ROME)):  # day 6
        page = text(client.get(info_url("information_detail", information)))
        assert 'data-testid="chiedi-confronto"' not in page
        assert "Il termine per chiedere il confronto è scaduto." in page
        response = client.post(
            info_url("request_confronto", information), {"text": "In ritardo"}, follow=True
        )
    assert svc.REQUEST_TOO_LATE.format(until="07/03/2026 alle 23:59") in text(response)
    assert not ConfrontoRequest.objects.exists()


@pytest.mark.parametrize("who", ["segreteria", "dirigente_satta", "revisore"])
def test_only_union_reps_request_through_the_page(client, consulted, people, who):
    client.force_login(people[who])
    response = client.post(info_url("request_confronto", current_information(consulted)), {"text": "x"})
    assert response.status_code == 403
    assert not ConfrontoRequest.objects.exists()


# -- meetings ---------------------------------------------------------------------------------------------
def meeting_post(**extra):
    return {
        "held_on": f"{timezone.localtime():%Y-%m-%dT%H:%M}",  # this minute: after the information was sent
        "participants": "Giulia Verdi; Carlo Galli (RSU)",
        "minutes": "Discussi gli indicatori.",
        **extra,
    }


def test_meeting_with_attachment(client, consulted, people):
    information = current_information(consulted)
    svc.confronto_request(information_id=information.pk, text="Chiediamo", by=people["sindacato"])
    client.force_login(people["segreteria"])
    assert 'data-testid="registra-incontro"' in text(client.get(info_url("information_detail", information)))
    bad = SimpleUploadedFile("verbale.docx", b"PK\x03\x04 not a pdf", content_type="application/pdf")
    response = client.post(info_url("record_meeting", information), meeting_post(attachment=bad))
    assert response.status_code == 400 and views.ATTACHMENT_TYPE in text(response)
    future = client.post(info_url("record_meeting", information), meeting_post(held_on="2099-01-01T10:00"))
    assert future.status_code == 400 and views.HELD_IN_FUTURE in text(future)
    assert not Meeting.objects.exists() and not StoredFile.objects.exists()

    minutes = small_pdf("verbale firmato")
    pdf = SimpleUploadedFile("verbale.pdf", minutes, content_type="application/pdf")
    response = client.post(info_url("record_meeting", information), meeting_post(attachment=pdf))
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    client.force_login(people["sindacato"])
    page = text(client.get(info_url("information_detail", information)))
    assert "Discussi gli indicatori." in page and "mancano 30 giorni" in page
    download = client.get(reverse("approvals:meeting_attachment", args=[meeting.pk]))
    assert download.status_code == 200 and download.getvalue() == minutes


def test_meeting_before_the_information_or_the_request_is_400_next_to_the_field(client, consulted, people):
    information = current_information(consulted)
    yesterday = timezone.localtime() - dt.timedelta(days=1)
    sent_at = yesterday.replace(hour=17, minute=0, second=0, microsecond=0)
    UnionInformation.objects.filter(pk=information.pk).update(sent_at=sent_at)
    information.refresh_from_db()
    requested = svc.confronto_request(information_id=information.pk, text="Chiediamo", by=people["sindacato"])
    client.force_login(people["segreteria"])
    before_information = svc.MEETING_BEFORE_INFORMATION.format(sent=f"{sent_at:%d/%m/%Y} alle 17:00")
    before_request = svc.MEETING_BEFORE_REQUEST.format(
        when=f"{timezone.localtime(requested.at):%d/%m/%Y alle %H:%M}"
    )
    for held_on, message in (
        (f"{sent_at:%Y-%m-%d}T09:30", before_information),  # the day it was sent, but in the morning
        (f"{sent_at:%Y-%m-%d}T18:00", before_request),
        ("0001-01-01T00:00", DATE_OUT_OF_RANGE),  # a year no database can store
    ):
        response = client.post(info_url("record_meeting", information), meeting_post(held_on=held_on))
        assert response.status_code == 400
        assert f'<ul class="errorlist" id="id_incontro-held_on_error"><li>{message}</li>' in text(response)
    assert not Meeting.objects.exists()


def test_meeting_refused_to_others(client, consulted, people, other_union):
    information = current_information(consulted)
    svc.confronto_request(information_id=information.pk, text="Chiediamo", by=people["sindacato"])
    for who, status in ((people["sindacato"], 403), (people["dirigente_satta"], 403), (other_union, 404)):
        client.force_login(who)
        assert client.post(info_url("record_meeting", information), meeting_post()).status_code == status
    assert not Meeting.objects.exists()


def test_no_meeting_form_without_a_request(client, consulted, people):
    client.force_login(people["segreteria"])
    information = current_information(consulted)
    assert 'data-testid="registra-incontro"' not in text(
        client.get(info_url("information_detail", information))
    )
    response = client.post(info_url("record_meeting", information), meeting_post(), follow=True)
    assert svc.MEETING_WITHOUT_REQUEST in text(response)
    assert not Meeting.objects.exists()


# -- observations ------------------------------------------------------------------------------------------
def test_observation_and_answers_through_the_page(client, consulted, people):
    client.force_login(people["sindacato"])
    response = client.post(observe_url(consulted), {"text": "Serve un indicatore sui carichi di lavoro."})
    assert response.status_code == 302
    obs = Observation.objects.get()
    assert obs.author_role == "sindacato"

    client.force_login(people["dirigente_satta"])
    page = text(client.get(detail(consulted)))
    assert "Serve un indicatore sui carichi di lavoro." in page and f'data-testid="rispondi-{obs.pk}"' in page
    assert 'data-testid="nuova-osservazione"' not in page  # the dirigente answers, does not open a thread
    assert (
        client.post(observe_url(consulted), {"text": "Lo aggiungiamo.", "reply_to": obs.pk}).status_code
        == 302
    )
    client.force_login(people["segreteria"])
    assert client.post(observe_url(consulted), {"text": "Confermato.", "reply_to": obs.pk}).status_code == 302
    assert list(Observation.objects.filter(reply_to=obs).values_list("author_role", flat=True)) == [
        "responsabile",
        "segreteria",
    ]

    client.force_login(people["sindacato"])
    page = text(client.get(reverse("approvals:consultation_home")))
    assert "Lo aggiungiamo." in page and "Confermato." in page  # the answers on the unions' page


@pytest.mark.parametrize("who", ["revisore", "dirigente_rossi"])
def test_others_may_not_post(client, consulted, people, who):
    obs = svc.observation_post(objective_id=consulted.pk, text="Osservazione", by=people["sindacato"])
    client.force_login(people[who])
    assert 'data-testid="nuova-osservazione"' not in text(client.get(detail(consulted)))
    assert client.post(observe_url(consulted), {"text": "x"}).status_code == 403
    assert client.post(observe_url(consulted), {"text": "x", "reply_to": obs.pk}).status_code == 403
    assert Observation.objects.count() == 1


def test_empty_observation_is_400_next_to_the_field(client, consulted, people):
    client.force_login(people["sindacato"])
    response = client.post(observe_url(consulted), {"text": "   "})
    assert response.status_code == 400
    page = text(response)
    assert 'id="id_osservazione-nuova_error"' in page and svc.OBSERVATION_EMPTY in page
    assert not Observation.objects.exists()


def test_no_edit_after_posting(client, consulted, people):
    """No URL edits a post: the only POST on the thread adds one, whatever it is sent."""
    obs = svc.observation_post(objective_id=consulted.pk, text="Testo originale", by=people["sindacato"])
    names = [n for n in get_resolver().reverse_dict if isinstance(n, str)]
    assert not [n for n in names if "observation" in n and n != "post_observation"]
    client.force_login(people["sindacato"])
    client.post(
        observe_url(consulted), {"text": "Correzione", "id": obs.pk, "pk": obs.pk, "observation": obs.pk}
    )
    for method in (client.put, client.patch, client.delete):
        assert method(observe_url(consulted)).status_code == 405
    obs.refresh_from_db()
    assert obs.text == "Testo originale"
    assert list(Observation.objects.order_by("id").values_list("text", flat=True)) == [
        "Testo originale",
        "Correzione",
    ]


def test_observation_closed_after_the_consultation(client, consulted, people):
    act(consulted, "close_consultation", people["segreteria"])
    client.force_login(people["sindacato"])
    response = client.post(observe_url(consulted), {"text": "Tardi"}, follow=True)
    assert svc.OBSERVATION_NOT_IN_CONSULTATION in text(response)
    assert not Observation.objects.exists()


# -- closing through the objective's page -----------------------------------------------------------------
def test_close_through_the_page_after_a_confronto(client, consulted, people):
    svc.confronto_request(
        information_id=current_information(consulted).pk, text="Chiediamo", by=people["sindacato"]
    )
    client.force_login(people["segreteria"])
    url = reverse("workflow:objective_transition", args=[consulted.pk, "close_consultation"])
    response = client.post(
        url, {"lock_version": fresh(consulted).lock_version, "outcome": "agreement"}, follow=True
    )
    assert errors.SUMMARY_REQUIRED in text(response)
    assert fresh(consulted).state == UC
    client.post(
        url,
        {
            "lock_version": fresh(consulted).lock_version,
            "outcome": "agreement",
            "summary": "Accordo.",
            "early_reason": "Confronto concluso prima del termine",
        },
    )
    assert fresh(consulted).state == State.SIGNATURE
    assert last_step(consulted).data["outcome"] == "agreement"


# -- the notification link and the change log ----------------------------------------------------------
def test_the_unions_notification_opens_the_information(client, consulted, people):
    information = current_information(consulted)
    client.force_login(people["sindacato"])
    page = text(client.get(reverse("notifications:inbox")))
    link = reverse("approvals:objective_information", args=[consulted.pk])
    assert link in page and "Apri l'informazione sindacale" in page
    response = client.get(link)
    assert response.status_code == 302 and response["Location"] == info_url("information_detail", information)
    letter = text(client.get(info_url("information_letter", information)))
    assert consulted.code in letter and "Come rispondere" in letter
    pdf = client.get(info_url("information_letter_pdf", information))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.getvalue().startswith(b"%PDF-")
    union_note = Notification.objects.get(recipient=people["sindacato"], transition="approve")
    assert APPROVE_COMMENT not in union_note.message and APPROVE_COMMENT not in page
    responsible_note = Notification.objects.get(recipient=people["dirigente_satta"], transition="approve")
    assert APPROVE_COMMENT in responsible_note.message


def test_the_letter_prints_its_protocol_and_who_sends_it(client, draft, people):
    walk_to(draft, State.SUBMITTED, people)
    act(draft, "approve", people["segretario"], protocol_number="PG 1234", protocol_date=dt.date(2026, 3, 2))
    information = current_information(draft)
    client.force_login(people["sindacato"])
    for name in ("information_letter", "information_detail"):
        page = text(client.get(info_url(name, information)))
        assert "PG 1234 del 02/03/2026" in page
        assert "Massimo Placchi" in page and "Segretario Generale" in page
    letter = text(client.get(info_url("information_letter", information)))
    assert "Il Segretario Generale / la Segreteria Generale" not in letter
    assert "Segretario Generale<br>Massimo Placchi" in letter


def test_the_approve_form_refuses_half_a_protocol_next_to_the_field(client, draft, people):
    walk_to(draft, State.SUBMITTED, people)
    client.force_login(people["segreteria"])
    response = client.post(
        reverse("workflow:objective_transition", args=[draft.pk, "approve"]),
        {"lock_version": fresh(draft).lock_version, "protocol_number": "PG 1234"},
    )
    assert response.status_code == 400
    assert PROTOCOL_DATE_REQUIRED in text(response)
    assert fresh(draft).state == State.SUBMITTED and not UnionInformation.objects.exists()


def test_observations_are_in_the_change_log(client, consulted, people):
    svc.observation_post(
        objective_id=consulted.pk, text="Osservazione per il registro", by=people["sindacato"]
    )
    client.force_login(people["revisore"])
    page = text(client.get(reverse("audit:change_log")))
    assert "Osservazione sindacale" in page and "Osservazione per il registro" in page
    assert "Informazione sindacale inviata" in page
