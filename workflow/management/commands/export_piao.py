"""Export a body's plan in the interchange format: JSON, or CSV tables in a ZIP file."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from flows.services.interchange import plan_export
from workflow.export import csv_zip
from workflow.models import Plan


class Command(BaseCommand):
    help = "Esporta il piano di un ente nel formato di interscambio (JSON) o in CSV (ZIP con tre tabelle)."

    def add_arguments(self, parser):
        parser.add_argument("--body", required=True, help="Nome dell'ente.")
        parser.add_argument("--year", required=True, type=int)
        parser.add_argument("--format", choices=["json", "csv"], default="json")
        parser.add_argument(
            "--output", help="File di destinazione (obbligatorio per csv); JSON senza: a video."
        )

    def handle(self, *args, body, year, format, output, **options):
        if format == "csv" and not output:
            raise CommandError("Per il formato csv indica --output FILE.zip.")
        plan = Plan.objects.filter(body__name__iexact=body.strip(), year=year).select_related("body").first()
        if plan is None:
            raise CommandError(f"Nessun piano {year} per l'ente «{body}».")
        document = plan_export(by=None, plan=plan, fmt=format)
        if format == "json":
            data = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
            if output:
                Path(output).write_text(data, encoding="utf-8")
            else:
                self.stdout.write(data, ending="")
        else:
            Path(output).write_bytes(csv_zip(document))
        if output:
            self.stderr.write(f"Esportati {len(document['objectives'])} obiettivi in {output}.")
