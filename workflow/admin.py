"""Django admin.

Who sees what here. One installation serves many bodies, and the admin's changelists, change pages and
history pages know nothing of bodies: filtering each of them by the user's bodies would have to be done,
and kept right, model by model (objectives, phases, indicators, plans, their history, the approvals
records, the evidence log...). So the admin is split in two:

- the domain (everything but Body and Membership, in every app) is reserved to superusers, the platform
  operator, and read-only even for them: every write goes through ``flows/``, which keeps the history and
  the evidence log (DESIGN.md, "How a change flows"). Staff members with roles in a body, an
  Amministratore who is also a Revisore included, do not see these models at all: they read the domain
  on the application's pages, through the permission-filtered selectors. The users and groups of
  django.contrib.auth keep Django's rules (in practice: superusers only).
- bodies and roles are managed here by each body's Amministratore, restricted to the bodies where they
  hold that role. A body's settings are shown read-only: they change only through
  ``flows.services.body_settings`` on the body's settings page (validated and logged). Only a superuser
  creates a body, through ``flows.services.bodies.body_create``. Roles are granted and revoked through
  ``flows.services.memberships``.

The Membership user picker cannot use Django's autocomplete, which answers only to those who may view the
User admin. It has its own search (``user_search``): the people who already hold a role in one of the
Amministratore's bodies, found by part of their name, and any other active account only by its exact
username (a new colleague's account, whose username the Amministratore is told). It lists usernames and
names, never the bodies a person belongs to, so nobody can browse the people of other bodies.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelect
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import JsonResponse
from django.urls import path, reverse
from simple_history.admin import SimpleHistoryAdmin

from flows import errors
from flows.services.bodies import body_create, ipa_code_clean
from flows.services.memberships import membership_grant, membership_revoke

from . import access
from .content import DUP_LINK_KEYS, INDICATOR, PHASE
from .models import (
    Body,
    DupLink,
    Indicator,
    IndicatorMeasure,
    MeasurementSystem,
    Membership,
    MonitoringPeriod,
    Objective,
    Phase,
    PhaseProgress,
    Plan,
    ProgressReport,
    StrategicObjective,
)

USER_SEARCH_LIMIT = 20


class SuperuserReadOnlyMixin:
    """A domain admin: superusers only, and read-only for them too (writes go through flows/)."""

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    # simple-history's pages ask these (with SIMPLE_HISTORY_ENFORCE_HISTORY_MODEL_PERMISSIONS, otherwise
    # the view and change permissions above).
    def has_view_history_permission(self, request, obj=None):
        return self.has_view_permission(request, obj)

    def has_change_history_permission(self, request, obj=None):
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


class BodyCreationForm(forms.ModelForm):
    class Meta:
        model = Body
        fields = ("name", "ipa_code")

    def clean_ipa_code(self):
        try:
            return ipa_code_clean(self.cleaned_data["ipa_code"])
        except errors.WorkflowError as exc:
            raise forms.ValidationError(exc.message) from exc


@admin.register(Body)
class BodyAdmin(AdministeredBodiesMixin, admin.ModelAdmin):
    list_display = ("name", "ipa_code", "signature_mode", "union_information_days")
    search_fields = ("name", "ipa_code")
    add_form = BodyCreationForm

    def has_add_permission(self, request):
        return request.user.is_superuser  # a new body is the platform operator's decision

    def has_change_permission(self, request, obj=None):
        return False  # settings change on the body's settings page, through their service

    def has_delete_permission(self, request, obj=None):
        return False

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = self.add_form
            kwargs["fields"] = BodyCreationForm.Meta.fields
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        return BodyCreationForm.Meta.fields if obj is None else super().get_fields(request, obj)

    def save_model(self, request, obj, form, change):
        if change:  # unreachable: no one may change a body here
            raise PermissionDenied
        try:
            body = body_create(by=request.user, name=obj.name, ipa_code=obj.ipa_code)
        except errors.WorkflowError as exc:
            messages.error(request, exc.message)
            raise PermissionDenied from exc
        obj.pk = body.pk
        obj._state.adding = False


class MembershipUserWidget(AutocompleteSelect):
    """Django's autocomplete widget, asking the Membership admin's own user search."""

    def get_url(self):
        return reverse(f"{self.admin_site.name}:workflow_membership_user_search")


@admin.register(Membership)
class MembershipAdmin(AdministeredBodiesMixin, admin.ModelAdmin):
    body_path = "body"
    list_display = ("user", "body", "role", "responsibility_center")
    # Only the bodies that appear in this admin's rows, i.e. those the user administers.
    list_filter = (("body", admin.RelatedOnlyFieldListFilter), "role")
    search_fields = ("user__username", "user__last_name", "responsibility_center")

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def get_urls(self):
        search = path(
            "utenti/",
            self.admin_site.admin_view(self.user_search),
            name="workflow_membership_user_search",
        )
        return [search, *super().get_urls()]

    def user_search(self, request):
        """The user picker's answers, in the format of Django's autocomplete (select2)."""
        bodies = access.administered_bodies(request.user)
        if not (self.has_add_permission(request) and bodies.exists()):
            raise PermissionDenied
        term = request.GET.get("term", "").strip()
        users = get_user_model().objects.filter(is_active=True)
        managed = Q(memberships__body__in=bodies)
        if term:
            managed &= (
                Q(username__icontains=term) | Q(first_name__icontains=term) | Q(last_name__icontains=term)
            )
            found = users.filter(managed | Q(username=term))
        else:
            found = users.filter(managed)
        found = found.distinct().order_by("username")[:USER_SEARCH_LIMIT]
        return JsonResponse(
            {
                "results": [{"id": str(u.pk), "text": self._user_label(u)} for u in found],
                "pagination": {"more": False},
            }
        )

    @staticmethod
    def _user_label(user) -> str:
        name = user.get_full_name()
        return f"{user.get_username()} – {name}" if name else user.get_username()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "body":
            kwargs["queryset"] = access.administered_bodies(request.user)
        if db_field.name == "user":
            kwargs["queryset"] = get_user_model().objects.filter(is_active=True)
            kwargs["widget"] = MembershipUserWidget(db_field, self.admin_site)
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
class PlanAdmin(SuperuserReadOnlyMixin, admin.ModelAdmin):
    list_display = ("body", "year", "triennium", "deadline")
    list_filter = ("body",)


@admin.register(StrategicObjective)
class StrategicObjectiveAdmin(SuperuserReadOnlyMixin, admin.ModelAdmin):
    list_display = ("code", "title", "plan")
    list_filter = ("plan__body", "plan__year")
    search_fields = ("code", "title")


class PhaseInline(SuperuserReadOnlyMixin, admin.TabularInline):
    model = Phase
    fields = ("position", *PHASE.names())


class IndicatorInline(SuperuserReadOnlyMixin, admin.TabularInline):
    model = Indicator
    fields = ("position", *INDICATOR.names())


class DupLinkInline(SuperuserReadOnlyMixin, admin.TabularInline):
    model = DupLink
    fields = DUP_LINK_KEYS


@admin.register(Objective)
class ObjectiveAdmin(SuperuserReadOnlyMixin, SimpleHistoryAdmin):
    list_display = ("code", "title", "state", "revision", "responsible", "plan")
    list_filter = ("state", "plan__body", "plan__year")
    search_fields = ("code", "title")
    inlines = [PhaseInline, IndicatorInline, DupLinkInline]
    history_list_display = ("state", "lock_version", "revision")


@admin.register(Phase)
class PhaseAdmin(SuperuserReadOnlyMixin, SimpleHistoryAdmin):
    list_display = ("objective", "position", "description", "weight", "start", "end")
    search_fields = ("objective__code", "description")


@admin.register(Indicator)
class IndicatorAdmin(SuperuserReadOnlyMixin, SimpleHistoryAdmin):
    list_display = ("objective", "position", "description", "kind", "expected")
    search_fields = ("objective__code", "description")


# -- the monitoring: read-only, superusers only, like the rest of the domain ---------------------------
@admin.register(MeasurementSystem)
class MeasurementSystemAdmin(SuperuserReadOnlyMixin, SimpleHistoryAdmin):
    list_display = (
        "body",
        "zero_threshold",
        "allow_over_achievement",
        "over_achievement_cap",
        "indicators_share",
    )


@admin.register(MonitoringPeriod)
class MonitoringPeriodAdmin(SuperuserReadOnlyMixin, SimpleHistoryAdmin):
    list_display = ("plan", "name", "reference_date", "due_date", "is_final")
    list_filter = ("is_final",)


@admin.register(ProgressReport)
class ProgressReportAdmin(SuperuserReadOnlyMixin, SimpleHistoryAdmin):
    list_display = ("objective", "period", "state", "revision", "adjusted_score", "updated_at")
    list_filter = ("state",)
    search_fields = ("objective__code", "objective__title")


@admin.register(PhaseProgress)
class PhaseProgressAdmin(SuperuserReadOnlyMixin, SimpleHistoryAdmin):
    list_display = ("report", "phase", "percent", "status")


@admin.register(IndicatorMeasure)
class IndicatorMeasureAdmin(SuperuserReadOnlyMixin, SimpleHistoryAdmin):
    list_display = ("report", "indicator", "value", "text_value", "measured_on")
