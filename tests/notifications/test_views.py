"""The inbox page, the catch-up feed, the header's counter and the profile page."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from flows.services.content import objective_delegate, objective_revoke_delegation
from notifications.models import EmailMode, EmailPreference, Notification
from notifications.selectors import inbox_summary
from tests.support import act, walk_to
from workflow.models import State

pytestmark = pytest.mark.django_db

INBOX = reverse("notifications:inbox")
FEED = reverse("notifications:feed")
PROFILE = reverse("notifications:profile")


def make(user, n, objective=None, *, read=False):
    from django.utils import timezone

    return [
        Notification.objects.create(
            recipient=user,
            objective=objective,
            transition="submit",
            message=f"Messaggio {i}",
            read_at=timezone.now() if read else None,
        )
        for i in range(n)
    ]


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


# -- inbox ------------------------------------------------------------------------------------------------
def test_inbox_needs_login(client):
    response = client.get(INBOX)
    assert response.status_code == 302 and response["Location"].startswith("/accesso/")


def test_inbox_shows_ones_own_notifications_with_a_link_to_the_objective(client, draft, people):
    act(draft, "submit", people["dirigente_satta"])
    act(draft, "approve", people["segreteria"])
    client.force_login(people["segreteria"])
    page = text(client.get(INBOX))
    assert "Sabrina Satta ha inviato alla Segreteria" in page
    assert "è stato approvato dalla Segreteria" not in page  # satta's, not the Segreteria's
    assert f'<a href="/obiettivi/{draft.pk}/">Apri l\'obiettivo {draft.code}</a>' in page
    assert "Non letta" in page


def test_unread_filter_and_pagination(client, people):
    segreteria = people["segreteria"]
    make(segreteria, 3, read=True)
    make(segreteria, 30)
    client.force_login(segreteria)
    everything = text(client.get(INBOX))
    assert "Pagina 1 di 2" in everything and "Non lette (30)" in everything
    unread = text(client.get(INBOX, {"stato": "non-lette"}))
    assert "Pagina 1 di 2" in unread
    second = text(client.get(INBOX, {"stato": "non-lette", "pagina": 2}))
    assert second.count('class="notifica notifica-nuova"') == 5
    assert "letta il" not in second
    assert 'href="?stato=non-lette&amp;pagina=1"' in second or 'href="?stato=non-lette&pagina=1"' in second
    last = text(client.get(INBOX, {"pagina": 2}))
    assert last.count("letta il") == 3


def test_empty_inbox_says_so(client, people):
    client.force_login(people["revisore"])
    assert "Nessuna notifica, per ora." in text(client.get(INBOX))
    assert "Nessuna notifica da leggere." in text(client.get(INBOX, {"stato": "non-lette"}))


def test_mark_one_read(client, people):
    note, other = make(people["segreteria"], 2)
    client.force_login(people["segreteria"])
    response = client.post(
        reverse("notifications:mark_read", args=[note.pk]), {"next": f"{INBOX}?stato=non-lette"}
    )
    assert response.status_code == 302 and response["Location"] == f"{INBOX}?stato=non-lette"
    note.refresh_from_db()
    other.refresh_from_db()
    assert note.read_at is not None and other.read_at is None
    assert "Notifica segnata come letta." in text(client.get(INBOX))


def test_another_persons_notification_is_not_found(client, people):
    (theirs,) = make(people["segreteria"], 1)
    client.force_login(people["segretario"])
    response = client.post(reverse("notifications:mark_read", args=[theirs.pk]))
    assert response.status_code == 404
    assert "<h1>Pagina non trovata</h1>" in text(response)
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert client.post(reverse("notifications:mark_read", args=[999999])).status_code == 404


def test_mark_read_is_a_post_with_csrf(people):
    (note,) = make(people["segreteria"], 1)
    client = Client(enforce_csrf_checks=True)
    client.force_login(people["segreteria"])
    assert client.get(reverse("notifications:mark_read", args=[note.pk])).status_code == 405
    assert client.post(reverse("notifications:mark_read", args=[note.pk])).status_code == 403
    assert client.post(reverse("notifications:mark_all_read")).status_code == 403
    note.refresh_from_db()
    assert note.read_at is None


def test_an_outside_next_is_ignored(client, people):
    (note,) = make(people["segreteria"], 1)
    client.force_login(people["segreteria"])
    response = client.post(
        reverse("notifications:mark_read", args=[note.pk]), {"next": "https://evil.example/"}
    )
    assert response["Location"] == INBOX


def test_mark_all_read_touches_only_ones_own(client, people):
    make(people["segreteria"], 3)
    make(people["segretario"], 2)
    client.force_login(people["segreteria"])
    client.post(reverse("notifications:mark_all_read"))
    assert not Notification.objects.filter(recipient=people["segreteria"], read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=people["segretario"], read_at__isnull=True).count() == 2
    assert "Segnate come lette: 3." in text(client.get(INBOX))
    client.post(reverse("notifications:mark_all_read"))
    assert "Non c&#x27;erano notifiche da leggere." in text(client.get(INBOX))


def test_no_link_to_an_objective_no_longer_visible(client, draft, people):
    satta, bianchi = people["dirigente_satta"], people["funzionario_bianchi"]
    objective_delegate(objective_id=draft.pk, by=satta, delegate=bianchi)
    objective_revoke_delegation(objective_id=draft.pk, by=satta, delegate=bianchi)
    client.force_login(bianchi)
    page = text(client.get(INBOX))
    assert "ha revocato la tua delega" in page
    assert f"/obiettivi/{draft.pk}/" not in page
    assert "Non hai più accesso a questo obiettivo." in page


# -- the header's counter ------------------------------------------------------------------------------
def test_header_counts_unread_notifications(client, people, django_assert_max_num_queries):
    make(people["segreteria"], 2)
    make(people["segreteria"], 1, read=True)
    make(people["segretario"], 5)
    client.force_login(people["segreteria"])
    page = text(client.get(reverse("workflow:dashboard")))
    assert re.search(r'data-testid="notifiche">Notifiche <span [^>]*data-notifiche-contatore>2</span>', page)
    last = Notification.objects.filter(recipient=people["segreteria"]).latest("id").pk
    assert f'data-live-last="{last}"' in page
    with django_assert_max_num_queries(1):
        assert inbox_summary(people["segreteria"]) == {"unread": 2, "last_id": last}


def test_anonymous_pages_have_no_live_script(client):
    page = text(client.get(reverse("login")))
    assert "live.js" not in page and "data-live-feed" not in page


# -- the catch-up feed -----------------------------------------------------------------------------------
def test_feed_gives_what_is_newer_than_the_last_id_seen(client, draft, people):
    satta = people["dirigente_satta"]
    walk_to(draft, State.SUBMITTED, people)
    client.force_login(satta)
    seen = client.get(FEED).json()
    assert seen == {"unread": 0, "last": 0, "notifications": []}
    act(draft, "approve", people["segreteria"])
    act(draft, "close_consultation", people["segreteria"])
    data = client.get(FEED, {"dopo": seen["last"]}).json()
    approve, close = Notification.objects.filter(recipient=satta).order_by("id")
    assert data["unread"] == 2 and data["last"] == close.pk
    assert data["notifications"] == [
        {
            "id": approve.pk,
            "objective": draft.pk,
            "event": "approve",
            "text": approve.message,
            "url": f"/obiettivi/{draft.pk}/",
        },
        {
            "id": close.pk,
            "objective": draft.pk,
            "event": "close_consultation",
            "text": close.message,
            "url": f"/obiettivi/{draft.pk}/",
        },
    ]
    assert client.get(FEED, {"dopo": close.pk}).json() == {"unread": 2, "last": close.pk, "notifications": []}


def test_feed_never_shows_another_persons_notifications(client, people):
    make(people["segretario"], 3)
    client.force_login(people["segreteria"])
    assert client.get(FEED, {"dopo": 0}).json()["notifications"] == []


def test_feed_refuses_anonymous_and_bad_input_with_json(client, people):
    response = client.get(FEED)
    assert response.status_code == 401 and response.json() == {"error": "Accesso richiesto."}
    client.force_login(people["segreteria"])
    response = client.get(FEED, {"dopo": "ieri"})
    assert response.status_code == 400 and "dopo" in response.json()["error"]
    assert client.get(FEED, {"dopo": "-5"}).status_code == 200
    assert "no-store" in client.get(FEED)["Cache-Control"]


def test_feed_returns_at_most_the_newest_fifty(client, people):
    notes = make(people["segreteria"], 60)
    client.force_login(people["segreteria"])
    data = client.get(FEED, {"dopo": 0}).json()
    assert [n["id"] for n in data["notifications"]] == [n.pk for n in notes[-50:]]
    assert data["last"] == notes[-1].pk and data["unread"] == 60


# -- profile ---------------------------------------------------------------------------------------------
def test_profile_shows_the_preference_and_saves_it(client, people):
    client.force_login(people["segreteria"])
    page = text(client.get(PROFILE))
    assert "segreteria@example.org" in page and "Segreteria Generale – Provincia di Cremona" in page
    assert re.search(r'value="immediate"[^>]*checked', page)
    response = client.post(PROFILE, {"mode": "daily"})
    assert response.status_code == 302
    assert EmailPreference.objects.get(user=people["segreteria"]).mode == EmailMode.DAILY
    page = text(client.get(PROFILE))
    assert "Preferenza per le e-mail salvata." in page
    assert re.search(r'value="daily"[^>]*checked', page)


@pytest.mark.parametrize("data", [{}, {"mode": "hourly"}])
def test_profile_refuses_bad_input_with_a_message(client, people, data):
    client.force_login(people["segreteria"])
    response = client.post(PROFILE, data)
    assert response.status_code == 400
    expected = "Scegli quando ricevere le e-mail." if not data else "Scegli una delle frequenze proposte."
    assert f'<ul class="errorlist" id="id_mode_error"><li>{expected}</li></ul>' in text(response)
    assert not EmailPreference.objects.exists()


def test_profile_warns_without_an_email_address(client, people):
    people["revisore"].email = ""
    people["revisore"].save()
    client.force_login(people["revisore"])
    assert "non ha un indirizzo e-mail" in text(client.get(PROFILE))


def test_profile_needs_login(client):
    assert client.get(PROFILE).status_code == 302


def test_the_socket_address_over_plain_http_leaves_the_messages_alone(client, people):
    """A server without websockets (or a proxy not passing them) answers the page's connection attempts
    over HTTP: they must not render a page, which would use up the message meant for the next one."""
    (note,) = make(people["segreteria"], 1)
    client.force_login(people["segreteria"])
    client.post(reverse("notifications:mark_read", args=[note.pk]))
    response = client.get("/ws/notifications/")
    assert response.status_code == 426
    assert response["Upgrade"] == "websocket"
    assert "Notifica segnata come letta." in text(client.get(INBOX))
