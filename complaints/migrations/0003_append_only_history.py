"""The database itself refuses edits of history: an event's content, a report's original text
and a response's text can be written once, never changed (DOMAIN.md §3: corrections are new
events). PostgreSQL only; the SQLite demo relies on the services alone."""

from django.db import migrations

FORWARD = """
CREATE FUNCTION complaints_refuse_history_edit() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % may not be changed', TG_TABLE_NAME, TG_ARGV[0]
        USING ERRCODE = 'integrity_constraint_violation';
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER complaints_event_append_only
    BEFORE UPDATE ON complaints_event FOR EACH ROW
    WHEN ((OLD.complaint_id, OLD.disposition_id, OLD.action, OLD.from_status, OLD.to_status,
           OLD.actor_type, OLD.actor_id, OLD.actor_role, OLD.actor_opd_id, OLD.reason,
           OLD.data, OLD.created_at)
          IS DISTINCT FROM
          (NEW.complaint_id, NEW.disposition_id, NEW.action, NEW.from_status, NEW.to_status,
           NEW.actor_type, NEW.actor_id, NEW.actor_role, NEW.actor_opd_id, NEW.reason,
           NEW.data, NEW.created_at))
    EXECUTE FUNCTION complaints_refuse_history_edit('the event');

CREATE TRIGGER complaints_complaint_original_text
    BEFORE UPDATE ON complaints_complaint FOR EACH ROW
    WHEN ((OLD.tracking_number, OLD.channel, OLD.title, OLD.text, OLD.created_at)
          IS DISTINCT FROM
          (NEW.tracking_number, NEW.channel, NEW.title, NEW.text, NEW.created_at))
    EXECUTE FUNCTION complaints_refuse_history_edit('the reporter''s original report');

CREATE TRIGGER complaints_response_text
    BEFORE UPDATE ON disposition_response FOR EACH ROW
    WHEN ((OLD.complaint_id, OLD.disposition_id, OLD.kind, OLD.text, OLD.visibility,
           OLD.author_id, OLD.created_at)
          IS DISTINCT FROM
          (NEW.complaint_id, NEW.disposition_id, NEW.kind, NEW.text, NEW.visibility,
           NEW.author_id, NEW.created_at))
    EXECUTE FUNCTION complaints_refuse_history_edit('the response');
"""

BACKWARD = """
DROP TRIGGER IF EXISTS complaints_response_text ON disposition_response;
DROP TRIGGER IF EXISTS complaints_complaint_original_text ON complaints_complaint;
DROP TRIGGER IF EXISTS complaints_event_append_only ON complaints_event;
DROP FUNCTION IF EXISTS complaints_refuse_history_edit();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        # No parameters: the "%" in RAISE are PL/pgSQL placeholders, not the driver's.
        schema_editor.execute(FORWARD, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0002_initial"),
        ("disposition", "0001_initial"),
    ]

    operations = [migrations.RunPython(forward, backward)]
