"""Walk the evidence log's chains and report every broken one (exit status 1 when there is one)."""

from __future__ import annotations

import re
import time

from django.core.management.base import BaseCommand, CommandError

from audit import services
from audit.models import LEGACY_CHAIN

# NOME:VOCI:IMPRONTA (a chain's anchor, audit_anchor) or VOCI:IMPRONTA (the single chain before the split)
ANCHOR = re.compile(r"^(?:([^:\s]+):)?(\d+):([0-9a-f]{64})$")


class Command(BaseCommand):
    help = (
        "Verifica le catene di impronte del registro di audit: quella di ogni ente, quella "
        "dell'installazione e quella unica precedente alla divisione per ente; con --body una sola. Con "
        "--anchor controlla "
        "anche un'ancora annotata in precedenza con audit_anchor."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--body",
            metavar="CODICE_IPA",
            help="Verifica la sola catena di questo ente («installazione» per quella dell'installazione).",
        )
        parser.add_argument(
            "--anchor",
            action="append",
            default=[],
            metavar="NOME:VOCI:IMPRONTA",
            help="Un'ancora stampata da audit_anchor (si può ripetere); VOCI:IMPRONTA per un'ancora della "
            "catena unica annotata prima della divisione per ente.",
        )

    def handle(self, *args, body, anchor, **options):
        anchors = []
        for text in anchor:
            match = ANCHOR.match(text.strip())
            if not match:
                raise CommandError(f"Ancora non valida: «{text}» (atteso NOME:VOCI:IMPRONTA).")
            chain = LEGACY_CHAIN if match[1] is None else services.chain_named(match[1])
            if chain is None:
                raise CommandError(f"Ancora non valida: nessun ente ha il codice IPA «{match[1]}».")
            anchors.append((chain, int(match[2]), match[3]))
        started = time.perf_counter()
        if body is not None:
            chain = services.chain_named(body)
            if chain is None:
                raise CommandError(f"Nessun ente ha il codice IPA «{body}».")
            verdicts = [services.verify_chain(chain)]
        else:
            verdicts = services.verify_all()
        broken = [v for v in verdicts if not v.ok]
        for verdict in verdicts:
            if verdict.ok:
                self.stdout.write(verdict.message)
        if broken:
            raise CommandError("\n".join(v.message for v in broken), returncode=1)
        for chain, count, digest in anchors:
            anchored, anchor_message = services.check_anchor(chain, count, digest)
            if not anchored:
                raise CommandError(anchor_message, returncode=1)
            self.stdout.write(anchor_message)
        checked = sum(v.checked for v in verdicts if v.chain != LEGACY_CHAIN)
        self.stdout.write(
            self.style.SUCCESS(
                f"Registro integro: {checked} voci in {len(verdicts)} catene "
                f"({time.perf_counter() - started:.1f} s)."
            )
        )
