"""Check a PDF against the Relazioni sulla performance this installation published: which one it is, whether
its seal is intact, whether its embedded data match the published open data. Exit status 0 when valid, 1
when not (a modified copy, or not one of ours), 2 when the file cannot be read."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from approvals.services.relazione import verify_file


class Command(BaseCommand):
    help = (
        "Verifica un file PDF: dice se è una Relazione sulla performance pubblicata da questa "
        "installazione, quale versione, se il sigillo elettronico è integro e se i dati incorporati "
        "coincidono con i dati aperti pubblicati."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Il file PDF da verificare.")

    def handle(self, *args, **options):
        path = Path(options["file"])
        try:
            content = path.read_bytes()
        except OSError as exc:
            message = f"Non riesco a leggere «{path}»: {exc.strerror or exc}."
            raise CommandError(message, returncode=2) from exc
        verdict = verify_file(content)
        style = self.style.SUCCESS if verdict.valid else self.style.ERROR
        self.stdout.write(style(verdict.headline))
        for line in verdict.details:
            self.stdout.write(f"- {line}")
        if not verdict.valid:
            raise SystemExit(1)
