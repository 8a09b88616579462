"""``manage.py send_digest``: one e-mail a day to each person who chose the digest, with their unread
notifications not yet e-mailed; nothing twice."""

import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from notifications import services
from notifications.models import EmailMode, Notification

pytestmark = pytest.mark.django_db


def note(user, message, *, read=False, emailed=False, objective=None):
    return Notification.objects.create(
        recipient=user,
        objective=objective,
        transition="submit",
        message=message,
        read_at=timezone.now() if read else None,
        emailed_at=timezone.now() if emailed else None,
    )


def run() -> str:
    out = io.StringIO()
    call_command("send_digest", stdout=out)
    return out.getvalue()


def test_digest_sends_each_daily_reader_their_unread_notifications_once(people, draft):
    segreteria, segretario, satta, revisore = (
        people[k] for k in ("segreteria", "segretario", "dirigente_satta", "revisore")
    )
    for user in (segreteria, segretario):
        services.email_preference_set(by=user, mode=EmailMode.DAILY)
    services.email_preference_set(by=revisore, mode=EmailMode.NEVER)
    first = note(segreteria, "Primo passaggio dell'obiettivo", objective=draft)
    second = note(segreteria, "Secondo passaggio")
    note(segreteria, "Già letta", read=True)
    note(segretario, "Per il Segretario")
    note(satta, "Subito, non nel riepilogo")  # immediate mode (the default): not in a digest
    note(revisore, "Mai per e-mail")

    assert run() == "Riepiloghi inviati: 2 (notifiche incluse: 3).\n"
    assert sorted(m.to[0] for m in mail.outbox) == ["segretario@example.org", "segreteria@example.org"]
    digest = next(m for m in mail.outbox if m.to == ["segreteria@example.org"])
    assert digest.subject == f"PIAO: riepilogo del {timezone.localdate():%d/%m/%Y} (2 notifiche)"
    assert "Gentile Giulia Verdi," in digest.body
    assert "Primo passaggio" in digest.body and "Secondo passaggio" in digest.body
    assert "Già letta" not in digest.body
    assert f"http://127.0.0.1:8000/obiettivi/{draft.pk}/" in digest.body
    assert (
        "Per ricevere queste e-mail subito, una volta al giorno o mai: http://127.0.0.1:8000/profilo/"
        in digest.body
    )
    assert "Primo passaggio dell'obiettivo" in digest.body  # plain text, not HTML-escaped
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.emailed_at and second.emailed_at

    mail.outbox.clear()
    assert run() == "Riepiloghi inviati: 0 (notifiche incluse: 0).\n"
    assert mail.outbox == []


def test_digest_skips_people_without_an_address_or_inactive(people):
    segreteria, segretario = people["segreteria"], people["segretario"]
    for user in (segreteria, segretario):
        services.email_preference_set(by=user, mode=EmailMode.DAILY)
        note(user, "Da leggere")
    segreteria.email = ""
    segreteria.save()
    segretario.is_active = False
    segretario.save()
    assert run() == "Riepiloghi inviati: 0 (notifiche incluse: 0).\n"
    assert Notification.objects.filter(emailed_at__isnull=True).count() == 2


def test_a_failing_address_does_not_stop_the_others(people, monkeypatch):
    from notifications import emails

    for user in (people["segreteria"], people["segretario"]):
        services.email_preference_set(by=user, mode=EmailMode.DAILY)
        note(user, "Da leggere")
    real = emails.compose

    def compose(user, items, **kwargs):
        if user == people["segreteria"]:
            raise OSError("mailbox unavailable")
        return real(user, items, **kwargs)

    monkeypatch.setattr(emails, "compose", compose)
    assert run() == "Riepiloghi inviati: 1 (notifiche incluse: 1).\n"
    assert Notification.objects.get(recipient=people["segreteria"]).emailed_at is None
