"""Walk the evidence log and report the first broken or missing entry (exit status 1 when there is one)."""

from __future__ import annotations

import re
import time

from django.core.management.base import BaseCommand, CommandError

from audit import services

ANCHOR = re.compile(r"^(\d+):([0-9a-f]{64})$")


class Command(BaseCommand):
    help = (
        "Verifica la catena di impronte del registro di audit; con --anchor controlla anche un'ancora "
        "annotata in precedenza con audit_anchor."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--anchor",
            action="append",
            default=[],
            metavar="VOCI:IMPRONTA",
            help="Un'ancora stampata da audit_anchor (si può ripetere).",
        )

    def handle(self, *args, anchor, **options):
        anchors = []
        for text in anchor:
            match = ANCHOR.match(text.strip())
            if not match:
                raise CommandError(f"Ancora non valida: «{text}» (atteso VOCI:IMPRONTA).")
            anchors.append((int(match[1]), match[2]))
        started = time.perf_counter()
        ok, checked, message = services.verify()
        if not ok:
            raise CommandError(message, returncode=1)
        for count, digest in anchors:
            anchored, anchor_message = services.check_anchor(count, digest)
            if not anchored:
                raise CommandError(anchor_message, returncode=1)
            self.stdout.write(anchor_message)
        self.stdout.write(self.style.SUCCESS(f"{message} ({time.perf_counter() - started:.1f} s)"))
