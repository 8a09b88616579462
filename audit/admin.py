from django.contrib import admin

from workflow.admin import SuperuserReadOnlyMixin

from .models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(SuperuserReadOnlyMixin, admin.ModelAdmin):
    list_display = ("sequence", "at", "actor_name", "action", "object_type", "object_id")
    list_filter = ("action",)
    search_fields = ("actor_name", "object_id")
