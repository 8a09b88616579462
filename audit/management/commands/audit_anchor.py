"""Print the heads of the evidence log's chains (entries and last hash), to be kept outside the database."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from audit import services
from audit.models import LEGACY_CHAIN


class Command(BaseCommand):
    help = (
        "Stampa l'ancora di ogni catena del registro di audit (una per ente e una per l'installazione) nella "
        "forma NOME:VOCI:IMPRONTA, da conservare fuori dal database e da ripassare a verify_audit --anchor; "
        "con --body quella di un solo ente."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--body",
            metavar="CODICE_IPA",
            help="L'ancora della sola catena di questo ente («installazione» per quella dell'installazione).",
        )

    def handle(self, *args, body, **options):
        if body is not None:
            chain = services.chain_named(body)
            if chain is None:
                raise CommandError(f"Nessun ente ha il codice IPA «{body}».")
            chains = [chain]
        else:
            chains = [c for c in services.chains() if c != LEGACY_CHAIN]
        for chain in chains:
            count, digest = services.anchor(chain)
            self.stdout.write(f"{services.anchor_name(chain)}:{count}:{digest}")
