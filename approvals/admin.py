from django.contrib import admin

from workflow.admin import SuperuserReadOnlyMixin

from .models import (
    AdoptionAct,
    ConfrontoRequest,
    Meeting,
    Observation,
    PublishedRevision,
    ReportEvidence,
    ReportStepRecord,
    Signature,
    StepRecord,
    Transmission,
    TransmissionAttempt,
    UnionInformation,
)


@admin.register(StepRecord)
class StepRecordAdmin(SuperuserReadOnlyMixin, admin.ModelAdmin):
    list_display = ("objective", "transition", "source", "target", "by", "at", "highlighted")
    list_filter = ("transition", "highlighted")
    search_fields = ("objective__code", "comment")


@admin.register(Signature)
class SignatureAdmin(SuperuserReadOnlyMixin, admin.ModelAdmin):
    list_display = ("objective", "revision", "signer", "method", "signed_at", "voided_at")


@admin.register(AdoptionAct)
class AdoptionActAdmin(SuperuserReadOnlyMixin, admin.ModelAdmin):
    list_display = ("body", "act_type", "number", "date")


@admin.register(PublishedRevision)
class PublishedRevisionAdmin(SuperuserReadOnlyMixin, admin.ModelAdmin):
    list_display = ("objective", "revision", "published_on", "url")


@admin.register(Transmission)
class TransmissionAdmin(SuperuserReadOnlyMixin, admin.ModelAdmin):
    list_display = ("pk", "body", "kind", "status", "attempts", "receipt_reference", "created_at")
    list_filter = ("kind", "status")
    search_fields = ("receipt_reference", "idempotency_key")


@admin.register(TransmissionAttempt)
class TransmissionAttemptAdmin(SuperuserReadOnlyMixin, admin.ModelAdmin):
    list_display = ("transmission", "number", "at", "status_code", "outcome")


@admin.register(UnionInformation)
class UnionInformationAdmin(SuperuserReadOnlyMixin, admin.ModelAdmin):
    list_display = ("pk", "body", "sent_at", "sent_by", "request_until")
    list_filter = ("body",)


@admin.register(ConfrontoRequest)
class ConfrontoRequestAdmin(SuperuserReadOnlyMixin, admin.ModelAdmin):
    list_display = ("information", "by", "at")


@admin.register(Meeting)
class MeetingAdmin(SuperuserReadOnlyMixin, admin.ModelAdmin):
    list_display = ("information", "held_on", "recorded_by", "recorded_at")


@admin.register(Observation)
class ObservationAdmin(SuperuserReadOnlyMixin, admin.ModelAdmin):
    list_display = ("objective", "author", "author_role", "posted_at", "reply_to")
    list_filter = ("author_role",)
    search_fields = ("objective__code", "text")


@admin.register(ReportStepRecord)
class ReportStepRecordAdmin(SuperuserReadOnlyMixin, admin.ModelAdmin):
    list_display = ("report", "transition", "source", "target", "by", "at", "highlighted")
    list_filter = ("transition", "highlighted")


@admin.register(ReportEvidence)
class ReportEvidenceAdmin(SuperuserReadOnlyMixin, admin.ModelAdmin):
    list_display = ("report", "indicator", "file", "uploaded_by", "uploaded_at", "withdrawn_at")
