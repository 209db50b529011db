"""On PostgreSQL, the database itself refuses to edit or delete audit trail entries.

The one UPDATE let through is Django setting ``actor`` to NULL when a staff account is
deleted (``on_delete=SET_NULL``): the entry stays, and ``actor_email`` still names the person.
TRUNCATE is not blocked (the test suite empties tables with it); granting the application's
database role no TRUNCATE privilege on the table closes that in production.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION audit_trail_is_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND OLD.actor_id IS NOT NULL AND NEW.actor_id IS NULL
       AND (to_jsonb(NEW) - 'actor_id') = (to_jsonb(OLD) - 'actor_id') THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'the audit trail is append-only: % of % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER audit_trail_append_only
    BEFORE UPDATE OR DELETE ON auditlog_logentry
    FOR EACH ROW EXECUTE FUNCTION audit_trail_is_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS audit_trail_append_only ON auditlog_logentry;
DROP FUNCTION IF EXISTS audit_trail_is_append_only();
"""


def _on_postgresql(sql: str):
    def run(apps, schema_editor) -> None:
        if schema_editor.connection.vendor == "postgresql":
            # No parameters: the SQL holds several statements and a literal %.
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("auditlog", "0017_add_actor_email")]

    operations = [migrations.RunPython(_on_postgresql(CREATE), _on_postgresql(DROP))]
