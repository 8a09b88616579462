"""The signers of the revisions published before the publication kept them: read from their signatures
(the valid ones of the published revision), as the publish step now writes them."""

from django.db import migrations
from django.utils import timezone

CAPACITIES = {"responsabile": "Dirigente responsabile", "segretario": "Segretario Generale"}
METHODS = {"login": "Approvazione con accesso autenticato", "pades": "Firma digitale PAdES"}


def fill(apps, schema_editor):
    PublishedRevision = apps.get_model("approvals", "PublishedRevision")
    Signature = apps.get_model("approvals", "Signature")
    for publication in PublishedRevision.objects.iterator():
        if publication.signers:
            continue
        rows = (
            Signature.objects.filter(
                objective_id=publication.objective_id, revision=publication.revision, voided_at__isnull=True
            )
            .select_related("signer")
            .order_by("signed_at", "id")
        )
        signers = [
            {
                "name": f"{s.signer.first_name} {s.signer.last_name}".strip() or s.signer.username,
                "capacities": ", ".join(CAPACITIES.get(c, c) for c in s.capacities),
                "signed_at": timezone.localtime(s.signed_at).isoformat(),
                "method": METHODS.get(s.method, s.method),
            }
            for s in rows
        ]
        if signers:
            PublishedRevision.objects.filter(pk=publication.pk).update(signers=signers)


class Migration(migrations.Migration):
    dependencies = [("approvals", "0007_published_attestation_and_seal")]
    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
