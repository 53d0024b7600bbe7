"""The search text again, now with the names of each resource's type, categories,
targets and features (resources/indexing.py), so a label word is one phrase on
the bigram index."""

from django.db import migrations


def backfill(apps, schema_editor):
    from resources.indexing import reindex

    Resource = apps.get_model("resources", "Resource")
    reindex(Resource, Resource.objects.values_list("pk", flat=True))


class Migration(migrations.Migration):
    dependencies = [("resources", "0013_resource_type_index")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True)]
