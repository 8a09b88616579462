"""Deliver the transmissions to Funzione Pubblica that are due (bodies sending through an intermediary).

Each transmission is sent by the task queue after its step's commit, and retried there; this command is the
sweep for what is due and whose task was lost (a worker stopped, the queue unreachable when the task was
queued): run it from cron every few minutes. Several at once, or beside the workers, never send the same
row twice.
"""

from django.core.management.base import BaseCommand

from approvals.models import TransmissionStatus
from flows.services.transmission import transmissions_send_due


class Command(BaseCommand):
    help = (
        "Invia all'intermediario le trasmissioni a Funzione Pubblica in attesa o da ritentare che la coda "
        "dei lavori non ha inviato. Ogni invio porta la chiave di idempotenza della trasmissione: "
        "ripeterlo non crea un secondo caricamento."
    )

    def handle(self, *args, **options):
        done = transmissions_send_due()
        delivered = sum(1 for t in done if t.status == TransmissionStatus.DELIVERED)
        failed = sum(1 for t in done if t.status == TransmissionStatus.FAILED)
        self.stdout.write(
            f"Tentativi: {len(done)}; consegnate: {delivered}; "
            f"da ritentare: {len(done) - delivered - failed}; non consegnate: {failed}."
        )
