"""What the steps of a progress report leave behind (approvals.models.monitoring)."""

from __future__ import annotations

from django.utils import timezone

from ..models import ReportEvidence, ReportStepRecord, StoredFile


def report_step_record(
    *, report, transition, source, target, by, at, comment="", data=None, batch=None, highlighted=False
) -> ReportStepRecord:
    return ReportStepRecord.objects.create(
        report=report,
        transition=transition,
        source=source,
        target=target,
        by=by,
        at=at,
        revision=report.revision,
        comment=comment,
        data=data or {},
        batch=batch,
        highlighted=highlighted,
    )


def evidence_record(
    *, report, indicator, name, content_type, content: bytes, description, by
) -> ReportEvidence:
    stored = StoredFile.objects.create(
        name=name,
        content_type=content_type,
        size=len(content),
        sha256=StoredFile.digest(content),
        content=content,
        created_by=by,
    )
    return ReportEvidence.objects.create(
        report=report,
        indicator=indicator,
        file=stored,
        description=description,
        uploaded_by=by,
        uploaded_at=timezone.now(),
        revision=report.revision,
    )


def evidence_withdraw(*, evidence: ReportEvidence) -> ReportEvidence:
    evidence.withdrawn_at = timezone.now()
    evidence.save(update_fields=["withdrawn_at"])
    return evidence
