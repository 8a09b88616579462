"""On PostgreSQL, refuse UPDATE and DELETE on the evidence log at the database itself.

A row-level trigger: whoever connects with the application's credentials (a script, a shell, a bug) gets an
error instead of a silent rewrite. TRUNCATE is not covered: Django's test runner empties tables with it, and
the owner of the table could drop the trigger anyway; the anchor kept outside the database (README) is what
detects that. Other databases (SQLite in development) have no such trigger: `manage.py verify_audit` still
finds any change there.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION audit_entry_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'Il registro di audit è solo in aggiunta: % rifiutato sulla voce %', TG_OP, OLD.sequence
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS audit_entry_append_only ON audit_auditentry;
CREATE TRIGGER audit_entry_append_only
    BEFORE UPDATE OR DELETE ON audit_auditentry
    FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS audit_entry_append_only ON audit_auditentry;
DROP FUNCTION IF EXISTS audit_entry_append_only();
"""


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_entry_filters")]

    operations = [migrations.RunPython(create_trigger, drop_trigger)]
