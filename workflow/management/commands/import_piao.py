"""Import a PIAO section 2.2 report (or a JSON export) into a body's plan."""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from flows import errors
from flows.services.interchange import body_for_import, plan_import
from workflow.interchange import read_document


class Command(BaseCommand):
    help = (
        "Importa gli obiettivi di performance da un report PIAO sez. 2.2 (il PDF, o il suo testo con le "
        "colonne separate da tabulazioni o allineate con spazi) o da un'esportazione JSON."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="Il file da importare.")
        parser.add_argument("--body", required=True, help="Nome dell'ente, es. «Provincia di Cremona».")
        parser.add_argument("--year", required=True, type=int, help="Anno del piano, es. 2023.")
        parser.add_argument("--format", choices=["report", "json"], default="report")
        parser.add_argument("--ipa", help="Codice IPA dell'ente, se va creato.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Mostra cosa cambierebbe senza scrivere nulla."
        )

    def handle(self, *args, path, body, year, format, ipa, dry_run, **options):
        started = time.perf_counter()
        try:
            raw = Path(path).read_bytes()
        except OSError as exc:
            raise CommandError(f"Impossibile leggere {path}: {exc.strerror}.") from exc
        try:
            document, warnings = read_document(raw, format, year)
        except ValueError as exc:  # a ReportError, or a file that is not the expected JSON
            raise CommandError(str(exc)) from exc
        try:
            with transaction.atomic():  # a body created for this import goes away with a failed one
                result = plan_import(
                    by=None,
                    body=body_for_import(name=body, ipa_code=ipa),
                    year=year,
                    document=document,
                    source=Path(path).name,
                    dry_run=dry_run,
                    warnings=warnings,
                )
                if dry_run:
                    transaction.set_rollback(True)
        except errors.WorkflowError as exc:
            raise CommandError(exc.message) from exc
        self._report(result, time.perf_counter() - started)

    def _report(self, result, seconds):
        out = self.stdout
        prefix = "Simulazione: nulla è stato scritto. " if result.dry_run else ""
        out.write(
            f"{prefix}Piano {result.year}: {result.strategic} obiettivi strategici, "
            f"{result.objectives} obiettivi, {result.phases} fasi, {result.indicators} indicatori "
            f"({result.to_complete} da completare: il valore atteso non dà un target numerico)."
        )
        out.write(
            f"Nuovi: {len(result.created)}; aggiornati: {len(result.updated)}; "
            f"invariati: {len(result.unchanged)}; in conflitto: {len(result.conflicts)}."
        )
        for title, rows in (
            ("In conflitto (già oltre la redazione, non modificati)", result.conflicts),
            ("Responsabili senza un dirigente corrispondente nell'ente", result.unmatched),
            ("Avvisi", result.warnings),
        ):
            if rows:
                out.write(f"{title}:")
                for row in rows:
                    out.write(f"  - {row}")
        out.write(self.style.SUCCESS(f"Fatto in {seconds:.2f} s."))
