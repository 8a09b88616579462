"""Deliver the transmissions to Funzione Pubblica that are due (bodies sending through an intermediary).
Run it from cron every minute, or as a worker with ``--loop``. Several at once never send the same row."""

import time

from django.core.management.base import BaseCommand

from approvals.models import TransmissionStatus
from flows.services.transmission import transmissions_send_due


class Command(BaseCommand):
    help = (
        "Invia all'intermediario le trasmissioni a Funzione Pubblica in coda o da ritentare. "
        "Ogni invio porta la chiave di idempotenza della trasmissione: "
        "ripeterlo non crea un secondo caricamento."
    )

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true", help="Resta in esecuzione e ricontrolla la coda.")
        parser.add_argument(
            "--interval", type=float, default=30.0, help="Secondi tra due controlli con --loop (30)."
        )

    def handle(self, *args, loop=False, interval=30.0, **options):
        while True:
            done = transmissions_send_due()
            delivered = sum(1 for t in done if t.status == TransmissionStatus.DELIVERED)
            failed = sum(1 for t in done if t.status == TransmissionStatus.FAILED)
            self.stdout.write(
                f"Tentativi: {len(done)}; consegnate: {delivered}; "
                f"da ritentare: {len(done) - delivered - failed}; non consegnate: {failed}."
            )
            if not loop:
                return
            time.sleep(interval)
