"""Full-text search over the reporter's title and text (PostgreSQL, 'simple' configuration:
Indonesian has no stemmer in PostgreSQL, and exact words are what staff search for). The
expression is the one complaints.selectors.complaints_search builds, so the planner uses it;
a test checks the plan. The SQLite demo falls back to a substring search."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

INDEX = (
    "CREATE INDEX IF NOT EXISTS complaint_text_search ON complaints_complaint USING gin "
    "(to_tsvector('simple'::regconfig, COALESCE(title, '') || ' ' || COALESCE(text, '')))"
)


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(INDEX)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS complaint_text_search")


class Migration(migrations.Migration):
    dependencies = [("complaints", "0003_append_only_history")]

    operations = [
        # Trigram similarity (similar-report hints) needs pg_trgm; a no-op on SQLite.
        TrigramExtension(),
        migrations.RunPython(forward, backward),
    ]
