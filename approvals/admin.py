from django.contrib import admin

from workflow.admin import ReadOnlyMixin

from .models import (
    AdoptionAct,
    PublishedRevision,
    Signature,
    StepRecord,
    Transmission,
    TransmissionAttempt,
)


@admin.register(StepRecord)
class StepRecordAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("objective", "transition", "source", "target", "by", "at", "highlighted")
    list_filter = ("transition", "highlighted")
    search_fields = ("objective__code", "comment")


@admin.register(Signature)
class SignatureAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("objective", "revision", "signer", "method", "signed_at", "voided_at")


@admin.register(AdoptionAct)
class AdoptionActAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("body", "act_type", "number", "date")


@admin.register(PublishedRevision)
class PublishedRevisionAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("objective", "revision", "published_on", "url")


@admin.register(Transmission)
class TransmissionAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("pk", "body", "kind", "status", "attempts", "receipt_reference", "created_at")
    list_filter = ("kind", "status")
    search_fields = ("receipt_reference", "idempotency_key")


@admin.register(TransmissionAttempt)
class TransmissionAttemptAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("transmission", "number", "at", "status_code", "outcome")
