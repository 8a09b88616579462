"""One Django group per role, carrying the role's model-level permissions (DESIGN.md, "People")."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUPS = {
    "Dirigenti": ["view_objective", "add_objective", "change_objective", "manage_objective"],
    "Funzionari": ["view_objective", "change_objective"],
    "Segreteria Generale": ["view_objective", "add_objective", "transition_objective", "view_plan", "add_plan",
                            "change_plan"],
    "Segretario Generale": ["view_objective", "add_objective", "transition_objective", "view_plan", "add_plan",
                            "change_plan"],
    "Revisori (NIV/OIV)": ["view_objective", "view_phase", "view_indicator", "view_plan",
                           "view_historicalobjective", "view_historicalphase", "view_historicalindicator"],
    "Rappresentanze sindacali": ["view_objective"],
    "Amministratori": ["view_body", "add_body", "change_body", "view_membership", "add_membership",
                       "change_membership", "delete_membership"],
}


def create_groups(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        perms = Permission.objects.filter(content_type__app_label="workflow", codename__in=codenames)
        missing = set(codenames) - set(perms.values_list("codename", flat=True))
        if missing:
            raise RuntimeError(f"Permessi mancanti per il gruppo {name}: {sorted(missing)}")
        group.permissions.set(perms)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("workflow", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(create_groups, remove_groups)]
