# The bigram index again, for the public, active resources only: anonymous
# searches read nothing else, and without the other rows the index answers a
# keyword alone instead of being combined with another index first.

from django.db import migrations

INDEX = "resource_public_bigrams_gin"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON resources_resource USING gin (search_bigrams) "
            "WHERE visibility = 'public' AND status = 'active'"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("resources", "0005_search_performance")]

    operations = [migrations.RunPython(create_index, drop_index)]
