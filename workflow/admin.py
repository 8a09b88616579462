"""Django admin: the domain is read-only here (writes go through flows/, which keeps the evidence log);
bodies and roles are managed here, roles through the flows membership service."""

from django.contrib import admin, messages
from simple_history.admin import SimpleHistoryAdmin

from flows import errors
from flows.services.memberships import membership_grant, membership_revoke

from . import access
from .models import Body, DupLink, Indicator, Membership, Objective, Phase, Plan, StrategicObjective


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AdministeredBodiesMixin:
    """An Amministratore manages only the bodies where they hold that role (a superuser manages all)."""

    body_path = "pk"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(**{f"{self.body_path}__in": access.administered_bodies(request.user)})
        )


@admin.register(Body)
class BodyAdmin(AdministeredBodiesMixin, admin.ModelAdmin):
    list_display = ("name", "ipa_code", "signature_mode", "union_information_days")
    search_fields = ("name", "ipa_code")

    def has_add_permission(self, request):
        return request.user.is_superuser  # a new body is the platform operator's decision

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Membership)
class MembershipAdmin(AdministeredBodiesMixin, admin.ModelAdmin):
    body_path = "body"
    list_display = ("user", "body", "role", "responsibility_center")
    list_filter = ("body", "role")
    search_fields = ("user__username", "user__last_name", "responsibility_center")
    autocomplete_fields = ("user",)

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "body":
            kwargs["queryset"] = access.administered_bodies(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        try:
            membership_grant(
                by=request.user,
                user=obj.user,
                body=obj.body,
                role=obj.role,
                responsibility_center=obj.responsibility_center,
            )
        except errors.WorkflowError as exc:
            messages.error(request, exc.message)

    def delete_model(self, request, obj):
        try:
            membership_revoke(by=request.user, membership=obj)
        except errors.WorkflowError as exc:
            messages.error(request, exc.message)

    def delete_queryset(self, request, queryset):
        for membership in queryset:
            self.delete_model(request, membership)


@admin.register(Plan)
class PlanAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("body", "year", "triennium", "deadline")
    list_filter = ("body",)


@admin.register(StrategicObjective)
class StrategicObjectiveAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("code", "title", "plan")
    list_filter = ("plan__body", "plan__year")
    search_fields = ("code", "title")


class PhaseInline(ReadOnlyMixin, admin.TabularInline):
    model = Phase
    fields = ("position", "description", "weight", "start", "end", "responsibility_center", "notes")


class IndicatorInline(ReadOnlyMixin, admin.TabularInline):
    model = Indicator
    fields = ("position", "description", "kind", "expected", "notes")


class DupLinkInline(ReadOnlyMixin, admin.TabularInline):
    model = DupLink
    fields = ("level", "code", "title", "view")


@admin.register(Objective)
class ObjectiveAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    list_display = ("code", "title", "state", "revision", "responsible", "plan")
    list_filter = ("state", "plan__body", "plan__year")
    search_fields = ("code", "title")
    inlines = [PhaseInline, IndicatorInline, DupLinkInline]
    history_list_display = ("state", "lock_version", "revision")


@admin.register(Phase)
class PhaseAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    list_display = ("objective", "position", "description", "weight", "start", "end")
    search_fields = ("objective__code", "description")


@admin.register(Indicator)
class IndicatorAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    list_display = ("objective", "position", "description", "kind", "expected")
    search_fields = ("objective__code", "description")
