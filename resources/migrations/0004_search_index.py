"""Fill the new search fields, and on PostgreSQL index the bigram vector (GIN)."""

from django.db import migrations

INDEX = "resources_resource_bigrams_gin"


def backfill(apps, schema_editor):
    from portal.text import normalize
    from resources.models import schedule_summary
    from resources.search import bigram_vector

    Resource = apps.get_model("resources", "Resource")
    ScheduleRule = apps.get_model("resources", "ScheduleRule")
    rules: dict[int, list] = {}
    for rule in ScheduleRule.objects.all():
        rule.weekday_list = [c for c in rule.weekdays.split(",") if c]
        rules.setdefault(rule.resource_id, []).append(rule)
    batch = []
    for resource in Resource.objects.all().iterator():
        resource.name_text = normalize(f"{resource.name} {resource.kana}")
        resource.search_bigrams = bigram_vector(resource.search_text)
        resource.schedule_days, resource.schedule_times = schedule_summary(rules.get(resource.pk, []))
        batch.append(resource)
    Resource.objects.bulk_update(
        batch, ["name_text", "search_bigrams", "schedule_days", "schedule_times"], batch_size=500
    )


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON resources_resource "
            "USING gin ((search_bigrams::tsvector))"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("resources", "0003_search_fields")]
    operations = [
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.RunPython(create_index, drop_index),
    ]
