"""Print the head of the evidence log (entries and last hash), to be kept outside the database."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from audit import services


class Command(BaseCommand):
    help = (
        "Stampa l'ancora del registro di audit (numero di voci e impronta dell'ultima) nella forma "
        "VOCI:IMPRONTA, da conservare fuori dal database e da ripassare a verify_audit --anchor."
    )

    def handle(self, *args, **options):
        count, digest = services.anchor()
        self.stdout.write(f"{count}:{digest}")
