"""Reminders of deadlines: run once a day (cron, a systemd timer), after ``send_digest`` or before it."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from approvals.selectors.deadlines import reminders_due
from notifications.services import reminder_notify, reminder_sent_today

KIND_LABELS = {
    "adoption": "scadenza di adozione (Segreteria)",
    "consultation": "consultazioni da chiudere (Segreteria)",
    "confronto_end": "termine del confronto sindacale (Segreteria)",
    "signature": "firme attese (firmatari)",
    "drafts": "bozze da inviare (dirigenti responsabili)",
    "confronto": "richiesta di confronto in chiusura (rappresentanze sindacali)",
    "report": "rendicontazioni da inviare (dirigenti responsabili)",
    "relazione": "Relazione sulla performance da adottare (Segreteria)",
}


class Command(BaseCommand):
    help = (
        "Ricorda a chi deve agire le scadenze: adozione del piano, consultazioni sindacali da chiudere, "
        "firme attese, bozze da inviare, richieste di confronto in chiusura, rendicontazioni del "
        "monitoraggio da inviare, Relazione sulla performance da adottare. Ogni persona riceve al più "
        "un promemoria al giorno per ciascun argomento: rilanciarlo lo stesso giorno non invia nulla."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Mostra chi riceverebbe che cosa, senza inviare nulla."
        )
        parser.add_argument(
            "--data",
            help="Calcola le scadenze come nel giorno indicato (AAAA-MM-GG), alle 8:00. Per le prove.",
        )

    def handle(self, *args, **options):
        now = timezone.now()
        if options.get("data"):
            try:
                day = dt.date.fromisoformat(options["data"])
            except ValueError as exc:
                raise CommandError("Data non valida: usa il formato AAAA-MM-GG.") from exc
            now = timezone.make_aware(dt.datetime.combine(day, dt.time(8, 0)))
        dry_run = options["dry_run"]
        today = timezone.localdate(now)
        sent, already = Counter(), 0
        due = reminders_due(now)
        if dry_run:
            for reminder in due:
                if reminder_sent_today(recipient=reminder.recipient, key=reminder.key, today=today):
                    already += 1
                    continue
                sent[reminder.kind] += 1
                who = reminder.recipient.get_full_name() or reminder.recipient.get_username()
                self.stdout.write(f"- {who}: {reminder.message}")
        else:
            # One transaction: after it commits each person receives one e-mail with all their reminders.
            with transaction.atomic():
                for reminder in due:
                    notification = reminder_notify(
                        recipient=reminder.recipient,
                        key=reminder.key,
                        message=reminder.message,
                        objective=reminder.objective,
                        now=now,
                    )
                    if notification is None:
                        already += 1
                    else:
                        sent[reminder.kind] += 1
        verb = "da inviare" if dry_run else "inviati"
        self.stdout.write(
            f"Promemoria {verb}: {sum(sent.values())} (già inviati oggi: {already})."
            + (" Prova: nessuna notifica scritta." if dry_run else "")
        )
        for kind, n in sorted(sent.items()):
            self.stdout.write(f"  {KIND_LABELS.get(kind, kind)}: {n}")
