"""The daily e-mail digest: run once a day (cron, a systemd timer)."""

from django.core.management.base import BaseCommand

from notifications.services import digest_send


class Command(BaseCommand):
    help = (
        "Invia per e-mail il riepilogo giornaliero delle notifiche non lette a chi lo ha scelto nel profilo. "
        "Rilanciarlo non invia due volte le stesse notifiche."
    )

    def handle(self, *args, **options):
        messages, notifications = digest_send()
        self.stdout.write(f"Riepiloghi inviati: {messages} (notifiche incluse: {notifications}).")
