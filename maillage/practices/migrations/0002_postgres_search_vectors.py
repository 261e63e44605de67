"""PostgreSQL only: stored, GIN-indexed tsvectors of each practice's terms, for full-text search.

The terms are computed in Python (maillage.practices.textindex: folding, stemming, synonyms), so the 'simple'
configuration is used: PostgreSQL only indexes them.
- search_vector: every term (title and text); "every word must match" is `search_vector @@ 'a & b'`.
- key_vector: the title's terms (weight A) and the heaviest terms of the practice's TF-IDF vector (B for the
  first 8, C for the others). Ranking uses it: it is small, so ranking stays cheap however many practices
  match, and a practice where the query's words matter ranks above one that only mentions them.
SQLite (embedded mode) matches `search_stems` with LIKE instead and needs nothing here.
"""

from django.db import migrations

FORWARD = [
    """
    ALTER TABLE practices_practice ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        to_tsvector('simple', coalesce(title_stems, '') || ' ' || coalesce(search_stems, ''))
    ) STORED
    """,
    """
    ALTER TABLE practices_practice ADD COLUMN key_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', coalesce(title_stems, '')), 'A')
        || setweight(to_tsvector('simple', split_part(coalesce(key_stems, ''), '|', 1)), 'B')
        || setweight(to_tsvector('simple', split_part(coalesce(key_stems, ''), '|', 2)), 'C')
    ) STORED
    """,
    "CREATE INDEX practices_practice_search_vector_gin ON practices_practice USING gin (search_vector)",
    "CREATE INDEX practices_practice_key_vector_gin ON practices_practice USING gin (key_vector)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS practices_practice_key_vector_gin",
    "DROP INDEX IF EXISTS practices_practice_search_vector_gin",
    "ALTER TABLE practices_practice DROP COLUMN IF EXISTS key_vector",
    "ALTER TABLE practices_practice DROP COLUMN IF EXISTS search_vector",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in FORWARD:
            schema_editor.execute(statement)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("practices", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
